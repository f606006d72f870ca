"""`LocalOffice`: the `Office` interface over the services, in this process (the embedded hub)."""
