"""Offline module listing on the site API: ``GET /api/offline/modules/{module_id}``.

What "download for offline" stores for one course module
(``course_content.services.offline.module_manifest``). Public like the pages it lists:
anonymous visitors may download public modules; every page is checked against its view
restrictions for the requesting user, and an unknown, unpublished, restricted or non-module
page is a 404. The service worker answers it from
its cache when offline (``/api/offline/`` is one of its offline prefixes).
"""

from django.http import HttpResponse
from ninja import Router, Schema

from cms_site.api.common import Id32

from ..services import offline

router = Router(tags=["offline"])


class ModuleRef(Schema):
    id: int
    title: str
    label: str
    url: str | None


class LessonRef(Schema):
    id: int
    title: str
    url: str | None


class StoredFile(Schema):
    url: str
    kind: str
    title: str | None = None
    bytes: int | None = None


class ModuleManifest(Schema):
    module: ModuleRef
    cache: str
    updated_at: str | None
    pages: list[str | None]
    lessons: list[LessonRef]
    assets: list[StoredFile]
    assets_bytes: int
    videos: list[StoredFile]
    videos_bytes: int


@router.get("modules/{module_id}", auth=None, response=ModuleManifest, url_name="offline_module_manifest",
            summary="What to store on the device for one course module")
def module_manifest(request, response: HttpResponse, module_id: Id32):
    module = offline.visible_module(module_id, request)
    response["Cache-Control"] = "private, no-cache"
    return offline.module_manifest(module, request)
