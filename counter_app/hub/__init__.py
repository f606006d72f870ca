"""The hub's server side on the LAN: HTTP API, event stream, access policy, machines, idempotency."""
