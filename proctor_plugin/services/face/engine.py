"""Face detection (YuNet) and face embedding (SFace) on onnxruntime, CPU only.

The pre/post-processing follows OpenCV's ``FaceDetectorYN`` / ``FaceRecognizerSF`` so
that our embeddings are comparable with OpenCV's and its published same-person
threshold (cosine ≥ 0.363) applies:

- detection: BGR, unnormalised float input; the image is shrunk (never enlarged) to fit
  640×640 and padded bottom/right to a multiple of 32 (the rewritten graph takes any size,
  see ``model_files``); each stride-8/16/32 head gives a score
  ``sqrt(cls·obj)``, a box and five landmarks (eyes, nose, mouth corners); overlapping
  boxes are suppressed (IoU 0.3).
- recognition: a similarity transform maps the five landmarks onto SFace's 112×112
  template, the crop is fed as RGB (the model normalises internally), the 128-d output
  is L2-normalised so cosine similarity is a dot product.

Image work uses NumPy and Pillow only; OpenCV is not needed at run time.
"""

import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from PIL import Image

from .model_files import DETECTOR_FILE, RECOGNISER_FILE, runtime_model_path

DETECTOR_SIZE = 640
STRIDES = (8, 16, 32)
SFACE_TEMPLATE = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]],
    dtype=np.float64,
)


@dataclass(frozen=True)
class DetectedFace:
    """One face in image pixel coordinates."""

    box: tuple[float, float, float, float]  # x, y, width, height
    landmarks: np.ndarray = field(repr=False)  # (5, 2): right eye, left eye, nose, mouth corners
    score: float = 0.0

    @property
    def size(self) -> float:
        """The shorter side of the face box, in pixels."""
        return float(min(self.box[2], self.box[3]))


