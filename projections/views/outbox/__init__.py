"""The notifications outbox."""
