"""The candidate JSON API (django-ninja), mounted per program under
``/programs/<program>/exam/api/`` behind the plugin gate (``request.program`` is set).

Every endpoint checks that the attempt belongs to the logged-in learner and to the
program (404 otherwise). Session auth; ninja enforces CSRF on unsafe methods.
"""

from . import attempts, practice  # noqa: F401  (each module registers its operations on ``api``)
from .base import api

__all__ = ["api"]
