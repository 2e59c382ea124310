"""Test photos from a real face: scikit-image's astronaut portrait (public domain, in the
wheel), cut out with a soft head-and-shoulders mask and composited onto a background at the
学信网 geometry, plus broken variants, each breaking one rule."""

from __future__ import annotations

import io
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LIGHT_BLUE = (100, 197, 255)
WHITE = (255, 255, 255)
LIGHT_GREY = (220, 220, 220)
SCALE = 2.3  # the astronaut's face (95 px in the original) becomes about 220 px wide
OFFSET = (-277, 22)  # where the original's (0, 0) lands on the 480x640 frame


@cache
def _astronaut() -> tuple[Image.Image, Image.Image]:
    """The portrait and a cut-out mask: GrabCut seeded with 'probably person' inside a
    head-and-shoulders outline, 'surely person' on the face and suit, 'surely background'
    outside."""
    import cv2
    from skimage import data

    rgb = data.astronaut()
    seed = np.full(rgb.shape[:2], cv2.GC_BGD, np.uint8)
    outline = Image.new("L", (512, 512), 0)
    d = ImageDraw.Draw(outline)
    d.ellipse([146, 6, 306, 196], fill=1)
    d.ellipse([50, 140, 380, 520], fill=1)
    seed[np.asarray(outline) == 1] = cv2.GC_PR_FGD
    sure = Image.new("L", (512, 512), 0)
    d = ImageDraw.Draw(sure)
    d.ellipse([180, 50, 272, 180], fill=1)  # face
    d.rectangle([140, 200, 290, 400], fill=1)  # neck ring and suit
    seed[np.asarray(sure) == 1] = cv2.GC_FGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), seed, None, bgd, fgd, 6, cv2.GC_INIT_WITH_MASK)
    person_mask = np.where((seed == cv2.GC_FGD) | (seed == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    mask = Image.fromarray(person_mask).filter(ImageFilter.MinFilter(3)).filter(ImageFilter.GaussianBlur(1.5))
    return Image.fromarray(rgb), mask


def portrait(
    background: tuple[int, int, int] | Image.Image = LIGHT_BLUE,
    *,
    scale: float = SCALE,
    offset: tuple[int, int] = OFFSET,
    size: tuple[int, int] = (480, 640),
) -> Image.Image:
    person, mask = _astronaut()
    canvas = background.copy() if isinstance(background, Image.Image) else Image.new("RGB", size, background)
    new_size = (round(person.width * scale), round(person.height * scale))
    canvas.paste(
        person.resize(new_size, Image.Resampling.LANCZOS),
        offset,
        mask.resize(new_size, Image.Resampling.LANCZOS),
    )
    return canvas


def jpeg(img: Image.Image, quality: int = 92, exif: Image.Exif | None = None) -> bytes:
    buf = io.BytesIO()
    if exif is not None:
        img.save(buf, "JPEG", quality=quality, exif=exif)
    else:
        img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def compliant(background: tuple[int, int, int] = LIGHT_BLUE) -> bytes:
    return jpeg(portrait(background))


def variants() -> dict[str, tuple[bytes, str]]:
    """Broken photos and the check each must fail: name -> (bytes, check name)."""
    base = portrait(LIGHT_BLUE)
    out: dict[str, tuple[bytes, str]] = {}
    exif = Image.Exif()
    exif[0x0112] = 2  # Orientation: mirrored horizontally
    out["mirrored_exif"] = (
        jpeg(base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), exif=exif),
        "exif_orientation",
    )
    out["rotated_90"] = (jpeg(base.rotate(90, expand=True)), "face_count")
    out["rotated_180"] = (jpeg(base.rotate(180)), "face_count")
    framed = base.copy()
    ImageDraw.Draw(framed).rectangle([0, 0, 479, 639], outline=(20, 20, 20), width=14)
    out["framed"] = (jpeg(framed), "border")
    texted = base.copy()
    d = ImageDraw.Draw(texted)
    font = ImageFont.load_default(size=26)
    for y in range(30, 300, 40):
        d.text((24, y), "样片 SAMPLE", fill=(30, 30, 30), font=font)
    out["text_on_background"] = (jpeg(texted), "background_text")
    out["blurred"] = (jpeg(base.filter(ImageFilter.GaussianBlur(5))), "sharpness")
    dark = Image.fromarray((np.asarray(base, dtype=np.float32) * 0.28).astype(np.uint8))
    out["dark"] = (jpeg(dark), "exposure")
    bright = Image.fromarray(np.clip(np.asarray(base, dtype=np.float32) * 1.9 + 40, 0, 255).astype(np.uint8))
    out["overexposed"] = (jpeg(bright), "exposure")
    out["grayscale"] = (jpeg(base.convert("L").convert("RGB")), "colour")
    two = Image.new("RGB", (480, 640), LIGHT_BLUE)
    two = portrait(two, scale=1.05, offset=(-125, 150))
    two = portrait(two, scale=1.05, offset=(115, 150))
    out["two_faces"] = (jpeg(two), "face_count")
    nobody = Image.new("RGB", (480, 640), LIGHT_BLUE)
    ImageDraw.Draw(nobody).ellipse([60, 470, 420, 900], fill=(230, 110, 40))
    out["no_face"] = (jpeg(nobody), "face_count")
    stripes = Image.new("RGB", (480, 640), LIGHT_BLUE)
    sd = ImageDraw.Draw(stripes)
    for x in range(0, 480, 24):
        sd.rectangle([x, 0, x + 11, 639], fill=(40, 90, 200))
    out["striped_background"] = (jpeg(portrait(stripes)), "background_uniformity")
    ramp = np.linspace(0, 1, 640, dtype=np.float32)[:, None, None]
    top, bottom = np.array(WHITE, np.float32), np.array((60, 110, 170), np.float32)
    gradient = Image.fromarray((top * (1 - ramp) + bottom * ramp).repeat(480, axis=1).astype(np.uint8))
    out["gradient_background"] = (jpeg(portrait(gradient)), "background_gradient")
    out["red_background"] = (jpeg(portrait((200, 30, 40))), "background_colour")
    return out
