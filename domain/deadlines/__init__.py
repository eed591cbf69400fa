"""Deadlines: reminders, overdue notes and escalations of dated obligations, recorded once."""
