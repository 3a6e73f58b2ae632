"""Receivers of the plugin framework, connected from ``PluginsConfig.ready()``: every page
change and every change of a ``ProgramPlugin`` row invalidates the gate cache
(``plugins.services.programs``), so a publish, move or switch takes effect at once."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import ProgramPlugin
from .services.programs import invalidate_programs


@receiver(post_save, dispatch_uid="plugins_program_cache_page_save")
@receiver(post_delete, dispatch_uid="plugins_program_cache_page_delete")
def page_changed(sender, instance=None, **kwargs):
    """Any page saved or deleted (a program, or an ancestor whose path it shares)."""
    if instance is None or isinstance(instance, Page):
        invalidate_programs()


@receiver(page_published, dispatch_uid="plugins_program_cache_publish")
@receiver(page_unpublished, dispatch_uid="plugins_program_cache_unpublish")
@receiver(post_page_move, dispatch_uid="plugins_program_cache_move")
def page_published_or_moved(sender, **kwargs):
    invalidate_programs()


@receiver(post_save, sender=ProgramPlugin, dispatch_uid="plugins_program_cache_save")
@receiver(post_delete, sender=ProgramPlugin, dispatch_uid="plugins_program_cache_delete")
def plugin_state_changed(sender, instance=None, **kwargs):
    invalidate_programs()
