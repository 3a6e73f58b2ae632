"""The plugin framework's models: which plugin is on for which program, with its settings.

- ``program_plugins``: ``ProgramPlugin``
"""

from .program_plugins import ProgramPlugin

__all__ = ["ProgramPlugin"]
