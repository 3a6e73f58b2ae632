"""Small helpers shared by the proctor plugin's views."""

import functools

from django.http import JsonResponse
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 6 * 1024 * 1024


class BadUpload(ValueError):
    pass


def uploaded_image(request) -> bytes:
    """The image of a request: multipart field ``image`` or a raw ``image/*`` body."""
    upload = request.FILES.get("image")
    if upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            raise BadUpload(_("The image is too large."))
        return upload.read()
    if request.content_type.startswith("image/") and request.body:
        if len(request.body) > MAX_UPLOAD_BYTES:
            raise BadUpload(_("The image is too large."))
        return request.body
    raise BadUpload(_("No image was sent."))


def json_errors(*error_types):
    """Turn the listed (translated-message) exceptions into ``400 {"error": msg}``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except (BadUpload, *error_types) as err:
                return JsonResponse({"error": str(err)}, status=400)

        return wrapped

    return decorate
