"""Safe decoding of images the office receives: type by content, byte and pixel limits,
truncated and corrupt files refused with a reason, never a crash."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from zikao_desk.errors import ValidationError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 12-megapixel phone photo is far below; decompression bombs are above
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class ImageInfo:
    media_type: str
    width: int
    height: int


def inspect_image(data: bytes, *, what: str = "图片", max_bytes: int = MAX_EVIDENCE_BYTES) -> ImageInfo:
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
                fmt = probe.format
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(f"{what}像素过多（{width}×{height}），拒绝处理")
                if fmt not in FORMATS:
                    raise ValidationError(f"{what}格式为 {fmt}，只接受 JPEG 或 PNG")
                probe.verify()
            # verify() misses truncated pixel data; a fresh decode catches it
            with Image.open(io.BytesIO(data)) as full:
                full.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(f"{what}像素过多，疑似压缩炸弹，拒绝处理") from None
    except UnidentifiedImageError:
        raise ValidationError(f"{what}不是可识别的图片文件") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"{what}文件已损坏或不完整：{exc}") from None
    return ImageInfo(FORMATS[fmt], width, height)
