from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    """Training-room packs: a program carried to a laptop without internet as one signed
    SQLite file, and the laptop's study records carried back (see the package docstring)."""

    name = "packs"
    label = "packs"
    verbose_name = _("Training-room packs")
    default_auto_field = "django.db.models.BigAutoField"
