"""The autosave endpoint is the exam day's hot path: lock in how few queries it needs.

With the save token the paper hands out (``exam_plugin/services/save_tokens.py``) a save is
ONE write statement per answer: no session, user, attempt or item read — the conditional
UPDATE checks ownership, the open state, the deadline and the sequence number itself (on
SQLite the acknowledged deadline is then read once, by primary key). Without a token
(old pages, the service worker's replays) the session path stays, at ≤ 5 queries."""

import json
import re

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from exam_plugin.services import attempts

from .conftest import api_url


@pytest.fixture
def attempt(without_proctoring, candidate):
    return attempts.start_formal_attempt(candidate)


def _save(client, program, attempt, position, seq, value, token=None):
    headers = {"HTTP_X_EXAM_TOKEN": token} if token else {}
    return client.post(
        api_url(program, f"attempts/{attempt.pk}/answers"),
        data=json.dumps({"answers": [{"position": position, "seq": seq, "value": value}]}),
        content_type="application/json", **headers,
    )


def _single(attempt):
    return attempt.items.filter(question__kind="single").order_by("position").first()


def test_a_save_needs_a_handful_of_queries(client, energy, attempt):
    client.force_login(attempt.enrolment.learner)
    item = _single(attempt)
    assert _save(client, energy, attempt, item.position, 1, [0]).status_code == 200  # warms the caches
    with CaptureQueriesContext(connection) as queries:
        response = _save(client, energy, attempt, item.position, 2, [1])
    assert response.status_code == 200 and response.json()["saved"] == [item.position]
    sql = [q["sql"] for q in queries.captured_queries]
    # session, user, attempt, item, the conditional UPDATE (+ savepoints are not used)
    assert len(sql) <= 5, "\n".join(sql)
    assert not any("wagtailcore_page" in s for s in sql), "the gate must not query pages per save"
    assert not any("plugins_programplugin" in s for s in sql), "the gate must not query plugin states per save"


def _the_save_statements(sql: list[str], answers: int) -> list[str]:
    """The writes of a token save of ``answers`` answers, after checking the rest of ``sql``:
    PostgreSQL, one ``UPDATE ... RETURNING`` the deadline per answer and nothing else; SQLite,
    one ``UPDATE`` without ``RETURNING`` per answer (lean_save.py says why) and then ONE read
    of the deadline by primary key for the whole request."""
    writes = [s for s in sql if s.lstrip().upper().startswith("UPDATE")]
    assert len(writes) == answers, "\n".join(sql)
    if connection.vendor == "sqlite":
        assert sql[:answers] == writes and len(sql) == answers + 1, "\n".join(sql)
        assert re.fullmatch(r'SELECT "deadline" FROM "exam_plugin_attempt" WHERE "id" = \d+', sql[-1]), sql[-1]
        assert not any("RETURNING" in w.upper() for w in writes)
    else:
        assert sql == writes and all("RETURNING" in w for w in writes), "\n".join(sql)
    return writes


def test_a_save_with_the_paper_token_is_one_write_and_nothing_else(client, energy, attempt):
    client.force_login(attempt.enrolment.learner)
    token = client.get(api_url(energy, f"attempts/{attempt.pk}")).json()["save_token"]
    item = _single(attempt)
    assert _save(client, energy, attempt, item.position, 1, [0], token).status_code == 200  # warms the layout cache
    with CaptureQueriesContext(connection) as queries:
        response = _save(client, energy, attempt, item.position, 2, [1], token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["saved"] == [item.position] and body["acked"] == {str(item.position): 2}
    (write,) = _the_save_statements([q["sql"] for q in queries.captured_queries], answers=1)
    assert "accounts_user" not in write  # no user read; the session only as a row that must exist:
    assert write.count("django_session") == 1 and "EXISTS (SELECT 1 FROM \"django_session\"" in write.replace("`", '"')
    item.refresh_from_db()
    assert item.seq == 2 and item.response == [item.option_order[1]]
    attempt.refresh_from_db()
    assert body["server_now"] and body["deadline"] == attempt.deadline.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_several_answers_in_one_save_are_one_write_each_and_one_deadline_read(client, energy, attempt):
    client.force_login(attempt.enrolment.learner)
    token = client.get(api_url(energy, f"attempts/{attempt.pk}")).json()["save_token"]
    first, second = attempt.items.filter(question__kind="single").order_by("position")[:2]
    assert _save(client, energy, attempt, first.position, 1, [0], token).status_code == 200  # warms the layout cache
    answers = [{"position": first.position, "seq": 2, "value": [1]}, {"position": second.position, "seq": 1, "value": [2]}]
    with CaptureQueriesContext(connection) as queries:
        response = client.post(api_url(energy, f"attempts/{attempt.pk}/answers"), data=json.dumps({"answers": answers}),
                               content_type="application/json", HTTP_X_EXAM_TOKEN=token)
    body = response.json()
    assert body["saved"] == [first.position, second.position] and body["deadline"], body
    _the_save_statements([q["sql"] for q in queries.captured_queries], answers=2)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.seq, second.seq) == (2, 1) and second.response == [second.option_order[2]]


