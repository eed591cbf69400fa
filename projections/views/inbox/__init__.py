"""Each OPD's approval inbox."""
