"""The office store's backups: sealed with the office's key, checked, rotated, restored."""
