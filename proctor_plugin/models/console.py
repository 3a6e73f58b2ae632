"""The exam sittings as the proctor console lists them (a proxy of the exam plugin's
``ExamSitting``): the console's Wagtail viewset and its permission policy are its own,
apart from the exam plugin's sitting viewset."""

from django.utils.translation import gettext_lazy as _

from exam_plugin.models import ExamSitting


class ConsoleSitting(ExamSitting):
    """An exam sitting in the proctor console; which ones a user sees is
    ``services.access.sittings_for``. No rows or permissions of its own."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("proctored exam sitting")
        verbose_name_plural = _("proctored exam sittings")
