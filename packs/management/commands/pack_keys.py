"""Ed25519 keys of training-room packs (see ``packs.services.signing``).

    pack_keys show                      this installation's public keys (centre, laptop)
    pack_keys trust-centre KEY          (laptop) accept content packs signed by KEY
    pack_keys register NAME KEY         (centre) accept results packs signed by laptop KEY
    pack_keys revoke NAME               (centre) stop accepting that laptop's packs
    pack_keys list                      (centre) registered laptop keys
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils import timezone

from ...models import PackLaptopKey
from ...services import keys, signing


class Command(BaseCommand):
    help = "Show, trust and register the Ed25519 keys that sign training-room packs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="print this installation's public keys (creating them when missing)")
        trust = sub.add_parser("trust-centre", help="accept content packs signed by this centre public key")
        trust.add_argument("key")
        register = sub.add_parser("register", help="accept results packs signed by this laptop public key")
        register.add_argument("name")
        register.add_argument("key")
        revoke = sub.add_parser("revoke", help="refuse results packs of this laptop from now on")
        revoke.add_argument("name")
        sub.add_parser("list", help="registered laptop keys")

    def handle(self, action, **options):
        try:
            getattr(self, action.replace("-", "_"))(**options)
        except keys.BadPublicKey as err:
            raise CommandError(str(err)) from err

    def show(self, **options):
        for role in (signing.CENTRE, signing.DEVICE):
            key = keys.public_text(signing.private_key(role))
            self.stdout.write(f"{role} {key} {keys.fingerprint(key)}")

    def trust_centre(self, key, **options):
        key = signing.trust_centre(key)
        self.stdout.write(f"trusted centre key {keys.fingerprint(key)}")

    def register(self, name, key, **options):
        key = keys.public_text(keys.parse_public(key))
        try:
            PackLaptopKey.objects.create(name=name, public_key=key)
        except IntegrityError as err:
            raise CommandError(f"A laptop named {name!r} or this key is already registered.") from err
        self.stdout.write(f"registered {name} {keys.fingerprint(key)}")

    def revoke(self, name, **options):
        if not PackLaptopKey.objects.filter(name=name, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            raise CommandError(f"No active laptop key named {name!r}.")
        self.stdout.write(f"revoked {name}")

    def list(self, **options):
        for row in PackLaptopKey.objects.all():
            state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
            self.stdout.write(f"{row.name} {keys.fingerprint(row.public_key)} {state}")
