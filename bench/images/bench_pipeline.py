"""Time and peak memory of processing one 12-megapixel JPEG through the image pipeline.

    .venv/bin/python bench/images/bench_pipeline.py [--runs 3]

Each run is a fresh subprocess (so peak RSS belongs to that run alone): it imports the pipeline,
notes its resident set size, then runs ``imaging.process`` (header checks, reduced decode,
orientation, 1080 px and 320 px variants in JPEG and WebP) once and reports wall time, the
growth of the peak RSS (``ru_maxrss``; covers OpenCV's C++ buffers) and Python's traced peak
(``tracemalloc``; covers numpy arrays and bytes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys, time, tracemalloc
sys.path.insert(0, sys.argv[2])
from tangerine.integrations import imaging

def status_mb(field):
    # Per-process-image values from /proc (ru_maxrss would carry the parent's peak over exec).
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

data = open(sys.argv[1], "rb").read()
before = status_mb("VmRSS")
tracemalloc.start()
started = time.perf_counter()
result = imaging.process(data, max_pixels=50_000_000)
elapsed = time.perf_counter() - started
_, traced_peak = tracemalloc.get_traced_memory()
after = status_mb("VmHWM")
print(json.dumps({
    "seconds": elapsed,
    "rss_before_mb": before,
    "rss_growth_mb": after - before,
    "peak_rss_mb": after,
    "traced_peak_mb": traced_peak / 2**20,
    "variants": [(v.width, v.height, v.format, len(v.data)) for v in result.variants],
    "size": (result.width, result.height),
}))
"""


def make_photo(path: Path, width: int = 4000, height: int = 3000) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    import numpy as np

    from tangerine.integrations.imaging import cv2

    rng = np.random.default_rng(12)
    xs = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    ys = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    base = np.stack([xs + 0 * ys, ys + 0 * xs, (xs + ys) / 2], axis=2)
    image = np.clip(base + rng.normal(0, 10, base.shape), 0, 255).astype(np.uint8)
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    path.write_bytes(buffer.tobytes())
    return len(buffer)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        photo = Path(tmp, "12mp.jpg")
        size = make_photo(photo)
        print(f"input: 4000x3000 JPEG, {size / 2**20:.1f} MiB")
        env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(photo), str(ROOT / "src")],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            runs.append(json.loads(out.stdout))
    for key in ("seconds", "rss_before_mb", "rss_growth_mb", "peak_rss_mb", "traced_peak_mb"):
        values = [run[key] for run in runs]
        print(
            f"{key:>15}: median {statistics.median(values):8.3f}  (runs: "
            + ", ".join(f"{v:.3f}" for v in values)
            + ")"
        )
    print("variants:", runs[0]["variants"], "recorded size:", runs[0]["size"])


if __name__ == "__main__":
    main()
