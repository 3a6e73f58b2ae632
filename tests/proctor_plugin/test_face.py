"""The face engine on the real YuNet/SFace models and real photos."""

import numpy as np
import pytest
from PIL import Image

from proctor_plugin.face import InvalidImage, analyse_image, cosine_similarity, load_rgb
from proctor_plugin.face.model_files import (
    DETECTOR_FILE,
    RECOGNISER_FILE,
    repaired_model_path,
    shipped_model_path,
)

from .conftest import jpeg_bytes

SAME_PERSON = 0.363  # OpenCV's SFace cosine threshold (the program default)


@pytest.mark.parametrize("name", ["astronaut", "cameraman", "hopper"])
def test_each_portrait_has_exactly_one_face(request, name):
    analysis = analyse_image(request.getfixturevalue(name))
    assert analysis.face_count == 1
    assert analysis.embedding.shape == (128,)
    assert abs(float(np.linalg.norm(analysis.embedding)) - 1) < 1e-4


def test_blank_image_has_no_face(blank):
    analysis = analyse_image(blank)
    assert analysis.face_count == 0
    assert analysis.embedding is None


def test_side_by_side_image_has_two_faces(side_by_side):
    assert analyse_image(side_by_side).face_count == 2


def _variants(rgb):
    image = Image.fromarray(rgb)
    yield "shifted", np.asarray(image.crop((24, 12, image.width, image.height)))
    yield "scaled", np.asarray(image.resize((image.width * 2 // 3, image.height * 2 // 3)))
    yield "brighter", np.clip(rgb.astype(int) + 40, 0, 255).astype(np.uint8)
    yield "jpeg", jpeg_bytes(rgb, quality=40)


@pytest.mark.parametrize("name", ["astronaut", "cameraman", "hopper"])
def test_same_person_pairs_pass(request, name):
    rgb = request.getfixturevalue(name)
    reference = analyse_image(rgb).embedding
    for label, variant in _variants(rgb):
        similarity = cosine_similarity(reference, analyse_image(variant).embedding)
        assert similarity > SAME_PERSON + 0.3, (label, similarity)


def test_different_person_pairs_fail(astronaut, cameraman, hopper):
    embeddings = [analyse_image(img).embedding for img in (astronaut, cameraman, hopper)]
    for i in range(3):
        for j in range(i + 1, 3):
            assert cosine_similarity(embeddings[i], embeddings[j]) < SAME_PERSON


def test_matches_opencv_reference_implementation(hopper):
    """Same boxes and embeddings as OpenCV's FaceDetectorYN/FaceRecognizerSF."""
    import cv2

    bgr = np.ascontiguousarray(hopper[:, :, ::-1])
    detector = cv2.FaceDetectorYN.create(
        str(shipped_model_path(DETECTOR_FILE)), "", (bgr.shape[1], bgr.shape[0]), 0.7, 0.3, 5000
    )
    _, faces = detector.detect(bgr)
    recogniser = cv2.FaceRecognizerSF.create(str(repaired_model_path(RECOGNISER_FILE)), "")
    reference = recogniser.feature(recogniser.alignCrop(bgr, faces[0])).flatten()

    ours = analyse_image(hopper)
    assert np.allclose(ours.faces[0].box, faces[0][:4], atol=3)
    assert cosine_similarity(reference, ours.embedding) > 0.98


def test_repaired_models_are_cached_and_loadable():
    import onnxruntime as ort

    first = repaired_model_path(RECOGNISER_FILE)
    mtime = first.stat().st_mtime_ns
    assert repaired_model_path(RECOGNISER_FILE) == first
    assert first.stat().st_mtime_ns == mtime
    session = ort.InferenceSession(str(first), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["data"]


def test_shipped_models_are_refused_without_repair():
    """Guards the reason the repair exists: if onnxruntime starts accepting the
    shipped graphs, the repair step can go."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    for name, shape in ((DETECTOR_FILE, (1, 3, 640, 640)), (RECOGNISER_FILE, (1, 3, 112, 112))):
        for path, should_run in ((shipped_model_path(name), False), (repaired_model_path(name), True)):
            session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
            feed = {session.get_inputs()[0].name: np.zeros(shape, dtype=np.float32)}
            if should_run:
                assert session.run(None, feed)
            else:
                with pytest.raises(Exception, match="block_size|Required inputs"):
                    session.run(None, feed)


def test_garbage_upload_is_refused_with_a_reason():
    with pytest.raises(InvalidImage):
        load_rgb(b"not an image at all")
