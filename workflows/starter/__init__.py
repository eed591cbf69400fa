"""The workflow starter: follows the event log and starts or signals workflows."""
