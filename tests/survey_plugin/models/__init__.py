"""Step 2: the models, one module per aggregate; this package re-exports them."""

from .answers import SurveyAnswer

__all__ = ["SurveyAnswer"]
