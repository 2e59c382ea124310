"""Logging: named loggers per subsystem (``zikao.db``, ``zikao.ui`` …), a rotating log file
in the user's data folder, warnings on the terminal."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from zikao_desk.paths import log_dir

_configured = False


def setup_logging(verbose: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger("zikao")
    root.setLevel(logging.DEBUG)
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir() / "zikao_desk.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
        )
        handler.setLevel(logging.DEBUG)
        root.addHandler(handler)
    except OSError as exc:  # a read-only profile must not stop the program
        print(f"无法写入日志文件：{exc}", file=sys.stderr)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(console)
