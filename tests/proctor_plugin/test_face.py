"""The face engine on the real YuNet/SFace models and real photos."""

import numpy as np
import pytest
from PIL import Image

from proctor_plugin.services.face import InvalidImage, analyse_image, cosine_similarity, load_rgb
from proctor_plugin.services.face.model_files import (
    DETECTOR_FILE,
    RECOGNISER_FILE,
    repaired_model_path,
    runtime_model_path,
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
    assert cosine_similarity(reference, ours.embedding) >= 0.99


def _ort_session(path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.add_session_config_entry("session.disable_quant_qdq", "1")
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def test_runtime_rewrite_keeps_the_models_outputs(hopper):
    """The rewritten graphs (PRelu as Mul/Relu/Add, symbolic detector size) compute what the
    repaired ones do, on a real face and on a real frame."""
    import onnx

    from proctor_plugin.services.face import get_engine

    engine = get_engine()
    crop = engine.align(hopper, analyse_image(hopper).largest).astype(np.float32).transpose(2, 0, 1)[np.newaxis]
    frame = np.zeros((1, 3, 640, 640), dtype=np.float32)
    frame[0, :, : hopper.shape[0], : hopper.shape[1]] = hopper[:640, :640, ::-1].transpose(2, 0, 1)
    for name, blob in ((RECOGNISER_FILE, np.ascontiguousarray(crop)), (DETECTOR_FILE, frame)):
        repaired, rewritten = _ort_session(repaired_model_path(name)), _ort_session(runtime_model_path(name))
        feed = {repaired.get_inputs()[0].name: blob}
        for before, after in zip(repaired.run(None, feed), rewritten.run(None, feed), strict=True):
            assert np.allclose(before, after, atol=1e-4), name
    assert not any(node.op_type == "PRelu" for node in onnx.load(str(runtime_model_path(RECOGNISER_FILE))).graph.node)


def test_detector_runs_at_the_frame_size_not_a_square(astronaut):
    """A 640×480 frame is fed as 640×480 (a multiple of 32), like OpenCV, and finds the face."""
    detector = _ort_session(runtime_model_path(DETECTOR_FILE))
    frame = np.zeros((1, 3, 480, 640), dtype=np.float32)
    frame[0, :, :480, :512] = astronaut[:480, :, ::-1].transpose(2, 0, 1)
    outputs = dict(zip([o.name for o in detector.get_outputs()], detector.run(None, {"input": frame}), strict=True))
    assert outputs["cls_8"].shape == (1, 60 * 80, 1)
    score = np.sqrt(np.clip(outputs["cls_32"][0, :, 0], 0, 1) * np.clip(outputs["obj_32"][0, :, 0], 0, 1))
    score = np.maximum(score.max(), np.sqrt(np.clip(outputs["cls_16"], 0, 1) * np.clip(outputs["obj_16"], 0, 1)).max())
    assert score >= 0.7


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
