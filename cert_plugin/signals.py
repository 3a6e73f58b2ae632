"""Program-scoped signals of the certificate plugin (definitions only; the plugin's
receivers live in ``receivers.py``)."""

from plugins.signals import ProgramSignal

certificate_issued = ProgramSignal()
"""Sent by ``cert_plugin.services`` after a certificate record was created and its PDF
drawn (first issue and every re-issue), from the background task.

kwargs: ``certificate`` (``cert_plugin.models.Certificate``; ``issue_date`` may still be in
the future: the holder sees it from that day). Receivers return nothing; sent with
``send_robust``. The notifications plugin hooks in here.
"""
