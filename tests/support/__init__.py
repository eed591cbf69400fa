"""What tests of several packages share: the app under test, the reference city, the whole engine
(Temporal worker and read models) and one way to wait (`polling`). The root conftest registers the
fixtures of these modules, so no conftest is imported across packages."""
