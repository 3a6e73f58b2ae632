"""Training-room packs: one SQLite file (written with sqlite-utils) carrying a program to a
laptop without internet, and the laptop's study records back.

Two kinds (``meta.kind``):

* **content** — ``manage.py offline_pack <program_path> -o energy.pack``: the program's
  published page tree (``pages``: each page's Wagtail JSON serialisation, levels included
  as the program's child rows; its ``translation_key`` identifies it on both sides), the
  plugin states of the program (``plugins``), a media manifest (``media``: documents and
  images the pages use, with size and SHA-256; the files themselves are copied with the
  media folder), the practice bank (``practice_bank``, answered by the exam plugin through
  ``cms_site.pwa.signals.pack_practice_bank``) and, with ``--learners``, the enrolled
  learners (``learners``: username, name, level, password hash).
  ``manage.py import_pack energy.pack`` creates what is missing on the laptop (idempotent).
* **results** — ``manage.py export_results_pack -o room-12.pack`` on the laptop: its study
  intervals (``intervals``: learner username, the lesson's central ``translation_key``,
  start, end, credited seconds, device) and practice results (``practice_results``, from
  ``pack_results_export``). ``manage.py merge_results_pack room-12.pack`` on the central
  site replays the intervals through the ledger (``course_content.studying``, source
  ``pack``): the same rules as online, so overlaps with study recorded centrally are
  trimmed, caps hold, and merging the same pack twice changes nothing (per-device
  sequence numbers); practice results are idempotent by their device UUID.

Signing: every pack carries ``signature.hmac`` = HMAC-SHA256 over a canonical digest of
all its tables (``signing.py``). The key is ``settings.PACK_SIGNING_KEY`` or, when unset,
the file ``DATA_DIR/pack_signing.key`` (created on first use, mode 600). The laptop and
the central site must hold the same key: copy the central ``pack_signing.key`` into the
laptop's data directory (``CERTPLATFORM_DATA_DIR``) when setting it up, by hand or on the
USB stick that carries the first content pack — never inside a pack. A pack whose digest
does not match is refused before anything is read from it.
"""
