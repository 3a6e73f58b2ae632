"""Who may edit, publish and administer learning content.

Content editors draft and submit pages; program admins approve and publish through a
Wagtail moderation workflow on the home page (Wagtail's migrations create a default
"Moderators approval" workflow on the root; we make sure program admins are among its
approvers, or create one when an installation removed it). Program admins also manage
enrolments and see the hours reports.
"""

from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from cms_site.accounts.roles import PROGRAM_ADMIN, grant

ENROLMENT_PERMISSIONS = (
    "course_content.view_enrolment",
    "course_content.add_enrolment",
    "course_content.change_enrolment",
    "course_content.view_studyinterval",
)


def ensure_moderation_workflow(home) -> Workflow:
    """A moderation workflow applies to ``home`` and program admins can approve in it."""
    admins, _created = Group.objects.get_or_create(name=PROGRAM_ADMIN)
    workflow = home.get_workflow()
    if workflow is None:
        workflow = Workflow.objects.create(name="Program admins approval", active=True)
        task = GroupApprovalTask.objects.create(name="Program admins approval", active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    for task in workflow.tasks.filter(active=True).specific():
        if isinstance(task, GroupApprovalTask):
            task.groups.add(admins)
    return workflow


def grant_staff_permissions():
    grant(PROGRAM_ADMIN, *ENROLMENT_PERMISSIONS)


def can_manage_enrolments(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("course_content.change_enrolment")))


def can_view_hours(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("course_content.view_studyinterval")))
