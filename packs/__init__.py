"""Training-room packs: one SQLite file (written with sqlite-utils) carrying a program to a
laptop without internet, and the laptop's study records back.

Two kinds (``meta.kind``):

* **content** — ``manage.py offline_pack <program_path> -o energy.pack``: the program's
  live course tree, its media files and plugin states as a curriculum archive
  (``archive``: one row holding the zip of ``course_content.services.curriculum``, the format
  editors export; pages carry their central ``translation_key``), the practice bank
  (``practice_bank``, answered by the exam plugin through
  ``packs.signals.pack_practice_bank``) and, with ``--learners``, the enrolled
  learners (``learners``: username, name, level, password hash).
  ``manage.py import_pack energy.pack`` imports the archive published (``MIRROR``: what
  is missing is created, what the centre changed is updated, importing twice changes
  nothing), records ``ImportedPage`` for every central page key, then learners and bank.
* **results** — ``manage.py export_results_pack -o room-12.pack`` on the laptop: its study
  intervals (``intervals``: learner username, the lesson's central ``translation_key``,
  start, end, credited seconds, device) and practice results (``practice_results``, from
  ``pack_results_export``). ``manage.py merge_results_pack room-12.pack`` on the central
  site replays the intervals through the ledger (``course_content.services.ledger``, source
  ``pack``): the same rules as online, so overlaps with study recorded centrally are
  trimmed, caps hold, and merging the same pack twice changes nothing (per-device
  sequence numbers); practice results are idempotent by their device UUID.

Signing (``services/signing.py``): every pack carries an Ed25519 signature over a canonical digest
of all its tables and names the public key that made it. Content packs are signed with
the centre's key and a laptop accepts them only from a centre key it trusts; results
packs are signed with the laptop's own key and the centre accepts them only from a laptop
key registered there. Setting up a laptop::

    centre$ manage.py pack_keys show                 # "centre <KEY> …"
    laptop$ manage.py pack_keys trust-centre <KEY>
    laptop$ manage.py pack_keys show                 # "device <LAPTOP KEY> …"
    centre$ manage.py pack_keys register room-12 <LAPTOP KEY>

Private keys never travel; a pack whose digest does not verify, or whose signer is not
trusted for its kind, is refused before anything is read from it.
"""
