"""Course content from ``fixtures/content/*.toml``: modules, lessons, policies, FAQ, notices.

Run by ``CourseContentConfig.load_initial_data`` after the programs exist. The files are
imported by the curriculum importer (``course_content.services.curriculum``) in ``FIXTURE`` mode:
like the program loader it only creates what is missing (matched by slug under the
parent), published, so editors' changes survive a second run. The same importer reads
editors' archives and training-room packs, which carry the same schema. See the comment
at the top of each TOML file for the format; media keys in fixtures are paths relative
to ``fixtures/``.
"""

from pathlib import Path

from django.db import transaction

from ..initial_data import read_toml
from .curriculum.blocks import stream_data  # noqa: F401 - the block format, re-exported
from .curriculum.importer import FIXTURE, import_data
from .curriculum.media import DirectoryMedia


class FixtureRefused(RuntimeError):
    """A fixture file the importer refused parts of: fixtures must load completely."""


@transaction.atomic
def load_content(fixtures_dir: Path, log):
    content_dir = fixtures_dir / "content"
    if not content_dir.is_dir():
        return
    media = DirectoryMedia(fixtures_dir)
    for path in sorted(content_dir.glob("*.toml")):
        data = read_toml(path)
        if "program" not in data and "group" not in data:
            continue
        report = import_data(data, mode=FIXTURE, media=media, log=log)
        refused = report.of("refused")
        missing_parent = [line for line in refused if report.program is None and line.kind in ("programpage", "programgrouppage")]
        for line in missing_parent:
            log(f"  {line.label}: {line.reason}; content skipped")
        errors = [line for line in refused if line not in missing_parent]
        if errors:
            raise FixtureRefused(f"{path.name}: " + "; ".join(f"{line.label}: {line.reason}" for line in errors))
