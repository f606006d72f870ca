"""Plain data that crosses the `Office` interface: dossiers, lists, queue, accounts, printing, sync."""
