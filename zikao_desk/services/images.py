"""Safe decoding of every image the office receives (photos, ID images, scans, evidence).

Type by content, not by name; a byte limit; a pixel limit with decompression bombs refused;
truncated and corrupt files refused (Pillow needs ``verify()`` and then ``load()`` on a
reopened file to catch both kinds); the EXIF orientation read. A bad file gives a clear
reason in a ``ValidationError``, never a crash or a hang.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import ExifTags, Image, UnidentifiedImageError

from zikao_desk.errors import ValidationError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 12-megapixel phone photo is far below; decompression bombs are above
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}

# EXIF orientation: 1 normal; 2, 4, 5, 7 mirrored; 3, 6, 8 rotated.
EXIF_MIRRORED = {2, 4, 5, 7}
EXIF_ROTATED = {3, 6, 8}
_EDITORS = (
    "photoshop",
    "美图",
    "meitu",
    "gimp",
    "lightroom",
    "snapseed",
    "picsart",
    "faceu",
    "beauty",
    "美颜",
)


@dataclass(frozen=True)
class ImageInfo:
    media_type: str
    width: int
    height: int
    orientation: int = 1  # EXIF Orientation, 1 when absent
    software: str | None = None  # EXIF Software, a hint of editing


@dataclass(frozen=True)
class DecodedImage:
    info: ImageInfo
    image: Image.Image  # RGB, pixels as stored (EXIF orientation not applied)


def _read_info(img: Image.Image, fmt: str) -> ImageInfo:
    orientation, software = 1, None
    try:
        exif = img.getexif()
        orientation = int(exif.get(ExifTags.Base.Orientation, 1) or 1)
        raw_software = exif.get(ExifTags.Base.Software)
        software = str(raw_software).strip() if raw_software else None
    except Exception:  # broken EXIF is not a broken image
        pass
    return ImageInfo(FORMATS[fmt], img.width, img.height, orientation, software)


def decode_image(data: bytes, *, what: str = "图片", max_bytes: int = MAX_EVIDENCE_BYTES) -> DecodedImage:
    if not data:
        raise ValidationError(f"{what}文件为空")
    if len(data) > max_bytes:
        raise ValidationError(
            f"{what}文件 {len(data) / 1024 / 1024:.1f} MB，超过上限 {max_bytes / 1024 / 1024:.0f} MB"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or "?"
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(f"{what}像素过多（{width}×{height}），拒绝处理")
                if fmt not in FORMATS:
                    raise ValidationError(f"{what}实际格式为 {fmt}，只接受 JPEG 或 PNG")
                probe.verify()
            # verify() misses truncated pixel data; a fresh, full decode catches it
            with Image.open(io.BytesIO(data)) as full:
                info = _read_info(full, fmt)
                full.load()
                rgb = full.convert("RGB")
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(f"{what}像素过多，疑似压缩炸弹，拒绝处理") from None
    except UnidentifiedImageError:
        raise ValidationError(f"{what}不是可识别的图片文件") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(f"{what}文件已损坏或不完整：{exc}") from None
    return DecodedImage(info, rgb)


def inspect_image(data: bytes, *, what: str = "图片", max_bytes: int = MAX_EVIDENCE_BYTES) -> ImageInfo:
    return decode_image(data, what=what, max_bytes=max_bytes).info


def edited_with(software: str | None) -> str | None:
    """The editing program named in EXIF Software, if it is one that retouches photos."""
    if not software:
        return None
    lowered = software.lower()
    return software if any(name in lowered for name in _EDITORS) else None
