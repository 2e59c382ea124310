"""The 学信网 standard photo: 480x640 JPEG, 24-bit colour, quality >= 60, made from a photo
taken at the counter (or approved for registration) by cropping and scaling only — never
mirroring, rotating or retouching — with the face placed by the standard geometry."""

from __future__ import annotations

import io

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from zikao_desk.errors import ValidationError
from zikao_desk.services.images import EXIF_MIRRORED, EXIF_ROTATED, decode_image
from zikao_desk.services.photo_check import (
    THRESHOLDS,
    FaceBox,
    PhotoThresholds,
    crown_y,
    detect_eyes,
    detect_faces,
    to_lab,
)

OUTPUT_QUALITY = 90
MAX_INPUT_BYTES = 30 * 1024 * 1024  # a phone photo taken at the counter may exceed 2 MB


def standardize_photo(data: bytes, t: PhotoThresholds = THRESHOLDS) -> bytes:
    decoded = decode_image(data, what="照片", max_bytes=MAX_INPUT_BYTES)
    if decoded.info.orientation in EXIF_MIRRORED | EXIF_ROTATED:
        raise ValidationError("照片带有旋转或镜像标记；标准照片不做旋转或镜像处理，请竖持相机重新拍摄")
    img = decoded.image
    gray = np.asarray(cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    faces = detect_faces(gray, 0.08)
    if len(faces) != 1:
        raise ValidationError(f"照片中应恰好有一张正面人脸，检测到 {len(faces)} 张")
    face = faces[0]
    eyes = detect_eyes(gray, face)
    eye_y = sum(e[1] for e in eyes) / 2 if len(eyes) == 2 else face.y + face.h * 0.42
    out_w, out_h = t.frame
    target_eye_y = sum(t.eyes_range) / 2
    target_crown_y = sum(t.crown_range) / 2
    # scale so that crown and eyes land mid-range; keep the face width within its range
    crown_y = _crown_y(np.asarray(img), face)
    ideal = (target_eye_y - target_crown_y) / max(1.0, eye_y - crown_y) * face.w
    start = round(min(max(ideal, t.face_width_range[0]), t.face_width_range[1]))
    # the largest face width from there down that still lets the crop fit inside the photo
    for target_face_w in range(start, t.face_width_range[0] - 1, -5):
        scale = target_face_w / face.w  # output px per input px
        crop_w, crop_h = out_w / scale, out_h / scale
        x0 = face.x + face.w / 2 - crop_w / 2
        y0 = eye_y - target_eye_y / scale
        if x0 >= 0 and y0 >= 0 and x0 + crop_w <= img.width and y0 + crop_h <= img.height:
            break
    else:
        raise ValidationError(
            "人像周围空间不足（离边缘太近或人像过大），无法裁剪为标准照片，请后退一些重新拍摄"
        )
    box = (round(x0), round(y0), round(x0 + crop_w), round(y0 + crop_h))
    standard = img.crop(box).resize((out_w, out_h), Image.Resampling.LANCZOS).convert("RGB")
    buf = io.BytesIO()
    standard.save(buf, "JPEG", quality=OUTPUT_QUALITY)
    return buf.getvalue()


def _crown_y(rgb: NDArray[np.uint8], face: FaceBox) -> int:
    """The top of the head in the source, measured on the columns above the face only."""
    x0, x1 = face.x, face.x + face.w
    above = to_lab(np.ascontiguousarray(rgb[: face.y + 1, x0:x1]))
    background = np.median(above[: max(2, face.y // 10)].reshape(-1, 3), axis=0).astype(np.float32)
    return crown_y(above, FaceBox(0, face.y, face.w, face.h), background)
