import pytest

from tests.pwa.push_receiver import PushReceiver


def allow_test_receiver(settings, receiver):
    """Put ``receiver``'s exact origin on ``PWA_PUSH_TEST_ORIGINS``, the documented
    test-only escape from the push endpoint rules (``cms_site/pwa/services/endpoints.py``)."""
    settings.PWA_PUSH_TEST_ORIGINS = [*getattr(settings, "PWA_PUSH_TEST_ORIGINS", []), receiver.origin]


@pytest.fixture
def push_receiver(settings):
    """A running local push receiver (replies 201) whose origin is allowed for this test."""
    with PushReceiver() as receiver:
        allow_test_receiver(settings, receiver)
        yield receiver


@pytest.fixture
def second_receiver(settings):
    with PushReceiver() as receiver:
        allow_test_receiver(settings, receiver)
        yield receiver
