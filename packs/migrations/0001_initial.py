"""The pack models, created by the ``pwa`` app (``pwa.0002``/``0003``) and moved here
(``pwa.0006``). The tables keep their names, so this only adds the models to the state
(``SeparateDatabaseAndState``) — an existing database keeps its rows — and moves their
content types from ``pwa`` to ``packs``, so permissions granted on them and admin log
entries stay attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import packs.models

MODELS = ("importedpage", "packlaptopkey")


def move_content_types(apps, schema_editor, source="pwa", target="packs"):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not content_type.objects.using(db).filter(app_label=target, model=model).exists():
            content_type.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def restore_content_types(apps, schema_editor):
    move_content_types(apps, schema_editor, source="packs", target="pwa")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('pwa', '0006_packs_app'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportedPage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source_key', models.UUIDField(unique=True, verbose_name='central page key')),
                        ('imported_at', models.DateTimeField(auto_now=True, verbose_name='imported at')),
                        ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='page')),
                    ],
                    options={
                        'verbose_name': 'imported page',
                        'verbose_name_plural': 'imported pages',
                        'db_table': 'pwa_importedpage',
                    },
                ),
                migrations.CreateModel(
                    name='PackLaptopKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='laptop')),
                        ('public_key', models.CharField(max_length=64, unique=True, validators=[packs.models.validate_public_key], verbose_name='public key')),
                        ('registered_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                    ],
                    options={
                        'verbose_name': 'laptop key',
                        'verbose_name_plural': 'laptop keys',
                        'ordering': ['name'],
                        'db_table': 'pwa_packlaptopkey',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
