"""Entry points: the `jejak` command line and the supervisor of the embedded stack."""
