"""Editors draft and submit lessons; program admins approve and publish (Wagtail moderation).
Search finds lessons and policies."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms_site.accounts.services import roles
from course_content.models import CourseModulePage, LessonPage, PolicyPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_data")]


def _staff(username, role):
    user = get_user_model().objects.create_user(username=username, password="Staff-Pass-2026", is_staff=True)
    user.groups.add(roles.group(role))
    return user


def _lesson_form(title, slug, level_ids, action):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "由编辑撰写的新课程",
            "declared_class_hours": "2.5",
            "body": streamfield([("text", rich_text("<p>重点用能单位应当设立能源管理岗位。</p>"))]),
        }
    )
    data["levels"] = [str(pk) for pk in level_ids]
    data[action] = "1"
    return data


def test_editor_submits_and_program_admin_approves_and_publishes(client, energy):
    editor = _staff("editor-a", roles.CONTENT_EDITOR)
    admin = _staff("padmin-a", roles.PROGRAM_ADMIN)
    module = CourseModulePage.objects.child_of(energy).get(slug="module-3")
    junior = energy.levels.get(code="junior")
    add_url = reverse("wagtailadmin_pages:add", args=["course_content", "lessonpage", module.pk])

    client.force_login(editor)
    # An editor cannot publish directly: the lesson stays a draft.
    response = client.post(add_url, _lesson_form("能耗测试方法", "energy-test-methods", [junior.pk], "action-publish"))
    assert response.status_code in (200, 302, 403)
    lesson = LessonPage.objects.filter(slug="energy-test-methods").first()
    if lesson is not None:
        assert not lesson.live
        lesson.delete()

    response = client.post(add_url, _lesson_form("能耗测试方法", "energy-test-methods", [junior.pk], "action-submit"))
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = LessonPage.objects.get(slug="energy-test-methods")
    assert not lesson.live
    assert [lvl.pk for lvl in lesson.get_latest_revision_as_object().levels.all()] == [junior.pk]
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(lesson.pk), status="in_progress")
    task_state = state.current_task_state
    # The editor cannot approve their own submission.
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk])
    client.post(approve_url, {"comment": ""})
    lesson.refresh_from_db()
    assert not lesson.live

    client.force_login(admin)
    response = client.post(approve_url, {"comment": "通过"})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.revisions.count() >= 1
    assert client.get(lesson.url).status_code == 200
    assert junior in lesson.levels.all()
def test_search_across_lessons_and_policies(energy):
    lessons = LessonPage.objects.live().search("合同能源管理")
    assert any(page.slug == "market-size" for page in lessons)
    policies = PolicyPage.objects.live().search("节约能源法")
    assert any(page.slug == "energy-conservation-law" for page in policies)
    everything = Page.objects.live().search("能源计量")
    assert len(everything) >= 1


def test_editor_can_search_in_the_admin(client, energy):
    client.force_login(_staff("editor-b", roles.CONTENT_EDITOR))
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "节约能源法"})
    assert response.status_code == 200
    assert "中华人民共和国节约能源法" in response.content.decode()
