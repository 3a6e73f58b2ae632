"""Test-only plugin apps, each broken in one way, installed one at a time by
tests/plugins/test_checks.py through ``override_settings(INSTALLED_APPS=...)``."""