def _session(path, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # Run the int8 weights through the QDQ-free path: about 2x faster on CPU here.
    options.add_session_config_entry("session.disable_quant_qdq", "1")
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


class FaceEngine:
    """Loaded detector + recogniser. Thread-safe for concurrent ``detect``/``embed``."""

    def __init__(self, threads: int = 1, score_threshold: float = 0.7, nms_threshold: float = 0.3):
        self.detector = _session(runtime_model_path(DETECTOR_FILE), threads)
        self.recogniser = _session(runtime_model_path(RECOGNISER_FILE), threads)
        self.detector_input = self.detector.get_inputs()[0].name
        self.recogniser_input = self.recogniser.get_inputs()[0].name
        self.output_names = [o.name for o in self.detector.get_outputs()]
        self.score_threshold = score_threshold
        self.nms_threshold = nms_threshold

    # -- detection ---------------------------------------------------------------
    def detect(self, rgb: np.ndarray) -> list[DetectedFace]:
        """Faces in an RGB uint8 image, best score first."""
        height, width = rgb.shape[:2]
        # Shrink to fit DETECTOR_SIZE, never enlarge; the graph takes any size that is a
        # multiple of 32 (see model_files), so pad bottom/right only that far, as OpenCV does.
        scale = min(1.0, DETECTOR_SIZE / max(height, width))
        new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
        resized = rgb if scale == 1.0 else np.asarray(Image.fromarray(rgb).resize((new_w, new_h), Image.BILINEAR))
        blob = np.zeros((1, 3, -(-new_h // 32) * 32, -(-new_w // 32) * 32), dtype=np.float32)
        for channel in range(3):  # planar BGR, as OpenCV feeds it
            blob[0, channel, :new_h, :new_w] = resized[:, :, 2 - channel]
        outputs = dict(zip(self.output_names, self.detector.run(None, {self.detector_input: blob}), strict=True))
        boxes, scores, marks = self._decode(outputs, cols=blob.shape[3])
        keep = _nms(boxes, scores, self.nms_threshold)
        faces = []
        for i in keep:
            x, y, w, h = (boxes[i] / scale).tolist()
            faces.append(DetectedFace(box=(x, y, w, h), landmarks=marks[i] / scale, score=float(scores[i])))
        return faces

    def _decode(self, outputs, cols: int):
        """Boxes (x, y, w, h), scores and landmarks above the threshold, in input pixels.

        Only the anchors above the score threshold are decoded (a handful per frame).
        """
        all_boxes, all_scores, all_marks = [], [], []
        input_cols = cols
        for stride in STRIDES:
            cols = input_cols // stride
            cls = np.clip(outputs[f"cls_{stride}"][0, :, 0], 0, 1)
            obj = np.clip(outputs[f"obj_{stride}"][0, :, 0], 0, 1)
            score = np.sqrt(cls * obj)
            hit = np.nonzero(score >= self.score_threshold)[0]
            if hit.size == 0:
                continue
            r, c = np.divmod(hit, cols)
            bbox = outputs[f"bbox_{stride}"][0, hit]
            kps = outputs[f"kps_{stride}"][0, hit].reshape(-1, 5, 2)
            cx = (c + bbox[:, 0]) * stride
            cy = (r + bbox[:, 1]) * stride
            w = np.exp(bbox[:, 2]) * stride
            h = np.exp(bbox[:, 3]) * stride
            all_boxes.append(np.stack([cx - w / 2, cy - h / 2, w, h], axis=1))
            all_scores.append(score[hit])
            grid = np.stack([c, r], axis=1)[:, np.newaxis, :]
            all_marks.append((kps + grid) * stride)
        if not all_boxes:
            return np.zeros((0, 4)), np.zeros(0), np.zeros((0, 5, 2))
        return np.concatenate(all_boxes), np.concatenate(all_scores), np.concatenate(all_marks)

    # -- recognition -------------------------------------------------------------
    def align(self, rgb: np.ndarray, face: DetectedFace) -> np.ndarray:
        """The 112×112 RGB crop SFace expects, aligned on the five landmarks.

        Only the image region the crop covers (plus a 2-pixel margin for bilinear
        sampling) is handed to Pillow, not the whole frame.
        """
        matrix = similarity_transform(face.landmarks, SFACE_TEMPLATE)  # image -> template
        inverse = np.linalg.inv(np.vstack([matrix, [0, 0, 1]]))[:2]  # template -> image
        corners = inverse @ np.array([[0, 112, 0, 112], [0, 0, 112, 112], [1, 1, 1, 1]], dtype=np.float64)
        height, width = rgb.shape[:2]
        x0 = int(np.clip(np.floor(corners[0].min()) - 2, 0, width))
        y0 = int(np.clip(np.floor(corners[1].min()) - 2, 0, height))
        x1 = int(np.clip(np.ceil(corners[0].max()) + 3, x0, width))
        y1 = int(np.clip(np.ceil(corners[1].max()) + 3, y0, height))
        if x1 <= x0 or y1 <= y0:
            return np.zeros((112, 112, 3), dtype=np.uint8)
        shifted = inverse.copy()
        shifted[:, 2] -= (x0, y0)
        region = Image.fromarray(np.ascontiguousarray(rgb[y0:y1, x0:x1]))
        crop = region.transform((112, 112), Image.AFFINE, data=tuple(shifted.flatten()), resample=Image.BILINEAR)
        return np.asarray(crop)

    def embed(self, rgb: np.ndarray, face: DetectedFace) -> np.ndarray:
        """L2-normalised 128-d float32 embedding of ``face``."""
        blob = np.ascontiguousarray(self.align(rgb, face).transpose(2, 0, 1)[np.newaxis], dtype=np.float32)
        vector = self.recogniser.run(None, {self.recogniser_input: blob})[0][0].astype(np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares similarity (rotation, uniform scale, shift) mapping ``src`` onto
    ``dst`` (Umeyama 1991), as a 2×3 matrix."""
    src = np.asarray(src, dtype=np.float64)
    dst = np.asarray(dst, dtype=np.float64)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    cov = dst_c.T @ src_c / len(src)
    u, s, vt = np.linalg.svd(cov)
    d = np.ones(2)
    if np.linalg.det(cov) < 0:
        d[1] = -1
    rotation = u @ np.diag(d) @ vt
    var_src = (src_c**2).sum() / len(src)
    scale = (s * d).sum() / var_src if var_src > 0 else 1.0
    shift = dst_mean - scale * rotation @ src_mean
    return np.hstack([scale * rotation, shift[:, np.newaxis]])


def _nms(boxes: np.ndarray, scores: np.ndarray, threshold: float) -> list[int]:
    order = np.argsort(-scores)
    keep: list[int] = []
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    areas = boxes[:, 2] * boxes[:, 3]
    while order.size:
        i = int(order[0])
        keep.append(i)
        rest = order[1:]
        iw = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        ih = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = iw * ih
        iou = inter / (areas[i] + areas[rest] - inter + 1e-9)
        order = rest[iou <= threshold]
    return keep


def cosine_similarity(a, b) -> float:
    a = np.asarray(a, dtype=np.float32)
    b = np.asarray(b, dtype=np.float32)
    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / denom) if denom else 0.0


_engine: FaceEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> FaceEngine:
    """The process-wide engine, loaded on first use (threads: ``PROCTOR_FACE_THREADS``)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = FaceEngine(
                    threads=int(getattr(settings, "PROCTOR_FACE_THREADS", 1)),
                    # OpenCV's samples use 0.9; the frontal-but-shaded face in
                    # skimage's "camera" scores 0.89, real webcams are no better lit.
                    score_threshold=float(getattr(settings, "PROCTOR_FACE_SCORE_THRESHOLD", 0.7)),
                )
    return _engine
