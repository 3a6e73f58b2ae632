"""Wagtail admin: export a program's curriculum (a button on program pages) and import an
archive (upload form → report). Import lands as drafts for review (``DRAFT`` mode).

Who may: export — users who may edit the program page; import — superusers and users
who may add pages under the program index (they could build the same tree by hand).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from ..forms import ArchiveUploadForm
from ..models import ProgramIndexPage, ProgramPage
from ..services.curriculum.archive import archive_bytes
from ..services.curriculum.exporter import export_program
from ..services.curriculum.importer import DRAFT


def can_export(user, program) -> bool:
    """``program``: the program's page (specific or not)."""
    return user.is_active and program.permissions_for_user(user).can_edit()


def can_import(user) -> bool:
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    index = ProgramIndexPage.objects.first()
    return index is not None and index.permissions_for_user(user).can_add_subpage()


def export_view(request, program_id):
    program = get_object_or_404(ProgramPage, pk=program_id)
    if not can_export(request.user, program):
        raise PermissionDenied
    data, media = export_program(program, drafts=True, user=request.user)
    response = HttpResponse(archive_bytes(data, media), content_type="application/zip")
    name = f"{program.slug}-curriculum-{timezone.localdate():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    report = None
    status = 200
    if request.method == "POST":
        form = ArchiveUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = form.opened.import_into_site(DRAFT, user=request.user)
            finally:
                form.opened.close()
            form = ArchiveUploadForm()
        else:
            status = 400
    else:
        form = ArchiveUploadForm()
    return TemplateResponse(request, "course_content/admin/curriculum_import.html",
                            {"form": form, "report": report}, status=status)
