"""How long the demo builder takes (the issue's target: 100,000 candidates in minutes).

    python bench/demo_build.py [--candidates 100000] [--db URL]

Without --db, a fresh SQLite file in a temporary folder. Prints the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from zikao_desk.db import Database
from zikao_desk.models import Application, AuditEvent, Candidate, Decision
from zikao_desk.services.demo import build_demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default=None, help="an empty database URL (default: a new SQLite file)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="zikao-bench-")
    os.environ.setdefault("ZIKAO_HOME", tmp)
    url = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    db = Database(url)
    t0 = time.perf_counter()
    db.upgrade()
    t_migrate = time.perf_counter() - t0
    result = build_demo(db, candidates=args.candidates, seed=args.seed)
    with db.read() as s:
        counts = {
            "candidates": s.scalar(select(func.count()).select_from(Candidate)),
            "applications": s.scalar(select(func.count()).select_from(Application)),
            "decisions": s.scalar(select(func.count()).select_from(Decision)),
            "audit events": s.scalar(select(func.count()).select_from(AuditEvent)),
        }
    db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {db.display_url} ({db.backend})")
    print(f"migrate from empty: {t_migrate:.2f} s")
    print(
        f"build demo, {args.candidates} candidates: {result.seconds:.1f} s "
        f"({args.candidates / result.seconds:,.0f} candidates/s)"
    )
    for name, n in counts.items():
        print(f"  {name}: {n:,}")
    print(f"peak memory: {peak_mb:,.0f} MiB")
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    if path and path.exists():
        print(f"file size: {path.stat().st_size / 1e6:,.1f} MB")


if __name__ == "__main__":
    main()
