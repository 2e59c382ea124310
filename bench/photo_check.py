"""Photo pre-check speed: photos per second on 480x640 JPEGs, and the time for one
12-megapixel phone photo (3024x4032). Also the standard-photo conversion of that photo.

    python bench/photo_check.py [--n 200]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import photos
from zikao_desk.services.photo_check import check_graduation_photo
from zikao_desk.services.photo_standard import standardize_photo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="480x640 photos to check")
    args = parser.parse_args()
    samples = [photos.compliant(bg) for bg in (photos.LIGHT_BLUE, photos.WHITE, photos.LIGHT_GREY)]
    samples += [data for data, _ in photos.variants().values()]
    check_graduation_photo(samples[0])  # load the cascades once
    started = time.perf_counter()
    for i in range(args.n):
        check_graduation_photo(samples[i % len(samples)])
    elapsed = time.perf_counter() - started
    print(
        f"480x640 JPEG pre-checks: {args.n} in {elapsed:.2f} s = {args.n / elapsed:.1f} photos/s "
        f"({elapsed / args.n * 1000:.0f} ms each)"
    )

    canvas = Image.new("RGB", (3024, 4032), photos.WHITE)
    phone = photos.portrait(canvas, scale=6.5, offset=(-140, 900))
    buf = io.BytesIO()
    phone.save(buf, "JPEG", quality=92)
    data = buf.getvalue()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        check_graduation_photo(data)
        times.append(time.perf_counter() - t0)
    print(
        f"12-megapixel phone photo ({len(data) / 1e6:.1f} MB JPEG): pre-check {statistics.median(times):.2f} s"
    )
    t0 = time.perf_counter()
    standardize_photo(data)
    print(f"12-megapixel phone photo to 480x640 standard JPEG: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
