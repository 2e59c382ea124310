"""Translations the Qt way, without a build step.

Source strings are English (``self.tr()``); ``resources/i18n/zikao_desk_zh_CN.ts`` holds the
Chinese. Rather than ship compiled ``.qm`` files (which need ``lrelease`` at build time),
the ``.ts`` XML is read at start into a ``QTranslator`` subclass: it is small, and every
install path works the same. Qt's own strings come from PySide6's ``qtbase_zh_CN.qm``.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger("zikao.ui.i18n")


class TsTranslator(QTranslator):
    def __init__(self, ts_text: str) -> None:
        super().__init__()
        self._map: dict[tuple[str, str], str] = {}
        root = ET.fromstring(ts_text)
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source = message.findtext("source")
                translation = message.find("translation")
                if source is None or translation is None or not translation.text:
                    continue
                if translation.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                self._map[(name, source)] = translation.text

    def __len__(self) -> int:
        return len(self._map)

    def isEmpty(self) -> bool:
        return not self._map

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return self._map.get((context, source), "")


def ts_path(language: str) -> Path:
    return Path(str(resources.files("zikao_desk") / "resources" / "i18n" / f"zikao_desk_{language}.ts"))


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Install the app's and Qt's translators for ``language``; keep the returned list alive."""
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    qt = QTranslator(app)
    if qt.load(
        QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt)
        installed.append(qt)
    path = ts_path(language)
    if path.exists():
        ours = TsTranslator(path.read_text(encoding="utf-8"))
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("no translation file %s", path)
    return installed
