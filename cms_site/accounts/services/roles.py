"""Roles are Django groups with permissions. Plugins add their own permissions to these
groups with :func:`grant` (from their ``installed`` hook or a data migration).

Code names a role by a stable key (the constants below) and finds its group through
:class:`~cms_site.accounts.models.RoleGroup`, never by the group's name: the name is data that
administrators see and may rename, created in Chinese (``DEFAULT_NAMES``) like page titles.
"""

from django.contrib.auth.models import Group, Permission

LEARNER = "learner"
CONTENT_EDITOR = "content_editor"
PROGRAM_ADMIN = "program_admin"
PROCTOR = "proctor"
GRADER = "grader"
ALL_ROLES = (LEARNER, CONTENT_EDITOR, PROGRAM_ADMIN, PROCTOR, GRADER)

# The names a new installation gives the groups (migration 0002 renames the former English ones).
DEFAULT_NAMES = {
    LEARNER: "学员",
    CONTENT_EDITOR: "内容编辑",
    PROGRAM_ADMIN: "项目管理员",
    PROCTOR: "监考员",
    GRADER: "阅卷员",
}

_STAFF_ROLES = (CONTENT_EDITOR, PROGRAM_ADMIN, PROCTOR, GRADER)

_ROLE_PERMISSIONS = {
    CONTENT_EDITOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
    ],
    PROGRAM_ADMIN: [
        "wagtailadmin.access_admin",
        "plugins.manage_program_plugins",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
    ],
    PROCTOR: ["wagtailadmin.access_admin"],
    GRADER: ["wagtailadmin.access_admin"],
    LEARNER: [],
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def group(role: str) -> Group:
    """The group playing ``role`` (created under its default name the first time)."""
    from ..models import RoleGroup

    if role not in DEFAULT_NAMES:
        raise KeyError(f"unknown role {role!r}")
    found = Group.objects.filter(role__key=role).first()
    if found is None:
        found, _created = Group.objects.get_or_create(name=DEFAULT_NAMES[role])
        RoleGroup.objects.create(key=role, group=found)
    return found


def grant(role: str, *permissions: str) -> Group:
    """Give ``role`` the ``app_label.codename`` permissions (idempotent)."""
    role_group = group(role)
    role_group.permissions.add(*(_permission(p) for p in permissions))
    return role_group


def ensure_roles() -> dict[str, Group]:
    """Create every role group with its core permissions; safe to run repeatedly."""
    return {role: grant(role, *perms) for role, perms in _ROLE_PERMISSIONS.items()}


def is_staff_role(user) -> bool:
    return user.is_superuser or user.groups.filter(role__key__in=_STAFF_ROLES).exists()


_PAGE_PERMISSIONS = {
    # Editors draft and submit for moderation; program admins approve and publish.
    CONTENT_EDITOR: ("add_page", "change_page"),
    PROGRAM_ADMIN: ("add_page", "change_page", "publish_page", "delete_page"),
}


def grant_page_permissions(page) -> None:
    """Page-tree permissions of the staff roles below ``page`` (idempotent)."""
    from wagtail.models import GroupPagePermission

    for role, codenames in _PAGE_PERMISSIONS.items():
        role_group = group(role)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=role_group, page=page, permission=permission)
