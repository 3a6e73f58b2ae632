"""Signals and receivers of the exam plugin (filled in by the exam feature work)."""
