"""Milestones and their progress reports."""
