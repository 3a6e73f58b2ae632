"""Domain logic of the learning core: plain functions and classes that the views, the API,
the admin screens, commands and other apps call. Nothing here is imported by this package
itself; import the module you need.

- ``calendar``: the Chinese working-day calendar and the sign-up deadline.
- ``content_loader``: course content from ``fixtures/content/*.toml`` (through the curriculum importer).
- ``curriculum/``: curriculum archives — export, import, media, the archive zip.
- ``demo``: demo accounts for the dev site.
- ``editorial``: who may edit, publish and administer content; the moderation workflow.
- ``enrolment``: enrolling a learner, learner accounts and their initial passwords.
- ``ledger/``: the study-hour ledger, the one home of study time (rules, totals, progress).
- ``offline``: what "download for offline" stores for a course module.
- ``reports``: hours reports for administrators (distribution, CSV).
- ``search``: the Chinese-aware Wagtail search backend (``WAGTAILSEARCH_BACKENDS``).
"""
