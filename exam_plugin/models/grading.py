"""Marks given by graders to short answers (anonymised)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mark(models.Model):
    """One grader's mark for one short answer. With double marking, two graders mark
    each answer; when they differ by more than the program's margin a third mark
    decides (``round`` 3). The final score is the mean of rounds 1–2, or the third."""

    item = models.ForeignKey("exam_plugin.AttemptItem", on_delete=models.CASCADE, related_name="marks")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        ordering = ["item", "round"]
        constraints = [
            models.UniqueConstraint(fields=["item", "grader"], name="exam_one_mark_per_grader"),
            models.UniqueConstraint(fields=["item", "round"], name="exam_one_mark_per_round"),
        ]
        permissions = [
            ("grade_answers", "Can mark short answers"),
            ("manage_exams", "Can manage sittings, candidates and results"),
            ("manage_question_bank", "Can edit and review the question bank"),
        ]

    def __str__(self):
        return f"{self.item} #{self.round}: {self.score}"
