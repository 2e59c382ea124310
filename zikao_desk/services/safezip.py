"""Safe reading of ZIP archives: old-plan scan archives and the province's packages.

- Caps on entry count, per-entry size, total size and compression ratio, enforced on the
  bytes actually inflated (the sizes an archive declares are not trusted).
- Encrypted entries and compression methods other than stored/deflated are refused with a
  message naming the entry.
- Entry names are never used as paths: ``extract_all`` writes to names it makes up inside a
  folder the caller chose, and returns which entry went where. Names with ``..`` or an
  absolute path are reported as unsafe.
- Names from Windows tools (GBK, without the UTF-8 flag) are shown correctly.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from zikao_desk.errors import ValidationError

ZIP_FLAG_ENCRYPTED = 0x1
ZIP_FLAG_UTF8 = 0x800
SUPPORTED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 5000
    max_entry_bytes: int = 50 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    max_ratio: float = 200.0  # inflated / compressed, per entry (only past 1 MB inflated)


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class ZipEntry:
    name: str  # decoded, with forward slashes, as shown to the user
    raw: zipfile.ZipInfo
    size: int  # declared size
    is_dir: bool
    safe: bool  # False when the name is absolute or climbs out with ".."

    @property
    def normalized(self) -> str:
        """The name as a relative POSIX path (what a workbook cell refers to)."""
        return posixpath.normpath(self.name.lstrip("/")) if self.safe else self.name


def decode_name(info: zipfile.ZipInfo) -> str:
    """The entry name as its author meant it: UTF-8 when flagged; otherwise try UTF-8, then
    GBK (Chinese Windows), on the original bytes that zipfile decoded as CP437."""
    if info.flag_bits & ZIP_FLAG_UTF8:
        name = info.filename
    else:
        raw = info.filename.encode("cp437", errors="replace")
        for encoding in ("utf-8", "gbk"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            name = info.filename
    return name.replace("\\", "/")


def _is_safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not (name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in path.parts)


class SafeZip:
    """``with SafeZip(source, label="旧计划课程扫描件") as z: for e in z.entries(): z.read(e)``"""

    def __init__(
        self, source: bytes | Path, *, label: str = "压缩包", limits: ZipLimits = DEFAULT_LIMITS
    ) -> None:
        self.label = label
        self.limits = limits
        self._total = 0
        try:
            self._zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ValidationError(f"{label}不是有效的 ZIP 文件：{exc}") from None
        infos = self._zf.infolist()
        if len(infos) > limits.max_entries:
            self._zf.close()
            raise ValidationError(f"{label}包含 {len(infos)} 个文件，超过上限 {limits.max_entries}")
        self._entries = []
        for info in infos:
            name = decode_name(info)
            entry = ZipEntry(name, info, info.file_size, info.is_dir(), _is_safe(name))
            if not entry.is_dir:
                self._check_entry(entry)
            self._entries.append(entry)

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    def _check_entry(self, entry: ZipEntry) -> None:
        info = entry.raw
        if info.flag_bits & ZIP_FLAG_ENCRYPTED:
            raise ValidationError(f"{self.label}中的文件“{entry.name}”已加密，无法读取，请提供未加密的压缩包")
        if info.compress_type not in SUPPORTED_METHODS:
            raise ValidationError(
                f"{self.label}中的文件“{entry.name}”使用了不支持的压缩方式（{info.compress_type}），"
                "请用普通 ZIP（存储或 Deflate）重新压缩"
            )
        if info.file_size > self.limits.max_entry_bytes:
            raise ValidationError(
                f"{self.label}中的文件“{entry.name}”有 {info.file_size / 1024 / 1024:.0f} MB，"
                f"超过单个文件上限 {self.limits.max_entry_bytes / 1024 / 1024:.0f} MB"
            )

    def entries(self, *, files_only: bool = True) -> list[ZipEntry]:
        return [e for e in self._entries if not (files_only and e.is_dir)]

    def find(self, relative_path: str) -> ZipEntry | None:
        """The entry a workbook cell names (``photos/x.jpg``), by its normalized name."""
        wanted = posixpath.normpath(relative_path.replace("\\", "/").lstrip("/"))
        return next((e for e in self.entries() if e.safe and e.normalized == wanted), None)

    def iter_chunks(self, entry: ZipEntry) -> Iterator[bytes]:
        """The entry's bytes, inflated in chunks, stopping at the first cap that is passed."""
        if not entry.safe:
            raise ValidationError(
                f"{self.label}中的文件名“{entry.name}”不安全（绝对路径或包含 ..），拒绝读取"
            )
        self._check_entry(entry)
        written = 0
        compressed = max(1, entry.raw.compress_size)
        try:
            with self._zf.open(entry.raw) as stream:
                while chunk := stream.read(CHUNK):
                    written += len(chunk)
                    self._total += len(chunk)
                    if written > self.limits.max_entry_bytes:
                        raise ValidationError(f"{self.label}中的文件“{entry.name}”解压后超过单个文件上限")
                    if written > 1024 * 1024 and written / compressed > self.limits.max_ratio:
                        raise ValidationError(
                            f"{self.label}中的文件“{entry.name}”压缩比异常（超过 {self.limits.max_ratio:.0f} 倍），"
                            "疑似压缩炸弹，拒绝解压"
                        )
                    if self._total > self.limits.max_total_bytes:
                        raise ValidationError(f"{self.label}解压后总大小超过上限")
                    yield chunk
        except ValidationError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise ValidationError(f"{self.label}中的文件“{entry.name}”已损坏：{exc}") from None

    def read(self, entry: ZipEntry) -> bytes:
        return b"".join(self.iter_chunks(entry))

    def extract_all(self, target: Path) -> dict[str, Path]:
        """Write every safe file entry into ``target`` under a made-up name (keeping only a
        short, sanitised extension); return {entry name: written path}."""
        target.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for number, entry in enumerate(self.entries(), 1):
            if not entry.safe:
                continue
            suffix = PurePosixPath(entry.name).suffix.lower()
            suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
            path = target / f"{number:05d}{suffix}"
            with path.open("wb") as out:
                for chunk in self.iter_chunks(entry):
                    out.write(chunk)
            written[entry.name] = path
        return written
