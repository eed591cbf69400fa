"""Progress of the master plan."""
