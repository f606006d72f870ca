"""PySide6 windows and widgets: clerk, kiosk, board, settings. They reach the office only through `Office`."""
