"""Eligibility rules (报名条件) of a level and the ranked answers they compare."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Education(models.TextChoices):
    """Highest completed education, in ascending order (the rules compare ranks)."""

    HIGH_SCHOOL = "high_school", _("High school (高中)")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational (中专)")
    JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor (本科)")
    POSTGRADUATE = "postgraduate", _("Postgraduate (研究生)")


EDUCATION_RANK = {value: rank for rank, value in enumerate(Education.values, start=1)}


class CertificateLevel(models.TextChoices):
    """Level of another vocational/skill certificate or professional title."""

    JUNIOR = "junior", _("Junior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    SENIOR = "senior", _("Senior")


CERTIFICATE_RANK = {value: rank for rank, value in enumerate(CertificateLevel.values, start=1)}

class EligibilityRule(models.Model):
    """One condition of a level's 报名条件; meeting any ONE rule of the level suffices.

    Every requirement set on the rule must hold (e.g. "本科 + 2 years related work" is
    ``min_education=bachelor, min_work_years=2``). Evaluated by
    ``registration.services.eligibility.evaluate``.
    """

    class Certificate(models.TextChoices):
        NONE = "", _("No certificate needed")
        LOWER_LEVEL = "lower_level", _("This program's certificate one level lower")
        OTHER = "other", _("Another vocational/skill certificate or title")

    level = models.ForeignKey(
        "course_content.ProgramLevel", on_delete=models.CASCADE, related_name="eligibility_rules",
        verbose_name=_("level"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("description"), max_length=200)
    min_education = models.CharField(_("minimum education"), max_length=30, choices=Education.choices, blank=True)
    related_major_required = models.BooleanField(_("related major required"), default=False)
    min_work_years = models.PositiveSmallIntegerField(_("minimum years of related work"), default=0)
    current_student_required = models.BooleanField(_("current student"), default=False)
    certificate = models.CharField(_("certificate"), max_length=20, choices=Certificate.choices, blank=True)
    certificate_min_level = models.CharField(
        _("minimum level of the other certificate"), max_length=20, choices=CertificateLevel.choices, blank=True
    )
    certificate_min_years = models.PositiveSmallIntegerField(_("minimum years the certificate is held"), default=0)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["level__program_id", "level__sort_order", "sort_order", "pk"]

    def __str__(self):
        return f"{self.level} · {self.description}"
