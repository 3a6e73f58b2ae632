"""The certificate plugin's domain logic; views, receivers, commands and tests call these.

- ``issuing``: the issue rule, dates, numbers, the record and its PDF; revoke, re-issue.
- ``triggers``: what queues an issue (a pass recorded, hours met, the admin's batch).
- ``numbering``, ``pdf``, ``signing``: certificate numbers, drawing and signing the PDF.
- ``lookup``, ``learner``: the public look-up and the holder's own view (masking is the
  site's, ``cms_site.services.masking``).
- ``notices``: the "certificate issued" push on the issue date.

``issuing``'s entry points are re-exported here (``triggers`` is not: it imports
``tasks``, which imports ``issuing``, so a worker that loads ``tasks`` first must not run
into ``triggers`` half-way)::

    from cert_plugin import services
    services.reissue(certificate, user=request.user)
"""

from .issuing import (
    CertificateDates,
    certificate_dates,
    certificate_print_data,
    certificate_title,
    eligible_pass,
    ensure_pdf,
    invalidate_result,
    issue_certificate,
    read_pdf,
    reissue,
    remember_photo,
    revoke,
)

__all__ = [
    "CertificateDates",
    "certificate_dates",
    "certificate_print_data",
    "certificate_title",
    "eligible_pass",
    "ensure_pdf",
    "invalidate_result",
    "issue_certificate",
    "read_pdf",
    "reissue",
    "remember_photo",
    "revoke",
]
