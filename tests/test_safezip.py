"""Hostile and Windows-made ZIP archives."""

from __future__ import annotations

import io
import zipfile

import pytest

from zikao_desk.errors import ValidationError
from zikao_desk.services.safezip import SafeZip, ZipLimits


def _zip(entries: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _gbk_zip(name: str, data: bytes) -> bytes:
    """A ZIP as Chinese Windows' built-in compressor writes it: GBK name, no UTF-8 flag."""
    gbk = name.encode("gbk")
    placeholder = "p" * (len(gbk) - 4) + ".jpg"  # an ASCII name of the same byte length
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo(placeholder, date_time=(2026, 10, 1, 9, 0, 0)), data)
    # put the GBK bytes where the name stands, in the local header and the central directory
    return buf.getvalue().replace(placeholder.encode(), gbk)


def test_entries_named_to_climb_out_are_never_written_outside(tmp_path):
    data = _zip({"../../x": b"evil", "/etc/passwd2": b"evil", "ok/card.jpg": b"fine", "a/../../y": b"evil"})
    target = tmp_path / "inside"
    with SafeZip(data) as z:
        unsafe = [e.name for e in z.entries() if not e.safe]
        written = z.extract_all(target)
        with pytest.raises(ValidationError, match="不安全"):
            z.read(next(e for e in z.entries() if e.name == "../../x"))
    assert sorted(unsafe) == ["../../x", "/etc/passwd2", "a/../../y"]
    assert list(written) == ["ok/card.jpg"]
    assert written["ok/card.jpg"].read_bytes() == b"fine"
    everything = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    assert all(str(p).startswith("inside") for p in everything), everything
    assert not (tmp_path.parent / "x").exists()


def test_gbk_names_from_windows_are_shown_correctly():
    data = _gbk_zip("实践课考核卡1.jpg", b"\xff\xd8scan")
    with SafeZip(data) as z:
        assert [e.name for e in z.entries()] == ["实践课考核卡1.jpg"]
        assert z.read(z.find("实践课考核卡1.jpg")) == b"\xff\xd8scan"


def test_utf8_names_stay_as_they_are():
    with SafeZip(_zip({"实践课考核卡/法学概论.jpg": b"x"})) as z:
        assert z.find("实践课考核卡/法学概论.jpg") is not None
        assert z.find("实践课考核卡\\法学概论.jpg") is not None  # Windows separators in a cell


def test_encrypted_entries_are_refused_with_the_entry_named():
    data = bytearray(_zip({"secret.jpg": b"x" * 100}))
    # set the "encrypted" flag bit in the local header and the central directory entry
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.index(sig)
        flag_at = at + (6 if sig == b"PK\x03\x04" else 8)
        data[flag_at] |= 0x1
    with pytest.raises(ValidationError, match=r"secret\.jpg.*已加密"):
        SafeZip(bytes(data))


def test_unknown_compression_is_refused():
    with pytest.raises(ValidationError, match="不支持的压缩方式"):
        SafeZip(_zip({"a.jpg": b"x" * 100}, method=zipfile.ZIP_LZMA))


def test_zip_bomb_is_stopped_by_ratio_while_inflating():
    bomb = _zip({"bomb.jpg": b"\x00" * (40 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with SafeZip(bomb) as z, pytest.raises(ValidationError, match="压缩比异常"):
        z.read(z.entries()[0])


def test_caps_on_entries_and_sizes():
    with pytest.raises(ValidationError, match="超过上限 3"):
        SafeZip(_zip({f"{i}.jpg": b"x" for i in range(4)}), limits=ZipLimits(max_entries=3))
    with pytest.raises(ValidationError, match="超过单个文件上限"):
        SafeZip(_zip({"big.jpg": b"x" * 5000}), limits=ZipLimits(max_entry_bytes=1000))
    with SafeZip(_zip({"a": b"x" * 600, "b": b"y" * 600}), limits=ZipLimits(max_total_bytes=1000)) as z:
        z.read(z.entries()[0])
        with pytest.raises(ValidationError, match="总大小"):
            z.read(z.entries()[1])


def test_not_a_zip():
    with pytest.raises(ValidationError, match="不是有效的 ZIP"):
        SafeZip(b"PK but not really")
