"""Delivering the notifications outbox: channels, the delivery and digest workflows, the sender."""
