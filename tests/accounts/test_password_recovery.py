"""A way back in after a forgotten password: reset by the exam office (audit entry, old
password invalid, must change at next login) and Django's email flow (rate-limited)."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms_site.accounts.services import recovery

PASSWORD = "Study-2026!"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner(make_learner, energy):
    return make_learner(energy, password=PASSWORD, email="learner@example.cn")


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user(username="office", password="Office-2026!")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="review_registration", content_type__app_label="registration"),
    )
    return user


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_exam_office_reset_gives_a_temporary_password_and_writes_an_audit_entry(client, learner, reviewer):
    client.force_login(reviewer)
    url = reverse("accounts_reset_password", args=[learner.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and learner.real_name in confirm.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)  # a GET changes nothing

    done = client.post(url)
    assert done.status_code == 200
    temporary = re.search(r'id="temporary-password"[^>]*>([^<]+)<', done.content.decode()).group(1)
    learner.refresh_from_db()
    assert not learner.check_password(PASSWORD) and learner.check_password(temporary)
    assert learner.must_change_password
    entry = ModelLogEntry.objects.get(action=recovery.RESET_BY_STAFF, object_id=str(learner.pk))
    assert entry.user_id == reviewer.pk and entry.data["via"] == "admin"

    client.logout()
    assert _login(client, learner.username, PASSWORD).status_code == 200  # old password: form again
    assert "_auth_user_id" not in client.session
    response = _login(client, learner.username, temporary)
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).url.startswith(reverse("accounts:password_change"))


def test_only_the_exam_office_resets_and_never_a_staff_account(client, learner, reviewer, make_learner, django_user_model):
    other = make_learner(password=PASSWORD)
    client.force_login(other)
    assert client.post(reverse("accounts_reset_password", args=[learner.pk])).status_code in (302, 403)
    admin = django_user_model.objects.create_superuser(username="root", password="Root-2026!")
    client.force_login(reviewer)
    assert client.post(reverse("accounts_reset_password", args=[admin.pk])).status_code in (302, 403)
    admin.refresh_from_db()
    assert admin.check_password("Root-2026!")
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)
    assert not ModelLogEntry.objects.filter(action=recovery.RESET_BY_STAFF).exists()


def test_user_listing_offers_the_reset_to_the_exam_office(client, learner, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root2", password="Root-2026!")
    client.force_login(admin)
    html = client.get(reverse("wagtailusers_users:index"), {"q": learner.username}).content.decode()
    assert reverse("accounts_reset_password", args=[learner.pk]) in html


def test_login_page_links_to_the_forgotten_password_page_explaining_both_ways(client):
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login and "忘记密码？" in login
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert "考试中心" in page and "培训机构" in page and "邮箱" in page


def test_email_reset_sets_a_new_password_and_is_logged(client, learner):
    response = client.post(reverse("accounts:password_reset"), {"email": "LEARNER@example.cn"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["learner@example.cn"]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new = "Brand-new-2026!"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_complete")
    learner.refresh_from_db()
    assert learner.check_password(new) and not learner.check_password(PASSWORD)
    assert ModelLogEntry.objects.filter(action=recovery.RESET_BY_EMAIL, object_id=str(learner.pk)).exists()
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


def test_unknown_email_sends_nothing_and_says_the_same(client, learner):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_email_reset_is_rate_limited(client, learner):
    for _ in range(recovery_limit := 3):
        client.post(reverse("accounts:password_reset"), {"email": "learner@example.cn"})
    assert len(mail.outbox) == recovery_limit
    refused = client.post(reverse("accounts:password_reset"), {"email": "learner@example.cn"})
    assert refused.status_code == 200
    assert "请求过于频繁" in refused.content.decode()
    assert len(mail.outbox) == recovery_limit
