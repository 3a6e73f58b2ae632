"""The autosave endpoint is the exam day's hot path: lock in how few queries it needs."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exam_plugin.services import attempts

from .conftest import api_url


@pytest.fixture
def attempt(without_proctoring, candidate):
    return attempts.start_formal_attempt(candidate)


def _save(client, program, attempt, position, seq, value):
    return client.post(
        api_url(program, f"attempts/{attempt.pk}/answers"),
        data=json.dumps({"answers": [{"position": position, "seq": seq, "value": value}]}),
        content_type="application/json",
    )


def test_a_save_needs_a_handful_of_queries(client, energy, attempt):
    client.force_login(attempt.enrolment.learner)
    item = attempt.items.filter(question__kind="single").order_by("position").first()
    assert _save(client, energy, attempt, item.position, 1, [0]).status_code == 200  # warms the caches
    with CaptureQueriesContext(connection) as queries:
        response = _save(client, energy, attempt, item.position, 2, [1])
    assert response.status_code == 200 and response.json()["saved"] == [item.position]
    sql = [q["sql"] for q in queries.captured_queries]
    # session, user, attempt, item, the conditional UPDATE (+ savepoints are not used)
    assert len(sql) <= 5, "\n".join(sql)
    assert not any("wagtailcore_page" in s for s in sql), "the gate must not query pages per save"
    assert not any("plugins_programplugin" in s for s in sql), "the gate must not query plugin states per save"
