"""The yearly evaluation workflow: OPDs fill, the secretariat compiles, the Sekda approves,
assessors score, the index is published."""
