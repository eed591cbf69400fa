"""The yearly evaluation: its record, the citizens' survey and the report."""
