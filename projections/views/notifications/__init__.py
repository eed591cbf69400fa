"""Notification deliveries."""
