"""The records of training-room packs. Both tables were created by the ``pwa`` app before
packs became an app of their own; they keep their names (``db_table``).

- ``imported_pages``: ``ImportedPage`` (local page <- central page key, on a laptop)
- ``laptop_keys``: ``PackLaptopKey`` (a laptop's registered public key, at the centre) and
  ``validate_public_key``, which the migrations refer to
"""

from .imported_pages import ImportedPage
from .laptop_keys import PackLaptopKey, validate_public_key

__all__ = ["ImportedPage", "PackLaptopKey", "validate_public_key"]
