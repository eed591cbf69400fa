"""The timeline: every event in plain words."""
