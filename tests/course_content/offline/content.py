"""Course content built for the offline-module tests, packs, archives and browser tests
(plain functions; fixtures wrap them)."""

import io
import json

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

VIDEO_BYTES = bytes(range(256)) * 1200


def build_offline_module(program):
    """A module with two lessons: a rich-text link to a document, a downloadable
    document (shown twice) and a video (a document, as editors upload them)."""
    from course_content.models import CourseModulePage, LessonPage

    document_model = get_document_model()
    handout = document_model.objects.create(title="节能讲义", file=ContentFile(b"%PDF-1.4\n" + b"x" * 4000, name="handout.pdf"))
    linked = document_model.objects.create(title="政策原文", file=ContentFile(b"%PDF-1.4\n" + b"y" * 2000, name="policy.pdf"))
    video = document_model.objects.create(title="讲解视频", file=ContentFile(VIDEO_BYTES, name="lesson.mp4"))

    module = CourseModulePage(title="离线学习测试模块", slug="pwa-offline-module", label="模块九", intro="可下载")
    program.add_child(instance=module)
    first = LessonPage(
        title="第一课：节能概念", slug="pwa-lesson-one", summary="概念",
        body=json.dumps([
            {"type": "text", "value": f'<p>请阅读<a linktype="document" id="{linked.pk}">政策原文</a>。</p>'},
            {"type": "document", "value": {"document": handout.pk, "label": "下载讲义"}},
        ]),
    )
    module.add_child(instance=first)
    second = LessonPage(
        title="第二课：合同能源管理", slug="pwa-lesson-two", summary="视频",
        body=json.dumps([
            {"type": "video", "value": {"video": video.pk, "poster": None, "caption": "讲解"}},
            {"type": "document", "value": {"document": handout.pk, "label": "同一讲义"}},
        ]),
    )
    module.add_child(instance=second)
    return {"module": module, "lessons": [first, second], "handout": handout, "linked": linked, "video": video}


def add_image_block(lesson):
    """Append an image block to ``lesson`` (published); returns the Wagtail image."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 110, 79)).save(buffer, format="PNG")
    image = get_image_model().objects.create(title="图表", file=ImageFile(buffer, name="chart.png"))
    blocks = [{"type": b.block_type, "value": b.block.get_prep_value(b.value)} for b in lesson.body]
    lesson.body = json.dumps([*blocks, {"type": "image", "value": {"image": image.pk, "caption": "图"}}])
    lesson.save_revision().publish()
    return image
