"""What the office did: decisions, corrections, the audit trail, imports and export batches."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zikao_desk.models.base import Base, enum_type, now
from zikao_desk.models.enums import CorrectionField, DecisionKind, OldPlanSummary, Verdict
from zikao_desk.models.people import User
from zikao_desk.models.reference import blob_ref


class ExportBatch(Base):
    """One 上报 workbook. Decisions and corrections point at the batch that took them, so
    each goes out exactly once and a batch can be written again from its own rows."""

    __tablename__ = "export_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_no: Mapped[str] = mapped_column(String(40), unique=True)  # 上报_<区县>_<日期>_<序号>
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"))
    export_date: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the data rows
    row_counts: Mapped[str] = mapped_column(Text)  # JSON {sheet: rows}
    # The data rows as exported (JSON {sheet: [[cell, ...], ...]}): a batch written again
    # must be the same even if a candidate's name was corrected after it went out.
    content: Mapped[str] = mapped_column(Text, server_default="{}")

    __table_args__ = (
        UniqueConstraint("county_code", "export_date", "seq"),
        CheckConstraint("seq BETWEEN 1 AND 99", name="seq_two_digits"),
    )


class Decision(Base):
    """A verdict of one of the four reviews, with its standard reason and who/when."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DecisionKind] = mapped_column(enum_type(DecisionKind, "decision_kind"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"))
    verdict: Mapped[Verdict] = mapped_column(enum_type(Verdict, "verdict"))
    reason_code: Mapped[str | None] = mapped_column(ForeignKey("reason_codes.code"))
    note: Mapped[str | None] = mapped_column(Text)
    # materials check only
    forms_count: Mapped[int | None]
    old_plan_summary: Mapped[OldPlanSummary | None] = mapped_column(
        enum_type(OldPlanSummary, "old_plan_summary")
    )
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=now)
    export_batch_id: Mapped[int | None] = mapped_column(ForeignKey("export_batches.id"))

    decided_by: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_decisions_unexported", "county_code", "export_batch_id"),
        CheckConstraint(
            "verdict = 'pass' OR reason_code IS NOT NULL OR note IS NOT NULL",
            name="fail_has_reason",
        ),
    )


class Correction(Base):
    """信息修改: one changed item of a candidate, old and new value kept."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"))
    field: Mapped[CorrectionField] = mapped_column(enum_type(CorrectionField, "correction_field"))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    evidence_sha: Mapped[str | None] = blob_ref()
    corrected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[dt.datetime] = mapped_column(default=now)
    export_batch_id: Mapped[int | None] = mapped_column(ForeignKey("export_batches.id"))

    corrected_by: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_corrections_unexported", "county_code", "export_batch_id"),
        CheckConstraint("length(reason) > 0", name="reason_required"),
    )


class AuditEvent(Base):
    """An append-only, hash-chained record of everything done. ``prev_hash`` is unique, so
    two workstations appending at once cannot fork the chain: the second insert fails and
    is retried on the new head."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(30))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)


class ImportRun(Base):
    """One province package imported (or found already imported)."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_sha256: Mapped[str] = mapped_column(String(64), index=True)
    package_name: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(default=now)
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text)  # JSON counts, conflicts


__all__ = ["AuditEvent", "Correction", "Decision", "ExportBatch", "ImportRun"]
