"""The exam day's hot path: autosaves that carry an exam save token (``save_tokens``).

No session, user or attempt read, and per answer ONE write statement that checks ownership,
the open state, the deadline and the sequence number, and writes. An item's kind and option
order never change after the paper is drawn, so they are kept per process. What the
statement does not take goes back to the caller for ``attempts.save_answers``.

The attempt's deadline goes back with the acknowledgement. On PostgreSQL the statement
returns it (``RETURNING``: one round trip, committed on the server). On SQLite it is read
after the writes, by primary key, once per request: SQLite commits an ``UPDATE ... RETURNING``
only when the row has been fetched, and Python's ``sqlite3`` takes the GIL back between
producing the row and that fetch — so the database's one write lock stayed held while the
thread queued for the GIL behind the worker's other threads, and every other writer, in
this worker and in the others, slept in SQLite's busy handler meanwhile (10–17 % of both
cores idle in the closed-loop benchmark, docs/benchmarks.md). Without ``RETURNING`` the lock
is taken, the row written and the transaction committed within one call into SQLite that
runs without the GIL (``prepared.write_hot``); the read after it takes no lock (WAL).
"""

import functools
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_site.services.prepared import execute_hot, write_hot

from ..models import Attempt, AttemptItem
from . import clock
from .attempts import AttemptError, normalise_value, parse_client_time

_SHAPES: dict = {}


def _shape(kind: str, option_order) -> tuple:
    """One shared (kind, option order) tuple per distinct pair: a paper of 64 items costs
    64 pointers in the layout cache, not 64 lists."""
    key = (kind, tuple(option_order or ()))
    return _SHAPES.setdefault(key, key)


@functools.lru_cache(maxsize=20_000)
def item_layout(attempt_id: int, paper: int) -> dict:
    """``{position: (kind, option_order)}`` of an attempt's paper (immutable once drawn).
    ``paper`` (the attempt's start, from the save token) keeps a reused id from ever
    meeting another paper's layout."""
    rows = AttemptItem.objects.filter(attempt_id=attempt_id).values_list("position", "question__kind", "option_order")
    return {position: _shape(kind, order) for position, kind, order in rows}


def _returns_deadline() -> bool:
    """Whether the save statement itself returns the deadline (not on SQLite: see above)."""
    return connection.vendor != "sqlite"


@functools.cache
def _deadline_sql() -> str:
    attempt, q = Attempt._meta, connection.ops.quote_name
    return (f"SELECT {q(attempt.get_field('deadline').column)} FROM {q(attempt.db_table)} "
            f"WHERE {q(attempt.pk.column)} = %s")


@functools.cache
def _lean_update_sql(returning: bool) -> str:
    item, attempt = AttemptItem._meta, Attempt._meta
    enrolment = attempt.get_field("enrolment").related_model._meta
    session = Session._meta  # the token's session must still exist (logout / expiry end saving)
    q = connection.ops.quote_name

    def col(meta, name):
        return q(meta.get_field(name).column)

    return (
        f"UPDATE {q(item.db_table)} SET {col(item, 'response')} = %s, {col(item, 'seq')} = %s, "
        f"{col(item, 'client_written_at')} = %s, {col(item, 'saved_at')} = %s "
        f"WHERE {col(item, 'attempt')} = %s AND {col(item, 'position')} = %s AND {col(item, 'seq')} < %s "
        f"AND EXISTS (SELECT 1 FROM {q(attempt.db_table)} a INNER JOIN {q(enrolment.db_table)} e "
        f"ON e.{q(enrolment.pk.column)} = a.{col(attempt, 'enrolment')} "
        f"WHERE a.{q(attempt.pk.column)} = %s AND a.{col(attempt, 'status')} = %s AND a.{col(attempt, 'deadline')} >= %s "
        f"AND e.{col(enrolment, 'learner')} = %s AND e.{col(enrolment, 'program')} = %s) "
        f"AND EXISTS (SELECT 1 FROM {q(session.db_table)} s WHERE s.{col(session, 'session_key')} = %s "
        f"AND s.{col(session, 'expire_date')} > %s)"
    ) + (
        f" RETURNING (SELECT {col(attempt, 'deadline')} FROM {q(attempt.db_table)} "
        f"WHERE {q(attempt.pk.column)} = %s)" if returning else ""
    )


def _from_db_datetime(value):
    convert = getattr(connection.ops, "convert_datetimefield_value", None)  # SQLite: text
    return convert(value, None, connection) if convert is not None and value is not None else value


def save_answers(claims, answers: list[dict], now=None) -> tuple[dict, list[dict]]:
    """Apply each answer with one conditional UPDATE (see ``_lean_update_sql``) for the
    attempt, learner and program of ``claims`` (``save_tokens.SaveClaims``).

    Returns ``(result, rest)``: ``result`` as ``save_answers`` (plus ``deadline`` when a
    write happened), ``rest`` the answers no row took — stale, closed, someone else's or
    an unknown attempt — for the caller to run through ``save_answers``, whose checks and
    messages then decide (404, 409, stale with the stored seq)."""
    now = now or timezone.now()
    attempt_id, learner_id, program_id = claims.attempt_id, claims.user_id, claims.program_id
    layout = item_layout(attempt_id, claims.paper)
    # The database adapters directly (what the fields' get_db_prep_save end in): the values
    # are known to be aware datetimes and JSON-ready, and this runs for every save.
    ops = connection.ops
    encoder = AttemptItem._meta.get_field("response").encoder
    result = {"saved": [], "stale": [], "errors": {}, "acked": {}, "deadline": None}
    rest = []
    if not layout:
        return result, list(answers)
    returning = _returns_deadline()
    sql = _lean_update_sql(returning)
    db_now = ops.adapt_datetimefield_value(now)
    db_open_after = ops.adapt_datetimefield_value(now - timedelta(seconds=clock.SAVE_GRACE_SECONDS))
    for answer in answers:
        pos, seq = answer.get("position"), answer.get("seq")
        shape = layout.get(pos)
        if shape is None:
            result["errors"][str(pos)] = _("No such question.")
            continue
        try:
            value = normalise_value(shape[0], shape[1], answer.get("value"))
        except AttemptError as err:
            result["errors"][str(pos)] = str(err)
            continue
        written = parse_client_time(answer.get("client_written_at"))
        params = [
            ops.adapt_json_value(value, encoder), seq, ops.adapt_datetimefield_value(written), db_now,
            attempt_id, pos, seq,
            attempt_id, Attempt.Status.IN_PROGRESS.value, db_open_after,
            learner_id, program_id,
            claims.session_key, db_now,
        ]
        # Committed when it returns (autocommit).
        if returning:
            rows = execute_hot(sql, [*params, attempt_id])
            if rows:
                result["deadline"] = _from_db_datetime(rows[0][0])
            written = bool(rows)
        else:
            written = write_hot(sql, params) == 1
        if not written:
            rest.append(answer)
            continue
        result["saved"].append(pos)
        result["acked"][str(pos)] = seq
    if result["saved"] and not returning:
        rows = execute_hot(_deadline_sql(), [attempt_id])
        result["deadline"] = _from_db_datetime(rows[0][0]) if rows else None
    return result, rest
