from django import forms
from django.utils.translation import gettext_lazy as _


class ProctorSettingsForm(forms.Form):
    """Exam-room rules per program (shared/DOMAIN.md). Defaults are the energy (CECA)
    rules; the dual-carbon fixtures override them."""

    face_check_required = forms.BooleanField(label=_("Face check before the exam"), initial=True, required=False)
    face_match_threshold = forms.FloatField(
        label=_("Face match threshold (cosine similarity)"), initial=0.363, min_value=0.0, max_value=1.0
    )
    face_check_attempts = forms.IntegerField(
        label=_("Failed face checks before the photo-upload fallback"), initial=3, min_value=1
    )
    rules_acceptance_required = forms.BooleanField(
        label=_("Candidates must accept the exam-room rules"), initial=False, required=False
    )
    leave_limit = forms.IntegerField(
        label=_("Leave limit: the leave that reaches it forces the hand-in (0 = no limit)"), initial=10, min_value=0,
        help_text=_("Leaving full screen, switching windows or tabs counts as one leave."),
    )
    leave_return_seconds = forms.IntegerField(
        label=_("Seconds to come back after a leave"), initial=10, min_value=1,
        help_text=_("Not back in time means a forced hand-in recorded as suspected cheating."),
    )
    second_camera_required = forms.BooleanField(
        label=_("Second camera (phone) required"), initial=False, required=False
    )
    snapshot_interval_seconds = forms.IntegerField(label=_("Snapshot interval (seconds)"), initial=30, min_value=5)
    warnings_to_disqualify = forms.IntegerField(
        label=_("Warnings before disqualification (0 = never)"), initial=0, min_value=0
    )
    break_minutes = forms.IntegerField(
        label=_("Approved break length (minutes, 0 = no breaks)"), initial=0, min_value=0
    )
    reconnect_minutes = forms.IntegerField(
        label=_("Reconnect window after a crash (minutes, 0 = no limit; lost time is compensated)"),
        initial=0, min_value=0,
    )
    offline_window_minutes = forms.IntegerField(
        label=_("Maximum offline spell (minutes, 0 = no limit)"), initial=5, min_value=0,
        help_text=_("An exam page out of contact with the server for longer is flagged for the proctor."),
    )
    photo_retention_days = forms.IntegerField(label=_("Keep exam photos for (days)"), initial=180, min_value=1)
