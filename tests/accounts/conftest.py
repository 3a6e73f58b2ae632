import pytest


@pytest.fixture(autouse=True)
def reset_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
