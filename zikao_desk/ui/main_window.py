"""The main window: menu, dashboard, status bar with the database."""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zikao_desk import __version__
from zikao_desk.config import MAIN_WINDOW_GEOMETRY, MAIN_WINDOW_STATE, Settings
from zikao_desk.db import Database
from zikao_desk.errors import UserError
from zikao_desk.services.stats import OfficeStats, load_office_stats
from zikao_desk.ui.dashboard import DashboardModel
from zikao_desk.ui.tasks import run_task

log = logging.getLogger("zikao.ui")


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        super().__init__()
        self.db = db
        self.settings = settings or Settings()
        self.setWindowTitle(self.tr("zikao_desk — County Self-Study Exam Office"))
        self.setMinimumSize(900, 560)

        self.dashboard_model = DashboardModel()
        self.dashboard = QTableView()
        self.dashboard.setObjectName("dashboard")
        self.dashboard.setModel(self.dashboard_model)
        self.dashboard.setAlternatingRowColors(True)
        self.dashboard.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.dashboard.verticalHeader().setVisible(False)
        self.dashboard.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        heading = QLabel(self.tr("Work queues by county"))
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 16pt; font-weight: bold; margin: 6px 0;")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(heading)
        layout.addWidget(self.dashboard)
        self.setCentralWidget(central)

        self._build_menu()
        self.db_label = QLabel(self.tr("Database: %1").replace("%1", db.display_url))
        self.db_label.setObjectName("db_label")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.db_label)
        self._restore_geometry()
        self.refresh()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh)
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("E&xit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def refresh(self) -> None:
        self.statusBar().showMessage(self.tr("Loading…"))
        db = self.db
        run_task(lambda: load_office_stats(db), self._stats_loaded)

    def _stats_loaded(self, stats: OfficeStats | None, error: BaseException | None) -> None:
        if error is not None:
            self.statusBar().showMessage(self.tr("Loading failed"), 5000)
            if isinstance(error, UserError):
                QMessageBox.warning(self, self.tr("Cannot load"), str(error))
                return
            raise error  # a bug: the crash handler logs and shows it
        assert stats is not None
        self.dashboard_model.set_stats(stats)
        self.statusBar().showMessage(self.tr("Updated"), 3000)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About zikao_desk"),
            self.tr("zikao_desk %1\nThe county self-study examination office's desktop application.").replace(
                "%1", __version__
            ),
        )

    def _restore_geometry(self) -> None:
        geometry = self.settings.get(MAIN_WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        else:
            self.resize(1200, 760)
        state = self.settings.get(MAIN_WINDOW_STATE)
        if state:
            self.restoreState(QByteArray(base64.b64decode(state)))

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.settings.set(
                MAIN_WINDOW_GEOMETRY, base64.b64encode(bytes(self.saveGeometry().data())).decode()
            )
            self.settings.set(MAIN_WINDOW_STATE, base64.b64encode(bytes(self.saveState().data())).decode())
        except OSError:
            log.warning("could not save window geometry", exc_info=True)
        super().closeEvent(event)
