"""Server-side face checks: YuNet detection + SFace embeddings on onnxruntime.

``analyse_image`` is the one entry point the rest of the plugin uses.
"""

from .analysis import FaceAnalysis, InvalidImage, analyse_image, load_rgb
from .engine import DetectedFace, FaceEngine, cosine_similarity, get_engine

__all__ = [
    "DetectedFace",
    "FaceAnalysis",
    "FaceEngine",
    "InvalidImage",
    "analyse_image",
    "cosine_similarity",
    "get_engine",
    "load_rgb",
]
