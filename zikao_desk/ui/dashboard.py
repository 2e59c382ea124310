"""The dashboard: per county, candidates and the length of every review queue."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from zikao_desk.services.stats import CountyStats, OfficeStats

_Index = QModelIndex | QPersistentModelIndex


class DashboardModel(QAbstractTableModel):
    COLUMNS = ("county", "candidates", "approval", "identity_review", "photo_review", "materials")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[CountyStats] = []
        self._totals: dict[str, Any] | None = None

    def headers(self) -> list[str]:
        return [
            self.tr("County"),
            self.tr("Candidates"),
            self.tr("Awaiting approval"),
            self.tr("Identity review"),
            self.tr("Photo review"),
            self.tr("Materials check"),
        ]

    def set_stats(self, stats: OfficeStats) -> None:
        self.beginResetModel()
        self._rows = list(stats.counties)
        self._totals = stats.totals() if self._rows else None
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._rows) + (1 if self._totals else 0)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def _value(self, row: int, column: str) -> Any:
        if row == len(self._rows):
            assert self._totals is not None
            if column == "county":
                return self.tr("Total")
            if column == "candidates":
                return self._totals["candidates"]
            return self._totals["queues"][column]
        c = self._rows[row]
        if column == "county":
            return f"{c.code} {c.name}"
        if column == "candidates":
            return c.candidates
        return c.queues[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self._value(index.row(), column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column != "county":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() == len(self._rows):
            font = QFont()
            font.setBold(True)
            return font
        return None
