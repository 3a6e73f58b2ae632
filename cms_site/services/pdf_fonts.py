"""The CJK font every PDF of the site draws with (certificates, admission tickets).

WenQuanYi Zen Hei from Debian's ``fonts-wqy-zenhei`` (installed by
``scripts/system-deps.sh``), registered once with reportlab and embedded as a subset by
reportlab, so a file shows the same glyphs on any reader. ``CJK_FONT_PATH`` overrides the
file (``CERT_PLUGIN_CJK_FONT`` is still read for older settings files). Core code: plugins
call this instead of importing each other.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "SiteCJK"
DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


class CJKFontMissing(RuntimeError):
    """The CJK font file is not installed (run scripts/system-deps.sh)."""


def font_path() -> Path:
    return Path(
        getattr(settings, "CJK_FONT_PATH", None) or getattr(settings, "CERT_PLUGIN_CJK_FONT", None) or DEFAULT_FONT_PATH
    )


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the font with reportlab (once) and return its reportlab name."""
    path = font_path()
    if not path.exists():
        raise CJKFontMissing(f"CJK font not found: {path}")
    font = TTFont(FONT_NAME, str(path), subfontIndex=0)
    _cache_font_tables(font.face)
    pdfmetrics.registerFont(font)
    return FONT_NAME


def _cache_font_tables(face) -> None:
    """Keep each table of the parsed font once per process.

    reportlab's ``makeSubset`` (run for every PDF) copies whole tables out of the font file
    each time, the multi-megabyte ``glyf`` table of a CJK font included; the tables never
    change, so the first copy is kept and reused.
    """
    tables: dict[str, bytes] = {}
    read = face.get_table

    def get_table(tag):
        table = tables.get(tag)
        if table is None:
            table = tables[tag] = read(tag)
        return table

    face.get_table = get_table
