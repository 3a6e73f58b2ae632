"""The service worker turns a push message into a notification that opens our page."""

import json
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login
from tests.pwa.browser import (
    wagtail_root,  # noqa: F401 - autouse fixture
    wait_for_js,
    wait_until_controlled,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_push_message_becomes_a_notification_linking_to_the_page(page, live_server, site_data):
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto("/")
    wait_until_controlled(page)
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    deadline = time.monotonic() + 10
    while not any(r["scopeURL"] == scope for r in registrations) and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright dispatch the CDP events
    registration = next(r for r in registrations if r["scopeURL"] == scope)
    payload = {"kind": "certificate_issued", "title": "证书已颁发", "body": "您的证书已颁发。",
               "url": "/pwa/notifications/", "tag": "certificate_issued", "lang": "zh-hans"}
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration["registrationId"], "data": json.dumps(payload),
    })
    wait_for_js(page, "navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((n) => n.length === 1)")
    shown = page.evaluate(
        """navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((n) =>
             n.map((x) => ({title: x.title, body: x.body, tag: x.tag, url: x.data.url})))"""
    )
    assert shown == [{"title": "证书已颁发", "body": "您的证书已颁发。", "tag": "certificate_issued",
                      "url": "/pwa/notifications/"}]


def test_notifications_page_offers_one_switch_for_this_device(page, live_server, energy, make_learner):
    from cms_site.pwa.models import PushSubscription

    learner = make_learner(energy, password="Study-2026!")
    PushSubscription.objects.create(user=learner, endpoint="https://push.example.net/send/abc", p256dh="k",
                                    auth="a", language="zh-hans", user_agent="另一台手机")
    browser_login(page, learner.username, "Study-2026!")
    page.goto("/pwa/notifications/")
    expect(page.locator("#pwa-push-status")).to_have_text("此设备的通知已关闭。")
    expect(page.locator("#pwa-push-on")).to_be_visible()
    expect(page.locator("#pwa-push-off")).to_be_hidden()
    expect(page.locator(".pwa-devices li")).to_contain_text("另一台手机")
    page.locator(".pwa-devices li button").click()
    expect(page.locator(".pwa-devices li")).to_have_count(0)
    assert not PushSubscription.objects.filter(user=learner).exists()


def test_test_button_sends_a_notification_through_the_site_api(page, live_server, energy, make_learner, settings):
    from cms_site.pwa.models import PushSubscription
    from tests.pwa.push_receiver import PushReceiver

    learner = make_learner(energy, password="Study-2026!")
    with PushReceiver() as receiver:
        settings.PWA_PUSH_TEST_ORIGINS = [receiver.origin]  # the test-only escape for a local receiver
        PushSubscription.objects.create(user=learner, endpoint=receiver.endpoint, language="zh-hans",
                                        user_agent="测试手机", **receiver.subscription_json()["keys"])
        browser_login(page, learner.username, "Study-2026!")
        page.goto("/pwa/notifications/")
        status = page.locator("#pwa-push-status")
        expect(status).to_have_text("此设备的通知已关闭。", timeout=30_000)  # the page's own start-up is done
        page.locator("#pwa-push-test").click()
        expect(status).to_have_text("测试通知正在发送到您的设备。", timeout=30_000)
        [request] = receiver.wait_for(1, timeout=30)
    assert receiver.message(request)["title"] == "通知已开启"
