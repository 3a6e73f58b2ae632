"""The installable app shell in Debian's Chromium: installability, offline page, updates."""

import pytest
from playwright.sync_api import expect

from cms_site.pwa.services import shell
from tests.pwa.browser import (
    WORKER_VERSION_JS,
    persistent_context,
    wagtail_root,  # noqa: F401 - autouse fixture
    wait_for_js,
    wait_until_controlled,
    worker_version,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_manifest_and_service_worker_pass_chromium_installability_check(
    playwright_instance, live_server, site_data, tmp_path
):
    context = persistent_context(playwright_instance, live_server, tmp_path / "profile")
    try:
        page = context.new_page()
        page.goto("/")
        wait_until_controlled(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert manifest["url"].endswith("/manifest.webmanifest")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_offline_page_is_served_for_pages_not_stored_and_the_shell_from_cache(page, site_data):
    page.goto("/")
    wait_until_controlled(page)
    page.context.set_offline(True)
    expect(page.locator("#pwa-offline-status")).to_be_visible()  # the open page says so

    page.goto("/programs/")
    expect(page.locator("#pwa-offline h1")).to_have_text("您已离线")
    # the shell's static files answer from the versioned cache while offline
    status = page.evaluate("fetch('/static/pwa/pwa.js').then((r) => r.status)")
    assert status == 200

    page.context.set_offline(False)
    page.goto("/programs/")
    expect(page.locator("#pwa-offline")).to_have_count(0)


def test_update_available_prompt_after_a_new_version_is_deployed(page, site_data, settings):
    page.goto("/")
    wait_until_controlled(page)
    first = worker_version(page)
    assert first == shell.shell_version()
    expect(page.locator("#pwa-update")).to_be_hidden()

    settings.PWA_RELEASE = "next-deploy"  # what a deploy with changed shell files does
    second = shell.shell_version()
    assert second != first
    page.evaluate("window.pwaRegistration.update()")
    banner = page.locator("#pwa-update")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("网站有新版本可用")

    # The new worker takes over and the page reloads itself (pwa.js, on "controllerchange"):
    # wait for that reload, not only for the new worker, or the checks below run on the old
    # page while it is being replaced.
    with page.expect_navigation(timeout=30_000):
        page.locator("#pwa-update-reload").click()
    expect(page.locator("#pwa-update")).to_be_hidden()
    wait_for_js(page, f"navigator.serviceWorker.controller && ({WORKER_VERSION_JS})().then((v) => v === '{second}')")
    # the new shell is stored and the old one gone (the worker's activation deletes it)
    wait_for_js(page, f"caches.keys().then((n) => n.includes('pwa-shell-{second}') && !n.includes('pwa-shell-{first}'))")
