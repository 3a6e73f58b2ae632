"""The hot write statement: prepared on PostgreSQL, on the bare ``sqlite3`` connection on SQLite.

The exam autosave is one conditional ``UPDATE`` with ownership, deadline and session checks
(``exam_plugin.services.lean_save``). Django's PostgreSQL cursor binds parameters on the
client, so the server parses and plans that statement on every save — measured at about
1 ms of planning for 0.2 ms of execution. :func:`execute_hot` sends the parameters
separately and keeps the statement prepared on the (persistent) connection, so it is
planned once per connection. On SQLite it runs on the connection's own ``sqlite3``
connection (the statement in SQLite's placeholder style, database errors translated as
Django's cursor translates them), without the two cursor wrappers Django puts around every
statement: on the exam day's hot path they cost more than SQLite takes to run it.
Whenever queries are logged (DEBUG, a test capturing them) or an execute wrapper is
installed, both databases use Django's own cursor, so what is counted or wrapped is what runs.
On PostgreSQL the hot statement is also the connection's health check (see ``_run``).

Group commit (many candidates' saves in one transaction, one WAL flush) was tried here as
well and did not pay on this machine: PostgreSQL already groups concurrent commits into
one flush, and a writer thread per process added a hand-over per save
(docs/benchmarks.md, "Exam day at scale").
"""

from functools import cache

from django.db import InterfaceError, OperationalError, connection
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

ONLY_WHEN_ASKED = 2**31 - 1  # a threshold no statement reaches: prepare only with prepare=True


@cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparedCursor


def _djangos_own() -> bool:
    """Whether this statement must run through Django's cursor: queries are logged (the log
    shows the SQL with its values, which a prepared execution does not carry) or wrapped."""
    return connection.queries_logged or bool(connection.execute_wrappers)


@cache
def _qmark(sql: str) -> str:
    """``sql`` with SQLite's ``?`` placeholders, as Django's SQLite cursor converts it."""
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def _sqlite_run(sql: str, params, rows: bool):
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor = connection.connection.execute(_qmark(sql), params)
        try:
            if not rows:
                return cursor.rowcount
            return cursor.fetchall() if cursor.description else []  # to the end: SQLite commits then
        finally:
            cursor.close()


def _cursor():
    """A PostgreSQL cursor that prepares, wrapped like Django's own (Django's own cursor
    when :func:`_djangos_own`)."""
    if connection.vendor != "postgresql" or _djangos_own():
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    db = connection.connection
    if db.prepare_threshold is None:
        # Django turns psycopg's preparing off (for transaction-mode poolers such as PgBouncer:
        # do not put one between this site and PostgreSQL, docs/deploy.md). Django's own
        # cursors bind on the client and never prepare; this lets ours prepare when asked.
        db.prepare_threshold = ONLY_WHEN_ASKED
    return connection.make_cursor(_prepared_cursor_class()(db))


def _on_cursor(sql: str, params, rows: bool):
    with _cursor() as cursor:
        cursor.execute(sql, params)
        if not rows:
            return cursor.rowcount
        return cursor.fetchall() if cursor.description else []  # to the end: SQLite commits then


def _run(sql: str, params, rows: bool):
    if connection.vendor == "sqlite":
        # Django's health check of a SQLite connection costs no query (``is_usable`` is True).
        return _on_cursor(sql, params, rows) if _djangos_own() else _sqlite_run(sql, params, rows)
    # PostgreSQL: with CONN_HEALTH_CHECKS Django sends ``SELECT 1`` before a request's first
    # statement — a second round trip and a second statement for the server on every save.
    # Here the hot statement is the check: it runs first, and only when it fails on a
    # connection that turns out to be dead (the database restarted, an idle connection was
    # cut) is the connection replaced and the statement run once more, as Django's check
    # would have replaced it before. Never inside a transaction, whose work a new
    # connection could not carry. Hot statements are safe to repeat (the save's is guarded
    # by its sequence number).
    checking = (connection.connection is not None and connection.health_check_enabled
                and not connection.health_check_done and not connection.in_atomic_block)
    if checking:
        connection.health_check_done = True
    try:
        return _on_cursor(sql, params, rows)
    except (OperationalError, InterfaceError):
        if not checking or connection.is_usable():
            raise
        connection.close()
        return _on_cursor(sql, params, rows)


def execute_hot(sql: str, params) -> list[tuple]:
    """Run one statement in autocommit and return its rows (e.g. ``RETURNING``)."""
    return _run(sql, params, rows=True)


def write_hot(sql: str, params) -> int:
    """Run one write statement without a result in autocommit; the number of rows it changed.

    On SQLite this is one call into the library, made without the GIL: the write lock is
    taken, the row written and the transaction committed before the thread needs the GIL
    again (see ``exam_plugin.services.lean_save`` for why that matters)."""
    return _run(sql, params, rows=False)
