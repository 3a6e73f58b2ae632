"""The records of training-room packs. Both tables were created by the ``pwa`` app before
packs became an app of their own; they keep their names (``db_table``)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .services.keys import BadPublicKey, fingerprint, parse_public, public_text


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


def validate_public_key(value):
    """An Ed25519 public key as ``manage.py pack_keys show`` prints it (base64, 32 bytes)."""
    try:
        canonical = public_text(parse_public(value))
    except BadPublicKey as err:
        raise ValidationError(str(err)) from err
    if canonical != value:
        raise ValidationError(_("This is not an Ed25519 public key (base64 of 32 bytes)."))


class PackLaptopKey(models.Model):
    """A training-room laptop's Ed25519 public key, registered at the centre: results packs
    signed with it are accepted (``packs.services.signing``) until it is revoked."""

    name = models.CharField(_("laptop"), max_length=100, unique=True)
    public_key = models.CharField(
        _("public key"), max_length=64, unique=True, validators=[validate_public_key]
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        db_table = "pwa_packlaptopkey"
        verbose_name = _("laptop key")
        verbose_name_plural = _("laptop keys")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)
