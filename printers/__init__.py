"""Ticket and slip layout, ESC/POS output, A4 forms, printer connections, the print spool (issue 5)."""
