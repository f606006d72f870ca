"""Shared by the desk and the hall: small widgets, and the worker that keeps I/O off the GUI thread."""
