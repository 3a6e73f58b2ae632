"""Who may edit, publish and administer learning content.

Content editors draft and submit pages; program admins approve and publish through a
Wagtail moderation workflow on the home page (Wagtail's migrations create a default
"Moderators approval" workflow on the root; we make sure program admins are among its
approvers, or create one when an installation removed it). Program admins also manage
enrolments and see the hours reports.
"""

from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from cms_site.accounts.services.roles import PROGRAM_ADMIN, grant, group

ENROLMENT_PERMISSIONS = (
    "course_content.view_enrolment",
    "course_content.add_enrolment",
    "course_content.change_enrolment",
    "course_content.view_studyinterval",
)


# Names editors see in the admin ("提交给…" on the page editor's button): Chinese, like the
# interface. Wagtail's own migrations create the English ones on the left; we rename them.
WORKFLOW_NAME = "内容发布审核"
TASK_NAME = "项目管理员审核"
WAGTAIL_DEFAULT_NAMES = {
    Workflow: {"Moderators approval": WORKFLOW_NAME},
    GroupApprovalTask: {"Moderators approval": TASK_NAME},
    Group: {"Moderators": "网站审核员（Wagtail 默认）", "Editors": "网站编辑（Wagtail 默认）"},
}


def _rename_wagtail_defaults() -> None:
    for model, names in WAGTAIL_DEFAULT_NAMES.items():
        for old, new in names.items():
            if not model.objects.filter(name=new).exists():
                model.objects.filter(name=old).update(name=new)


def ensure_moderation_workflow(home) -> Workflow:
    """A moderation workflow applies to ``home`` and program admins can approve in it."""
    _rename_wagtail_defaults()
    admins = group(PROGRAM_ADMIN)
    workflow = home.get_workflow()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    for task in workflow.tasks.filter(active=True).specific():
        if isinstance(task, GroupApprovalTask):
            task.groups.add(admins)
    return workflow


def grant_staff_permissions():
    grant(PROGRAM_ADMIN, *ENROLMENT_PERMISSIONS)


def can_view_hours(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("course_content.view_studyinterval")))
