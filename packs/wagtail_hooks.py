"""Admin listing of the laptop keys registered for training-room results packs
(superusers; registration is also ``manage.py pack_keys register``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from .models import PackLaptopKey


class PackLaptopKeyViewSet(ModelViewSet):
    model = PackLaptopKey
    icon = "key"
    menu_label = _("Laptop keys")
    add_to_settings_menu = True
    url_prefix = "pack-laptop-keys"
    form_fields = ["name", "public_key", "revoked_at"]
    search_fields = ["name"]
    list_display = ["name", Column("fingerprint", label=_("Fingerprint")), "registered_at", "revoked_at"]


@hooks.register("register_admin_viewset")
def register_pack_laptop_keys():
    return PackLaptopKeyViewSet("pack_laptop_keys")
