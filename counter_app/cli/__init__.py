"""The `counter-app` command: the composition root, the one room that wires screens, printers, sync and the hub."""
