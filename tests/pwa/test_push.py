"""Web push end to end: subscriptions, VAPID, RFC 8291 payloads to a local receiver."""

import json
import os
import stat

import pytest
from django.test import Client

from cms_site.pwa.models import PushSubscription
from cms_site.pwa.services import push
from cms_site.pwa.services.vapid import application_server_key, key_path
from tests.pwa.conftest import allow_test_receiver
from tests.pwa.push_receiver import PushReceiver

pytestmark = pytest.mark.django_db

SUBSCRIBE, UNSUBSCRIBE, KEY, TEST = "/api/push/subscribe", "/api/push/unsubscribe", "/api/push/key", "/api/push/test"


def subscribe(client, receiver, language="zh-hans"):
    return client.post(
        SUBSCRIBE, json.dumps(receiver.subscription_json()), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language, HTTP_USER_AGENT="Mozilla/5.0 (Android) Test",
    )


def test_vapid_key_is_generated_once_outside_the_repository(settings):
    path = key_path()
    assert path.is_relative_to(settings.DATA_DIR) and path.parent.name == "keys"
    first = application_server_key()
    assert path.exists() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert application_server_key() == first  # kept, not regenerated
    assert len(first) == 87  # 65-byte uncompressed P-256 point, base64url
    assert not path.is_relative_to(settings.BASE_DIR / "cms_site")


def test_public_key_endpoint(client):
    assert client.get(KEY).json() == {"public_key": application_server_key()}


