"""The LAN client: `LanOffice` and the event stream it follows at the hub."""
