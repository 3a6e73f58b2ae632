"""Signals and receivers of the certificate plugin (filled in by the certificate feature work)."""
