"""The typed ORM (SQLAlchemy 2). No Qt here."""

from zikao_desk.models.applications import (
    Application,
    OldPlanCourse,
    ResumeEntry,
    SubstituteCourse,
)
from zikao_desk.models.base import Base, now
from zikao_desk.models.enums import (
    ApplicationStatus,
    CorrectionField,
    DecisionKind,
    Gender,
    IdentityStatus,
    Level,
    MaterialsStatus,
    OldPlanCheck,
    OldPlanSummary,
    PaymentStatus,
    PhotoStatus,
    Role,
    Verdict,
    label_zh,
)
from zikao_desk.models.people import Candidate, User, user_counties
from zikao_desk.models.records import AuditEvent, Correction, Decision, ExportBatch, ImportRun
from zikao_desk.models.reference import (
    ApplicationPeriod,
    Blob,
    County,
    Course,
    Major,
    ReasonCode,
    University,
)

__all__ = [
    "Application",
    "ApplicationPeriod",
    "ApplicationStatus",
    "AuditEvent",
    "Base",
    "Blob",
    "Candidate",
    "Correction",
    "CorrectionField",
    "County",
    "Course",
    "Decision",
    "DecisionKind",
    "ExportBatch",
    "Gender",
    "IdentityStatus",
    "ImportRun",
    "Level",
    "Major",
    "MaterialsStatus",
    "OldPlanCheck",
    "OldPlanSummary",
    "PaymentStatus",
    "PhotoStatus",
    "ReasonCode",
    "ResumeEntry",
    "Role",
    "SubstituteCourse",
    "University",
    "User",
    "Verdict",
    "label_zh",
    "now",
    "user_counties",
]
