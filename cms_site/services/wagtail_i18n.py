"""Some Wagtail form modules translate their labels with ``gettext`` when they are imported
(``wagtail.admin.forms.collections``, ``wagtail.images.forms``): the group permission formsets'
"Add"/"Edit any image"/"Collection", the image format and URL generator forms' labels and
choices. Whatever language was active at import then stuck for everyone (Chinese headings on
the English group editor).

:func:`keep_wagtail_labels_lazy` imports those modules untranslated (their labels are then the
English msgids themselves) and swaps every such label of the forms and formsets they define for
a lazy translation of the same msgid. It must run before anything imports those modules: from
``CmsSiteConfig.ready()``, the first app's ``ready()``.
"""

import sys

from django import forms
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

MODULES = ("wagtail.admin.forms.collections", "wagtail.images.forms", "wagtail.documents.forms")


def _lazy(text):
    return gettext_lazy(text) if isinstance(text, str) and text else text


def _lazy_choices(choices):
    return [
        (value, _lazy_choices(label) if isinstance(label, list | tuple) else _lazy(label))
        for value, label in choices
    ]


def _relabel_form(form_class) -> None:
    for field in form_class.base_fields.values():
        field.label = _lazy(field.label)
        field.help_text = _lazy(field.help_text)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            field.choices = _lazy_choices(field.choices)


def _relabel_formset(formset_class) -> None:
    # The same list object is read by the formset's template and its checkbox labels.
    formset_class.permission_types[:] = [
        (codename, _lazy(short), _lazy(long))
        for codename, short, long in formset_class.permission_types
    ]
    _relabel_form(formset_class.form)


def keep_wagtail_labels_lazy() -> None:
    early = sorted(set(MODULES) & set(sys.modules))
    if early:
        raise RuntimeError(f"imported (and translated) too early: {early}")
    with translation.override(None):  # no catalogue: gettext returns the msgid
        modules = [__import__(name, fromlist=["__name__"]) for name in MODULES]
    for module in modules:
        for value in vars(module).values():
            if not isinstance(value, type) or isinstance(value, Promise):
                continue
            if issubclass(value, forms.BaseFormSet) and hasattr(value, "permission_types"):
                _relabel_formset(value)
            elif issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                _relabel_form(value)
