"""Program-scoped signals.

``ProgramSignal.send(sender=program, **kwargs)`` reaches core receivers and the receivers
of plugins that are **on for that program**; a receiver defined in a plugin that is off
is never called. Receivers run in a fixed order: core receivers first (in connection
order), then plugins by label. ``send_robust`` catches and logs a receiver's exception
so one plugin's failure cannot break the page; the exception is returned in its place.

Each signal below documents who sends it, with which keyword arguments, and what a
receiver returns. Plugins define their own signals the same way in their ``signals.py``.

A plugin's receiver marked with :func:`plugins.services.registry.retained_receiver` is also called where its plugin is off,
with ``plugin_enabled=False`` (``True`` where it is on): for what a plugin keeps serving
after it is switched off (its ``retained_patterns``, e.g. an issued certificate), so that
its holders keep their links on the dashboard and in the menu. Such a receiver returns only
links to retained content when ``plugin_enabled`` is False. Unmarked receivers never see the
argument.
"""

import logging

import django.dispatch
from asgiref.sync import sync_to_async

from .services import enabled_labels
from .services.registry import plugin_for_module

logger = logging.getLogger(__name__)


class ProgramSignal(django.dispatch.Signal):
    """A signal whose ``sender`` is always a program (an instance of ``PLUGINS_PROGRAM_MODEL``)."""

    def _scoped_receivers(self, program):
        if not self.receivers:
            return []
        sync_receivers, _async_receivers = self._live_receivers(program)
        enabled = enabled_labels(program)
        core, plugin_receivers = [], []
        for index, receiver in enumerate(sync_receivers):
            plugin = plugin_for_module(getattr(receiver, "__module__", "") or "")
            if plugin is None:
                core.append((receiver, {}))
                continue
            on = plugin.label in enabled
            extra = {"plugin_enabled": on} if getattr(receiver, "retained_when_off", False) else {}
            if on or extra:
                plugin_receivers.append((plugin.label, index, receiver, extra))
        plugin_receivers.sort(key=lambda item: (item[0], item[1]))
        return core + [(receiver, extra) for _label, _index, receiver, extra in plugin_receivers]

    def send(self, sender, **named):
        if sender is None or not hasattr(sender, "pk"):
            raise TypeError("A ProgramSignal must be sent with sender=<program>.")
        return [
            (receiver, receiver(signal=self, sender=sender, **named, **extra))
            for receiver, extra in self._scoped_receivers(sender)
        ]

    def send_robust(self, sender, **named):
        if sender is None or not hasattr(sender, "pk"):
            raise TypeError("A ProgramSignal must be sent with sender=<program>.")
        responses = []
        for receiver, extra in self._scoped_receivers(sender):
            try:
                response = receiver(signal=self, sender=sender, **named, **extra)
            except Exception as err:  # noqa: BLE001 - isolation is the point
                logger.exception("Receiver %r of %r failed for program %s", receiver, self, sender.pk)
                responses.append((receiver, err))
            else:
                responses.append((receiver, response))
        return responses

    async def asend(self, sender, **named):
        return await sync_to_async(self.send)(sender, **named)

    async def asend_robust(self, sender, **named):
        return await sync_to_async(self.send_robust)(sender, **named)


program_page_context = ProgramSignal()
"""Sent by ``course_content.ProgramPage.get_context`` when a program page is rendered.

kwargs: ``request``. A receiver returns an HTML-safe string (or ``""``) to show in the
program page's "services" panel, e.g. the next exam sitting. Sent with ``send_robust``.
"""

learner_dashboard_panels = ProgramSignal()
"""Sent by the learner dashboard once per enrolment.

kwargs: ``request``, ``enrolment``. A receiver returns an HTML-safe string (or ``""``)
rendered in that enrolment's card (exam status, certificates…). Sent with ``send_robust``.
"""

plugin_navigation = ProgramSignal()
"""Sent when a program page is rendered, to collect learner-facing links.

kwargs: ``request``. A receiver returns a list of ``{"label": str, "url": str}``
(empty when nothing applies). Sent with ``send_robust``.
"""

certificate_dates = ProgramSignal()
"""Sent (``send_robust``) by the exam plugin (``exam_plugin.services.sittings``) to learn
when a certificate follows a pass, for the dates it shows learners: the exam home, the
result page of a passed exam, the program page's sittings table and the sitting admin.

kwargs: ``passed_on`` (date: the day of the exam sitting, from which the certificate's
lags are counted, as for ``course_content.signals.exam_passed``). A receiver returns
``{"issue_date": date, "searchable_from": date}``, or None when it has nothing to say.
The certificate plugin answers from its own per-program rules; where it is off nobody
answers and no certificate date is shown. The first answer wins.
"""
