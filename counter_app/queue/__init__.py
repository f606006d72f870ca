"""The queue services: tickets, calls and the figures screens show."""
