"""Operations off the GUI thread (after Anki's ``CollectionOp``).

``run_task(fn, on_done)`` runs ``fn`` on the global QThreadPool and calls
``on_done(result, error)`` on the main thread. Workers never touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("zikao.ui.tasks")

_live: set[_Task] = set()  # keep signal objects alive until delivered


class _Signals(QObject):
    finished = Signal(object, object)  # result, error


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the main thread, which decides how to show it
            log.debug("task failed", exc_info=True)
            self.signals.finished.emit(None, exc)
        else:
            self.signals.finished.emit(result, None)


def run_task(fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None]) -> None:
    task = _Task(fn)
    _live.add(task)

    def deliver(result: Any, error: BaseException | None) -> None:
        _live.discard(task)
        on_done(result, error)

    task.signals.finished.connect(deliver)
    QThreadPool.globalInstance().start(task)
