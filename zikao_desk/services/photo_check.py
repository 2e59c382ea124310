"""Automated pre-checks of a graduation photo, shown beside it for the clerk, who decides.

Each check gives pass / warn / fail, the measured value and a short Chinese explanation.
All thresholds live in ``PhotoThresholds``; the geometry is 学信网's on a 480x640 frame
(crown 50-110 px from the top, eyes 200-300 px, face width 180-300 px, centred).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from zikao_desk.errors import ValidationError
from zikao_desk.services.images import EXIF_MIRRORED, EXIF_ROTATED, decode_image, edited_with

Status = Literal["pass", "warn", "fail"]
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class PhotoThresholds:
    """Every number the photo checks use, in one documented place."""

    max_bytes: int = 2 * 1024 * 1024  # "文件小于 2M"
    min_width: int = 240
    min_height: int = 320
    aspect: float = 3 / 4  # width / height
    aspect_tolerance: float = 0.03
    # background colours and their distance in CIE Lab (ΔE 1976)
    backgrounds: tuple[tuple[str, RGB], ...] = (
        ("浅蓝色", (100, 197, 255)),
        ("白色", (255, 255, 255)),
        ("浅灰色", (220, 220, 220)),
    )
    background_delta_e_pass: float = 15.0
    background_delta_e_warn: float = 25.0
    background_std_warn: float = 6.0  # ΔE spread inside the background
    background_std_fail: float = 12.0
    gradient_delta_e_warn: float = 6.0  # between background patches (left/right, top/bottom)
    gradient_delta_e_fail: float = 12.0
    border_delta_e: float = 20.0  # outer band vs the band inside it, on at least 3 sides
    text_edge_density_warn: float = 0.01  # Canny edge pixels per background pixel
    text_edge_density_fail: float = 0.03
    grayscale_chroma: float = 4.0  # mean Lab chroma below this = not a colour photo
    face_lightness_dark: float = 35.0  # mean L* of the face
    face_lightness_bright: float = 85.0
    clipped_fraction: float = 0.12  # face pixels at 255
    sharpness_warn: float = 0.012  # Laplacian variance / grey variance of the face
    sharpness_fail: float = 0.005
    # geometry on the 480x640 frame
    frame: tuple[int, int] = (480, 640)
    crown_range: tuple[int, int] = (50, 110)
    eyes_range: tuple[int, int] = (200, 300)
    face_width_range: tuple[int, int] = (180, 300)
    centre_tolerance: int = 30  # px from the vertical centre line
    eye_tilt_warn_deg: float = 4.0
    eye_tilt_fail_deg: float = 8.0
    min_face_fraction: float = 0.15  # smallest face searched, as a fraction of the width


THRESHOLDS = PhotoThresholds()
# An oversized file still gets its full report (the size check fails, the rest is measured);
# past this it is not decoded at all.
DECODE_LIMIT_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    value: str
    message: str


@dataclass(frozen=True)
class FaceBox:
    x: int
    y: int
    w: int
    h: int


@dataclass
class PhotoCheckReport:
    checks: list[CheckResult] = field(default_factory=list)
    face: FaceBox | None = None  # in the original image's pixels

    @property
    def verdict(self) -> Status:
        statuses = {c.status for c in self.checks}
        return "fail" if "fail" in statuses else "warn" if "warn" in statuses else "pass"

    def check(self, name: str) -> CheckResult:
        return next(c for c in self.checks if c.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "checks": [asdict(c) for c in self.checks]}


# -- OpenCV helpers -------------------------------------------------------------------------
@cache
def cascade(name: str) -> cv2.CascadeClassifier:
    """Load a Haar cascade from OpenCV's data folder through Python's file reading and an
    in-memory FileStorage: ``CascadeClassifier(path)`` fails on Windows when the install
    path has Chinese characters."""
    xml = (Path(cv2.data.haarcascades) / name).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    storage = cv2.FileStorage(xml, cv2.FILE_STORAGE_READ | cv2.FILE_STORAGE_MEMORY)
    classifier = cv2.CascadeClassifier()
    if not classifier.read(storage.getFirstTopLevelNode()):
        raise RuntimeError(f"cannot load OpenCV cascade {name}")
    return classifier


def detect_faces(gray: NDArray[np.uint8], min_fraction: float) -> list[FaceBox]:
    size = max(24, int(gray.shape[1] * min_fraction))
    found = cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=6, minSize=(size, size)
    )
    return [FaceBox(int(x), int(y), int(w), int(h)) for x, y, w, h in found]


def detect_eyes(gray: NDArray[np.uint8], face: FaceBox) -> list[tuple[float, float]]:
    """Eye centres inside the upper part of the face, in image pixels."""
    top = gray[face.y : face.y + int(face.h * 0.6), face.x : face.x + face.w]
    found = cascade("haarcascade_eye.xml").detectMultiScale(
        top, scaleFactor=1.1, minNeighbors=6, minSize=(max(8, face.w // 10), max(8, face.w // 10))
    )
    eyes = sorted(((face.x + x + w / 2, face.y + y + h / 2, w) for x, y, w, h in found), key=lambda e: -e[2])[
        :2
    ]
    return sorted(((ex, ey) for ex, ey, _ in eyes), key=lambda e: e[0])


def to_lab(rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
    return np.asarray(cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab), dtype=np.float32)


def delta_e(a: NDArray[np.float32], b: NDArray[np.float32]) -> NDArray[np.float32]:
    return np.sqrt(((a - b) ** 2).sum(axis=-1))  # type: ignore[no-any-return]


def laplacian_sharpness(gray: NDArray[np.uint8]) -> float:
    """Laplacian variance normalised by contrast, so a dim but sharp face is not 'blurred'."""
    g = gray.astype(np.float64)
    var = float(g.var())
    if var < 1e-6:
        return 0.0
    return float(cv2.Laplacian(g, cv2.CV_64F).var()) / var


# -- the checks -----------------------------------------------------------------------------
def check_graduation_photo(data: bytes, t: PhotoThresholds = THRESHOLDS) -> PhotoCheckReport:
    report = PhotoCheckReport()
    add = report.checks.append
    size_ok = len(data) < t.max_bytes
    add(
        CheckResult(
            "file_size",
            "pass" if size_ok else "fail",
            f"{len(data) / 1024:.0f} KB",
            "文件小于 2 MB" if size_ok else "文件须小于 2 MB",
        )
    )
    try:
        decoded = decode_image(data, what="毕业照片", max_bytes=DECODE_LIMIT_BYTES)
    except ValidationError as exc:
        add(CheckResult("file_type", "fail", "-", str(exc)))
        return report
    info = decoded.info
    add(CheckResult("file_type", "pass", info.media_type, "JPEG 或 PNG（按文件内容判断）"))

    # EXIF: mirroring / rotation are forbidden; editing software is a hint
    if info.orientation in EXIF_MIRRORED:
        add(
            CheckResult(
                "exif_orientation",
                "fail",
                str(info.orientation),
                "照片带有镜像标记（EXIF 方向），禁止镜像处理",
            )
        )
    elif info.orientation in EXIF_ROTATED:
        add(
            CheckResult(
                "exif_orientation",
                "fail",
                str(info.orientation),
                "照片带有旋转标记（EXIF 方向），禁止旋转处理",
            )
        )
    else:
        add(CheckResult("exif_orientation", "pass", str(info.orientation), "无镜像或旋转标记"))
    editor = edited_with(info.software)
    if editor:
        add(CheckResult("editing_software", "warn", editor, "照片经过修图软件处理，请核对是否修饰了人像"))
    else:
        add(CheckResult("editing_software", "pass", info.software or "-", "未发现修图软件标记"))

    w, h = info.width, info.height
    aspect = w / h
    ok_dims = w >= t.min_width and h >= t.min_height and abs(aspect - t.aspect) <= t.aspect_tolerance
    add(
        CheckResult(
            "dimensions",
            "pass" if ok_dims else "fail",
            f"{w}×{h}（宽高比 {aspect:.3f}）",
            "尺寸与 3:4 比例符合要求" if ok_dims else f"须为 3:4 竖幅且不小于 {t.min_width}×{t.min_height}",
        )
    )

    # Measure on the 480-wide frame the geometry refers to.
    scale = t.frame[0] / w
    frame_h = max(1, round(h * scale))
    rgb = np.asarray(decoded.image.resize((t.frame[0], frame_h), Image.Resampling.BILINEAR), dtype=np.uint8)
    gray = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    lab = to_lab(rgb)
    fw, fh = t.frame[0], frame_h

    chroma = float(np.sqrt(lab[..., 1] ** 2 + lab[..., 2] ** 2).mean())
    colour_ok = chroma >= t.grayscale_chroma
    add(
        CheckResult(
            "colour",
            "pass" if colour_ok else "fail",
            f"平均色度 {chroma:.1f}",
            "彩色照片" if colour_ok else "疑似黑白照片，须为彩色照片",
        )
    )

    faces = detect_faces(gray, t.min_face_fraction)
    if len(faces) == 1:
        add(CheckResult("face_count", "pass", "1", "检测到一张正面人脸"))
    elif not faces:
        add(CheckResult("face_count", "fail", "0", "未检测到正面人脸（可能非正面、被旋转或遮挡）"))
    else:
        add(CheckResult("face_count", "fail", str(len(faces)), f"检测到 {len(faces)} 张人脸，只能有本人一人"))
    face = max(faces, key=lambda f: f.w * f.h) if faces else None

    _background_checks(report, rgb, lab, gray, face, t)
    _border_check(report, lab, t)

    # exposure and sharpness on the face (or the centre when no face was found)
    region = face or FaceBox(fw // 4, fh // 4, fw // 2, fh // 3)
    face_lab = lab[region.y : region.y + region.h, region.x : region.x + region.w]
    face_rgb = rgb[region.y : region.y + region.h, region.x : region.x + region.w]
    lightness = float(face_lab[..., 0].mean())
    clipped = float((face_rgb.max(axis=-1) >= 254).mean())
    if lightness < t.face_lightness_dark:
        add(CheckResult("exposure", "fail", f"L*={lightness:.0f}", "面部过暗（曝光不足）"))
    elif lightness > t.face_lightness_bright or clipped > t.clipped_fraction:
        add(
            CheckResult("exposure", "fail", f"L*={lightness:.0f}，过曝 {clipped:.0%}", "面部过亮（曝光过度）")
        )
    else:
        add(CheckResult("exposure", "pass", f"L*={lightness:.0f}", "曝光正常"))
    sharp = laplacian_sharpness(gray[region.y : region.y + region.h, region.x : region.x + region.w])
    status: Status = "pass" if sharp >= t.sharpness_warn else "warn" if sharp >= t.sharpness_fail else "fail"
    add(
        CheckResult(
            "sharpness",
            status,
            f"{sharp:.3f}",
            {"pass": "对焦清晰", "warn": "清晰度偏低，请核对", "fail": "照片模糊，须对焦准确、层次清晰"}[
                status
            ],
        )
    )

    if face is not None:
        report.face = FaceBox(
            round(face.x / scale), round(face.y / scale), round(face.w / scale), round(face.h / scale)
        )
        _geometry_checks(report, lab, gray, face, t)
    return report


def _background_patches(fw: int, fh: int) -> list[tuple[int, int, int, int]]:
    """Background regions (x0, y0, x1, y1): a column at each side beside the head and a
    strip along the top, inside a margin so that a border does not count as background.
    Where hair or a shoulder reaches into them, the robust statistics below ignore it."""
    m = max(6, fw // 25)
    col = max(8, int(fw * 0.12))
    lower = int(fh * 0.45)
    strip = max(6, int(fh * 0.035))
    return [(m, m, m + col, lower), (fw - m - col, m, fw - m, lower), (m + col, m, fw - m - col, m + strip)]


def _background_checks(
    report: PhotoCheckReport,
    rgb: NDArray[np.uint8],
    lab: NDArray[np.float32],
    gray: NDArray[np.uint8],
    face: FaceBox | None,
    t: PhotoThresholds,
) -> None:
    add = report.checks.append
    fh, fw = gray.shape
    patches = _background_patches(fw, fh)
    pixels = np.concatenate([lab[y0:y1, x0:x1].reshape(-1, 3) for x0, y0, x1, y1 in patches])
    reference = np.median(pixels, axis=0).astype(np.float32)
    distances = [
        (name, float(delta_e(reference, to_lab(np.array([[ref]], dtype=np.uint8))[0, 0])))
        for name, ref in t.backgrounds
    ]
    name, best = min(distances, key=lambda d: d[1])
    status: Status = (
        "pass"
        if best <= t.background_delta_e_pass
        else "warn"
        if best <= t.background_delta_e_warn
        else "fail"
    )
    add(
        CheckResult(
            "background_colour",
            status,
            f"最接近{name}，ΔE={best:.1f}",
            "背景为浅蓝色、白色或浅灰色" if status == "pass" else "背景颜色须为浅蓝色、白色或浅灰色",
        )
    )

    # spread: the 80th percentile of the distance to the median, blind to a few stray pixels
    spread = float(np.percentile(delta_e(pixels, reference), 80))
    status = (
        "pass" if spread <= t.background_std_warn else "warn" if spread <= t.background_std_fail else "fail"
    )
    add(
        CheckResult(
            "background_uniformity",
            status,
            f"ΔE(P80) {spread:.1f}",
            "背景均匀" if status == "pass" else "背景不均匀（有图案、杂物或明暗变化）",
        )
    )

    # gradient or shadow: the medians of the upper and lower halves of both side columns
    parts = []
    for x0, y0, x1, y1 in patches[:2]:
        mid = (y0 + y1) // 2
        parts.append(np.median(lab[y0:mid, x0:x1].reshape(-1, 3), axis=0))
        parts.append(np.median(lab[mid:y1, x0:x1].reshape(-1, 3), axis=0))
    worst = max(float(delta_e(a, b)) for i, a in enumerate(parts) for b in parts[i + 1 :])
    status = (
        "pass" if worst <= t.gradient_delta_e_warn else "warn" if worst <= t.gradient_delta_e_fail else "fail"
    )
    add(
        CheckResult(
            "background_gradient",
            status,
            f"ΔE={worst:.1f}",
            "背景无渐变或阴影" if status == "pass" else "背景有渐变或阴影",
        )
    )

    edges = cv2.Canny(gray, 60, 160)
    edge_pixels = sum(int((edges[y0:y1, x0:x1] > 0).sum()) for x0, y0, x1, y1 in patches)
    area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in patches)
    density = edge_pixels / max(1, area)
    status = (
        "pass"
        if density <= t.text_edge_density_warn
        else "warn"
        if density <= t.text_edge_density_fail
        else "fail"
    )
    add(
        CheckResult(
            "background_text",
            status,
            f"边缘密度 {density:.3f}",
            "背景无文字或图案" if status == "pass" else "背景上有文字、图案或杂物",
        )
    )


def _border_check(report: PhotoCheckReport, lab: NDArray[np.float32], t: PhotoThresholds) -> None:
    fh, fw = lab.shape[:2]
    band = max(3, fw // 120)
    inner = max(band * 3, fw // 25)
    sides = {
        "上": (lab[:band, inner:-inner], lab[inner : inner + band, inner:-inner]),
        "左": (lab[inner : fh // 2, :band], lab[inner : fh // 2, inner : inner + band]),
        "右": (lab[inner : fh // 2, -band:], lab[inner : fh // 2, -inner - band : -inner]),
        "下": (lab[-band:, inner:-inner], lab[-inner - band : -inner, inner:-inner]),
    }
    framed = []
    for side, (outer, inside) in sides.items():
        diff = float(delta_e(outer.reshape(-1, 3).mean(axis=0), inside.reshape(-1, 3).mean(axis=0)))
        if diff > t.border_delta_e:
            framed.append(side)
    # the bottom edge is usually clothing, so a frame needs the top and both sides
    is_frame = {"上", "左", "右"} <= set(framed)
    report.checks.append(
        CheckResult(
            "border",
            "fail" if is_frame else "pass",
            "、".join(framed) or "无",
            "照片四周有边框" if is_frame else "无边框",
        )
    )


def crown_y(lab: NDArray[np.float32], face: FaceBox, background: NDArray[np.float32]) -> int:
    """The top of the head: the first row above the face that is not background."""
    x0, x1 = face.x + face.w // 6, face.x + face.w - face.w // 6
    for y in range(0, face.y):
        row = lab[y, x0:x1]
        if float((delta_e(row, background) > 18).mean()) > 0.2:
            return y
    return face.y


def _geometry_checks(
    report: PhotoCheckReport,
    lab: NDArray[np.float32],
    gray: NDArray[np.uint8],
    face: FaceBox,
    t: PhotoThresholds,
) -> None:
    add = report.checks.append
    fw = gray.shape[1]
    background = lab[4:12, 4 : fw - 4].reshape(-1, 3).mean(axis=0)
    crown = crown_y(lab, face, background)
    lo, hi = t.crown_range
    add(
        CheckResult(
            "head_top",
            "pass" if lo <= crown <= hi else "fail",
            f"{crown} px",
            f"头顶距上边 {lo}-{hi} px"
            if lo <= crown <= hi
            else f"头顶距上边应为 {lo}-{hi} px（头部过高或过低）",
        )
    )
    eyes = detect_eyes(gray, face)
    if len(eyes) == 2:
        eye_y = (eyes[0][1] + eyes[1][1]) / 2
        tilt = math.degrees(math.atan2(eyes[1][1] - eyes[0][1], eyes[1][0] - eyes[0][0]))
        status: Status = (
            "pass"
            if abs(tilt) <= t.eye_tilt_warn_deg
            else "warn"
            if abs(tilt) <= t.eye_tilt_fail_deg
            else "fail"
        )
        add(
            CheckResult(
                "eye_tilt",
                status,
                f"{tilt:.1f}°",
                "双眼水平" if status == "pass" else "双眼连线倾斜，头部须端正",
            )
        )
    else:
        eye_y = face.y + face.h * 0.42
        add(CheckResult("eye_tilt", "warn", "-", "未能定位双眼，按人脸位置估计眼睛高度"))
    lo, hi = t.eyes_range
    add(
        CheckResult(
            "eye_level",
            "pass" if lo <= eye_y <= hi else "fail",
            f"{eye_y:.0f} px",
            f"眼睛距上边 {lo}-{hi} px" if lo <= eye_y <= hi else f"眼睛距上边应为 {lo}-{hi} px",
        )
    )
    lo, hi = t.face_width_range
    add(
        CheckResult(
            "face_width",
            "pass" if lo <= face.w <= hi else "fail",
            f"{face.w} px",
            f"脸宽 {lo}-{hi} px" if lo <= face.w <= hi else f"脸宽应为 {lo}-{hi} px（人像过大或过小）",
        )
    )
    offset = face.x + face.w / 2 - fw / 2
    ok = abs(offset) <= t.centre_tolerance
    add(
        CheckResult(
            "face_centre",
            "pass" if ok else "fail",
            f"偏离中线 {offset:+.0f} px",
            "人像居中" if ok else "人像须左右居中",
        )
    )
