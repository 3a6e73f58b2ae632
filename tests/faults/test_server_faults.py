"""Faults against a real gunicorn server on a file SQLite database (tests/faults/harness.py):
kill -9 mid-exam, a database write lock held by another connection, an expired session.

No Django test database is involved: the server's own database file is checked directly.
"""

import random
import sqlite3
import threading
import time

import pytest
import requests

from .harness import ExamServer, objective_positions


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ExamServer(tmp_path_factory.mktemp("exam-server"), candidates=5)
    srv.start()
    yield srv
    srv.stop()


class Journal:
    """What the exam page's journal does: every change gets the next seq per position and
    stays pending until acknowledged; unacknowledged changes are replayed."""

    def __init__(self, server, index, token=False):
        self.server, self.index, self.token = server, index, token
        self.seq, self.value, self.acked = {}, {}, {}

    def change(self, position, value):
        self.seq[position] = self.seq.get(position, 0) + 1
        self.value[position] = value

    def pending(self):
        return [{"position": p, "seq": s, "value": self.value[p]} for p, s in self.seq.items()
                if s > self.acked.get(p, 0)]

    def flush(self, timeout=10) -> bool:
        batch = self.pending()
        if not batch:
            return True
        try:
            resp = self.server.save(self.index, batch, timeout=timeout, token=self.token)
        except requests.RequestException:
            return False
        if resp.status_code != 200:
            return False
        for pos, seq in resp.json()["acked"].items():
            self.acked[int(pos)] = max(self.acked.get(int(pos), 0), seq)
        return True


def _expected_response(server, index, position, option):
    """The stored option key for a client option position (the paper shuffles options)."""
    with sqlite3.connect(server.db_path) as db:
        order = db.execute("SELECT option_order FROM exam_plugin_attemptitem WHERE attempt_id = ? AND position = ?",
                           (server.candidates[index][1], position)).fetchone()[0]
    import json

    return [json.loads(order)[option]]


@pytest.mark.parametrize("index, token", [(0, False), (4, True)], ids=["session", "save-token"])
def test_kill_9_mid_exam_loses_no_acknowledged_answer(server, index, token):
    """Both save paths: the session path and the lean one (exam save token, one UPDATE per
    answer without a transaction around it; tests/exam_plugin/test_exam_day_queries.py shows a
    token save is that one statement) acknowledge only what is committed."""
    journal = Journal(server, index, token=token)
    positions = objective_positions(server, index)[:8]
    flushes = {"ok": 0}
    stop = threading.Event()
    errors_during_outage = []

    def candidate():
        rng = random.Random(7)
        while not stop.is_set():
            position, options = rng.choice(positions)
            journal.change(position, [rng.randrange(options)])
            if journal.flush(timeout=3):
                flushes["ok"] += 1
            else:
                errors_during_outage.append(time.monotonic())
            time.sleep(0.02)

    worker = threading.Thread(target=candidate)
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while flushes["ok"] < 15 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flushes["ok"] >= 15
        snapshot = dict(journal.acked)
        server.kill9()
        crash_deadline = time.monotonic() + 10
        while not errors_during_outage and time.monotonic() < crash_deadline:
            time.sleep(0.05)
        assert errors_during_outage, "the candidate should have noticed the outage"
        server.start()
        # the candidate continues: the journal's replay and new changes are acknowledged
        resume_deadline = time.monotonic() + 30
        while time.monotonic() < resume_deadline:
            if journal.acked and all(journal.acked.get(p, 0) > snapshot.get(p, 0) for p in snapshot):
                break
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(30)
    assert journal.flush(), "the server must answer after the restart"
    assert not journal.pending()
    stored = server.stored(index)
    for position, acked_seq in snapshot.items():
        assert stored[position][0] >= acked_seq, f"acknowledged seq {acked_seq} at {position} lost in the crash"
    for position, seq in journal.seq.items():
        assert stored[position][0] == seq
        assert stored[position][1] == _expected_response(server, index, position, journal.value[position][0])


def test_database_locked_by_another_writer_is_waited_out(server):
    position, options = objective_positions(server, 1)[0]
    held = threading.Event()

    def hold_write_lock(seconds=1.5):
        db = sqlite3.connect(server.db_path, timeout=30, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE exam_plugin_attemptitem SET saved_at = saved_at WHERE attempt_id = ?",
                   (server.candidates[2][1],))
        held.set()
        time.sleep(seconds)
        db.execute("COMMIT")
        db.close()

    locker = threading.Thread(target=hold_write_lock)
    locker.start()
    assert held.wait(10)
    started = time.monotonic()
    resp = server.save(1, [{"position": position, "seq": 1, "value": [options - 1]}])
    waited = time.monotonic() - started
    locker.join(10)
    assert resp.status_code == 200, resp.text
    assert resp.json()["saved"] == [position]
    assert waited >= 1.0, "the save should have queued behind the lock, not skipped it"
    assert server.stored(1)[position] == (1, _expected_response(server, 1, position, options - 1))


def test_expired_session_gets_json_401_and_the_journal_flushes_after_login(server):
    journal = Journal(server, 3)
    position, options = objective_positions(server, 3)[0]
    journal.change(position, [0])
    expired = server.save(3, journal.pending(), session_key="expiredsessionexpiredsession0000")
    assert expired.status_code in (401, 403)
    assert expired.headers["Content-Type"].startswith("application/json") and "detail" in expired.json()
    journal.change(position, [options - 1])  # the candidate keeps answering meanwhile
    assert journal.pending() == [{"position": position, "seq": 2, "value": [options - 1]}]
    assert journal.flush()  # "logged in again": the real session cookie
    assert server.stored(3)[position] == (2, _expected_response(server, 3, position, options - 1))
