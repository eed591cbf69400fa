"""The deadline workflow: reminders, overdue notes and escalations of one due date."""
