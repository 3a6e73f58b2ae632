"""The lean autosave path keeps the session path's guarantees: CSRF, ownership, the session
binding, the deadline, the plugin gate (``exam_plugin/services/save_tokens.py``)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exam_plugin.models import Attempt, AttemptItem
from exam_plugin.services import attempts, clock, lean_save, save_tokens

from .conftest import api_url

CSRF = "tokencsrftokentokencsrftoken1234"  # 32 characters: an unmasked secret


@pytest.fixture
def attempt(without_proctoring, candidate):
    return attempts.start_formal_attempt(candidate)


@pytest.fixture
def other_attempt(without_proctoring, eligible, sitting_now):
    from exam_plugin.services.sittings import admit

    return attempts.start_formal_attempt(admit(sitting_now(), eligible()))


def _strict_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF
    return client


def _token(client, program, attempt):
    response = client.get(api_url(program, f"attempts/{attempt.pk}"))
    assert response.status_code == 200
    return response.json()["save_token"]


def _save(client, program, attempt_id, token, seq=1, value=(0,), csrf=CSRF, position=None, **extra):
    item = AttemptItem.objects.filter(attempt_id=attempt_id, question__kind="single").order_by("position").first()
    headers = {"HTTP_X_EXAM_TOKEN": token, **extra} if token else dict(extra)
    if csrf:
        headers["HTTP_X_CSRFTOKEN"] = csrf
    body = {"answers": [{"position": item.position if position is None else position, "seq": seq, "value": list(value)}]}
    return client.post(api_url(program, f"attempts/{attempt_id}/answers"), data=json.dumps(body),
                       content_type="application/json", **headers), item


def test_token_saves_need_the_csrf_header(energy, attempt):
    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    refused, item = _save(client, energy, attempt.pk, token, csrf=None)
    assert refused.status_code == 403
    forged, _ = _save(client, energy, attempt.pk, token, csrf="x" * 32)
    assert forged.status_code == 403
    assert AttemptItem.objects.get(pk=item.pk).seq == 0
    ok, _ = _save(client, energy, attempt.pk, token)
    assert ok.status_code == 200 and ok.json()["saved"] == [item.position]


def test_token_saves_from_another_origin_are_refused(energy, attempt):
    """Django's whole CSRF check runs on the lean path, its Origin check included: a page
    of another site cannot save even with a stolen cookie/header pair and token."""
    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    for seq in (1, 2):  # the check's middleware is kept between requests: it must not remember a verdict
        cross, item = _save(client, energy, attempt.pk, token, seq=seq, HTTP_ORIGIN="https://evil.example")
        assert cross.status_code == 403
        assert AttemptItem.objects.get(pk=item.pk).seq == seq - 1
        same, _ = _save(client, energy, attempt.pk, token, seq=seq, HTTP_ORIGIN="http://testserver")
        assert same.status_code == 200 and same.json()["saved"] == [item.position]


def test_a_token_is_bound_to_its_session_cookie(energy, attempt):
    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    thief = Client(enforce_csrf_checks=True)  # no session: the token alone is worth nothing
    thief.cookies["csrftoken"] = CSRF
    response, item = _save(thief, energy, attempt.pk, token)
    assert response.status_code == 401
    other_session = _strict_client(attempt.enrolment.learner)  # same learner, another login
    assert other_session.cookies["sessionid"].value != client.cookies["sessionid"].value
    response, _ = _save(other_session, energy, attempt.pk, token)
    assert response.status_code == 200  # fell back to that session, which owns the attempt
    client.logout()  # the logged-out browser's cookie is gone, and with it the token's use
    client.cookies["csrftoken"] = CSRF
    response, _ = _save(client, energy, attempt.pk, token, seq=2)
    assert response.status_code == 401
    assert AttemptItem.objects.get(pk=item.pk).seq == 1


def test_a_candidate_never_writes_another_candidates_attempt(energy, attempt, other_attempt):
    mine = _strict_client(attempt.enrolment.learner)
    token = _token(mine, energy, attempt)
    # My token on their attempt's URL: 404, nothing written.
    response, item = _save(mine, energy, other_attempt.pk, token)
    assert response.status_code == 404
    # Their token (issued to their session) replayed with my session: not valid → my session → 404.
    theirs = _strict_client(other_attempt.enrolment.learner)
    their_token = _token(theirs, energy, other_attempt)
    response, _ = _save(mine, energy, other_attempt.pk, their_token)
    assert response.status_code == 404
    # A forged token naming their attempt: the signature fails → my session → 404.
    forged = their_token.rsplit(".", 1)[0] + "." + "0" * 64
    response, _ = _save(mine, energy, other_attempt.pk, forged)
    assert response.status_code == 404
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


def test_the_statement_itself_checks_ownership(energy, attempt, other_attempt):
    """Even with claims naming another learner's attempt (as if a token leaked), the UPDATE
    takes no row: it joins the attempt's enrolment to the learner and program."""
    item = other_attempt.items.order_by("position").first()
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session.create()  # a live session: only the ownership check can refuse
    claims = save_tokens.SaveClaims(attempt_id=other_attempt.pk, user_id=attempt.enrolment.learner_id,
                                    program_id=energy.pk, paper=save_tokens.paper_key(other_attempt),
                                    session_key=session.session_key)
    result, rest = lean_save.save_answers(claims, [{"position": item.position, "seq": 1, "value": None}])
    assert result["saved"] == [] and len(rest) == 1
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


