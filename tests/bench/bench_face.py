"""Face benchmark: our decode + detect + embed per snapshot against OpenCV's own
FaceDetectorYN / FaceRecognizerSF on the same models and files, interleaved in one run,
then sustained snapshots/s.

Run:  .venv/bin/python tests/bench/bench_face.py [--rounds 15] [--seconds 5] [--workers N]

Inputs are real photos (skimage astronaut, camera; matplotlib's Grace Hopper) placed
on a 640×480 webcam-sized frame and JPEG-encoded, like the watcher's snapshots. Timed
per snapshot, one thread each: JPEG decode + YuNet detection + SFace alignment and
embedding of the largest face — ours is ``proctor_plugin.services.face`` on onnxruntime, OpenCV's
is ``cv2.imdecode`` + ``FaceDetectorYN.detect`` + ``FaceRecognizerSF.alignCrop/feature``.

The machine is shared, so the two pipelines alternate snapshot by snapshot (and which one
goes first alternates per round): background load hits both alike, and the figure to read
is the median of the per-snapshot ratios ours ÷ OpenCV. Sustained throughput runs one
process per worker (default: one per CPU core), each looping over the snapshots.
"""

import argparse
import io
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

STAGES = ("decode", "detect", "align+embed")


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings.test")
    os.environ.setdefault("CERTPLATFORM_TEST_DATA_DIR", tempfile.mkdtemp(prefix="bench-face-"))
    import django

    django.setup()


def snapshots() -> list[tuple[str, bytes]]:
    import numpy as np
    from matplotlib import cbook
    from PIL import Image
    from skimage import data

    with cbook.get_sample_data("grace_hopper.jpg") as handle:
        hopper = np.asarray(Image.open(handle).convert("RGB"))
    photos = {"astronaut": data.astronaut(), "camera": np.stack([data.camera()] * 3, axis=-1), "hopper": hopper}
    out = []
    for name, rgb in photos.items():
        frame = Image.new("RGB", (640, 480), (128, 128, 128))
        photo = Image.fromarray(rgb)
        photo.thumbnail((640, 480))
        frame.paste(photo, ((640 - photo.width) // 2, (480 - photo.height) // 2))
        buffer = io.BytesIO()
        frame.save(buffer, "JPEG", quality=85)
        out.append((name, buffer.getvalue()))
    return out


def ours_pipeline():
    """``run(jpeg) -> (embedding, [seconds per stage])``: what ``analyse_image`` does, timed per stage."""
    from proctor_plugin.services.face import get_engine, load_rgb

    engine = get_engine()

    def run(jpeg):
        t0 = time.perf_counter()
        rgb = load_rgb(jpeg)
        t1 = time.perf_counter()
        faces = engine.detect(rgb)
        t2 = time.perf_counter()
        assert len(faces) == 1
        embedding = engine.embed(rgb, max(faces, key=lambda f: f.size))
        t3 = time.perf_counter()
        return embedding, [t1 - t0, t2 - t1, t3 - t2]

    return run


def opencv_pipeline():
    import cv2
    import numpy as np

    from proctor_plugin.services.face.model_files import (
        DETECTOR_FILE,
        RECOGNISER_FILE,
        repaired_model_path,
        shipped_model_path,
    )

    cv2.setNumThreads(1)
    detector = cv2.FaceDetectorYN.create(str(shipped_model_path(DETECTOR_FILE)), "", (640, 480), 0.7, 0.3, 5000)
    # OpenCV refuses the shipped SFace graph as well (unused inputs); it gets our repaired copy.
    recogniser = cv2.FaceRecognizerSF.create(str(repaired_model_path(RECOGNISER_FILE)), "")

    def run(jpeg):
        t0 = time.perf_counter()
        bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        t1 = time.perf_counter()
        detector.setInputSize((bgr.shape[1], bgr.shape[0]))
        _ok, faces = detector.detect(bgr)
        t2 = time.perf_counter()
        assert faces is not None and len(faces) == 1
        feature = recogniser.feature(recogniser.alignCrop(bgr, faces[0]))
        t3 = time.perf_counter()
        return feature.flatten(), [t1 - t0, t2 - t1, t3 - t2]

    return run


def interleaved(files, rounds):
    """Per-stage times of both pipelines and the per-snapshot ratios, alternating."""
    import numpy as np

    ours, opencv = ours_pipeline(), opencv_pipeline()
    similarity = []
    for _name, jpeg in files:  # warm-up (first-run allocations) + the accuracy check
        a, _ = ours(jpeg)
        b, _ = opencv(jpeg)
        similarity.append(float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b))))
    times = {"ours": [], "opencv": []}
    ratios = []
    for round_ in range(rounds):
        for _name, jpeg in files:
            pair = {}
            order = ("ours", "opencv") if round_ % 2 == 0 else ("opencv", "ours")
            for who in order:
                _, stages = (ours if who == "ours" else opencv)(jpeg)
                times[who].append(stages)
                pair[who] = sum(stages)
            ratios.append(pair["ours"] / pair["opencv"])
    return times, ratios, similarity


def _worker(seconds, queue):
    _setup()
    from proctor_plugin.services.face import analyse_image

    files = snapshots()
    analyse_image(files[0][1])
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        analyse_image(files[done % len(files)][1])
        done += 1
    queue.put(done)


def sustained(workers, seconds):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    procs = [context.Process(target=_worker, args=(seconds, queue)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    total = sum(queue.get() for _ in procs)
    for proc in procs:
        proc.join()
    return total / seconds


def ms(values):
    values = sorted(values)
    return f"median {statistics.median(values) * 1000:.1f} ms, p90 {values[int(len(values) * 0.9)] * 1000:.1f} ms"


def report(label, rows):
    totals = [sum(row) for row in rows]
    stages = "; ".join(f"{name} {statistics.median(r[i] for r in rows) * 1000:.1f}" for i, name in enumerate(STAGES))
    print(f"{label}: decode+detect+embed {ms(totals)}")
    print(f"  stage medians (ms): {stages}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    _setup()
    import cv2
    import onnxruntime

    files = snapshots()
    print(
        f"snapshots: {', '.join(name for name, _ in files)} (640x480 JPEG), {args.rounds} rounds interleaved, "
        f"load avg before {os.getloadavg()[0]:.1f}"
    )
    times, ratios, similarity = interleaved(files, args.rounds)
    report(f"ours (onnxruntime {onnxruntime.__version__}, 1 thread)", times["ours"])
    report(f"OpenCV (cv2 {cv2.__version__}, 1 thread)", times["opencv"])
    ratio_of_medians = statistics.median(map(sum, times["ours"])) / statistics.median(map(sum, times["opencv"]))
    print(
        f"ratio ours/OpenCV: median of {len(ratios)} per-snapshot ratios {statistics.median(ratios):.2f} "
        f"(p10 {sorted(ratios)[len(ratios) // 10]:.2f}, p90 {sorted(ratios)[len(ratios) * 9 // 10]:.2f}); "
        f"ratio of medians {ratio_of_medians:.2f}"
    )
    print(f"embedding cosine ours vs OpenCV: min {min(similarity):.4f} over {len(similarity)} snapshots")
    print(f"load avg after interleaved run {os.getloadavg()[0]:.1f}")
    if args.seconds > 0:
        rate = sustained(args.workers, args.seconds)
        print(f"sustained: {rate:.1f} snapshots/s with {args.workers} worker process(es) over {args.seconds:.0f} s")
        print(f"  = {rate * 30:.0f} candidates at one snapshot per 30 s")


if __name__ == "__main__":
    main()
