"""Browser helpers for the PWA end-to-end tests (tests/e2e/test_pwa_*.py)."""

import os

import pytest

from tests.helpers import CHROMIUM_ARGS, wait_for_js  # noqa: F401 - re-exported for the PWA tests


def persistent_context(playwright_instance, live_server, user_data_dir):
    """A Chromium profile on disk: Chromium refuses installability checks in the
    off-the-record contexts ``browser.new_context()`` gives (error "in-incognito")."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        headless=True,
        args=CHROMIUM_ARGS,
        locale="zh-CN",
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    return context


def wait_until_controlled(page):
    """Wait until the service worker is active and controls ``page`` (a first visit is
    not controlled: the worker takes over from the next navigation)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")


WORKER_VERSION_JS = """
() => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => resolve(event.data.version);
  navigator.serviceWorker.controller.postMessage({type: "GET_VERSION"}, [channel.port2]);
})
"""


def worker_version(page):
    """The shell version of the worker controlling ``page``."""
    return page.evaluate(WORKER_VERSION_JS)


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db):
    """An earlier transactional test may have flushed Wagtail's root page and root
    collection (created by its migrations) without the serialized rollback restoring
    them; put them back so ``site_data`` and documents work. Import into an e2e module."""
    from wagtail.models import Collection, Locale, Page

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        Locale.objects.get_or_create(language_code="zh-hans")
        Page.add_root(title="Root", slug="root")
