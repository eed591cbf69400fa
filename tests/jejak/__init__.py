"""Tests of the `jejak` command and the processes it supervises (jejak/)."""
