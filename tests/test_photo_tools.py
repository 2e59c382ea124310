"""The standard 480x640 output, identity aids, and duplicate photos across candidates."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from tests import photos
from tests.world import make_world
from zikao_desk.errors import ValidationError
from zikao_desk.models import Candidate
from zikao_desk.services.blobs import store_blob
from zikao_desk.services.demo_images import graduation_photos_ok
from zikao_desk.services.duplicates import find_duplicates, hamming, perceptual_hash
from zikao_desk.services.identity_aids import identity_faces
from zikao_desk.services.photo_check import check_graduation_photo
from zikao_desk.services.photo_standard import standardize_photo


def _counter_photo() -> Image.Image:
    """A phone photo at the counter: larger, the person off-centre and smaller than standard."""
    canvas = Image.new("RGB", (1500, 2000), photos.WHITE)
    return photos.portrait(canvas, scale=3.2, offset=(80, 420))


def test_standard_output_is_480x640_jpeg_with_the_face_placed_by_the_geometry():
    source = _counter_photo()
    out = standardize_photo(photos.jpeg(source))
    img = Image.open(io.BytesIO(out))
    assert (img.format, img.size, img.mode) == ("JPEG", (480, 640), "RGB")
    report = check_graduation_photo(out)
    assert report.verdict == "pass", [
        (c.name, c.status, c.value) for c in report.checks if c.status != "pass"
    ]


def test_standard_output_is_cropped_and_scaled_never_mirrored():
    source = _counter_photo()
    # a red badge on the viewer's left of the suit, below the face
    ImageDraw.Draw(source).rectangle([640, 1500, 700, 1560], fill=(230, 0, 0))
    out = np.asarray(Image.open(io.BytesIO(standardize_photo(photos.jpeg(source)))), dtype=np.int32)
    red = (out[..., 0] > 180) & (out[..., 1] < 60) & (out[..., 2] < 60)
    ys, xs = np.nonzero(red)
    assert len(xs) > 20, "the badge is inside the crop"
    assert xs.mean() < 240, "still on the viewer's left: not mirrored"
    assert ys.mean() > 400, "still below the face: not rotated"


def test_standard_output_refuses_rotation_flags_and_cramped_photos():
    exif = Image.Exif()
    exif[0x0112] = 8
    with pytest.raises(ValidationError, match="旋转或镜像"):
        standardize_photo(photos.jpeg(_counter_photo(), exif=exif))
    cramped = photos.portrait(Image.new("RGB", (480, 640), photos.WHITE), scale=3.4, offset=(-520, -40))
    with pytest.raises(ValidationError):
        standardize_photo(photos.jpeg(cramped))


def _handheld(blur: float = 0) -> Image.Image:
    scene = photos.portrait(Image.new("RGB", (900, 1200), (205, 200, 190)), scale=3.6, offset=(-360, 40))
    card = Image.new("RGB", (380, 240), (236, 240, 236))
    card = photos.portrait(card, scale=0.55, offset=(150, 10))
    scene.paste(card, (60, 860))
    return scene.filter(ImageFilter.GaussianBlur(blur)) if blur else scene


def test_identity_aids_find_the_live_face_and_the_card_portrait():
    aid = identity_faces(photos.jpeg(_handheld()), what="手持身份证照")
    assert len(aid.faces) == 2
    assert aid.live_face.box.w > 3 * aid.card_face.box.w
    assert aid.card_face.box.y > 800  # the card is held below the chin
    assert Image.open(io.BytesIO(aid.card_face.jpeg)).format == "JPEG"
    assert aid.notes == []


def test_identity_aids_note_blur_and_glare():
    glare = _handheld()
    ImageDraw.Draw(glare).ellipse([500, 100, 850, 400], fill=(255, 255, 255))
    notes = identity_faces(photos.jpeg(glare), what="手持身份证照").notes
    assert any("反光" in n for n in notes)
    blurred = identity_faces(photos.jpeg(_handheld(blur=6)), what="身份证人像面照")
    assert "照片模糊" in blurred.notes or not blurred.faces


def test_perceptual_hash_survives_reencoding_but_tells_people_apart():
    a = Image.open(io.BytesIO(photos.compliant()))
    again = Image.open(io.BytesIO(photos.jpeg(a.resize((450, 600)), quality=60)))
    other = Image.open(io.BytesIO(graduation_photos_ok(1)[0].data))
    assert hamming(perceptual_hash(a), perceptual_hash(again)) <= 6
    assert hamming(perceptual_hash(a), perceptual_hash(other)) > 12


def test_a_photo_matching_another_candidates_is_flagged(db):
    world = make_world(db)
    original = photos.compliant()
    copy = photos.jpeg(Image.open(io.BytesIO(original)).resize((456, 608)), quality=70)
    different = graduation_photos_ok(1)[5].data
    a = world.candidate()
    b = world.candidate(county="140106")
    c = world.candidate()
    with db.write() as s:
        s.get_one(Candidate, b).ticket_photo_sha = store_blob(s, copy, "image/jpeg")
        s.get_one(Candidate, c).ticket_photo_sha = store_blob(s, different, "image/jpeg")
        s.get_one(Candidate, a).ticket_photo_sha = store_blob(s, original, "image/jpeg")
    with db.write() as s:
        from zikao_desk.services.duplicates import index_photo

        for cid in (b, c):
            index_photo(s, s.get_one(Candidate, cid).ticket_photo_sha)
    with db.write() as s:
        matches = find_duplicates(s, world.clerk, a)
    assert [m.other_candidate_id for m in matches] == [b]
    assert matches[0].distance <= 6 and matches[0].other_county_code == "140106"
    assert matches[0].other_name is None  # another county's candidate: number only, no name
    with db.write() as s:
        assert next(m.other_candidate_id for m in find_duplicates(s, world.admin, a)) == b
        assert find_duplicates(s, world.admin, a)[0].other_name == "测试考生"
