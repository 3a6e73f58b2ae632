"""The program plugin page speaks the admin's language: which program, plugins by name,
dependencies in words, state apart from action, and a confirmation step that says what
switching will change before anything is written (issue 15)."""

import re
from html import unescape

import pytest
from wagtail.models import PageLogEntry

from plugins import services
from plugins.models import ProgramPlugin


def is_on(program, label) -> bool:
    """The stored state (``services.is_enabled`` memoises on the program instance)."""
    return ProgramPlugin.objects.filter(program_id=program.pk, plugin=label, enabled=True).exists()


def text(response) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def section(response, label) -> str:
    html = response.content.decode()
    start = html.index(f'id="plugin-{label}"')
    end = html.find("</section>", start)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html[start:end])))


def log_entries(program, action):
    """The program's history entries of ``action`` (loading the fixtures wrote some: user None)."""
    return PageLogEntry.objects.filter(page_id=program.pk, action=action)


def test_page_names_the_program_and_the_plugins_in_words(client, program_admin, energy):
    client.force_login(program_admin)
    response = client.get(f"/admin/program-plugins/{energy.pk}/")
    assert response.status_code == 200
    # In the page's h1 (a context variable named ``heading`` would replace Wagtail's h1).
    assert re.search(rf'<h1 class="w-header__title"[^>]*>.*项目插件：{energy.display_name}\s*</h1>',
                     response.content.decode(), re.S)
    exam, proctor, cert = (section(response, label) for label in ("exam_plugin", "proctor_plugin", "cert_plugin"))
    assert "在线考试" in exam and "题库" in exam  # human name and translated description
    assert "在线监考" in proctor and "需要先启用：在线考试" in proctor
    assert "exam_plugin" not in proctor  # dependencies in words, not internal labels
    assert "以下插件依赖它：在线监考" in exam
    # State and action apart: the badge says what is, the button what one can do.
    assert "状态： 已启用" in cert and "停用…" in cert and "启用…" not in cert
    dummy = section(response, "dummy_plugin")
    assert "状态： 未启用" in dummy and "启用…" in dummy and "停用…" not in dummy


def test_confirmation_page_says_what_switching_off_changes(client, program_admin, energy):
    client.force_login(program_admin)
    url = f"/admin/program-plugins/{energy.pk}/cert_plugin/disable/"
    assert url in client.get(f"/admin/program-plugins/{energy.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "停用“证书”？" in page
    assert f"项目：{energy.display_name}" in page
    assert "停用后，本项目将不再颁发新证书" in page and "已颁发的证书仍然有效" in page
    assert "确认停用" in page and "取消" in page
    assert is_on(energy, "cert_plugin")  # looking is not switching
    assert not log_entries(energy, "plugins.disabled").exists()


def test_cancel_does_nothing(client, program_admin, energy):
    client.force_login(program_admin)
    response = client.get(f"/admin/program-plugins/{energy.pk}/cert_plugin/disable/")
    cancel = re.search(r'<a class="[^"]*plugin-cancel[^"]*" href="([^"]+)"', response.content.decode()).group(1)
    assert cancel == f"/admin/program-plugins/{energy.pk}/"
    back = client.get(cancel)
    assert back.status_code == 200
    assert "状态： 已启用" in section(back, "cert_plugin")
    assert is_on(energy, "cert_plugin")
    assert not log_entries(energy, "plugins.disabled").exists()


def test_confirm_switches_and_writes_the_audit_entry(client, program_admin, energy):
    client.force_login(program_admin)
    response = client.post(f"/admin/program-plugins/{energy.pk}/cert_plugin/disable/", follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/program-plugins/{energy.pk}/#plugin-cert_plugin"
    assert not is_on(energy, "cert_plugin")
    assert "已为本项目停用“证书”。" in [str(m) for m in response.context["messages"]]
    assert "状态： 未启用" in section(response, "cert_plugin")
    [entry] = log_entries(energy, "plugins.disabled")
    assert entry.user_id == program_admin.pk and entry.data == {"plugin": "cert_plugin"}

    # …and back on, through the same confirmation.
    page = text(client.get(f"/admin/program-plugins/{energy.pk}/cert_plugin/enable/"))
    assert "启用“证书”？" in page and "启用后" in page and "确认启用" in page
    client.post(f"/admin/program-plugins/{energy.pk}/cert_plugin/enable/")
    assert is_on(energy, "cert_plugin")
    assert log_entries(energy, "plugins.enabled").filter(user=program_admin).count() == 1


def test_a_refused_switch_is_explained_before_and_refused_after(client, program_admin, energy):
    client.force_login(program_admin)
    url = f"/admin/program-plugins/{energy.pk}/exam_plugin/disable/"
    response = client.get(url)
    page = text(response)
    assert "暂时不能停用" in page and "需要先停用：在线监考" in page
    assert "确认停用" not in page  # nothing to confirm
    client.post(url)  # a stale or forged confirmation is still refused by the service
    assert is_on(energy, "exam_plugin")
    assert not log_entries(energy, "plugins.disabled").exists()


def test_plugin_without_its_own_sentence_gets_a_generic_one(client, program_admin, energy):
    client.force_login(program_admin)
    page = text(client.get(f"/admin/program-plugins/{energy.pk}/dummy_plugin/enable/"))
    assert "启用后，本项目的学员将看到“Dummy”提供的页面和服务。" in page
    services.enable(energy, "dummy_plugin")
    page = text(client.get(f"/admin/program-plugins/{energy.pk}/dummy_plugin/disable/"))
    assert "停用后，本项目的学员将不再看到“Dummy”提供的页面和服务。" in page


def test_already_in_that_state_offers_nothing_to_confirm(client, program_admin, energy):
    client.force_login(program_admin)
    page = text(client.get(f"/admin/program-plugins/{energy.pk}/cert_plugin/enable/"))
    assert "本项目已启用“证书”。" in page and "确认启用" not in page


@pytest.mark.parametrize("path", ["nope_plugin/enable/", "cert_plugin/toggle/"])
def test_unknown_plugin_or_action_is_404(client, program_admin, energy, path):
    client.force_login(program_admin)
    assert client.get(f"/admin/program-plugins/{energy.pk}/{path}").status_code == 404
    assert client.post(f"/admin/program-plugins/{energy.pk}/{path}").status_code == 404
    assert is_on(energy, "cert_plugin")


def test_switch_preview_lists_what_would_refuse_it(energy, asset):
    preview = services.switch_preview(energy, "proctor_plugin", "disable")
    assert preview.blockers == () and not preview.already
    assert "人脸核验" in preview.consequence
    services.disable(energy, "proctor_plugin")
    services.disable(energy, "exam_plugin")
    blocked = services.switch_preview(energy, "proctor_plugin", "enable")
    assert blocked.blockers == ("需要先启用：在线考试。",)
    with pytest.raises(ValueError):
        services.switch_preview(energy, "proctor_plugin", "toggle")
