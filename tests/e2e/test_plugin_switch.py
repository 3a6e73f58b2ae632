"""The program plugin page in Chromium: switching a plugin off shows what will change and
asks for confirmation before anything is switched; cancel leaves it on (issue 15)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cms_site.accounts.services import roles
from cms_site.accounts.services.roles import PROGRAM_ADMIN
from plugins.models import ProgramPlugin
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Plugins-2026!"
TIMEOUT = 30_000


def cert_enabled(program) -> bool:
    """Server-side state, read from the table (not the per-instance memo)."""
    return ProgramPlugin.objects.filter(program=program, plugin="cert_plugin", enabled=True).exists()


def test_confirmation_is_shown_before_switching(page, live_server, energy):
    admin = get_user_model().objects.create_user(username="plugins-e2e", password=PASSWORD, real_name="项目管理员")
    admin.groups.add(roles.group(PROGRAM_ADMIN))
    browser_login(page, "plugins-e2e", PASSWORD)
    page.goto(f"/admin/program-plugins/{energy.pk}/")
    expect(page.locator("h1#header-title")).to_contain_text(f"项目插件：{energy.display_name}", timeout=TIMEOUT)
    cert = page.locator("#plugin-cert_plugin")
    expect(cert.locator(".plugin-badge")).to_have_text("已启用")
    expect(page.locator("#plugin-proctor_plugin .plugin-needs")).to_have_text("需要先启用：在线考试")

    # The switch leads to a confirmation that says what will change; nothing switched yet.
    cert.get_by_role("link", name="停用…").click()
    expect(page.locator("h1#header-title")).to_contain_text("停用“证书”？", timeout=TIMEOUT)
    expect(page.locator(".plugin-switch-program")).to_contain_text(energy.display_name)
    expect(page.locator(".plugin-consequence")).to_contain_text("停用后，本项目将不再颁发新证书")
    expect(page.locator(".plugin-consequence")).to_contain_text("已颁发的证书仍然有效")
    assert cert_enabled(energy)

    # Cancel: back on the plugin page, still on.
    page.get_by_role("link", name="取消").click()
    expect(page.locator("#plugin-cert_plugin .plugin-badge")).to_have_text("已启用", timeout=TIMEOUT)
    assert cert_enabled(energy)

    # Confirm: switched off, and the page says so.
    page.locator("#plugin-cert_plugin").get_by_role("link", name="停用…").click()
    page.get_by_role("button", name="确认停用").click()
    expect(page.locator("#plugin-cert_plugin .plugin-badge")).to_have_text("未启用", timeout=TIMEOUT)
    expect(page.locator("#plugin-cert_plugin .plugin-switch")).to_have_text("启用…")
    expect(page.get_by_text("已为本项目停用“证书”。")).to_be_visible()
    assert not cert_enabled(energy)
