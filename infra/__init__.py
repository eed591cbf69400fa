"""Infrastructure shared by every entry point: settings, logging, the event store."""