@pytest.mark.parametrize("end", ["deleted", "expired"])
def test_a_token_whose_session_ended_saves_nothing(energy, attempt, end):
    """Logout or expiry ends saving at once: the one statement also requires the token's
    session row, alive; the request then falls to the session path, which answers 401."""
    from django.contrib.sessions.models import Session

    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    sessions = Session.objects.filter(session_key=client.cookies["sessionid"].value)
    if end == "deleted":
        sessions.delete()
    else:
        sessions.update(expire_date=timezone.now() - timedelta(seconds=1))
    response, item = _save(client, energy, attempt.pk, token)
    assert response.status_code == 401
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


def test_a_token_after_the_deadline_saves_nothing(energy, attempt):
    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=clock.SAVE_GRACE_SECONDS + 5))
    response, item = _save(client, energy, attempt.pk, token)
    assert response.status_code == 409
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


def _verifies(token, client):
    from django.test import RequestFactory

    request = RequestFactory().post("/", HTTP_X_EXAM_TOKEN=token)
    request.COOKIES["sessionid"] = client.cookies["sessionid"].value
    return save_tokens.verify(request)


def test_tokens_expire_and_are_renewed_by_the_clock(energy, attempt, monkeypatch):
    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    claims = _verifies(token, client)
    assert (claims.attempt_id, claims.user_id, claims.program_id) == (attempt.pk, attempt.enrolment.learner_id, energy.pk)
    later = timezone.now().timestamp() + save_tokens.TOKEN_SECONDS + 1
    monkeypatch.setattr(save_tokens.time, "time", lambda: later)
    assert _verifies(token, client) is None
    renewed = client.get(api_url(energy, f"attempts/{attempt.pk}/clock")).json()["save_token"]
    assert _verifies(renewed, client) is not None


def test_the_gate_answers_404_with_a_token_when_the_plugin_is_off(energy, attempt):
    from plugins.services import disable

    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    disable(energy, "exam_plugin")
    response, item = _save(client, energy, attempt.pk, token)
    assert response.status_code == 404
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


def test_must_change_password_is_enforced_on_the_session_fallback(energy, attempt):
    user = attempt.enrolment.learner
    client = _strict_client(user)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    response, item = _save(client, energy, attempt.pk, "not-a-token")
    assert response.status_code == 403
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


def test_bad_values_get_the_same_messages_on_the_lean_path(energy, attempt):
    client = _strict_client(attempt.enrolment.learner)
    token = _token(client, energy, attempt)
    lean, item = _save(client, energy, attempt.pk, token, value=(99,))
    session, _ = _save(client, energy, attempt.pk, None, value=(99,))
    assert lean.status_code == session.status_code == 200
    assert lean.json()["errors"] == session.json()["errors"] and lean.json()["errors"][str(item.position)]
    unknown, _ = _save(client, energy, attempt.pk, token, position=9999)
    assert unknown.status_code == 200 and unknown.json()["errors"]["9999"]
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


def test_the_save_is_a_hot_path_past_the_html_middleware(energy, attempt):
    """Served by ``plugins.middleware.HotPathMiddleware``: the response skips what only HTML
    pages need (no content-security-policy header, which the paper's response carries)
    while the middleware above it still runs (security headers); the checks above keep
    holding because the view itself is the gated ninja operation."""
    client = _strict_client(attempt.enrolment.learner)
    paper = client.get(api_url(energy, f"attempts/{attempt.pk}"))
    assert "Content-Security-Policy" in paper.headers
    token = paper.json()["save_token"]
    saved, item = _save(client, energy, attempt.pk, token)
    assert saved.status_code == 200 and saved.json()["acked"] == {str(item.position): 1}
    assert "Content-Security-Policy" not in saved.headers
    assert saved.headers["X-Content-Type-Options"] == "nosniff"
    assert saved.resolver_match.url_name == "save_answers"
