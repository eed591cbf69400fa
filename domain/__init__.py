"""Jejak's domain: the city's smart-city program as event-sourced aggregates.

Pure: imports the standard library and ``eventsourcing`` only. Seed data (the reference
scenario) is not domain: it lives in ``infra/scenario``.
"""
