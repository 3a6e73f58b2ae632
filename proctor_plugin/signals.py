"""Signals and receivers of the proctor plugin (filled in by the proctoring feature work)."""
