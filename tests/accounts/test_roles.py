"""Roles are found by their key, never by the group's name: the names are Chinese data an
administrator may change (cms_site/accounts/services/roles.py, migration 0003 for older installations)."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group

from cms_site.accounts.models import RoleGroup
from cms_site.accounts.services import roles

pytestmark = pytest.mark.django_db


def test_role_groups_are_created_with_chinese_names():
    groups = roles.ensure_roles()
    assert {role: group.name for role, group in groups.items()} == roles.DEFAULT_NAMES
    assert all(not name.isascii() for name in roles.DEFAULT_NAMES.values())


def test_a_renamed_group_keeps_its_role(django_user_model):
    admins = roles.group(roles.PROGRAM_ADMIN)
    admins.name = "考试办公室"
    admins.save()
    user = django_user_model.objects.create_user(username="office", password="x")
    user.groups.add(roles.group(roles.PROGRAM_ADMIN))
    assert roles.group(roles.PROGRAM_ADMIN) == admins
    assert roles.is_staff_role(user)
    roles.ensure_roles()
    assert not Group.objects.filter(name=roles.DEFAULT_NAMES[roles.PROGRAM_ADMIN]).exists()


def test_unknown_roles_are_refused():
    with pytest.raises(KeyError):
        roles.group("Program admins")


def test_the_migration_gives_former_english_groups_their_role_and_chinese_name():
    RoleGroup.objects.all().delete()
    Group.objects.filter(name__in=roles.DEFAULT_NAMES.values()).delete()
    graders = Group.objects.create(name="Graders")
    Group.objects.create(name="Proctors")
    Group.objects.create(
        name="监考员"
    )  # taken by an admin's own group: the English one keeps its name
    migration = importlib.import_module("cms_site.accounts.migrations.0003_role_groups_in_chinese")
    migration.forwards(global_apps, None)
    graders.refresh_from_db()
    assert graders.name == "阅卷员" and roles.group(roles.GRADER) == graders
    assert roles.group(roles.PROCTOR).name == "Proctors"
