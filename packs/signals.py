"""Program-scoped signals of training-room packs (``packs``). Core must not
import plugins, so what a plugin owns travels through these (sender: the ProgramPage)."""

from plugins.signals import ProgramSignal

pack_practice_bank = ProgramSignal()
"""Sent (``send_robust``) by ``offline_pack`` while writing a content pack.

kwargs: none. A receiver returns a list of JSON-serialisable dicts, one per practice
question that may leave the server (practice pool only, never formal-only questions),
each with at least ``family`` (stable code); they are stored in the pack's
``practice_bank`` table. Return ``[]`` when there is nothing.
"""

pack_practice_bank_import = ProgramSignal()
"""Sent (``send_robust``) by ``import_pack`` after the program's pages were imported.

kwargs: ``questions`` (the dicts a ``pack_practice_bank`` receiver gave on the central
site). A receiver stores what is missing (idempotent) and returns how many it created.
"""

pack_results_export = ProgramSignal()
"""Sent (``send_robust``) by ``export_results_pack`` on the laptop.

kwargs: none. A receiver returns a list of JSON-serialisable dicts for the pack's
``practice_results`` table; each has ``kind`` (the receiver's label), ``username`` and
a ``client_uuid`` that makes re-merging idempotent.
"""

pack_results_merge = ProgramSignal()
"""Sent (``send_robust``) by ``merge_results_pack`` on the central site.

kwargs: ``rows`` (the ``practice_results`` rows of the pack, as exported), ``usernames``
(set of usernames known centrally). A receiver stores the rows it owns (idempotent) and
returns ``{"stored": int, "duplicate": int, "refused": int}``.
"""
