"""A restricted test plugin that needs the dummy plugin (dependency + superuser-only tests)."""
