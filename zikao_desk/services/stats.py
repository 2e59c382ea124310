"""Counts per county: candidates, applications by status, every review queue.

What a scheduled job logs and the dashboard shows. No personal data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zikao_desk.db import Database
from zikao_desk.models import (
    Application,
    ApplicationStatus,
    Candidate,
    County,
    now,
)
from zikao_desk.services.queues import QUEUES, queue_criteria

QUEUE_LABELS_ZH = {
    "identity_review": "身份核验",
    "photo_review": "照片审核",
    "approval": "毕业审批",
    "materials": "材料核对",
}


@dataclass
class CountyStats:
    code: str
    name: str
    candidates: int = 0
    applications: dict[str, int] = field(default_factory=dict)
    queues: dict[str, int] = field(default_factory=lambda: dict.fromkeys(QUEUES, 0))


@dataclass
class OfficeStats:
    generated_at: str
    counties: list[CountyStats]

    def totals(self) -> dict[str, Any]:
        apps: dict[str, int] = {s.value: 0 for s in ApplicationStatus}
        queues: dict[str, int] = dict.fromkeys(QUEUES, 0)
        for c in self.counties:
            for k, v in c.applications.items():
                apps[k] += v
            for k, v in c.queues.items():
                queues[k] += v
        return {
            "candidates": sum(c.candidates for c in self.counties),
            "applications": apps,
            "queues": queues,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at,
            "totals": self.totals(),
            "counties": [asdict(c) for c in self.counties],
        }


def office_stats(session: Session, county_codes: set[str] | None = None) -> OfficeStats:
    """Counts for every county that has candidates (or the given ones)."""
    per: dict[str, CountyStats] = {}

    def county(code: str) -> CountyStats:
        if code not in per:
            per[code] = CountyStats(code=code, name="")
            per[code].applications = {s.value: 0 for s in ApplicationStatus}
        return per[code]

    for code, n in session.execute(
        select(Candidate.county_code, func.count()).group_by(Candidate.county_code)
    ):
        county(code).candidates = n
    for code, status, n in session.execute(
        select(Application.county_code, Application.status, func.count()).group_by(
            Application.county_code, Application.status
        )
    ):
        county(code).applications[ApplicationStatus(status).value] = n

    for queue in QUEUES:
        _id, county_column, conditions = queue_criteria(queue)
        query = select(county_column, func.count()).where(*conditions).group_by(county_column)
        for code, n in session.execute(query):
            county(code).queues[queue] = n

    if county_codes is not None:
        for code in county_codes:
            county(code)
        per = {k: v for k, v in per.items() if k in county_codes}
    names = {
        code: name
        for code, name in session.execute(select(County.code, County.name).where(County.code.in_(list(per))))
    }
    for code, cs in per.items():
        cs.name = names.get(code, "")
    return OfficeStats(
        generated_at=now().isoformat(sep=" "),
        counties=[per[k] for k in sorted(per)],
    )


def load_office_stats(db: Database, county_codes: set[str] | None = None) -> OfficeStats:
    """For callers without a session (the UI's background tasks)."""
    with db.read() as session:
        return office_stats(session, county_codes)
