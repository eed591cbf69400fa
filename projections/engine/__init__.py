"""What every read model shares: the view base, its store, the runner, rebuilds and generations."""
