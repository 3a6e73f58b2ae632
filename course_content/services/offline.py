"""What "download for offline" stores for a course module.

``module_manifest(module, request)`` lists, for one ``CourseModulePage``, the pages
(the module page and its live lessons), the images and documents its lessons show, and
its videos with their sizes, so the browser can show the sizes first and store the
files in the cache ``pwa-module-<id>`` (see ``cms_site/pwa/static/pwa/offline.js``). Only what the
request may see is listed: lessons behind a view restriction the request does not pass
are left out, like their files.

Course modules for offline study: what "download for offline" stores of a module (this
module), served on the site API as ``GET /api/offline/modules/{module_id}``
(``course_content.api.offline``), and the download panel of the module page
(``templates/course_content/offline/``).

The browser side (storing the listed files in the cache ``pwa-module-<id>``, answering from
it offline) belongs to the app shell, ``cms_site.pwa`` (``static/pwa/offline.js``,
``templates/pwa/sw.js``); study done offline is replayed through the ledger by
``POST /api/study/replay`` (``course_content.api.study``).
"""


import re

from django.http import Http404

from course_content.models import CourseModulePage, LessonPage

# The rendition the lesson templates use for images and video posters
# (course_content/templates/course_content/blocks/image.html, video.html).
IMAGE_FILTER = "width-960"

DOCUMENT_LINK = re.compile(r'<a\b[^>]*\blinktype="document"[^>]*>')
LINK_ID = re.compile(r'\bid="(\d+)"')


def cache_name(module_id):
    return f"pwa-module-{module_id}"


def _visible(page, request):
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def visible_module(module_id, request):
    """The live module the request may see, or ``Http404``."""
    module = CourseModulePage.objects.live().filter(pk=module_id).first()
    if module is None or not _visible(module, request):
        raise Http404
    return module


def _file_size(field_file):
    try:
        return field_file.size
    except (OSError, ValueError):
        return None


def _rendition(image):
    try:
        rendition = image.get_rendition(IMAGE_FILTER)
    except Exception:  # noqa: BLE001 - a missing source file must not break the listing
        return None
    return {"url": rendition.url, "kind": "image", "bytes": _file_size(rendition.file)}


def _document(document, kind="document"):
    return {"url": document.url, "kind": kind, "title": document.title, "bytes": document.get_file_size()}


def _rich_text_documents(source):
    from wagtail.documents import get_document_model

    ids = [int(m.group(1)) for tag in DOCUMENT_LINK.findall(source or "") if (m := LINK_ID.search(tag))]
    return list(get_document_model().objects.filter(pk__in=ids)) if ids else []


def _lesson_files(lesson):
    """``(assets, videos)`` of one lesson's body."""
    assets, videos = [], []
    for block in lesson.body:
        value = block.value
        if block.block_type == "image" and value.get("image"):
            assets.append(_rendition(value["image"]))
        elif block.block_type == "document" and value.get("document"):
            assets.append(_document(value["document"]))
        elif block.block_type == "video" and value.get("video"):
            videos.append(_document(value["video"], kind="video"))
            if value.get("poster"):
                assets.append(_rendition(value["poster"]))
        elif block.block_type == "text":
            assets.extend(_document(doc) for doc in _rich_text_documents(value.source))
        elif block.block_type == "callout" and value.get("text"):
            assets.extend(_document(doc) for doc in _rich_text_documents(value["text"].source))
    return [a for a in assets if a], videos


def _unique(items):
    seen, result = set(), []
    for item in items:
        if item["url"] not in seen:
            seen.add(item["url"])
            result.append(item)
    return result


def module_manifest(module, request):
    """The JSON-able listing of everything to store for ``module`` (see module docstring)."""
    lessons = [
        lesson for lesson in LessonPage.objects.live().child_of(module).order_by("path") if _visible(lesson, request)
    ]
    assets, videos = [], []
    for lesson in lessons:
        lesson_assets, lesson_videos = _lesson_files(lesson)
        assets += lesson_assets
        videos += lesson_videos
    assets, videos = _unique(assets), _unique(videos)
    updated = max((p.last_published_at for p in [module, *lessons] if p.last_published_at), default=None)
    return {
        "module": {"id": module.pk, "title": module.title, "label": module.label, "url": module.get_url(request)},
        "cache": cache_name(module.pk),
        "updated_at": updated.isoformat() if updated else None,
        "pages": [module.get_url(request), *(lesson.get_url(request) for lesson in lessons)],
        "lessons": [{"id": lesson.pk, "title": lesson.title, "url": lesson.get_url(request)} for lesson in lessons],
        "assets": assets,
        "assets_bytes": sum(a["bytes"] or 0 for a in assets),
        "videos": videos,
        "videos_bytes": sum(v["bytes"] or 0 for v in videos),
    }
