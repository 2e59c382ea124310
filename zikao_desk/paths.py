"""Where the application keeps its files on this computer."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "zikao_desk"


def user_data_dir() -> Path:
    """Databases, backups and logs. ``ZIKAO_HOME`` overrides it (tests, portable installs)."""
    override = os.environ.get("ZIKAO_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    override = os.environ.get("ZIKAO_HOME")
    path = Path(override) / "config" if override else Path(platformdirs.user_config_dir(APP_DIR_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return user_data_dir() / "zikao_desk.sqlite3"


def demo_database_path() -> Path:
    return user_data_dir() / "demo.sqlite3"


def log_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
