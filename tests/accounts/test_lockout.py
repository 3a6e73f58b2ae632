"""One lockout per account, whatever spelling was typed; unknown identifiers throttled per
address; the same answer and the same hashing cost for known and unknown identifiers."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from cms_site.accounts.services.identity import DocumentType
from cms_site.accounts.services.lockout import UNKNOWN_IDENTIFIER
from cms_site.services.client_address import client_ip
from course_content.services.enrolment import create_learner_account

PASSWORD = "2702"  # the energy program's initial password: last four of P958270(2)
SPELLINGS = [
    "p958270(2)",            # lower case, half-width brackets
    "P958270（2）",          # full-width brackets
    "P 958 270 2",           # spaces
    "P-958270-2",            # hyphens
    "+86 138-0013-8000",     # the phone with the country prefix
    "0086 13800138000",      # ... with 0086
    "138 0013 8000",         # ... without a prefix
    "P9582702",              # the stored form
]


@pytest.fixture
def learner(energy):
    return create_learner_account(
        energy, real_name="陈大文", document_type=DocumentType.HONG_KONG,
        document_number="P958270(2)", phone="13800138000",
    )


def login(client, username, password, address="10.1.1.1", **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def logged_in(client):
    return "_auth_user_id" in client.session


def lock(client, learner, spellings=SPELLINGS[:5], address="10.1.1.1"):
    for spelling in spellings:
        response = login(client, spelling, "wrong-password", address=address)
    return response


def test_every_spelling_of_the_account_logs_in(client, learner):
    for spelling in SPELLINGS:
        client.logout()
        assert login(client, spelling, PASSWORD).status_code == 302, spelling
        assert logged_in(client)


def test_five_failures_over_several_spellings_lock_the_account(client, learner, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for spelling in SPELLINGS[:4]:
        assert login(client, spelling, "wrong-password").status_code == 200
    fifth = login(client, SPELLINGS[4], "wrong-password")
    assert fifth.status_code == 429
    assert 'id="locked-out"' in fifth.content.decode()
    # The right password is refused in every spelling, including ones never tried.
    for spelling in SPELLINGS:
        refused = login(client, spelling, PASSWORD)
        assert refused.status_code == 429, spelling
        assert not logged_in(client)


def test_lockout_holds_across_addresses(client, learner):
    for index, spelling in enumerate(SPELLINGS[:5]):
        login(client, spelling, "wrong-password", address=f"10.2.0.{index + 1}")
    assert login(client, "P9582702", PASSWORD, address="10.3.3.3").status_code == 429
    assert not logged_in(client)


def test_message_gives_the_remaining_minutes(client, learner):
    locked = lock(client, learner)
    page = locked.content.decode()
    assert 'data-minutes="15"' in page
    assert "15 分钟" in page
    assert "0:15:00" not in page
    # Six minutes later nine remain.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=6))
    later = login(client, "P9582702", PASSWORD).content.decode()
    assert 'data-minutes="9"' in later and "9 分钟" in later


def test_message_in_english(client, learner):
    client.cookies["django_language"] = "en"
    locked = lock(client, learner)
    assert "try again in 15 minutes" in locked.content.decode()


def test_tries_during_a_lockout_do_not_extend_it(client, learner):
    lock(client, learner)
    failures_at_lock = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    for spelling in SPELLINGS:
        assert login(client, spelling, "wrong-password").status_code == 429
    assert list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start")) == failures_at_lock
    # Fifteen minutes after the failure that locked it, the account opens again.
    AccessAttempt.objects.update(attempt_time=failures_at_lock[-1][0] - timedelta(minutes=15, seconds=1))
    assert login(client, "138 0013 8000", PASSWORD).status_code == 302
    assert logged_in(client)


def test_failures_are_recorded_against_the_canonical_account(client, learner):
    lock(client, learner, spellings=SPELLINGS[:3])
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"P9582702"}


def test_success_clears_the_account_failures(client, learner):
    lock(client, learner, spellings=SPELLINGS[:4])
    assert login(client, "+8613800138000", PASSWORD).status_code == 302
    client.logout()
    # Four fresh failures do not lock: the earlier four were cleared.
    lock(client, learner, spellings=SPELLINGS[:4])
    assert login(client, "P9582702", PASSWORD).status_code == 302


def test_unknown_identifiers_are_throttled_per_address(client, learner, settings, make_learner):
    limit = settings.LOGIN_UNKNOWN_IDENTIFIER_LIMIT
    assert limit >= settings.AXES_FAILURE_LIMIT
    for serial in range(limit - 1):
        assert login(client, f"Z{serial:07d}", "guess", address="10.4.4.4").status_code == 200
    assert login(client, "Z9999999", "guess", address="10.4.4.4").status_code == 429
    # The address is paused for every identifier, so a locked address cannot tell known from unknown.
    assert login(client, "P9582702", PASSWORD, address="10.4.4.4").status_code == 429
    assert login(client, "Z1234567", "guess", address="10.4.4.4").status_code == 429
    assert not logged_in(client)
    # Other addresses and the account itself are untouched.
    assert login(client, "P9582702", PASSWORD, address="10.5.5.5").status_code == 302


def test_a_success_does_not_clear_the_probing_count(client, learner, settings):
    for serial in range(settings.LOGIN_UNKNOWN_IDENTIFIER_LIMIT - 1):
        login(client, f"Z{serial:07d}", "guess", address="10.6.6.6")
    assert login(client, "P9582702", PASSWORD, address="10.6.6.6").status_code == 302
    client.logout()
    assert login(client, "Z7654321", "guess", address="10.6.6.6").status_code == 429
    assert AccessAttempt.objects.filter(username=UNKNOWN_IDENTIFIER, ip_address="10.6.6.6").exists()


class CountingHasher(MD5PasswordHasher):
    """MD5 (the test suite's hasher) that counts how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def _form_errors(response):
    return re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', response.content.decode(), re.S)


def test_known_and_unknown_identifiers_get_the_same_answer_and_cost(client, learner, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    known = login(client, "P9582702", "wrong-password")
    known_calls, CountingHasher.calls = CountingHasher.calls, 0
    unknown = login(client, "Z0000001", "wrong-password")
    unknown_calls = CountingHasher.calls
    assert known.status_code == unknown.status_code == 200
    assert _form_errors(known) == _form_errors(unknown) != []
    assert known_calls == unknown_calls == 1


def test_locked_account_and_locked_address_get_the_same_page(client, learner, settings):
    account_page = lock(client, learner).content.decode()
    AccessAttempt.objects.all().delete()
    for serial in range(settings.LOGIN_UNKNOWN_IDENTIFIER_LIMIT):
        address_page = login(client, f"Z{serial:07d}", "guess", address="10.7.7.7").content.decode()

    def message(page):
        return re.search(r'<p class="message error" id="locked-out".*?</p>', page, re.S).group(0)

    assert message(account_page) == message(address_page)


# --- the client address comes from REMOTE_ADDR or the one configured proxy header --------


def test_forwarded_headers_are_ignored_unless_configured(client, learner, settings):
    settings.CLIENT_IP_HEADER = None
    for index, spelling in enumerate(range(settings.LOGIN_UNKNOWN_IDENTIFIER_LIMIT)):
        login(client, f"Z{spelling:07d}", "guess", address="10.8.8.8",
              HTTP_X_FORWARDED_FOR=f"192.0.2.{index}", HTTP_X_REAL_IP=f"198.51.100.{index}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.8.8.8"}
    assert login(client, "P9582702", PASSWORD, address="10.8.8.8", HTTP_X_REAL_IP="198.51.100.99").status_code == 429


def test_the_configured_proxy_header_gives_each_visitor_its_address(client, learner, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    for serial in range(settings.LOGIN_UNKNOWN_IDENTIFIER_LIMIT):
        login(client, f"Z{serial:07d}", "guess", address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # Another visitor behind the same proxy is not paused.
    assert login(client, "P9582702", PASSWORD, address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.6").status_code == 302


def test_client_ip_rules(settings):
    factory = RequestFactory()
    settings.CLIENT_IP_HEADER = None
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.1"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    # The last entry is the one the trusted proxy appended; earlier ones are the client's claim.
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8::1")) == "2001:db8::1"


def test_rate_limits_use_the_same_client_address(settings):
    from django.core.cache import cache

    cache.clear()
    factory = RequestFactory()

    def limited(**meta):
        request = factory.post("/", REMOTE_ADDR="127.0.0.1", **meta)
        return is_ratelimited(request, group="tests.client_address", key="ip", rate="1/m", increment=True)

    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert not limited(HTTP_X_REAL_IP="203.0.113.10")
    assert not limited(HTTP_X_REAL_IP="203.0.113.11")  # another visitor behind the proxy
    assert limited(HTTP_X_REAL_IP="203.0.113.10")
    settings.CLIENT_IP_HEADER = None
    assert not limited(HTTP_X_REAL_IP="203.0.113.12")  # now everyone is 127.0.0.1 ...
    assert limited(HTTP_X_REAL_IP="203.0.113.13")       # ... and shares one allowance
