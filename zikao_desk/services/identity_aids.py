"""Identity aids for the 身份核验 screen: the faces in an ID-card photo or a hand-held photo,
cropped so they can be shown side by side with the ticket photo, with notes on blur and glare."""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np

from zikao_desk.services.images import decode_image
from zikao_desk.services.photo_check import FaceBox, detect_faces, laplacian_sharpness

BLUR_NOTE_BELOW = 0.002  # Laplacian variance / grey variance of the face
GLARE_NOTE_ABOVE = 0.02  # share of blown-out, colourless pixels


@dataclass(frozen=True)
class FaceCrop:
    box: FaceBox
    jpeg: bytes
    sharpness: float


@dataclass(frozen=True)
class IdentityAid:
    faces: list[FaceCrop]  # largest first: in a hand-held photo, the live face, then the card's
    notes: list[str]

    @property
    def live_face(self) -> FaceCrop | None:
        return self.faces[0] if self.faces else None

    @property
    def card_face(self) -> FaceCrop | None:
        return self.faces[1] if len(self.faces) > 1 else None


def identity_faces(data: bytes, *, what: str = "身份证照片") -> IdentityAid:
    img = decode_image(data, what=what, max_bytes=30 * 1024 * 1024).image
    rgb = np.asarray(img)
    gray = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    faces = sorted(detect_faces(gray, 0.04), key=lambda f: -f.w * f.h)
    crops = []
    for f in faces[:3]:
        pad = f.w // 4
        box = (
            max(0, f.x - pad),
            max(0, f.y - pad),
            min(img.width, f.x + f.w + pad),
            min(img.height, f.y + f.h + pad),
        )
        buf = io.BytesIO()
        img.crop(box).save(buf, "JPEG", quality=90)
        crops.append(FaceCrop(f, buf.getvalue(), laplacian_sharpness(gray[f.y : f.y + f.h, f.x : f.x + f.w])))
    notes = []
    if not faces:
        notes.append("未找到人脸，请人工比对")
    elif len(faces) == 1 and what.startswith("手持"):
        notes.append("只找到一张人脸，证件上的人像可能被遮挡或反光")
    if crops and min(c.sharpness for c in crops) < BLUR_NOTE_BELOW:
        notes.append("照片模糊")
    blown = (rgb.min(axis=-1) >= 245).mean()
    if blown > GLARE_NOTE_ABOVE:
        notes.append(f"有反光（{blown:.0%} 的像素过亮）")
    return IdentityAid(crops, notes)
