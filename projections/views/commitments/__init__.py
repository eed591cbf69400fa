"""Commitments and their signatures."""
