"""The training-room pack models moved to their own app (``packs.0001_initial``): only
the migration state forgets them here; their tables stay as they are and are owned by
``packs`` from now on."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pwa', '0005_push_notice'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ImportedPage'),
                migrations.DeleteModel(name='PackLaptopKey'),
            ],
            database_operations=[],
        ),
    ]
