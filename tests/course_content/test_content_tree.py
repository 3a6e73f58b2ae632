"""load_initial_data builds the content tree from fixtures/content, and every page renders."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from wagtail.models import Page

from course_content.models import (
    CourseModulePage,
    FaqPage,
    LessonPage,
    NoticePage,
    PolicyPage,
    ProgramLevel,
)

pytestmark = pytest.mark.django_db


def _declared_for(program, code):
    level = ProgramLevel.objects.get(program=program, code=code)
    lessons = LessonPage.objects.live().descendant_of(program).prefetch_related("levels")
    return sum((lesson.declared_class_hours for lesson in lessons if lesson.counts_for(level)), Decimal("0"))


def test_energy_has_the_five_outline_modules_in_order(energy):
    modules = list(CourseModulePage.objects.child_of(energy).order_by("path"))
    assert [m.title for m in modules] == [
        "项目节能减排技术基本知识",
        "能源管理、项目节能减排的相关法律法规和政策标准",
        "项目节能减排测试",
        "评估与设计方案的撰写",
        "项目节能案例评估分析及节能技术评价",
    ]
    assert all(LessonPage.objects.child_of(m).exists() for m in modules)


def test_every_energy_level_can_reach_its_required_hours(energy):
    for level in ProgramLevel.objects.filter(program=energy):
        assert _declared_for(energy, level.code) >= level.required_hours, level.code
    assert _declared_for(energy, "senior") >= 48


def test_lesson_text_comes_from_the_handbook(energy):
    lesson = LessonPage.objects.descendant_of(energy).get(slug="energy-conservation-law")
    text = str(lesson.body)
    assert "重点用能单位应当设立能源管理岗位" in text
    assert "lorem" not in text.lower()


def test_provincial_plans_are_structured_rows(energy):
    policy = PolicyPage.objects.descendant_of(energy).get(slug="provincial-14th-fyp-energy-plans")
    rows = list(policy.plan_rows.order_by("sort_order"))
    assert [r.issuer for r in rows] == ["北京市人民政府", "天津市发展和改革委员会", "四川省人民政府", "江西省人民政府"]
    assert rows[0].published_on.isoformat() == "2022-04-01"
    assert "未来科学城" in rows[0].content


def test_energy_law_policy_metadata(energy):
    law = PolicyPage.objects.descendant_of(energy).get(slug="energy-conservation-law")
    assert law.effective_on.isoformat() == "2008-04-01"
    assert law.document_number == "中华人民共和国主席令第七十七号"
    assert set(law.tags.names()) == {"法律", "能源管理"}


def test_faq_and_exam_rules(energy):
    faq = FaqPage.objects.child_of(energy).get()
    questions = [block.value["question"] for block in faq.body]
    assert len(questions) == 14
    assert "港澳台地区身份证学员怎么登录考试？" in questions
    rules = NoticePage.objects.child_of(energy).get(slug="exam-rules")
    assert "9:30后考生不可进入" in str(rules.body)


def test_dual_carbon_tracks_get_the_pre_read(asset):
    group = asset.get_parent()
    assert NoticePage.objects.child_of(group).filter(slug="candidate-pre-read").exists()
    module = CourseModulePage.objects.child_of(asset).get(slug="exam-preparation")
    titles = [lesson.title for lesson in LessonPage.objects.child_of(module).order_by("path")]
    assert titles[0] == "考前认证及设备调试要求"
    assert "监控设置操作要求" in titles


def test_loading_twice_changes_nothing_and_keeps_edits(energy):
    lesson = LessonPage.objects.descendant_of(energy).get(slug="market-size")
    lesson.title = "编辑修改过的标题"
    lesson.save_revision().publish()
    before = Page.objects.count()
    call_command("load_initial_data", verbosity=0, stdout=open("/dev/null", "w"))
    assert Page.objects.count() == before
    lesson.refresh_from_db()
    assert lesson.title == "编辑修改过的标题"


def test_every_page_of_the_content_tree_renders(client, site_data):
    pages = Page.objects.live().filter(depth__gte=2).specific()
    assert pages.count() > 40
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, (page.url, response.status_code)


def test_lesson_page_renders_blocks_and_policy_table(client, energy):
    lesson = LessonPage.objects.descendant_of(energy).get(slug="market-size")
    html = client.get(lesson.url).content.decode()
    assert "<table class=\"block-table\">" in html and "106.22" in html
    policy = PolicyPage.objects.descendant_of(energy).get(slug="provincial-14th-fyp-energy-plans")
    html = client.get(policy.url).content.decode()
    assert "policy-rows" in html and "《江西省“十四五”能源发展规划》" in html


def test_policy_index_filters_by_tag(client, energy):
    from course_content.models import PolicyIndexPage

    index = PolicyIndexPage.objects.child_of(energy).get()
    html = client.get(index.url, {"tag": "法律"}).content.decode()
    assert "中华人民共和国节约能源法" in html
    assert "高耗能行业重点领域节能降碳改造升级实施指南" not in html


def test_program_page_lists_the_course_outline(client, energy):
    html = client.get(energy.url).content.decode()
    assert "course-outline" in html and "模块五：项目节能案例评估分析及节能技术评价" in html
    assert "常见问题" in html and "考试须知及考试规范" in html
