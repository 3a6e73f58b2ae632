"""Find a program by its path (``energy``, ``dual-carbon/asset``), drafts included."""

from ...models import ProgramPage


def program_by_path(program_path: str) -> ProgramPage | None:
    """Editors export drafts too, so unlike ``programs.program_for_path`` a program that
    is not live is found as well."""
    parts = [part for part in program_path.strip("/").split("/") if part]
    if not parts:
        return None
    for program in ProgramPage.objects.filter(slug=parts[-1]).order_by("path"):
        ancestors = [p.slug for p in program.get_ancestors() if p.depth > 2][-(len(parts) - 1):] if len(parts) > 1 else []
        if ancestors == parts[:-1]:
            return program
    return None
