"""Start-up: settings, logging, translations, database (with migrations), main window."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from zikao_desk import APP_NAME, __version__
from zikao_desk.config import LANGUAGE, Settings
from zikao_desk.db import Database
from zikao_desk.errors import UserError
from zikao_desk.logsetup import setup_logging
from zikao_desk.services.reference_data import open_and_prepare
from zikao_desk.ui.i18n import install_translations

log = logging.getLogger("zikao.app")
qt_log = logging.getLogger("zikao.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message_handler(mode: QtMsgType, context: object, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(mode, logging.WARNING), message)


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """A bug: log it with its traceback and show it; the app keeps running."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unhandled exception\n%s", text)
    if QApplication.instance() is not None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "程序错误 / Internal error",
            "程序发生内部错误，已记录到日志。当前操作未完成，已保存的数据不受影响。",
        )
        box.setDetailedText(text)
        box.exec()


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    return app


def run_gui(url: str, language: str | None = None) -> int:
    setup_logging()
    qInstallMessageHandler(_qt_message_handler)
    settings = Settings()
    app = create_application()
    translators = install_translations(app, language or settings.get(LANGUAGE))
    sys.excepthook = _excepthook
    try:
        db = Database(url)
        open_and_prepare(db)
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 1
    from zikao_desk.ui.main_window import MainWindow

    window = MainWindow(db, settings)
    window.show()
    code = app.exec()
    db.dispose()
    del translators
    return int(code)
