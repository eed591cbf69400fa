"""The approval workflow: one request routed step by step, its activities and its client."""
