"""Security sweep: every URL that names an object is requested by someone who does not
own it — another learner, an anonymous visitor, a content editor — and nothing of the
owner's leaks (no 2xx on private objects, no personal numbers, no private files).

``OBJECT_URLS`` must classify every such URL pattern of the site: a new object-scoped
URL fails ``test_every_object_url_is_in_the_sweep`` until it is added here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cms_site.accounts.services import roles
from cms_site.accounts.services.roles import CONTENT_EDITOR

ENERGY = {"program_path": "energy"}


def _sitting(w):
    return {**ENERGY, "sitting_id": w["proctored"].pk}


def _attempt(w):
    return {**ENERGY, "attempt_id": w["attempt"].pk}


# name -> (kwargs from the world, methods to try). Every entry is private to its owner.
OBJECT_URLS = {
    "pwa:remove_device": (lambda w: {"pk": w["subscription"].pk}, ("get", "post")),
    "registration:detail": (lambda w: {"pk": w["registration"].pk}, ("get", "post")),
    "registration:eligibility": (lambda w: {"pk": w["registration"].pk}, ("get", "post")),
    "registration:print": (lambda w: {"pk": w["registration"].pk}, ("get",)),
    "registration:material": (lambda w: {"pk": w["material"].pk}, ("get",)),
    "cert_plugin:download": (lambda w: {**ENERGY, "number": w["certificate"].number}, ("get",)),
    "exam_plugin:attempt": (_attempt, ("get",)),
    "exam_plugin:result": (_attempt, ("get",)),
    "exam_plugin:admission_ticket": (lambda w: {**ENERGY, "sitting_id": w["sitting"].pk}, ("get",)),
    "exam_plugin:exam_api:get_paper": (_attempt, ("get",)),
    "exam_plugin:exam_api:get_clock": (_attempt, ("get",)),
    "exam_plugin:exam_api:save_answers": (_attempt, ("post",)),
    "exam_plugin:exam_api:hand_in": (_attempt, ("post",)),
    "exam_plugin:exam_api:get_result": (_attempt, ("get",)),
    "exam_plugin:exam_api:offline_replay": (_attempt, ("post",)),
    "proctor_plugin:preflight": (_sitting, ("get",)),
    "proctor_plugin:device_test_done": (_sitting, ("post",)),
    "proctor_plugin:proctor_api:get_status": (_sitting, ("get",)),
    **{f"proctor_plugin:proctor_api:{name}": (_sitting, ("post",)) for name in (
        "accept_rules", "camera_ready", "verify_face", "photo_fallback", "new_pairing", "enter_fullscreen",
        "heartbeat", "leave_started", "leave_ended", "snapshot", "request_break", "return_from_break", "warnings_seen",
    )},
    "proctor_plugin_global:photo": (lambda w: {"kind": "snapshot", "pk": w["snapshot"].pk}, ("get",)),
}

# Object URLs that are public or not owned by a learner, and why.
NOT_OWNED = {
    "site_api:offline_module_manifest": "course module content (published pages)",
    "pwa:icon": "app icons",
    "lesson_video": "lesson media (published documents)",
    "registration:start": "a level anyone may register for",
    "registration:organisation": "a training organisation's page (organisation accounts only; tests/registration)",
    "registration:batch_template": "a blank spreadsheet template of an organisation",
    "registration:organisation_reset_password": (
        "an organisation's own candidate (members only; tests/registration/test_organisation_password_reset.py)"),
    "accounts:password_reset_confirm": "capability URL: the emailed one-time token is the secret (Django's reset flow)",
    "cert_plugin_global:verify": "public verification page (masked record), checked below",
    "exam_plugin:sign_up": "a sitting open to eligible candidates",
    "exam_plugin:enter": "a sitting; entry checks admission (tests/exam_plugin)",
    "proctor_plugin_global:phone": "capability URL: the token itself is the secret, checked below",
    "proctor_plugin:proctor_api:phone_pair": "capability URL: the token itself is the secret",
    "proctor_plugin:proctor_api:phone_snapshot": "capability URL: needs the paired phone's device key",
    "wagtail_serve": "CMS pages",
}
IGNORED_PREFIXES = ("admin/", "django-admin/", "documents/", "_util/")


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), ":".join(namespaces + (entry.name or "",)), entry


def object_url_names():
    names = set()
    for route, name, entry in _walk(get_resolver().url_patterns):
        route = route.lstrip("^")
        if route.startswith(IGNORED_PREFIXES) or name.startswith("dummy_plugin"):
            continue
        params = set(entry.pattern.regex.groupindex) - {"program_path"}
        if params:
            names.add(name)
    return names


def test_every_object_url_is_in_the_sweep(db):
    unclassified = object_url_names() - set(OBJECT_URLS) - set(NOT_OWNED)
    assert not unclassified, f"classify these object URLs in tests/security: {sorted(unclassified)}"


@pytest.fixture
def intruders(energy, make_learner, grant_hours):
    other = make_learner(energy, real_name="乙旁人")
    grant_hours(other.enrolments.get(), 36)
    editor = make_learner(None, real_name="编辑丙")
    editor.is_staff = True
    editor.save()
    editor.groups.add(roles.group(CONTENT_EDITOR))
    return {"another learner": other, "content editor": editor, "anonymous": None}


PRIVATE_TYPES = ("image/", "application/pdf")


def _assert_nothing_leaks(response, world, who, url, method):
    status = response.status_code
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    text = body.decode("utf-8", "replace")
    where = f"{method.upper()} {url} as {who}"
    assert status not in (200, 201, 204), f"{where} answered {status}"
    assert not response.get("Content-Type", "").startswith(PRIVATE_TYPES), where
    for secret in world["secrets"]:
        assert secret not in text, f"{where} shows {secret}"
    assert "甲秘密" not in text, f"{where} shows the owner's name"


def test_no_object_url_leaks_to_others(client, world, intruders):
    for name, (kwargs_of, methods) in OBJECT_URLS.items():
        url = reverse(name, kwargs=kwargs_of(world))
        for who, user in intruders.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            for method in methods:
                if method == "post":
                    response = client.post(url, data={}, content_type="application/json")
                else:
                    response = client.get(url)
                _assert_nothing_leaks(response, world, who, url, method)


def test_the_owner_does_reach_them(client, world):
    """The sweep would be meaningless if the URLs were broken for everyone."""
    client.force_login(world["owner"])
    for name in ("registration:detail", "registration:material", "cert_plugin:download", "exam_plugin:exam_api:get_clock",
                 "exam_plugin:admission_ticket",
                 "proctor_plugin:proctor_api:get_status", "proctor_plugin_global:photo"):
        kwargs_of, _methods = OBJECT_URLS[name]
        response = client.get(reverse(name, kwargs=kwargs_of(world)))
        assert response.status_code == 200, name


def test_public_verify_page_masks_personal_numbers(client, world):
    response = client.get(reverse("cert_plugin_global:verify", kwargs={"number": world["certificate"].number}))
    assert response.status_code == 200
    text = response.content.decode()
    for secret in world["secrets"]:
        assert secret not in text


def test_phone_capability_url_needs_the_exact_token(client, world):
    good = client.get(reverse("proctor_plugin_global:phone", kwargs={"token": world["token"].token}))
    assert good.status_code == 200
    forged = client.get(reverse("proctor_plugin_global:phone", kwargs={"token": world["token"].token[:-2] + "xx"}))
    assert forged.status_code == 404
    for secret in world["secrets"]:
        assert secret not in good.content.decode()


def test_learners_and_anonymous_never_reach_the_admin(client, world, intruders):
    for who in ("another learner", "anonymous"):
        client.logout()
        if intruders[who]:
            client.force_login(intruders[who])
        for url in ("/admin/", "/admin/program-plugins/", "/admin/registrations/", "/admin/certificates/", "/admin/proctor/",
                    "/django-admin/"):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), f"{url} as {who}: {response.status_code}"
