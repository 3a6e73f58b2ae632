import pytest

from cms_site.accounts.services import roles


@pytest.fixture(autouse=True)
def reset_dummy_plugin():
    from tests.dummy_plugin import signals

    signals.DELIVERIES.clear()
    signals.FAIL["on"] = signals.LINKS["on"] = False
    yield
    signals.FAIL["on"] = signals.LINKS["on"] = False


@pytest.fixture
def program_admin(db, site_data):
    from django.contrib.auth import get_user_model

    from cms_site.accounts.services.roles import PROGRAM_ADMIN

    user = get_user_model().objects.create_user(username="padmin", password="Padmin-2026!", real_name="管理员")
    user.groups.add(roles.group(PROGRAM_ADMIN))
    return user


@pytest.fixture
def editor(db, site_data):
    from django.contrib.auth import get_user_model

    from cms_site.accounts.services.roles import CONTENT_EDITOR

    user = get_user_model().objects.create_user(username="editor1", password="Editor-2026!", real_name="编辑")
    user.groups.add(roles.group(CONTENT_EDITOR))
    return user
