"""Province exchange figures: import of a package with 10,000 applications and their photos,
export of 100,000 decisions, and 毕业生登记表 PDFs per second.

    python bench/exchange.py [--applications 10000] [--decisions 100000] [--forms 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zikao_desk.db import Database
from zikao_desk.models import Application, Decision, DecisionKind, Role, Verdict
from zikao_desk.services.demo import DEMO_COUNTIES, build_demo
from zikao_desk.services.exchange.package_writer import write_package
from zikao_desk.services.exchange.province_import import import_package
from zikao_desk.services.exchange.registration_form import build_forms
from zikao_desk.services.exchange.report_export import export_new_batch
from zikao_desk.services.reference_data import ensure_reference_data
from zikao_desk.services.users import add_user, login

START = dt.datetime(2026, 11, 20, 8, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--forms", type=int, default=50)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zikao-bench-"))
    os.environ.setdefault("ZIKAO_HOME", str(tmp))

    # -- import ---------------------------------------------------------------------------
    source = Database(f"sqlite:///{tmp / 'source.sqlite3'}")
    source.upgrade()
    candidates = int(args.applications / 0.86) + 1  # the demo gives about 0.86 applications per candidate
    build_demo(source, candidates=candidates, seed=5)
    package = tmp / "package.zip"
    with source.read() as s:
        counts = write_package(s, package)
    source.dispose()
    target = Database(f"sqlite:///{tmp / 'target.sqlite3'}")
    target.upgrade()
    with target.write() as s:
        ensure_reference_data(s)
        add_user(
            s,
            None,
            username="boss",
            role=Role.ADMIN,
            county_codes=[c[0] for c in DEMO_COUNTIES],
            password="boss-pass",
        )
    boss = login(target, "boss", "boss-pass")
    t0 = time.perf_counter()
    with target.write() as s:
        summary = import_package(s, boss, package)
    took = time.perf_counter() - t0
    import_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert summary.imported, summary.problems[:3]
    print(
        f"import: {counts['applications']:,} applications, {counts['candidates']:,} candidates, "
        f"{counts['files']} files, {package.stat().st_size / 1e6:.1f} MB package: {took:.1f} s "
        f"({counts['applications'] / took:,.0f} applications/s; process peak memory so far {import_peak:,.0f} MiB)"
    )
    t0 = time.perf_counter()
    with target.write() as s:
        again = import_package(s, boss, package)
    print(
        f"import of the same package again (no changes: {again.changed == 0}): {time.perf_counter() - t0:.1f} s"
    )

    # -- export -----------------------------------------------------------------------------
    with target.write() as s:
        apps = s.execute(
            select(Application.id, Application.candidate_id).where(Application.county_code == "140105")
        ).all()
        rows = [
            {"kind": DecisionKind.APPROVAL, "candidate_id": apps[i % len(apps)][1], "application_id": apps[i % len(apps)][0],
             "county_code": "140105", "verdict": Verdict.PASS, "decided_by_id": boss.id,
             "decided_at": START + dt.timedelta(seconds=i)}
            for i in range(args.decisions)
        ]  # fmt: skip
        for start in range(0, len(rows), 5000):
            s.execute(insert(Decision), rows[start : start + 5000])
    boss_reviewer = replace(boss, role=Role.REVIEWER)
    t0 = time.perf_counter()
    with target.write() as s:
        result = export_new_batch(s, boss_reviewer, "140105", tmp / "out")
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"export: {sum(result.row_counts.values()):,} rows in {took:.1f} s "
        f"({result.path.stat().st_size / 1e6:.1f} MB workbook; process peak memory {peak:,.0f} MiB)"
    )

    # -- forms ------------------------------------------------------------------------------
    with target.read() as s:
        numbers = list(s.scalars(select(Application.application_no).where(Application.county_code == "140105")
                                 .limit(args.forms)))  # fmt: skip
    clerk = replace(boss, role=Role.CLERK)
    with target.write() as s:
        build_forms(s, clerk, numbers[:1])  # font registration, once
        t0 = time.perf_counter()
        for number in numbers:
            build_forms(s, clerk, [number])
        single = time.perf_counter() - t0
        t0 = time.perf_counter()
        combined = build_forms(s, clerk, numbers)
        batch = time.perf_counter() - t0
    print(
        f"forms: {len(numbers) / single:.1f} PDFs/s one by one; {len(numbers)} in one combined PDF "
        f"in {batch:.2f} s ({len(combined.data) / 1e6:.1f} MB)"
    )
    target.dispose()


if __name__ == "__main__":
    main()
