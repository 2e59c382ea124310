"""Engine, unit of work and migrations for SQLite (one workstation) or PostgreSQL (shared).

One ``Session`` per user action, made here and nowhere else: ``with db.write() as s:``
opens a transaction that commits when the block ends and rolls back on any error.
Migrations run at start: a SQLite file is copied before it is upgraded, and a database
whose schema is newer than this program is refused and left untouched.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from zikao_desk.config import DATABASE_URL, Settings
from zikao_desk.errors import DatabaseUnavailable, NotAZikaoDatabase, SchemaNewerThanApp
from zikao_desk.paths import default_database_path

log = logging.getLogger("zikao.db")

SQLITE_BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_PACKAGE = "zikao_desk:migrations"


def normalize_url(url: str) -> str:
    """Accept a plain file path for SQLite and ``postgresql://`` for psycopg 3."""
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def resolve_url(cli_url: str | None = None, settings: Settings | None = None) -> str:
    """``--db`` wins, then ``ZIKAO_DB_URL``, then the settings file, then the default file."""
    for candidate in (cli_url, os.environ.get("ZIKAO_DB_URL")):
        if candidate:
            return normalize_url(candidate)
    configured = (settings or Settings()).get(DATABASE_URL)
    if configured:
        return normalize_url(configured)
    return normalize_url(str(default_database_path()))


def display_url(url: str) -> str:
    """The URL without its password, for the status bar and logs."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below; pysqlite's own
        # implicit BEGIN is deferred and would fail a read-then-write with "database is
        # locked" at once, ignoring the busy timeout.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 10, "application_name": "zikao_desk"},
            **kwargs,
        )
    raise DatabaseUnavailable(f"不支持的数据库类型：{backend}（仅支持 SQLite 与 PostgreSQL）")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS_PACKAGE)
    cfg.set_main_option("path_separator", "os")
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    known: bool  # the current revision is one this program knows
    has_tables: bool

    @property
    def is_current(self) -> bool:
        return self.current == self.head

    @property
    def is_empty(self) -> bool:
        return self.current is None and not self.has_tables


class Database:
    """A database opened by the application: the engine plus the one place sessions are made."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self.backend = self.engine.dialect.name
        self._read_engine = (
            self.engine.execution_options(sqlite_begin="DEFERRED")
            if self.backend == "sqlite"
            else self.engine
        )

    def __repr__(self) -> str:
        return f"Database({display_url(self.url)!r})"

    @property
    def display_url(self) -> str:
        return display_url(self.url)

    def dispose(self) -> None:
        self.engine.dispose()

    # -- unit of work -------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Session]:
        """A read-write transaction (SQLite: ``BEGIN IMMEDIATE``, so a writer waits for the
        lock up front, with the busy timeout, instead of failing half-way)."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read transaction. It ends with a commit rather than a rollback because a
        rollback expires every loaded object, and screens show what was read here."""
        with Session(self._read_engine, expire_on_commit=False) as session, session.begin():
            yield session

    # -- schema -------------------------------------------------------------------------
    def schema_state(self) -> SchemaState:
        script = ScriptDirectory.from_config(alembic_config())
        head = script.get_current_head()
        assert head is not None
        try:
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                tables = set(inspect(conn).get_table_names())
        except OperationalError as exc:
            raise DatabaseUnavailable(
                f"无法打开数据库 {self.display_url}：{exc.orig}", details=str(exc)
            ) from exc
        known = current is None or _revision_known(script, current)
        has_tables = bool(tables - {"alembic_version"})
        return SchemaState(current=current, head=head, known=known, has_tables=has_tables)

    def upgrade(self) -> SchemaState:
        """Bring the schema to this program's head; returns the state after."""
        state = self.schema_state()
        if not state.known:
            raise SchemaNewerThanApp(
                f"数据库结构版本 {state.current} 比本程序（支持到 {state.head}）新，"
                "请升级 zikao_desk 后再打开此数据库。数据库未作任何改动。"
            )
        if state.current is None and state.has_tables:
            raise NotAZikaoDatabase(
                f"{self.display_url} 中已有其他数据表，不是 zikao_desk 数据库，未作任何改动。"
            )
        if state.is_current:
            return state
        if state.current is not None:
            backup = self.backup_sqlite(reason=f"before-upgrade-from-{state.current}")
            if backup is not None:
                log.info("backed up %s to %s before upgrading", self.display_url, backup)
        log.info("upgrading %s from %s to %s", self.display_url, state.current, state.head)
        cfg = alembic_config()
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return self.schema_state()

    def backup_sqlite(self, reason: str = "manual") -> Path | None:
        """Copy a SQLite file with SQLite's online backup (consistent even in WAL mode)."""
        path = sqlite_path(self.url)
        if path is None or not path.exists():
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.stem}.{stamp}.{reason}.bak{path.suffix}")
        src = sqlite3.connect(str(path))
        try:
            dst = sqlite3.connect(str(target))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        return target


def _revision_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False
