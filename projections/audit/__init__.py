"""What auditors need: history, state as of a date, diffs, exports and proof of integrity."""
