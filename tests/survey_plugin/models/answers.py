"""One aggregate: the survey answer. A row is the invitation (created at hand-in) and, once answered,
the answer; ``attempt`` is referenced lazily by string, so nothing of the exam plugin is
imported."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyAnswer(models.Model):
    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.CASCADE, related_name="+")
    attempt = models.OneToOneField("exam_plugin.Attempt", on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self):
        return f"survey of attempt {self.attempt_id}"
