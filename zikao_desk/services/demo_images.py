"""Generated images for demo data: a deterministic pool, reused across candidates.

Portraits are drawn (not real people). Passing graduation photos follow the rules
(480x640 JPEG, light blue / white / light grey background, colour); failing ones break
one rule each, so the photo review queue has something to show.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFilter

LIGHT_BLUE = (100, 197, 255)
WHITE = (255, 255, 255)
LIGHT_GREY = (220, 220, 220)
ALLOWED_BACKGROUNDS = (LIGHT_BLUE, WHITE, LIGHT_GREY)

SKIN_TONES = [(241, 194, 160), (224, 172, 135), (198, 146, 110), (236, 188, 150)]
HAIR = [(20, 20, 20), (45, 32, 25), (60, 45, 35)]
CLOTHES = [(25, 35, 60), (30, 30, 30), (70, 70, 80), (240, 240, 240)]


@dataclass(frozen=True)
class DemoImage:
    data: bytes
    media_type: str
    kind: str  # e.g. "photo_ok", "photo_bad_background"


def _portrait(rng: random.Random, size: tuple[int, int], background: tuple[int, int, int]) -> Image.Image:
    w, h = size
    img = Image.new("RGB", size, background)
    d = ImageDraw.Draw(img)
    skin = rng.choice(SKIN_TONES)
    hair = rng.choice(HAIR)
    cloth = rng.choice(CLOTHES)
    cx = w // 2 + rng.randint(-w // 40, w // 40)
    face_w = int(w * rng.uniform(0.40, 0.48))
    face_h = int(face_w * 1.3)
    top = int(h * 0.16)
    # shoulders and neck
    d.ellipse([cx - int(w * 0.55), int(h * 0.78), cx + int(w * 0.55), int(h * 1.35)], fill=cloth)
    d.rectangle([cx - face_w // 5, top + face_h - 20, cx + face_w // 5, int(h * 0.82)], fill=skin)
    # hair behind, face, hair on top
    d.ellipse([cx - face_w // 2 - 12, top - 25, cx + face_w // 2 + 12, top + face_h // 2 + 40], fill=hair)
    d.ellipse([cx - face_w // 2, top, cx + face_w // 2, top + face_h], fill=skin)
    d.chord([cx - face_w // 2 - 4, top - 25, cx + face_w // 2 + 4, top + face_h // 3], 180, 360, fill=hair)
    # eyes, brows, nose, mouth
    ey = top + int(face_h * 0.45)
    ex = face_w // 5
    for sx in (cx - ex, cx + ex):
        d.ellipse([sx - 14, ey - 7, sx + 14, ey + 7], fill=(250, 250, 250))
        d.ellipse([sx - 6, ey - 6, sx + 6, ey + 6], fill=(40, 30, 25))
        d.line([sx - 18, ey - 20, sx + 18, ey - 22], fill=hair, width=5)
    d.line([cx, ey + 10, cx - 6, ey + int(face_h * 0.2)], fill=(170, 120, 95), width=3)
    my = top + int(face_h * 0.75)
    d.arc([cx - 30, my - 12, cx + 30, my + 12], 20, 160, fill=(170, 70, 70), width=4)
    return img.filter(ImageFilter.SMOOTH)


def _jpeg(img: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@cache  # the same seed draws the same pool; drawing takes about a second
def graduation_photos_ok(seed: int, count: int = 24) -> tuple[DemoImage, ...]:
    rng = random.Random(seed * 7919 + 1)
    out = []
    for i in range(count):
        bg = ALLOWED_BACKGROUNDS[i % len(ALLOWED_BACKGROUNDS)]
        out.append(DemoImage(_jpeg(_portrait(rng, (480, 640), bg)), "image/jpeg", "photo_ok"))
    return tuple(out)


@cache  # the same seed draws the same pool; drawing takes about a second
def graduation_photos_bad(seed: int) -> tuple[DemoImage, ...]:
    """One photo per broken rule."""
    rng = random.Random(seed * 7919 + 2)
    out: list[DemoImage] = []
    out.append(
        DemoImage(_jpeg(_portrait(rng, (480, 640), (200, 30, 40))), "image/jpeg", "photo_bad_background")
    )
    grey = _portrait(rng, (480, 640), LIGHT_BLUE).convert("L").convert("RGB")
    out.append(DemoImage(_jpeg(grey), "image/jpeg", "photo_bad_grayscale"))
    framed = _portrait(rng, (480, 640), WHITE)
    ImageDraw.Draw(framed).rectangle([0, 0, 479, 639], outline=(0, 0, 0), width=18)
    out.append(DemoImage(_jpeg(framed), "image/jpeg", "photo_bad_border"))
    texted = _portrait(rng, (480, 640), LIGHT_GREY)
    d = ImageDraw.Draw(texted)
    for y in (20, 50):
        d.text((20, y), "SAMPLE  SAMPLE  SAMPLE", fill=(200, 0, 0))
    out.append(DemoImage(_jpeg(texted), "image/jpeg", "photo_bad_text"))
    # over 2 MB: a large noisy PNG (noise does not compress)
    big = _portrait(rng, (1200, 1600), LIGHT_BLUE)
    noise = Image.effect_noise((1200, 1600), 60).convert("RGB")
    big = Image.blend(big, noise, 0.25)
    out.append(DemoImage(_png(big), "image/png", "photo_bad_too_large"))
    blurred = _portrait(rng, (480, 640), LIGHT_BLUE).filter(ImageFilter.GaussianBlur(9))
    out.append(DemoImage(_jpeg(blurred), "image/jpeg", "photo_bad_blurred"))
    return tuple(out)


@cache  # the same seed draws the same pool; drawing takes about a second
def ticket_photos(seed: int, count: int = 24) -> tuple[DemoImage, ...]:
    rng = random.Random(seed * 7919 + 3)
    return tuple(
        DemoImage(_jpeg(_portrait(rng, (150, 200), LIGHT_BLUE), 85), "image/jpeg", "ticket_photo")
        for _ in range(count)
    )


def _id_card(rng: random.Random) -> Image.Image:
    card = Image.new("RGB", (856, 540), (236, 240, 236))
    d = ImageDraw.Draw(card)
    d.rounded_rectangle([4, 4, 851, 535], radius=30, outline=(170, 180, 175), width=4)
    for i, y in enumerate(range(70, 420, 60)):
        d.rectangle([60, y, 60 + 90, y + 18], fill=(120, 130, 140))
        d.rectangle([170, y, 170 + rng.randint(120, 330 if i < 4 else 420), y + 18], fill=(40, 40, 40))
    d.rectangle([60, 460, 560, 482], fill=(40, 40, 40))
    card.paste(_portrait(rng, (240, 300), (236, 240, 236)), (570, 90))
    return card


@cache  # the same seed draws the same pool; drawing takes about a second
def id_card_photos(seed: int, count: int = 12) -> tuple[DemoImage, ...]:
    rng = random.Random(seed * 7919 + 4)
    return tuple(DemoImage(_jpeg(_id_card(rng), 85), "image/jpeg", "id_card") for _ in range(count))


@cache  # the same seed draws the same pool; drawing takes about a second
def handheld_photos(seed: int, count: int = 12) -> tuple[DemoImage, ...]:
    rng = random.Random(seed * 7919 + 5)
    out = []
    for _ in range(count):
        scene = _portrait(rng, (720, 960), (205, 200, 190))
        card = _id_card(rng).resize((300, 190))
        d = ImageDraw.Draw(scene)
        d.ellipse([180, 700, 300, 820], fill=rng.choice(SKIN_TONES))  # the hand
        scene.paste(card, (210, 640))
        out.append(DemoImage(_jpeg(scene, 85), "image/jpeg", "handheld"))
    return tuple(out)


def _card_scan(rng: random.Random) -> bytes:
    img = Image.new("RGB", (1000, 700), (250, 248, 240))
    d = ImageDraw.Draw(img)
    d.rectangle([20, 20, 979, 679], outline=(60, 60, 60), width=3)
    for y in range(90, 640, 55):
        d.line([40, y, 960, y], fill=(150, 150, 150), width=1)
        d.rectangle([60, y - 35, 60 + rng.randint(150, 700), y - 15], fill=(60, 60, 90))
    d.ellipse([780, 520, 920, 660], outline=(200, 30, 30), width=6)  # the seal
    return _jpeg(img, 80)


@cache  # the same seed draws the same pool; drawing takes about a second
def old_plan_archives(seed: int, count: int = 4) -> tuple[DemoImage, ...]:
    """ZIPs of 实践课考核卡 scans, named in Chinese as candidates name them."""
    rng = random.Random(seed * 7919 + 6)
    out = []
    for i in range(count):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for n in range(1 + i % 2):
                info = zipfile.ZipInfo(f"实践课考核卡_{n + 1}.jpg", date_time=(2026, 10, 1, 9, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, _card_scan(rng))
        out.append(DemoImage(buf.getvalue(), "application/zip", "old_plan_archive"))
    return tuple(out)