def test_a_stale_save_with_a_token_is_reported_with_the_stored_seq(client, energy, attempt):
    client.force_login(attempt.enrolment.learner)
    token = client.get(api_url(energy, f"attempts/{attempt.pk}")).json()["save_token"]
    item = _single(attempt)
    assert _save(client, energy, attempt, item.position, 5, [2], token).json()["saved"] == [item.position]
    stale = _save(client, energy, attempt, item.position, 3, [0], token).json()
    assert stale["saved"] == [] and stale["stale"] == [item.position] and stale["acked"] == {str(item.position): 5}
    item.refresh_from_db()
    assert item.seq == 5 and item.response == [item.option_order[2]]


def test_on_postgresql_the_save_statement_is_prepared_once_per_connection(client, energy, attempt):
    """``cms_site/services/prepared.py``: planning the conditional UPDATE cost more than running it, so
    on PostgreSQL it is a prepared statement of the (persistent) connection; on SQLite it runs
    on the sqlite3 connection itself (no planner round trip to save; Django's cursor wrappers
    cost more than the statement)."""
    client.force_login(attempt.enrolment.learner)
    token = client.get(api_url(energy, f"attempts/{attempt.pk}")).json()["save_token"]
    item = _single(attempt)
    for seq in (1, 2, 3):
        assert _save(client, energy, attempt, item.position, seq, [seq % 2], token).json()["saved"] == [item.position]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            statements = [row[0] for row in cursor.fetchall()]
        assert sum('UPDATE "exam_plugin_attemptitem"' in s for s in statements) == 1, statements
    item.refresh_from_db()
    assert item.seq == 3


def test_the_hot_statement_fails_as_django_fails_and_is_seen_by_execute_wrappers(client, energy, attempt):
    """Off Django's cursor, a database error is still Django's (callers catch
    ``django.db.DatabaseError``), and an execute wrapper (query logging, fault injection)
    puts the statement back on Django's cursor, so it sees what runs."""
    from django.db import DatabaseError, transaction

    from cms_site.services.prepared import execute_hot

    # (sqlite3's and psycopg's own errors are not django.db.DatabaseError; the savepoint keeps
    # PostgreSQL's test transaction usable after the failed statement)
    with pytest.raises(DatabaseError), transaction.atomic():
        execute_hot("UPDATE no_such_table SET x = %s", [1])
    assert execute_hot("SELECT CAST(%s AS integer) + 1", [41]) == [(42,)]
    client.force_login(attempt.enrolment.learner)
    token = client.get(api_url(energy, f"attempts/{attempt.pk}")).json()["save_token"]
    item = _single(attempt)
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert _save(client, energy, attempt, item.position, 1, [0], token).json()["saved"] == [item.position]
    assert sum(sql.startswith('UPDATE "exam_plugin_attemptitem"') for sql in seen) == 1, seen


@pytest.mark.django_db(transaction=True)  # the connection is dropped and replaced: no test transaction around it
def test_the_save_statement_is_its_own_connection_health_check(client, energy, attempt, monkeypatch):
    """With CONN_HEALTH_CHECKS Django checks a request's connection before its first
    statement; on PostgreSQL that is a ``SELECT 1`` round trip on every save. The hot
    statement is the check instead (``cms_site/services/prepared.py``): no query before it,
    and when the database has dropped the connection, the save still succeeds on a new one."""
    from django.db import connections

    db = connections["default"]
    checks = []
    is_usable = db.is_usable
    monkeypatch.setattr(db, "is_usable", lambda: checks.append(1) or is_usable())
    client.force_login(attempt.enrolment.learner)
    token = client.get(api_url(energy, f"attempts/{attempt.pk}")).json()["save_token"]
    item = _single(attempt)
    assert _save(client, energy, attempt, item.position, 1, [0], token).json()["saved"] == [item.position]
    assert db.connection is not None and db.health_check_enabled  # a persistent connection, checked per request
    # A new request, as the server starts one (Django's test client leaves this signal out).
    close_old_connections()
    checks.clear()
    assert _save(client, energy, attempt, item.position, 2, [1], token).json()["saved"] == [item.position]
    if connection.vendor == "postgresql":
        assert checks == [], "a health-check query ran before the save's statement"
        import psycopg

        backend = db.connection.info.backend_pid
        params = db.get_connection_params()
        with psycopg.connect(**{**params, "autocommit": True}) as other:
            assert other.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone() == (True,)
        close_old_connections()
        response = _save(client, energy, attempt, item.position, 3, [2], token)
        assert response.status_code == 200 and response.json()["saved"] == [item.position], response.content
        assert checks == [1]  # the dead connection was found by the failed statement, then replaced
        assert db.connection.info.backend_pid != backend
    else:
        # SQLite: Django's check is free (no query: a file database has no connection to
        # lose), so the save keeps it.
        assert checks == [1]
        with CaptureQueriesContext(connection) as queries:
            assert is_usable()
        assert queries.captured_queries == []
    item.refresh_from_db()
    assert item.seq == (3 if connection.vendor == "postgresql" else 2)
