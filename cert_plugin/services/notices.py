"""Web-push notice to a certificate's holder, sent through the site's push API
(``cms_site.pwa.services.push.notify``).

A certificate record is made as soon as the rule holds, but its holder sees it only from
its ``issue_date`` (often weeks later, see ``models.Certificate``). So the notice goes out
on that day, not when the record is made:

- a certificate whose issue date has come when it is recorded (a late issue, a re-issue)
  is announced at once, by the receiver of ``certificate_issued``;
- the others are announced by the periodic job ``cert_issue_notices``
  (``CertPluginConfig.periodic_jobs``), which offers every valid certificate whose issue
  date lies in the last ``CATCH_UP_DAYS`` days (from 09:00 on the day itself); ``notify(once_key=…)`` makes each notice
  reach the holder at most once (a holder who subscribes a device later that week still
  gets it).

Only programs with the certificate plugin on are announced.
"""

from datetime import date, time, timedelta

from django.utils import timezone

from cms_site.pwa.services.push import notify
from plugins.services import is_enabled
from plugins.urls import program_url

from ..models import Certificate

LABEL = "cert_plugin"
#: How far back the job looks for issue dates it may have missed (runner down, no device yet).
CATCH_UP_DAYS = 7
ANNOUNCE_FROM = time(9, 0)


def announce_if_issued(certificate: Certificate, today: date) -> bool:
    """Push "certificate issued" to the holder once its issue date has come (once per
    certificate); False when not yet, not valid, already announced or no device."""
    if certificate.status != Certificate.Status.VALID or not certificate.is_issued(today):
        return False
    program = certificate.program
    return notify(
        certificate.learner, "certificate_issued", program_url(program, "cert_plugin:mine"),
        once_key=f"certificate_issued:{certificate.pk}",
        program=certificate.program_name, number=certificate.number,
    )


def announce_due(now=None) -> int:
    """Announce the certificates whose issue date has come (periodic job), from
    ``ANNOUNCE_FROM`` local time on that day (nobody is woken at midnight)."""
    now = timezone.localtime(now or timezone.now())
    today = now.date() if now.time() >= ANNOUNCE_FROM else now.date() - timedelta(days=1)
    due = (
        Certificate.objects.filter(
            status=Certificate.Status.VALID, issue_date__lte=today,
            issue_date__gt=today - timedelta(days=CATCH_UP_DAYS),
        )
        .select_related("program", "learner")
        .order_by("issue_date", "pk")
    )
    return sum(announce_if_issued(c, today) for c in due if is_enabled(c.program, LABEL))
