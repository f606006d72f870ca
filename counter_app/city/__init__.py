"""What goes to the city centre (the outbox) and what comes back from it (changes)."""
