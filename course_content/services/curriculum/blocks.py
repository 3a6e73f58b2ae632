"""StreamField bodies ↔ the fixture block list (the TOML schema of fixtures/content).

Blocks: ``{type = "text", html}`` · ``{type = "callout", kind, title, html}`` ·
``{type = "table", caption, columns = [...], rows = [[...]], column_types = [...]}``
(``column_types`` only when not all ``text``) · ``{type = "question", question, answer}``
· ``{type = "image", image = KEY, caption}`` · ``{type = "document", document = KEY,
label}`` · ``{type = "video", video = KEY, poster = KEY or "", caption}``.

``normalise`` gives the canonical form (defaults filled in) that export produces, so an
incoming block list and an existing page compare equal exactly when nothing changed.
"""

import json
import re

from django.utils.translation import gettext as _

from .media import MediaCollector, MediaRefused, MediaResolver

_DOC_LINK = re.compile(r'<a\b[^>]*\blinktype="document"[^>]*>')
_IMAGE_EMBED = re.compile(r'<embed\b[^>]*\bembedtype="image"[^>]*/?>')
_ID = re.compile(r'\bid="(\d+)"')
_MEDIA = re.compile(r'\bmedia="([^"]+)"')


#: Every StreamField block type of lessons, policies, notices and FAQ that travels.
BLOCK_TYPES = ("text", "callout", "table", "question", "image", "document", "video")


class BlockRefused(Exception):
    """A block that cannot be imported (``str(err)`` is the reason)."""


def _rewrite(html: str, pattern, attr_from, replace) -> str:
    def tag(match):
        text = match.group(0)
        return attr_from.sub(lambda m: replace(m.group(1)), text, count=1)

    return pattern.sub(tag, html or "")


def html_to_spec(html: str, media: MediaCollector) -> str:
    """Local document/image ids in rich text → ``media="KEY"`` (unknown ids stay as they are)."""
    def swap(kind):
        def replace(obj_id):
            key = media.key(kind, obj_id)
            return f'media="{key}"' if key else f'id="{obj_id}"'
        return replace

    html = _rewrite(html, _DOC_LINK, _ID, swap("document"))
    return _rewrite(html, _IMAGE_EMBED, _ID, swap("image"))


def html_from_spec(html: str, media: MediaResolver) -> str:
    def swap(kind):
        return lambda key: f'id="{media.local_id(kind, key)}"'

    html = _rewrite(html, _DOC_LINK, _MEDIA, swap("document"))
    return _rewrite(html, _IMAGE_EMBED, _MEDIA, swap("image"))


def normalise(blocks: list[dict]) -> list[dict]:
    """The canonical block list: defaults filled in, text cells as strings."""
    out = []
    for block in blocks or []:
        kind = block.get("type")
        if kind == "text":
            out.append({"type": "text", "html": block.get("html", "")})
        elif kind == "callout":
            out.append({"type": "callout", "kind": block.get("kind") or "info", "title": block.get("title") or "",
                        "html": block.get("html", "")})
        elif kind == "table":
            columns = list(block.get("columns", []))
            types = list(block.get("column_types") or ["text"] * len(columns))
            rows = [[str(cell) if types[i] == "text" and cell is not None else cell for i, cell in enumerate(row)]
                    for row in block.get("rows", [])]
            table = {"type": "table", "caption": block.get("caption") or "", "columns": columns, "rows": rows}
            if any(t != "text" for t in types):
                table["column_types"] = types
            out.append(table)
        elif kind == "question":
            out.append({"type": "question", "question": block.get("question", ""), "answer": block.get("answer", "")})
        elif kind == "image":
            out.append({"type": "image", "image": block.get("image"), "caption": block.get("caption") or ""})
        elif kind == "document":
            out.append({"type": "document", "document": block.get("document"), "label": block.get("label") or ""})
        elif kind == "video":
            out.append({"type": "video", "video": block.get("video"), "poster": block.get("poster") or "",
                        "caption": block.get("caption") or ""})
        else:
            raise BlockRefused(_("Unknown block type: %(type)s") % {"type": kind})
    return out


def stream_data(blocks: list[dict], media: MediaResolver | None = None) -> str:
    """Fixture blocks → the raw JSON a StreamField accepts (media keys → local ids)."""
    raw = []
    for block in normalise(blocks):
        kind = block["type"]
        try:
            if kind == "text":
                raw.append({"type": "text", "value": _html(block["html"], media)})
            elif kind == "callout":
                raw.append({"type": "callout", "value": {"kind": block["kind"], "title": block["title"],
                                                         "text": _html(block["html"], media)}})
            elif kind == "table":
                types = block.get("column_types") or ["text"] * len(block["columns"])
                raw.append({"type": "table", "value": {
                    "caption": block["caption"],
                    "columns": [{"type": t, "heading": h} for t, h in zip(types, block["columns"], strict=True)],
                    "rows": [{"values": row} for row in block["rows"]],
                }})
            elif kind == "question":
                raw.append({"type": "question", "value": {"question": block["question"], "answer": block["answer"]}})
            elif kind == "image":
                raw.append({"type": "image", "value": {"image": _media(media, "image", block["image"]),
                                                       "caption": block["caption"]}})
            elif kind == "document":
                raw.append({"type": "document", "value": {"document": _media(media, "document", block["document"]),
                                                          "label": block["label"]}})
            elif kind == "video":
                poster = _media(media, "image", block["poster"]) if block["poster"] else None
                raw.append({"type": "video", "value": {"video": _media(media, "document", block["video"]),
                                                       "poster": poster, "caption": block["caption"]}})
        except MediaRefused as err:
            raise BlockRefused(str(err)) from err
        except (KeyError, TypeError, ValueError) as err:
            raise BlockRefused(f"malformed {kind} block: {err}") from err
    return json.dumps(raw, ensure_ascii=False)


def _html(html: str, media) -> str:
    return html_from_spec(html, media) if media is not None and "media=" in html else html


def _media(media, kind, key):
    if media is None:
        raise MediaRefused(f"media {key} cannot be resolved here")
    if not key:
        raise MediaRefused(f"a {kind} block without a {kind}")
    return media.local_id(kind, str(key))


def spec_blocks(raw_data, media: MediaCollector) -> list[dict]:
    """A StreamField's raw data → canonical fixture blocks (local ids → media keys)."""
    out = []
    for item in raw_data or []:
        kind, value = item["type"], item["value"]
        if kind == "text":
            out.append({"type": "text", "html": html_to_spec(value, media)})
        elif kind == "callout":
            out.append({"type": "callout", "kind": value.get("kind") or "info", "title": value.get("title") or "",
                        "html": html_to_spec(value.get("text", ""), media)})
        elif kind == "table":
            columns = value.get("columns", [])
            block = {"type": "table", "caption": value.get("caption") or "",
                     "columns": [c.get("heading", "") for c in columns],
                     "rows": [list(r.get("values", [])) for r in value.get("rows", [])],
                     "column_types": [c.get("type", "text") for c in columns]}
            out.extend(normalise([block]))
        elif kind == "question":
            out.append({"type": "question", "question": value.get("question", ""), "answer": value.get("answer", "")})
        elif kind == "image":
            out.append({"type": "image", "image": media.key("image", value.get("image")), "caption": value.get("caption") or ""})
        elif kind == "document":
            out.append({"type": "document", "document": media.key("document", value.get("document")),
                        "label": value.get("label") or ""})
        elif kind == "video":
            out.append({"type": "video", "video": media.key("document", value.get("video")),
                        "poster": media.key("image", value.get("poster")) or "", "caption": value.get("caption") or ""})
    return out
