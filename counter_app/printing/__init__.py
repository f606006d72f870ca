"""The print spool's jobs and printers as the office keeps them (rendering is in `printers/`)."""
