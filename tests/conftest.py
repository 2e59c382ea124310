"""Shared fixtures. Database tests run on SQLite and on a real PostgreSQL server that is
started here from the pip-installed ``pgserver`` package, so a fresh machine needs nothing
else. ``ZIKAO_TEST_PG_URL`` points the tests at another server instead."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt or reads the user's folders.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = tempfile.mkdtemp(prefix="zikao-test-home-")
os.environ["ZIKAO_HOME"] = _HOME
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="zikao-xdg-"))
os.environ.pop("ZIKAO_DB_URL", None)
os.environ.pop("ZIKAO_USER", None)
os.environ.pop("ZIKAO_PASSWORD", None)

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from zikao_desk.db import Database  # noqa: E402

_db_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    external = os.environ.get("ZIKAO_TEST_PG_URL")
    if external:
        yield external
        return
    import pgserver

    pgdata = Path(tempfile.mkdtemp(prefix="zikao-pg-"))
    if os.geteuid() == 0:
        # pgserver runs the server as a system user when started as root; it must be able
        # to reach the data folder.
        pgdata.chmod(0o777)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        yield server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        server.cleanup()
        shutil.rmtree(pgdata, ignore_errors=True)


def _fresh_pg_database(admin_url: str) -> str:
    """A new, empty database with a Unicode LC_CTYPE (else pg_trgm sees no Chinese trigrams)."""
    name = f"zikao_test_{os.getpid()}_{next(_db_counter)}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            text(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        )
    engine.dispose()
    base, _, query = admin_url.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return _fresh_pg_database(request.getfixturevalue("pg_admin_url"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated, empty database on each backend."""
    database = Database(db_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_db_urls(tmp_path_factory: pytest.TempPathFactory, pg_admin_url: str) -> dict[str, str]:
    """One demo database per backend, built once per session (read-only tests use it)."""
    from zikao_desk.services.demo import build_demo

    urls = {
        "sqlite": f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}",
        "postgresql": _fresh_pg_database(pg_admin_url),
    }
    for url in urls.values():
        database = Database(url)
        database.upgrade()
        build_demo(database, candidates=1500, seed=7)
        database.dispose()
    return urls


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_db(request: pytest.FixtureRequest, demo_db_urls: dict[str, str]) -> Iterator[Database]:
    database = Database(demo_db_urls[request.param])
    yield database
    database.dispose()


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    """Fixtures create many accounts; production cost (checked in test_users_audit) is kept
    for the hashes that tests inspect by resetting it there."""
    from zikao_desk.services import auth

    production = auth.SCRYPT_N
    auth.SCRYPT_N = 2**10
    yield production
    auth.SCRYPT_N = production
