"""Face benchmark: detect + embed per snapshot on one core, sustained snapshots/s, and
the ratio against OpenCV's own FaceDetectorYN / FaceRecognizerSF on the same files.

Run:  .venv/bin/python tests/bench/bench_face.py [--seconds 5] [--workers N]

Inputs are real photos (skimage astronaut, camera; matplotlib's Grace Hopper) placed
on a 640×480 webcam-sized frame and JPEG-encoded, like the watcher's snapshots. Timed
per snapshot: JPEG decode + YuNet detection + SFace embedding of the largest face
(``proctor_plugin.face.analyse_image``), onnxruntime with one intra-op thread.
Sustained throughput runs one process per worker (default: one per CPU core), each
looping over the snapshots for ``--seconds``.
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


def time_ours(files, rounds):
    from proctor_plugin.face import analyse_image

    for _name, jpeg in files:  # warm-up (session creation, first-run allocations)
        analyse_image(jpeg)
    times = []
    for _ in range(rounds):
        for _name, jpeg in files:
            start = time.perf_counter()
            analysis = analyse_image(jpeg)
            times.append(time.perf_counter() - start)
            assert analysis.face_count == 1
    return times


def time_stages(files, rounds):
    from proctor_plugin.face import get_engine, load_rgb

    engine = get_engine()
    detect, embed = [], []
    for _ in range(rounds):
        for _name, jpeg in files:
            rgb = load_rgb(jpeg)
            t0 = time.perf_counter()
            faces = engine.detect(rgb)
            t1 = time.perf_counter()
            engine.embed(rgb, faces[0])
            t2 = time.perf_counter()
            detect.append(t1 - t0)
            embed.append(t2 - t1)
    return detect, embed


def time_opencv(files, rounds):
    import cv2
    import numpy as np

    from proctor_plugin.face.model_files import (
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
        bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        detector.setInputSize((bgr.shape[1], bgr.shape[0]))
        _ok, faces = detector.detect(bgr)
        assert faces is not None and len(faces) == 1
        return recogniser.feature(recogniser.alignCrop(bgr, faces[0]))

    for _name, jpeg in files:
        run(jpeg)
    times = []
    for _ in range(rounds):
        for _name, jpeg in files:
            start = time.perf_counter()
            run(jpeg)
            times.append(time.perf_counter() - start)
    return times


def _worker(seconds, queue):
    _setup()
    from proctor_plugin.face import analyse_image

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
    return f"median {statistics.median(values) * 1000:.1f} ms, p90 {sorted(values)[int(len(values) * 0.9)] * 1000:.1f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    _setup()
    files = snapshots()
    print(f"snapshots: {', '.join(name for name, _ in files)} (640x480 JPEG), {args.rounds} rounds, load avg {os.getloadavg()[0]:.1f}")
    ours = time_ours(files, args.rounds)
    detect, embed = time_stages(files, args.rounds)
    print(f"ours (onnxruntime, 1 thread): decode+detect+embed {ms(ours)}")
    print(f"  YuNet detect {ms(detect)}; SFace align+embed {ms(embed)}")
    try:
        opencv = time_opencv(files, args.rounds)
    except ImportError:
        print("OpenCV not installed: no comparison")
    else:
        print(f"OpenCV (cv2 {__import__('cv2').__version__}, 1 thread): decode+detect+embed {ms(opencv)}")
        print(f"ratio ours/OpenCV (median): {statistics.median(ours) / statistics.median(opencv):.2f}")
    rate = sustained(args.workers, args.seconds)
    print(f"sustained: {rate:.1f} snapshots/s with {args.workers} worker process(es) over {args.seconds:.0f} s")
    print(f"  = {rate * 30:.0f} candidates at one snapshot per 30 s")


if __name__ == "__main__":
    main()
