"""Roles are Django groups with permissions. Plugins add their own permissions to these
groups with :func:`grant` (from their ``installed`` hook or a data migration)."""

from django.contrib.auth.models import Group, Permission

LEARNER = "Learners"
CONTENT_EDITOR = "Content editors"
PROGRAM_ADMIN = "Program admins"
PROCTOR = "Proctors"
GRADER = "Graders"
ALL_ROLES = (LEARNER, CONTENT_EDITOR, PROGRAM_ADMIN, PROCTOR, GRADER)

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


def grant(role: str, *permissions: str) -> Group:
    """Give ``role`` the ``app_label.codename`` permissions (idempotent)."""
    group, _created = Group.objects.get_or_create(name=role)
    group.permissions.add(*(_permission(p) for p in permissions))
    return group


def ensure_roles() -> dict[str, Group]:
    """Create every role group with its core permissions; safe to run repeatedly."""
    return {role: grant(role, *perms) for role, perms in _ROLE_PERMISSIONS.items()}


def is_staff_role(user) -> bool:
    return user.is_superuser or user.groups.filter(name__in=_STAFF_ROLES).exists()


_PAGE_PERMISSIONS = {
    # Editors draft and submit for moderation; program admins approve and publish.
    CONTENT_EDITOR: ("add_page", "change_page"),
    PROGRAM_ADMIN: ("add_page", "change_page", "publish_page", "delete_page"),
}


def grant_page_permissions(page) -> None:
    """Page-tree permissions of the staff roles below ``page`` (idempotent)."""
    from wagtail.models import GroupPagePermission

    for role, codenames in _PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
