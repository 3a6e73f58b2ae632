from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDayOverride(models.Model):
    """An adjustment the ``holidays`` package does not know yet (newly announced
    holidays or make-up working days). An override always wins."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'+' if self.is_working_day else '-'}"