def test_subscribe_needs_a_login_and_the_csrf_token(make_learner, push_receiver):
    user = make_learner()
    assert subscribe(Client(enforce_csrf_checks=True), push_receiver).status_code == 403  # no token
    assert subscribe(Client(), push_receiver).status_code == 401  # CSRF passes, no session

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert subscribe(client, push_receiver).status_code == 403  # no CSRF token
    assert not PushSubscription.objects.exists()

    client.get("/pwa/notifications/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        SUBSCRIBE, json.dumps(push_receiver.subscription_json()),
        content_type="application/json", HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 201
    subscription = PushSubscription.objects.get()
    assert subscription.user == user and subscription.endpoint == push_receiver.endpoint
    assert subscription.language == "en"


def test_bad_subscriptions_get_translated_errors_and_store_nothing(client, make_learner):
    client.force_login(make_learner())
    bad = {"endpoint": "http://push.example.com/x", "keys": {"p256dh": "abc", "auth": "!!"}}
    response = client.post(SUBSCRIBE, json.dumps(bad), content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert response.json() == {"detail": "推送服务地址无效。 设备公钥无效。 设备认证密钥无效。"}
    response = client.post(SUBSCRIBE, "not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert 400 <= response.status_code < 500
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("payload", [
    {"endpoint": "https://fcm.googleapis.com/" + "a" * 2048, "keys": {"p256dh": "k", "auth": "a"}},
    {"endpoint": "https://fcm.googleapis.com/\x00", "keys": {"p256dh": "k", "auth": "a"}},
    {"endpoint": "https://fcm.googleapis.com/x", "keys": {"p256dh": "k" * 129, "auth": "a"}},
    {"endpoint": "https://fcm.googleapis.com/x"},
    {"endpoint": ["https://fcm.googleapis.com/x"], "keys": {"p256dh": "k", "auth": "a"}},
], ids=["endpoint-too-long", "nul", "key-too-long", "no-keys", "endpoint-not-a-string"])
def test_subscription_schema_is_bounded(client, make_learner, payload):
    client.force_login(make_learner())
    response = client.post(SUBSCRIBE, json.dumps(payload), content_type="application/json")
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)
    assert not PushSubscription.objects.exists()


def test_test_origins_are_exact_and_only_for_the_listed_origin(settings):
    receiver = PushReceiver()  # not started: only its subscription JSON is used
    settings.PWA_PUSH_TEST_ORIGINS = []
    with pytest.raises(push.SubscriptionError):
        push.validate_subscription(receiver.subscription_json())
    allow_test_receiver(settings, receiver)
    assert push.validate_subscription(receiver.subscription_json())[0] == receiver.endpoint
    for other in (f"http://127.0.0.1:{receiver.server.server_port + 1}/push/1", "http://10.1.2.3/push/1",
                  f"https://127.0.0.1:{receiver.server.server_port}/push/1"):
        with pytest.raises(push.SubscriptionError):
            push.validate_subscription({**receiver.subscription_json(), "endpoint": other})
    receiver.server.server_close()


def test_learners_only_reach_their_own_devices(client, make_learner, push_receiver):
    owner, other = make_learner(), make_learner()
    client.force_login(owner)
    assert subscribe(client, push_receiver).status_code == 201
    subscription = PushSubscription.objects.get()

    intruder = Client()
    intruder.force_login(other)
    response = intruder.post(UNSUBSCRIBE, json.dumps({"endpoint": push_receiver.endpoint}),
                             content_type="application/json")
    assert response.status_code == 404
    assert intruder.post(f"/pwa/notifications/{subscription.pk}/remove/").status_code == 404
    assert push_receiver.endpoint not in intruder.get("/pwa/notifications/").content.decode()
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()

    response = client.post(UNSUBSCRIBE, json.dumps({"endpoint": push_receiver.endpoint}),
                           content_type="application/json")
    assert response.status_code == 200 and not PushSubscription.objects.exists()


def test_notification_is_delivered_encrypted_signed_and_translated_per_device(
    client, make_learner, push_receiver, second_receiver, django_capture_on_commit_callbacks
):
    user = make_learner()
    client.force_login(user)
    assert subscribe(client, push_receiver, language="zh-hans").status_code == 201
    assert subscribe(client, second_receiver, language="en").status_code == 201

    with django_capture_on_commit_callbacks(execute=True):
        push.notify(user, "certificate_issued", "/certificates/verify/E2026-0001/",
                    program="综合能源服务", number="E2026-0001")

    [request] = push_receiver.wait_for(1)
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert int(request["headers"]["ttl"]) > 0
    claims = push_receiver.verify_vapid(request, application_server_key())
    assert claims["sub"].startswith(("mailto:", "https:"))
    assert b"E2026-0001" not in request["body"]  # encrypted on the wire
    message = push_receiver.message(request)
    assert message == {
        "kind": "certificate_issued", "title": "证书已颁发",
        "body": "您的综合能源服务证书（编号E2026-0001）已颁发。",
        "url": "/certificates/verify/E2026-0001/", "tag": "certificate_issued", "lang": "zh-hans",
    }
    [english] = second_receiver.wait_for(1)
    second = second_receiver.message(english)
    assert second["title"] == "Certificate issued"
    assert second["body"] == "Your 综合能源服务 certificate E2026-0001 has been issued."
    assert PushSubscription.objects.filter(last_delivered_at__isnull=False).count() == 2


@pytest.mark.parametrize("status,kept", [(410, False), (404, False), (500, True)])
def test_expired_subscriptions_are_removed(client, make_learner, settings, status, kept,
                                           django_capture_on_commit_callbacks):
    user = make_learner()
    client.force_login(user)
    with PushReceiver(status=status) as receiver:
        allow_test_receiver(settings, receiver)
        assert subscribe(client, receiver).status_code == 201
        with django_capture_on_commit_callbacks(execute=True):
            push.notify(user, "test", "/pwa/notifications/")
        receiver.wait_for(1)
    assert PushSubscription.objects.filter(endpoint=receiver.endpoint).exists() is kept


def test_notify_refuses_unknown_kinds_missing_context_and_foreign_links(make_learner):
    user = make_learner()
    with pytest.raises(ValueError, match="unknown"):
        push.notify(user, "lottery_won", "/")
    with pytest.raises(ValueError, match="number"):
        push.notify(user, "certificate_issued", "/", program="x")
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="path on this site"):
            push.notify(user, "test", url)


def test_no_delivery_when_the_transaction_rolls_back(make_learner, client, push_receiver,
                                                     django_capture_on_commit_callbacks):
    user = make_learner()
    client.force_login(user)
    subscribe(client, push_receiver)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        push.notify(user, "test", "/")
    assert len(callbacks) == 1 and push_receiver.requests == []


def test_registration_review_is_pushed_to_the_candidate(energy, make_learner, client, push_receiver,
                                                         django_capture_on_commit_callbacks):
    from course_content.models import ProgramLevel
    from course_content.registration.models import Registration
    from course_content.registration.signals import registration_reviewed

    candidate = make_learner()
    client.force_login(candidate)
    subscribe(client, push_receiver)
    registration = Registration(program=energy, level=ProgramLevel.objects.get(program=energy, code="junior"),
                                candidate=candidate)
    with django_capture_on_commit_callbacks(execute=True):
        registration_reviewed.send_robust(sender=energy, registration=registration, approved=False,
                                          reason="照片背景不是蓝色")
    message = push_receiver.message(push_receiver.wait_for(1)[0])
    assert message["kind"] == "registration_rejected" and message["title"] == "报名未通过审核"
    assert "照片背景不是蓝色" in message["body"] and energy.display_name in message["body"]
    assert message["url"].startswith("/")


def test_devices_page_lists_own_devices_and_sends_a_test(client, make_learner, push_receiver,
                                                         django_capture_on_commit_callbacks):
    user = make_learner()
    client.force_login(user)
    subscribe(client, push_receiver)
    page = client.get("/pwa/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Mozilla/5.0 (Android) Test" in page and "发送测试通知" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(TEST)
    assert response.status_code == 202 and response.json() == {"devices": 1}
    assert push_receiver.message(push_receiver.wait_for(1)[0])["title"] == "通知已开启"
    subscription = PushSubscription.objects.get()
    assert client.post(f"/pwa/notifications/{subscription.pk}/remove/").status_code == 302
    assert not PushSubscription.objects.exists()


def test_test_notification_needs_a_device(client, make_learner):
    client.force_login(make_learner())
    response = client.post(TEST, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json() == {"detail": "No device receives notifications yet."}


def test_load_initial_data_creates_the_vapid_key_once(settings, tmp_path):
    from django.apps import apps

    settings.PWA_VAPID_KEY_FILE = str(tmp_path / "keys" / "vapid.pem")
    lines = []
    config = apps.get_app_config("pwa")
    config.load_initial_data(None, lines.append)
    first = (tmp_path / "keys" / "vapid.pem").read_bytes()
    config.load_initial_data(None, lines.append)
    assert (tmp_path / "keys" / "vapid.pem").read_bytes() == first
    assert "created" in lines[0] and "kept" in lines[1]
