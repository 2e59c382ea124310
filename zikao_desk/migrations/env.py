"""Alembic environment: always run by zikao_desk.db with a connection in ``attributes``."""

from __future__ import annotations

from alembic import context

from zikao_desk.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from zikao_desk.db import make_engine, resolve_url

        engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url")))
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("zikao_desk migrations run online only (zikao-desk db upgrade)")
run_migrations_online()
