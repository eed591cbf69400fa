"""The notifications read model: every delivery, its state and attempts, for the secretariat."""
