"""Settings, declared once (as MusicBrainz Picard's ``options.py`` does).

Every key has a type and a default here and nowhere else. The store is an INI file in the
user's config folder rather than QSettings: the command line and the services read the
database URL too, and they must not need Qt.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from zikao_desk.paths import user_config_dir

T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class Setting(Generic[T]):
    section: str
    name: str
    default: T
    help: str


DATABASE_URL: Setting[str] = Setting("database", "url", "", "数据库地址；空 = 用户数据目录中的 SQLite 文件")
CJK_FONT_PATH: Setting[str] = Setting("pdf", "cjk_font", "", "登记表 PDF 使用的中文 TrueType 字体文件")
LANGUAGE: Setting[str] = Setting("ui", "language", "zh_CN", "界面语言：zh_CN 或 en")
MAIN_WINDOW_GEOMETRY: Setting[str] = Setting("ui", "main_window_geometry", "", "主窗口位置（base64）")
MAIN_WINDOW_STATE: Setting[str] = Setting("ui", "main_window_state", "", "主窗口布局（base64）")


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (user_config_dir() / "settings.ini")
        self._parser = configparser.ConfigParser(interpolation=None)
        if self.path.exists():
            self._parser.read(self.path, encoding="utf-8")

    def get(self, setting: Setting[T]) -> T:
        raw = self._parser.get(setting.section, setting.name, fallback=None)
        if raw is None:
            return setting.default
        if isinstance(setting.default, bool):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(setting.default, int):
            try:
                return int(raw)
            except ValueError:
                return setting.default
        return raw

    def set(self, setting: Setting[T], value: T) -> None:
        if not self._parser.has_section(setting.section):
            self._parser.add_section(setting.section)
        self._parser.set(setting.section, setting.name, str(value))
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            self._parser.write(f)
        tmp.replace(self.path)  # never leave a half-written settings file
