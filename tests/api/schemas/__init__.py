"""Tests of the request and answer schemas (api/schemas/)."""
