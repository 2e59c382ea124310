"""A non-editable install carries the migrations and resources and can open a database."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_migrations_and_resources_and_works(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheel_dir), str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    wheel = next(wheel_dir.glob("zikao_desk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "zikao_desk/migrations/env.py",
        "zikao_desk/migrations/script.py.mako",
        "zikao_desk/migrations/versions/0001_initial_schema.py",
        "zikao_desk/migrations/versions/0002_photo_hashes.py",
        "zikao_desk/resources/i18n/zikao_desk_zh_CN.ts",
    ):
        assert required in names, required
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    code = (
        "import sys, zikao_desk; from zikao_desk.db import Database;"
        "assert zikao_desk.__file__.startswith(sys.argv[1]), zikao_desk.__file__;"
        "db = Database(sys.argv[2]); print(db.upgrade().current)"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "ZIKAO_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-c", code, str(target), f"sqlite:///{tmp_path / 'w.sqlite3'}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    from zikao_desk.db import head_revision

    assert result.stdout.strip() == head_revision()
