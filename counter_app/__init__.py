"""The office core: domain model, store, services and the `Office` interface.

This package never imports Qt, `ui`, `printers` or `sync` (see DESIGN.md); the one
exception is the composition root in `counter_app.cli.main`.
"""

__version__ = "0.1.0"
