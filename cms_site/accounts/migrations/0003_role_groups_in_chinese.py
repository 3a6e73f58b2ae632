"""Link the role groups created under their former English names to their role keys and give
them their Chinese names (a name already taken by another group is left alone)."""

from django.db import migrations

ROLES = {
    # key: (former English name, Chinese name)
    "learner": ("Learners", "学员"),
    "content_editor": ("Content editors", "内容编辑"),
    "program_admin": ("Program admins", "项目管理员"),
    "proctor": ("Proctors", "监考员"),
    "grader": ("Graders", "阅卷员"),
}


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleGroup = apps.get_model("accounts", "RoleGroup")
    for key, (english, chinese) in ROLES.items():
        group = Group.objects.filter(name=english).first()
        if group is None or RoleGroup.objects.filter(key=key).exists():
            continue
        if not Group.objects.filter(name=chinese).exists():
            group.name = chinese
            group.save(update_fields=["name"])
        RoleGroup.objects.create(key=key, group=group)


def backwards(apps, schema_editor):
    RoleGroup = apps.get_model("accounts", "RoleGroup")
    for role in RoleGroup.objects.select_related("group"):
        english, chinese = ROLES.get(role.key, (None, None))
        if english and role.group.name == chinese:
            role.group.name = english
            role.group.save(update_fields=["name"])
    RoleGroup.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
