"""Approvals: requests routed through steps of OPD heads until approved, rejected or withdrawn."""
