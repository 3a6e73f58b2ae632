"""Lesson videos served with HTTP Range support.

Browsers can only seek in a video when the server answers byte-range requests
(``206 Partial Content``); Wagtail's document view and Django's static view do not, so a
lesson video could not even be rewound. This view serves a document's file with a
single byte range, honouring the document collection's privacy restrictions.
"""

import mimetypes
import re

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from wagtail.documents import get_document_model

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _restricted(request, document) -> HttpResponse | None:
    for restriction in document.collection.get_view_restrictions():
        if not restriction.accept_request(request):
            return HttpResponse(status=403)
    return None


def _chunks(fh, start: int, length: int):
    fh.seek(start)
    remaining = length
    try:
        while remaining > 0:
            data = fh.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        fh.close()


@require_GET
def lesson_video(request, document_id):
    document = get_object_or_404(get_document_model(), pk=document_id)
    denied = _restricted(request, document)
    if denied is not None:
        return denied
    try:
        size = document.file.size
        fh = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The video file is missing.") from None
    content_type = mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"
    match = RANGE_RE.match(request.headers.get("Range", "").strip())
    if not match or not (match.group(1) or match.group(2)):
        response = FileResponse(fh, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # "bytes=-500": the last 500 bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        fh.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    length = end - start + 1
    response = StreamingHttpResponse(_chunks(fh, start, length), status=206, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
