"""The dossier services: intake, actions, listing and queries, history, search, numbering, catalog, daily report."""
