from .models import InitialPasswordRule, ProgramPage


def program_for_path(program_path: str) -> ProgramPage | None:
    """The live program whose path below /programs/ is ``program_path``."""
    candidates = ProgramPage.objects.live().filter(url_path__endswith=f"/{program_path.strip('/')}/")
    for program in candidates:
        if program.program_path == program_path.strip("/"):
            return program
    return None


def initial_password_for(program: ProgramPage, document_number: str) -> str:
    """The program's conventional initial password for a learner (must be changed)."""
    from cms_site.accounts.identity import last_four

    if program.initial_password_rule == InitialPasswordRule.PROGRAM_SET and program.initial_password:
        return program.initial_password
    return last_four(document_number)
