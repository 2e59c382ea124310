"""Domain states stored in the database.

Values are short English words (stable, greppable, language-neutral); the Chinese
labels the staff see and the exchange workbooks use live in ``LABELS_ZH``.
"""

from __future__ import annotations

import enum


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class Level(enum.StrEnum):
    ASSOCIATE = "associate"  # 专科
    BACHELOR = "bachelor"  # 本科


class Role(enum.StrEnum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class IdentityStatus(enum.StrEnum):
    """身份认证: online result from the province, then the county's manual review."""

    NOT_VERIFIED = "not_verified"  # 未认证
    ONLINE_PASSED = "online_passed"  # 通过 (system)
    PENDING_REVIEW = "pending_review"  # 未通过 online -> 身份核验 queue
    REVIEW_PASSED = "review_passed"
    REVIEW_REJECTED = "review_rejected"


class PhotoStatus(enum.StrEnum):
    """照片认证 of the graduation photo."""

    NOT_UPLOADED = "not_uploaded"  # 未上传
    ONLINE_PASSED = "online_passed"  # 通过
    PENDING_REVIEW = "pending_review"  # 未通过 online -> 照片审核 queue
    REVIEW_PASSED = "review_passed"
    REVIEW_REJECTED = "review_rejected"

    @property
    def approved(self) -> bool:
        return self in (PhotoStatus.ONLINE_PASSED, PhotoStatus.REVIEW_PASSED)


class ApplicationStatus(enum.StrEnum):
    PENDING = "pending"  # 系统审核 = 待人工 -> 毕业审批 queue
    SYSTEM_APPROVED = "system_approved"  # 系统审核通过, locked
    APPROVED = "approved"  # 县区审批通过, locked
    REJECTED = "rejected"  # 不通过, may re-apply once
    REJECTED_FINAL = "rejected_final"  # attempt 2 rejected
    VOID = "void"  # 申请无效 (paper forms not returned by the deadline)

    @property
    def approved(self) -> bool:
        return self in (ApplicationStatus.SYSTEM_APPROVED, ApplicationStatus.APPROVED)


class PaymentStatus(enum.StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"


class MaterialsStatus(enum.StrEnum):
    """Paper 毕业生登记表 and old-plan originals, relevant once paid."""

    NOT_DUE = "not_due"  # not paid yet
    AWAITING = "awaiting"  # paid: 材料核对 queue
    COMPLETE = "complete"  # 完成
    VOID = "void"  # 申请无效


class OldPlanCheck(enum.StrEnum):
    """Result of ticking one old-plan course card against its original."""

    MATCHES = "matches"
    MISMATCH = "mismatch"


class OldPlanSummary(enum.StrEnum):
    """The 材料核对 column 旧计划课程 of the export."""

    ALL_MATCH = "all_match"  # 全部相符
    SOME_MISMATCH = "some_mismatch"  # 有不符
    NONE = "none"  # 无


class CorrectionField(enum.StrEnum):
    """The five personal items a county office may correct."""

    NAME = "name"  # 姓名
    ID_NUMBER = "id_number"  # 身份证号
    TICKET_NO = "ticket_no"  # 准考证号
    GENDER = "gender"  # 性别
    TICKET_PHOTO = "ticket_photo"  # 准考证照片


class DecisionKind(enum.StrEnum):
    IDENTITY = "identity"  # 身份核验
    PHOTO = "photo"  # 照片审核
    APPROVAL = "approval"  # 毕业审批
    MATERIALS = "materials"  # 材料核对


class Verdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"


LABELS_ZH: dict[enum.Enum, str] = {
    Gender.MALE: "男",
    Gender.FEMALE: "女",
    Level.ASSOCIATE: "专科",
    Level.BACHELOR: "本科",
    Role.CLERK: "经办人",
    Role.REVIEWER: "审核人",
    Role.ADMIN: "管理员",
    IdentityStatus.NOT_VERIFIED: "未认证",
    IdentityStatus.ONLINE_PASSED: "通过",
    IdentityStatus.PENDING_REVIEW: "待人工核验",
    IdentityStatus.REVIEW_PASSED: "人工核验通过",
    IdentityStatus.REVIEW_REJECTED: "人工核验不通过",
    PhotoStatus.NOT_UPLOADED: "未上传",
    PhotoStatus.ONLINE_PASSED: "通过",
    PhotoStatus.PENDING_REVIEW: "待人工审核",
    PhotoStatus.REVIEW_PASSED: "人工审核通过",
    PhotoStatus.REVIEW_REJECTED: "人工审核不通过",
    ApplicationStatus.PENDING: "待审批",
    ApplicationStatus.SYSTEM_APPROVED: "系统审核通过",
    ApplicationStatus.APPROVED: "审批通过",
    ApplicationStatus.REJECTED: "审批不通过",
    ApplicationStatus.REJECTED_FINAL: "审批不通过（最终）",
    ApplicationStatus.VOID: "申请无效",
    PaymentStatus.UNPAID: "未支付",
    PaymentStatus.PAID: "已支付",
    MaterialsStatus.NOT_DUE: "未到核对",
    MaterialsStatus.AWAITING: "待核对",
    MaterialsStatus.COMPLETE: "完成",
    MaterialsStatus.VOID: "申请无效",
    OldPlanCheck.MATCHES: "相符",
    OldPlanCheck.MISMATCH: "不符",
    OldPlanSummary.ALL_MATCH: "全部相符",
    OldPlanSummary.SOME_MISMATCH: "有不符",
    OldPlanSummary.NONE: "无",
    CorrectionField.NAME: "姓名",
    CorrectionField.ID_NUMBER: "身份证号",
    CorrectionField.TICKET_NO: "准考证号",
    CorrectionField.GENDER: "性别",
    CorrectionField.TICKET_PHOTO: "准考证照片",
    DecisionKind.IDENTITY: "身份核验",
    DecisionKind.PHOTO: "照片审核",
    DecisionKind.APPROVAL: "毕业审批",
    DecisionKind.MATERIALS: "材料核对",
    Verdict.PASS: "通过",
    Verdict.FAIL: "不通过",
}


def label_zh(value: enum.Enum) -> str:
    return LABELS_ZH.get(value, str(value.value))
