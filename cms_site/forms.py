"""Wagtail's page chooser with its label kept lazy.

``AdminPageChooser`` appends the target model to its label with ``+=`` in ``__init__``, which
turns the lazy "Choose a page" into a plain string in the language active when the widget is
built. Model forms (and their widgets) are built once per process, so the first request's
language stuck for everyone (e.g. "选择一个页面" on the English question form). This subclass
builds the same label lazily; :func:`install` makes it the widget of every page foreign key in
Wagtail admin model forms.
"""

from django.db import models
from django.utils.text import capfirst, format_lazy
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import AbstractPage, Page


class PageChooser(AdminPageChooser):
    def __init__(self, target_models=None, **kwargs):
        super().__init__(target_models=target_models, **kwargs)
        if len(self.target_models) == 1 and self.target_models[0] is not Page:
            model_name = capfirst(self.target_models[0]._meta.verbose_name)
            self.choose_one_text = format_lazy(
                "{} ({})", AdminPageChooser.choose_one_text, model_name
            )


def install() -> None:
    register_form_field_override(
        models.ForeignKey,
        to=AbstractPage,
        override=lambda db_field: {
            "widget": PageChooser(target_models=[db_field.remote_field.model])
        },
    )
