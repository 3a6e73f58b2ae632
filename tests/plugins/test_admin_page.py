from plugins import services
from plugins.models import ProgramPlugin


def is_on(program, label) -> bool:
    """The stored state (``services.is_enabled`` memoises on the program instance)."""
    return ProgramPlugin.objects.filter(program_id=program.pk, plugin=label, enabled=True).exists()


def test_program_admin_sees_every_plugin_with_toggle_and_settings(client, program_admin, energy):
    client.force_login(program_admin)
    response = client.get(f"/admin/program-plugins/{energy.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("exam_plugin", "proctor_plugin", "cert_plugin", "dummy_plugin"):
        assert f'id="plugin-{label}"' in html
    assert 'name="proctor_plugin-leave_limit"' in html
    assert 'value="10"' in html


def test_program_admin_switches_a_plugin_after_confirming(client, program_admin, energy):
    client.force_login(program_admin)
    response = client.post(f"/admin/program-plugins/{energy.pk}/", {"plugin": "dummy_plugin", "action": "enable"})
    # A switch posted from the page itself only leads to the confirmation step.
    assert response.status_code == 302
    assert response["Location"] == f"/admin/program-plugins/{energy.pk}/dummy_plugin/enable/"
    assert not is_on(energy, "dummy_plugin")
    client.post(response["Location"])
    assert is_on(energy, "dummy_plugin")


def test_dependency_refusal_is_shown_as_a_message(client, program_admin, energy):
    client.force_login(program_admin)
    response = client.post(f"/admin/program-plugins/{energy.pk}/exam_plugin/disable/", follow=True)
    assert is_on(energy, "exam_plugin")
    messages = [str(m) for m in response.context["messages"]]
    assert any("exam" in m.lower() or "考试" in m for m in messages)


def test_invalid_settings_are_refused_with_the_form_error(client, program_admin, energy):
    client.force_login(program_admin)
    data = {"plugin": "proctor_plugin", "action": "settings"}
    data.update({f"proctor_plugin-{k}": v for k, v in services.get_settings(energy, "proctor_plugin").items() if v is not False})
    data["proctor_plugin-leave_limit"] = "-1"
    response = client.post(f"/admin/program-plugins/{energy.pk}/", data)
    assert response.status_code == 400
    assert 'name="proctor_plugin-leave_limit"' in response.content.decode()
    assert services.get_settings(energy, "proctor_plugin")["leave_limit"] == 10


def test_valid_settings_are_saved(client, program_admin, asset):
    client.force_login(program_admin)
    current = services.get_settings(asset, "proctor_plugin")
    data = {"plugin": "proctor_plugin", "action": "settings"}
    data.update({f"proctor_plugin-{k}": v for k, v in current.items() if v is not False})
    data["proctor_plugin-leave_limit"] = "4"
    response = client.post(f"/admin/program-plugins/{asset.pk}/", data)
    assert response.status_code == 302
    saved = services.get_settings(asset, "proctor_plugin")
    assert saved["leave_limit"] == 4 and saved["second_camera_required"] is True


def test_restricted_plugin_has_no_toggle_for_program_admin(client, program_admin, energy):
    services.enable(energy, "dummy_plugin")
    client.force_login(program_admin)
    page = client.get(f"/admin/program-plugins/{energy.pk}/").content.decode()
    assert "/dummy_addon/enable/" not in page
    response = client.post(f"/admin/program-plugins/{energy.pk}/dummy_addon/enable/")
    assert response.status_code == 302
    assert not is_on(energy, "dummy_addon")


def test_editor_and_learner_cannot_reach_the_page(client, editor, energy, make_learner):
    client.force_login(editor)
    assert client.get(f"/admin/program-plugins/{energy.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/program-plugins/{energy.pk}/", {"plugin": "cert_plugin", "action": "disable"}).status_code in (302, 403)
    assert client.post(f"/admin/program-plugins/{energy.pk}/cert_plugin/disable/").status_code in (302, 403)
    assert is_on(energy, "cert_plugin")
    client.force_login(make_learner(energy))
    assert client.get("/admin/program-plugins/").status_code in (302, 403)


def test_anonymous_is_sent_to_login(client, energy):
    response = client.get(f"/admin/program-plugins/{energy.pk}/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_program_page_edit_view_links_to_its_plugins(client, program_admin, editor, energy):
    client.force_login(program_admin)
    url = f"/admin/program-plugins/{energy.pk}/"
    assert url in client.get(f"/admin/pages/{energy.pk}/edit/").content.decode()
    client.force_login(editor)
    assert url not in client.get(f"/admin/pages/{energy.pk}/edit/").content.decode()
