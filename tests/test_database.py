"""Migrations, schema checks, the newer-schema refusal and the SQLite backup, on both backends."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from zikao_desk import db as dbmod
from zikao_desk.db import Database, normalize_url, resolve_url
from zikao_desk.errors import ConcurrentModification, NotAZikaoDatabase, SchemaNewerThanApp
from zikao_desk.models import Base, Candidate, ReasonCode


def test_migrations_from_empty_reach_head(db_url):
    database = Database(db_url)
    assert database.schema_state().is_empty
    state = database.upgrade()
    assert state.is_current and state.current == dbmod.head_revision()
    with database.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with database.read() as s:
        kinds = set(s.scalars(select(ReasonCode.kind)))
        assert {"identity", "photo", "approval", "materials"} == {k.value for k in kinds}
        assert (
            s.scalar(select(ReasonCode.label).where(ReasonCode.code == "MA_CARD_MISMATCH"))
            == "实践课考核卡与扫描件不符"
        )
    database.dispose()


def test_models_and_migrations_agree(db):
    """A model change without a migration would make the app write to columns that
    an upgraded database does not have."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_twice_changes_nothing(db):
    before = db.schema_state()
    after = db.upgrade()
    assert before == after


def _stamp_future(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))


def test_newer_schema_is_refused_and_left_untouched(db_url):
    database = Database(db_url)
    database.upgrade()
    _stamp_future(database)
    database.dispose()
    path = dbmod.sqlite_path(database.url)
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path else None

    again = Database(db_url)
    with pytest.raises(SchemaNewerThanApp, match="比本程序"):
        again.upgrade()
    with again.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffff_future"
    again.dispose()
    if path:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
        assert not list(path.parent.glob("*.bak*"))  # no backup: nothing was going to change


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    with pytest.raises(NotAZikaoDatabase):
        Database(f"sqlite:///{path}").upgrade()


def _extra_revision(tmp_path: Path) -> Path:
    """A second migration, as a later release would ship it."""
    versions = tmp_path / "extra_versions"
    versions.mkdir()
    (versions / "9001_test_column.py").write_text(
        textwrap.dedent(
            """
            import sqlalchemy as sa
            from alembic import op

            revision = "9001"
            down_revision = "HEAD"
            branch_labels = None
            depends_on = None

            def upgrade():
                with op.batch_alter_table("counties") as batch:
                    batch.add_column(sa.Column("note", sa.String(20), nullable=True))

            def downgrade():
                with op.batch_alter_table("counties") as batch:
                    batch.drop_column("note")
            """
        ),
        encoding="utf-8",
    )
    text_ = (versions / "9001_test_column.py").read_text(encoding="utf-8")
    (versions / "9001_test_column.py").write_text(
        text_.replace("HEAD", dbmod.head_revision()), encoding="utf-8"
    )
    return versions


def test_sqlite_file_is_backed_up_before_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "office.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    with database.write() as s:
        s.execute(text("INSERT INTO counties (code, name, city_name) VALUES ('140105', '小店区', '太原市')"))
    database.dispose()

    original_head = dbmod.head_revision()
    extra = _extra_revision(tmp_path)
    original = dbmod.alembic_config

    def config_with_extra():
        cfg = original()
        default_versions = Path(dbmod.__file__).parent / "migrations" / "versions"
        cfg.set_main_option("version_locations", os.pathsep.join([str(default_versions), str(extra)]))
        return cfg

    monkeypatch.setattr(dbmod, "alembic_config", config_with_extra)
    database = Database(f"sqlite:///{path}")
    state = database.upgrade()
    database.dispose()
    assert state.current == "9001"

    head = original_head
    backups = list(tmp_path.glob(f"office.*before-upgrade-from-{head}*"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        assert con.execute("SELECT name FROM counties").fetchall() == [("小店区",)]
        cols = [r[1] for r in con.execute("PRAGMA table_info(counties)")]
        assert "note" not in cols
    finally:
        con.close()


def test_sqlite_connection_settings(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()


def test_url_resolution_order(monkeypatch, tmp_path):
    monkeypatch.setenv("ZIKAO_DB_URL", "postgresql://u@server/office")
    assert resolve_url("sqlite:///a.db") == "sqlite:///a.db"
    assert resolve_url(None) == "postgresql+psycopg://u@server/office"
    monkeypatch.delenv("ZIKAO_DB_URL")
    from zikao_desk.config import DATABASE_URL, Settings

    settings = Settings(tmp_path / "s.ini")
    settings.set(DATABASE_URL, "sqlite:///from-settings.db")
    assert resolve_url(None, Settings(tmp_path / "s.ini")) == "sqlite:///from-settings.db"
    assert resolve_url(None, Settings(tmp_path / "none.ini")).endswith("zikao_desk.sqlite3")
    assert normalize_url(str(tmp_path / "f.db")) == f"sqlite:///{tmp_path / 'f.db'}"


def test_foreign_keys_and_checks_are_enforced(db):
    """The database itself refuses rows that break the model's constraints."""
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with db.write() as s:
            s.execute(
                text(
                    "INSERT INTO candidates (ticket_no, id_number, name, gender, birth_date, county_code, "
                    "identity_status, created_at, updated_at, version) VALUES ('010525200001', "
                    "'140105199001010011', '张三', 'male', '1990-01-01', '999999', 'online_passed', "
                    "'2026-01-01', '2026-01-01', 1)"
                )
            )
    with pytest.raises(IntegrityError):
        with db.write() as s:
            s.execute(text("INSERT INTO counties (code, name, city_name) VALUES ('1401', 'x', 'y')"))


def test_version_column_detects_concurrent_change(db):
    """Two sessions load the same candidate; the second write is refused, not merged."""
    from sqlalchemy.orm.exc import StaleDataError

    from zikao_desk.services.demo import build_demo

    build_demo(db, candidates=5, seed=3)
    with db.read() as s:
        cid = s.scalars(select(Candidate.id).order_by(Candidate.id)).first()
    with db.read() as s:
        stale = s.get(Candidate, cid)
    with db.write() as s:
        fresh = s.get(Candidate, cid)
        fresh.phone = "13900000000"
    with pytest.raises(StaleDataError):
        with db.write() as s:
            stale_copy = s.merge(stale, load=False)
            stale_copy.phone = "13811111111"
    with db.read() as s:
        assert s.get(Candidate, cid).phone == "13900000000"
    assert ConcurrentModification().message == "此记录已被其他用户修改，请刷新后重试"
