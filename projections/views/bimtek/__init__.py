"""Bimtek stages: attendance and deliverables."""
