"""Fixtures of the offline module tests: a module of the energy program with lessons,
files and a video (``content.build_offline_module``)."""

import pytest


@pytest.fixture
def offline_module(energy):
    """A module under the energy program (see ``tests.course_content.offline.content.build_offline_module``)."""
    from tests.course_content.offline.content import build_offline_module

    return build_offline_module(energy)


@pytest.fixture
def module_image(offline_module):
    """Adds an image block to the first lesson; returns the Wagtail image."""
    from tests.course_content.offline.content import add_image_block

    return add_image_block(offline_module["lessons"][0])
