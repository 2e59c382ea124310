"""Safe image decoding and the graduation-photo pre-checks, on a real face."""

from __future__ import annotations

import io
import json
import shutil
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests import photos
from zikao_desk.cli import main
from zikao_desk.errors import ValidationError
from zikao_desk.services import photo_check
from zikao_desk.services.images import decode_image
from zikao_desk.services.photo_check import check_graduation_photo


# -- safe decoding --------------------------------------------------------------------------
def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_type_is_judged_by_content_not_name():
    buf = io.BytesIO()
    Image.new("RGB", (30, 40), "white").save(buf, "GIF")
    with pytest.raises(ValidationError, match="实际格式为 GIF"):
        decode_image(buf.getvalue(), what="毕业照片")
    assert decode_image(_png(Image.new("RGB", (30, 40))), what="x").info.media_type == "image/png"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "为空"),
        (b"%PDF-1.4 not an image", "不是可识别的图片"),
        (photos.compliant()[: len(photos.compliant()) // 2], "损坏或不完整"),
    ],
)
def test_broken_files_are_refused_with_a_reason(data, fragment):
    with pytest.raises(ValidationError) as err:
        decode_image(data, what="毕业照片")
    assert fragment in str(err.value)


def test_corrupt_png_pixel_data_is_refused():
    good = bytearray(_png(Image.effect_noise((64, 64), 50).convert("RGB")))
    idat = good.index(b"IDAT")
    good[idat + 40 : idat + 60] = b"\x00" * 20  # damage the compressed pixels, keep the header
    with pytest.raises(ValidationError, match="损坏"):
        decode_image(bytes(good), what="照片")


def test_decompression_bomb_is_refused_without_decoding():
    # a valid PNG header announcing 30000 x 30000 pixels, with almost no data behind it
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = (30000).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(ValidationError, match="像素过多"):
        decode_image(bomb, what="照片")


def test_byte_limit():
    with pytest.raises(ValidationError, match="超过上限"):
        decode_image(b"\xff" * 2048, what="证明材料", max_bytes=1024)


def test_exif_orientation_and_software_are_read():
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0131] = "Adobe Photoshop 25.0"
    buf = io.BytesIO()
    Image.new("RGB", (30, 40)).save(buf, "JPEG", exif=exif)
    info = decode_image(buf.getvalue()).info
    assert info.orientation == 6 and info.software == "Adobe Photoshop 25.0"


# -- the pre-check report -------------------------------------------------------------------
@pytest.mark.parametrize("background", [photos.LIGHT_BLUE, photos.WHITE, photos.LIGHT_GREY])
def test_compliant_photo_passes_on_every_allowed_background(background):
    report = check_graduation_photo(photos.compliant(background))
    assert report.verdict == "pass", [
        (c.name, c.status, c.value) for c in report.checks if c.status != "pass"
    ]
    assert report.face is not None
    assert {c.name for c in report.checks} >= {
        "file_size", "file_type", "dimensions", "background_colour", "background_uniformity",
        "background_gradient", "border", "background_text", "colour", "exposure", "sharpness",
        "face_count", "head_top", "eye_level", "face_width", "face_centre", "eye_tilt",
        "exif_orientation", "editing_software",
    }  # fmt: skip


@pytest.mark.parametrize("variant", list(photos.variants()))
def test_each_broken_variant_fails_the_right_check(variant):
    data, check = photos.variants()[variant]
    report = check_graduation_photo(data)
    assert report.verdict == "fail"
    assert report.check(check).status == "fail", [(c.name, c.status, c.value) for c in report.checks]


def test_oversized_file_fails_the_size_check():
    big = Image.effect_noise((1500, 2000), 80).convert("RGB")
    report = check_graduation_photo(_png(big))
    assert report.check("file_size").status == "fail"


def test_editing_software_is_only_a_hint():
    exif = Image.Exif()
    exif[0x0131] = "Meitu XiuXiu 9.2"  # EXIF text is ASCII
    report = check_graduation_photo(photos.jpeg(photos.portrait(), exif=exif))
    assert report.check("editing_software").status == "warn"
    assert report.verdict == "warn"


def test_cascades_load_from_a_folder_with_chinese_characters(tmp_path, monkeypatch):
    import cv2

    folder = tmp_path / "程序目录" / "数据"
    folder.mkdir(parents=True)
    for name in ("haarcascade_frontalface_default.xml", "haarcascade_eye.xml"):
        shutil.copy(Path(cv2.data.haarcascades) / name, folder / name)
    monkeypatch.setattr(cv2.data, "haarcascades", str(folder) + "/")
    photo_check.cascade.cache_clear()
    try:
        assert check_graduation_photo(photos.compliant()).check("face_count").status == "pass"
    finally:
        photo_check.cascade.cache_clear()


def test_photo_check_cli_json(tmp_path, capsys):
    good = tmp_path / "合格.jpg"
    good.write_bytes(photos.compliant())
    files = [str(good)]
    expected = {str(good): ("pass", None)}
    for name, (data, check) in photos.variants().items():
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(data)
        files.append(str(path))
        expected[str(path)] = ("fail", check)
    assert main(["photo", "check", "--json", *files]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["file"] for r in results] == files
    for r in results:
        verdict, check = expected[r["file"]]
        assert r["verdict"] == verdict, r
        assert set(r["checks"][0]) == {"name", "status", "value", "message"}
        if check:
            assert {c["name"]: c["status"] for c in r["checks"]}[check] == "fail"
