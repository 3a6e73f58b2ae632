"""Which local page of a classroom laptop stands for which page of the central site."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedPage(models.Model):
    """On an installation that imported a training-room pack (a classroom laptop): which
    local page stands for which page of the central site (its ``translation_key`` there).
    Results packs name lessons by the central key, so they merge on the central site."""

    source_key = models.UUIDField(_("central page key"), unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        db_table = "pwa_importedpage"
        verbose_name = _("imported page")
        verbose_name_plural = _("imported pages")

    def __str__(self):
        return f"{self.source_key} → {self.page_id}"
