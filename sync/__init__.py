"""Wire protocol, the hub's sync client and the city centre server (issue 6)."""
