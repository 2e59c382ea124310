"""The main window, offscreen, as a clerk would see it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from zikao_desk.config import Settings
from zikao_desk.db import Database
from zikao_desk.ui.dashboard import DashboardModel
from zikao_desk.ui.i18n import TsTranslator, install_translations, ts_path
from zikao_desk.ui.main_window import MainWindow


@pytest.fixture
def chinese(qapp: QApplication):
    translators = install_translations(qapp, "zh_CN")
    yield
    for t in translators:
        qapp.removeTranslator(t)


@pytest.fixture
def sqlite_demo(demo_db_urls):
    database = Database(demo_db_urls["sqlite"])
    yield database
    database.dispose()


def test_main_window_shows_name_database_and_queues(qtbot, chinese, sqlite_demo, tmp_path):
    window = MainWindow(sqlite_demo, Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    window.show()
    assert "自考办毕业审核工作台" in window.windowTitle()
    assert window.db_label.text().startswith("数据库：sqlite:///")
    assert "demo.sqlite3" in window.db_label.text()
    model = window.dashboard_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    assert model.headerData(2, orientation=window.dashboard.horizontalHeader().orientation()) == "待审批"
    last = model.rowCount() - 1
    assert model.index(last, 0).data() == "合计"
    assert model.index(last, 1).data() == "1500"
    assert model.index(0, 0).data().startswith("1401")
    window.close()
    assert Settings(tmp_path / "s.ini").get(__import__("zikao_desk.config").config.MAIN_WINDOW_GEOMETRY)


def test_english_is_selectable(qtbot, sqlite_demo, tmp_path):
    window = MainWindow(sqlite_demo, Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert window.windowTitle() == "zikao_desk — County Self-Study Exam Office"
    assert window.db_label.text().startswith("Database: ")


def test_dashboard_model_passes_qt_model_checks(qtmodeltester, demo_db_urls):
    from zikao_desk.services.stats import load_office_stats

    database = Database(demo_db_urls["sqlite"])
    model = DashboardModel()
    model.set_stats(load_office_stats(database))
    database.dispose()
    qtmodeltester.check(model)
    assert model.rowCount() == 11  # ten Taiyuan counties and the total


def test_every_ui_string_has_a_chinese_translation():
    """A string added to the UI without a translation would show English to the clerks."""
    import ast
    import pathlib

    ui_dir = pathlib.Path(__import__("zikao_desk.ui").ui.__file__).parent
    translator = TsTranslator(ts_path("zh_CN").read_text(encoding="utf-8"))
    missing = []
    for path in ui_dir.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            for call in [n for n in ast.walk(cls) if isinstance(n, ast.Call)]:
                f = call.func
                if isinstance(f, ast.Attribute) and f.attr == "tr" and call.args:
                    arg = call.args[0]
                    if isinstance(arg, ast.Constant) and not translator.translate(cls.name, arg.value):
                        missing.append(f"{path.name}:{cls.name}: {arg.value!r}")
    assert not missing, missing
