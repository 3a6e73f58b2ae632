"""Step 10: tests (in the plugin's ``tests/`` package). The exam plugin's fixtures give us a formal sitting and a candidate."""

import pytest

from tests.exam_plugin.conftest import candidate, eligible, sitting_now, without_proctoring  # noqa: F401


@pytest.fixture
def survey_on(without_proctoring):  # noqa: F811
    from plugins.services import enable

    enable(without_proctoring, "survey_plugin")
    return without_proctoring
