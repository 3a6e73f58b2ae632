"""One hot write statement, executed as a prepared statement on PostgreSQL.

The exam autosave is one conditional ``UPDATE`` with ownership, deadline and session checks
(``exam_plugin.services.lean_save``). Django's PostgreSQL cursor binds parameters on the
client, so the server parses and plans that statement on every save — measured at about
1 ms of planning for 0.2 ms of execution. :func:`execute_hot` sends the parameters
separately and keeps the statement prepared on the (persistent) connection, so it is
planned once per connection. Elsewhere (SQLite) it is Django's own cursor.

Group commit (many candidates' saves in one transaction, one WAL flush) was tried here as
well and did not pay on this machine: PostgreSQL already groups concurrent commits into
one flush, and a writer thread per process added a hand-over per save
(docs/benchmarks.md, "Exam day at scale").
"""

from functools import cache

from django.db import connection

ONLY_WHEN_ASKED = 2**31 - 1  # a threshold no statement reaches: prepare only with prepare=True


@cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparedCursor


def _cursor():
    """Django's cursor on SQLite, and while queries are logged (DEBUG, or a test capturing
    them: the log shows the SQL with its values, which a prepared execution does not carry);
    otherwise a cursor that prepares, wrapped like Django's own."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    connection.ensure_connection()
    db = connection.connection
    if db.prepare_threshold is None:
        # Django turns psycopg's preparing off (for transaction-mode poolers such as PgBouncer:
        # do not put one between this site and PostgreSQL, docs/deploy.md). Django's own
        # cursors bind on the client and never prepare; this lets ours prepare when asked.
        db.prepare_threshold = ONLY_WHEN_ASKED
    return connection.make_cursor(_prepared_cursor_class()(db))


def execute_hot(sql: str, params) -> list[tuple]:
    """Run one statement in autocommit and return its rows (e.g. ``RETURNING``)."""
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []  # to the end: SQLite commits then
