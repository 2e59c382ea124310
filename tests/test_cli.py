"""The command line, as a newcomer and a scheduled job use it, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select, text

from zikao_desk.cli import build_parser, main
from zikao_desk.db import Database
from zikao_desk.models import Application, Candidate


def test_demo_db_check_and_stats(db_url, capsys):
    assert main(["--db", db_url, "demo", "--no-gui", "--candidates", "300", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "已生成 300 名考生" in out and "demo-admin" in out
    assert main(["--db", db_url, "db", "check"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    database = Database(db_url)
    with database.read() as s:
        candidates = s.scalar(select(func.count()).select_from(Candidate))
        pending = s.scalar(select(func.count()).where(Application.status == "pending"))
    database.dispose()
    assert stats["totals"]["candidates"] == candidates == 300
    assert stats["totals"]["queues"]["approval"] == pending
    assert sum(c["candidates"] for c in stats["counties"]) == 300
    assert all(c["code"].startswith("1401") and c["name"] for c in stats["counties"])
    assert main(["--db", db_url, "audit", "verify"]) == 0


def test_db_check_reports_outdated_and_newer_schemas(db_url, capsys):
    assert main(["db", "check", "--db", db_url]) == 3  # empty: needs upgrade
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert main(["db", "check", "--db", db_url]) == 0
    database = Database(db_url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    database.dispose()
    assert main(["db", "check", "--db", db_url]) == 4
    assert main(["stats", "--db", db_url]) == 4
    assert "比本程序" in capsys.readouterr().err


def test_user_add_first_admin_then_needs_login(db_url, capsys, monkeypatch):
    monkeypatch.setenv("ZIKAO_PASSWORD", "admin-secret")
    assert main(["--db", db_url, "user", "add", "boss", "--role", "admin", "--county", "140105,140106"]) == 0
    # the next user needs a logged-in admin
    monkeypatch.setenv("ZIKAO_NEW_PASSWORD", "clerk-secret")
    assert main(["--db", db_url, "user", "add", "jb1", "--role", "clerk", "--county", "140105"]) == 1
    assert "--user" in capsys.readouterr().err
    assert (
        main(
            ["--db", db_url, "--user", "boss", "user", "add", "jb1", "--role", "clerk", "--county", "140105"]
        )
        == 0
    )
    monkeypatch.setenv("ZIKAO_PASSWORD", "wrong-password")
    assert (
        main(
            ["--db", db_url, "--user", "boss", "user", "add", "jb2", "--role", "clerk", "--county", "140105"]
        )
        == 1
    )
    assert "密码错误" in capsys.readouterr().err


def _all_commands(parser, prefix=()):
    yield prefix
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            for name, sub in action.choices.items():
                yield from _all_commands(sub, (*prefix, name))


def test_help_on_every_command(capsys):
    commands = list(_all_commands(build_parser()))
    assert ("demo",) in commands and ("db", "check") in commands and ("user", "add") in commands
    for command in commands:
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--help"])
        assert exit_.value.code == 0
        assert "usage: zikao-desk" in capsys.readouterr().out


def test_installed_entry_point_runs(tmp_path):
    """The console script is what the README tells people to run."""
    env = {**os.environ, "ZIKAO_HOME": str(tmp_path)}
    exe = os.path.join(os.path.dirname(sys.executable), "zikao-desk")
    result = subprocess.run(
        [exe, "--db", str(tmp_path / "x.sqlite3"), "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    from zikao_desk.db import head_revision

    assert head_revision() in result.stdout


def test_documented_example_script_approves_and_prints_its_audit_events(tmp_path):
    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--no-gui", "--candidates", "120", "--seed", "3"]) == 0
    env = {**os.environ, "ZIKAO_PASSWORD": "demo-sh-140105", "ZIKAO_HOME": str(tmp_path)}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run(
        [
            sys.executable,
            os.path.join(root, "examples", "approve_one.py"),
            "--db",
            str(path),
            "--user",
            "sh140105",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "已审批通过" in result.stdout
    assert "decision.approval" in result.stdout and '"status": "approved"' in result.stdout


def test_audit_verify_names_a_tampered_event(tmp_path, capsys):
    path = tmp_path / "t.sqlite3"
    assert main(["--db", str(path), "demo", "--no-gui", "--candidates", "50", "--seed", "4"]) == 0
    assert main(["--db", str(path), "audit", "verify"]) == 0
    database = Database(f"sqlite:///{path}")
    with database.write() as s:
        s.execute(text("UPDATE audit_events SET actor_name = 'someone' WHERE id = 30"))
    database.dispose()
    capsys.readouterr()
    assert main(["--db", str(path), "audit", "verify"]) == 1
    assert "#30" in capsys.readouterr().err


def test_admin_unlocks_and_resets_a_locked_account(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'u.sqlite3'}"
    monkeypatch.setenv("ZIKAO_PASSWORD", "admin-secret")
    assert main(["--db", url, "user", "add", "boss", "--role", "admin", "--county", "140105"]) == 0
    monkeypatch.setenv("ZIKAO_NEW_PASSWORD", "clerk-secret")
    assert (
        main(["--db", url, "--user", "boss", "user", "add", "jb1", "--role", "clerk", "--county", "140105"])
        == 0
    )
    from zikao_desk.errors import AuthenticationFailed
    from zikao_desk.services.users import login

    database = Database(url)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            login(database, "jb1", "guess-guess")
    with pytest.raises(AuthenticationFailed, match="锁定"):
        login(database, "jb1", "clerk-secret")
    monkeypatch.setenv("ZIKAO_NEW_PASSWORD", "fresh-secret")
    assert main(["--db", url, "--user", "boss", "user", "unlock", "jb1", "--reset-password"]) == 0
    assert "已解锁用户 jb1并重设密码" in capsys.readouterr().out
    assert login(database, "jb1", "fresh-secret").username == "jb1"
    database.dispose()


def test_exchange_commands_end_to_end(tmp_path, capsys, monkeypatch):
    from openpyxl import load_workbook

    from tests import packages

    db_path = tmp_path / "office.sqlite3"
    assert main(["--db", str(db_path), "demo", "--no-gui", "--candidates", "80", "--seed", "6"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("ZIKAO_PASSWORD", "demo-sh-140105")
    assert (
        main(
            [
                "--db",
                str(db_path),
                "--user",
                "sh140105",
                "export",
                "--county",
                "140105",
                "-o",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    first = capsys.readouterr().out
    written = next((tmp_path / "out").glob("上报_140105_*_01.xlsx"))
    assert written.name in first
    assert (
        main(
            [
                "--db",
                str(db_path),
                "--user",
                "sh140105",
                "export",
                "--county",
                "140105",
                "-o",
                str(tmp_path / "out"),
            ]
        )
        == 1
    )
    assert "没有尚未上报" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                str(db_path),
                "--user",
                "sh140105",
                "export",
                "--batch",
                written.stem,
                "-o",
                str(tmp_path / "again"),
            ]
        )
        == 0
    )
    again = tmp_path / "again" / written.name

    def sha(path):
        header, values = (list(r) for r in load_workbook(path).worksheets[-1].iter_rows(values_only=True))
        return dict(zip(header, values, strict=True))["数据SHA256"]

    assert sha(again) == sha(written)

    app_no = Database(f"sqlite:///{db_path}")
    with app_no.read() as s:
        number = s.scalar(
            select(Application.application_no).where(Application.county_code == "140105").limit(1)
        )
    app_no.dispose()
    assert (
        main(["--db", str(db_path), "--user", "sh140105", "form", number, "-o", str(tmp_path / "f.pdf")]) == 0
    )
    assert (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")

    # a bad package: nothing imported, non-zero exit, the error workbook beside the package
    bad = packages.write_zip(tmp_path / "bad.zip", packages.variant(**{"考生__0__性别": "女"}))
    assert main(["--db", str(db_path), "--user", "sh140105", "import", str(bad)]) == 1
    assert "未导入" in capsys.readouterr().out
    assert (tmp_path / "bad_错误.xlsx").exists()


def test_a_refused_command_is_audited(tmp_path, capsys, monkeypatch):
    db_path = tmp_path / "o.sqlite3"
    assert main(["--db", str(db_path), "demo", "--no-gui", "--candidates", "30", "--seed", "2"]) == 0
    monkeypatch.setenv("ZIKAO_PASSWORD", "demo-jb-140105")
    assert (
        main(
            ["--db", str(db_path), "--user", "jb140105", "export", "--county", "140105", "-o", str(tmp_path)]
        )
        == 1
    )
    assert "无权" in capsys.readouterr().err
    from zikao_desk.models import AuditEvent

    database = Database(f"sqlite:///{db_path}")
    with database.read() as s:
        refused = s.scalars(select(AuditEvent).where(AuditEvent.action == "refused")).all()
    database.dispose()
    assert len(refused) == 1 and refused[0].actor_name == "jb140105" and "导出上报" in refused[0].detail


def test_admin_sets_and_moves_a_period(db_url, capsys, monkeypatch):
    monkeypatch.setenv("ZIKAO_PASSWORD", "admin-secret")
    assert main(["--db", db_url, "user", "add", "boss", "--role", "admin", "--county", "140105"]) == 0
    args = ["--db", db_url, "--user", "boss", "period", "set", "2027-1", "--opens", "2027-05-01",
            "--closes", "2027-05-31", "--deadline", "2027-06-30"]  # fmt: skip
    assert main(args) == 0
    assert main([*args[:-1], "2027-05-01"]) == 1  # a paper deadline before the close is refused
    assert "早于申请截止日期" in capsys.readouterr().err
    assert main([*args[:-1], "2027-07-15"]) == 0  # moved
    capsys.readouterr()
    assert main(["--db", db_url, "period", "list"]) == 0
    listed = capsys.readouterr().out
    assert "2027-1" in listed and "材料交回截止 2027-07-15" in listed
    monkeypatch.setenv("ZIKAO_NEW_PASSWORD", "clerk-secret")
    assert (
        main(
            ["--db", db_url, "--user", "boss", "user", "add", "jb1", "--role", "clerk", "--county", "140105"]
        )
        == 0
    )
    monkeypatch.setenv("ZIKAO_PASSWORD", "clerk-secret")
    assert main(["--db", db_url, "--user", "jb1", *args[4:]]) == 1  # only an admin sets periods
    assert "无权" in capsys.readouterr().err


def test_output_cut_short_by_a_pipe_ends_quietly(tmp_path):
    from tests import photos

    photo = tmp_path / "p.jpg"
    photo.write_bytes(photos.compliant())
    exe = os.path.join(os.path.dirname(sys.executable), "zikao-desk")
    # about 150 KB of JSON: more than a pipe holds, so the writer meets the closed pipe
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run([exe, "photo", "check", "--json", *[str(photo)] * 60], stdout=reader.stdin,
                            stderr=subprocess.PIPE, text=True, timeout=300,
                            env={**os.environ, "ZIKAO_HOME": str(tmp_path)})  # fmt: skip
    reader.stdin.close()
    reader.wait(timeout=30)
    assert "Traceback" not in writer.stderr
    assert writer.returncode == 1


def test_read_only_commands_never_write(tmp_path, capsys):
    """stats on a database that needs an upgrade reports it and leaves the file as it was."""
    import hashlib

    path = tmp_path / "old.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))  # an older release's database
    database.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["--db", str(path), "stats", "--json"]) == 1
    assert "db upgrade" in capsys.readouterr().err
    assert main(["--db", str(path), "audit", "verify"]) == 1
    assert main(["--db", str(path), "period", "list"]) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("*.bak*"))  # not even a pre-upgrade backup
