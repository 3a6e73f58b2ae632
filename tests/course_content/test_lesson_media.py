"""Lesson videos are served with byte ranges so that browsers can seek in them."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

pytestmark = pytest.mark.django_db

DATA = bytes(range(256)) * 40  # 10 240 bytes


@pytest.fixture
def video(db):
    return Document.objects.create(title="video", file=ContentFile(DATA, name="lesson.webm"))


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_whole_file_advertises_ranges(client, video):
    response = client.get(reverse("lesson_video", args=[video.pk]))
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/webm" and _body(response) == DATA


def test_byte_ranges(client, video):
    url = reverse("lesson_video", args=[video.pk])
    response = client.get(url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 100-199/{len(DATA)}"
    assert _body(response) == DATA[100:200]
    response = client.get(url, HTTP_RANGE="bytes=10000-")
    assert _body(response) == DATA[10000:]
    response = client.get(url, HTTP_RANGE="bytes=-40")
    assert _body(response) == DATA[-40:]
    assert client.get(url, HTTP_RANGE="bytes=99999-").status_code == 416
    assert client.get(reverse("lesson_video", args=[video.pk + 1000])).status_code == 404
