"""The laptop keys registered at the centre for training-room results packs, and the
validator of their public keys (the ``packs`` migrations name it as
``packs.models.validate_public_key``)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..services.keys import BadPublicKey, fingerprint, parse_public, public_text


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
