"""Wagtail admin labels that Wagtail translates once per process (at import or when a model
form is first built) follow each request's language here (cms_site/services/wagtail_i18n.py,
cms_site/forms.py): the Chinese page first, then the English one."""

import pytest
from django.conf import settings

from cms_site.accounts.services import roles

pytestmark = pytest.mark.django_db


def _page(client, path, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(username="su", password="x"))
    return client


def test_group_permission_labels(site_data, superuser_client):
    path = f"/admin/groups/edit/{roles.group(roles.PROGRAM_ADMIN).pk}/"
    chinese = _page(superuser_client, path, "zh-hans")
    assert "编辑任意图片" in chinese
    english = _page(superuser_client, path, "en")
    assert (
        "Edit any image" in english and "编辑任意图片" not in english and "添加集合" not in english
    )


def test_page_chooser_label(energy, superuser_client):
    from exam_plugin.models import Question

    path = f"/admin/question/edit/{Question.objects.filter(program=energy).first().pk}/"
    assert "选择一个页面" in _page(superuser_client, path, "zh-hans")
    english = _page(superuser_client, path, "en")
    assert "Choose a page" in english and "选择一个页面" not in english


def test_cms_site_catalogue_fills_wagtail_catalogue_gaps(site_data, superuser_client):
    """cms_site/locale is in LOCALE_PATHS, which Django reads before every app's catalogue: a
    Wagtail string its zh_Hans catalogue lacks (the empty-list sentence) renders in Chinese."""
    assert settings.LOCALE_PATHS[0].parent.name == "cms_site"
    chinese = _page(superuser_client, "/admin/pack-laptop-keys/", "zh-hans")
    assert "还没有" in chinese and "Why not" not in chinese
    assert "There are no" in _page(superuser_client, "/admin/pack-laptop-keys/", "en")


def test_user_admin_in_chinese(site_data, superuser_client):
    """Wagtail's boolean cells (cms_site/templates/wagtailadmin/tables/boolean_cell.html) and its
    username help text (a catalogue gap) in Chinese."""
    listing = _page(superuser_client, "/admin/users/", "zh-hans")
    assert "True" not in listing and "是" in listing
    assert "只能包含字母、数字和" in _page(superuser_client, "/admin/users/new/", "zh-hans")
