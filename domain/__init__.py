"""Jejak's domain: the city's smart-city program as event-sourced aggregates.

Pure: imports the standard library and ``eventsourcing`` only.
"""
