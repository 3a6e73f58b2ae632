"""Curriculum archives: one program's course tree and question bank, portable between sites.

One code path, three sources:

* **Fixtures** — ``fixtures/content/*.toml`` (the format is described at the top of each
  file) are read by ``course_content.services.content_loader`` and imported in ``FIXTURE`` mode:
  missing pages are created published, existing pages are never touched.
* **Archives** — ``manage.py export_curriculum <program> -o x.zip`` / the admin's export
  button write a zip; ``manage.py import_curriculum x.zip`` / the admin import form read it
  in ``DRAFT`` mode: new pages are created as drafts, changed pages get a new draft
  revision (nothing is published), unchanged pages are left alone; importing twice
  reports 0 created / 0 updated.
* **Training-room packs** (``packs``) carry the same archive and import it in
  ``MIRROR`` mode: created and updated pages are published, so a laptop shows them.

The archive (``archive.py``)::

    manifest.json   {"format": "curriculum/1", "program": slug, "created_at": iso,
                     "data": "curriculum.json",
                     "media": [{"key", "kind": "image"|"document", "title", "filename",
                                "path", "size", "sha256", "sha1"}]}
    curriculum.json the program in the TOML schema of fixtures/content (``program``,
                    ``modules`` → ``lessons``, ``policy_index``, ``faq``, ``notices``)
                    plus ``program_page`` (fields, ``levels``, ``ancestors``), ``plugins``
                    (plugin states) and ``sections`` (plugin-owned data, see below);
                    every page carries ``key`` (its Wagtail ``translation_key``)
    media/<kind>/<sha256>/<filename>   the files, checked against the manifest on import

Stable keys: a page is matched by ``key`` (translation key), else by slug under its
parent; media by content (SHA-256/SHA-1); plugin sections by their own codes.

Media in StreamFields are referenced by media key: ``{type = "image", image = KEY}``,
``{type = "document", document = KEY}``, ``{type = "video", video = KEY, poster = KEY}``;
rich-text links to documents and embedded images carry ``media="KEY"`` instead of a
local ``id``. In fixture TOML a media key may be a path relative to ``fixtures/``.

Plugin sections (the exam plugin's question bank) come in through the program-scoped
signals in ``course_content.signals``; core never imports a plugin.
"""

FORMAT = "curriculum/1"
