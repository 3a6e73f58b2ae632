import pytest

from tests.pwa.push_receiver import PushReceiver


@pytest.fixture
def push_receiver(settings):
    """A running local push receiver (replies 201); loopback HTTP endpoints allowed."""
    settings.PWA_PUSH_ALLOW_LOOPBACK_HTTP = True
    with PushReceiver() as receiver:
        yield receiver


@pytest.fixture
def second_receiver(settings):
    settings.PWA_PUSH_ALLOW_LOOPBACK_HTTP = True
    with PushReceiver() as receiver:
        yield receiver



@pytest.fixture
def offline_module(energy):
    """A module under the energy program (see ``tests.pwa.content.build_offline_module``)."""
    from tests.pwa.content import build_offline_module

    return build_offline_module(energy)


@pytest.fixture
def module_image(offline_module):
    """Adds an image block to the first lesson; returns the Wagtail image."""
    from tests.pwa.content import add_image_block

    return add_image_block(offline_module["lessons"][0])
