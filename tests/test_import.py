"""Import of the province's package: validation before writing, the error workbook, skip
mode, idempotency, the county's work kept, one transaction, hostile and Windows ZIPs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests import packages
from tests.world import make_world
from zikao_desk.models import (
    Application,
    ApplicationStatus,
    Blob,
    Candidate,
    CorrectionField,
    IdentityStatus,
    MaterialsStatus,
    OldPlanCourse,
    PaymentStatus,
    PhotoStatus,
    ResumeEntry,
    SubstituteCourse,
)
from zikao_desk.services.corrections import correct_candidate
from zikao_desk.services.exchange.province_import import import_package


@pytest.fixture
def world(db):
    return make_world(db)


def _import(world, path: Path, **kw):
    with world.db.write() as s:
        return import_package(s, world.clerk, path, **kw)


def _count(world, model) -> int:
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_valid_package_lands_in_the_right_queues(world, tmp_path):
    summary = _import(world, packages.write_zip(tmp_path / "p.zip", packages.base()))
    assert summary.imported and not summary.problems, summary.problems
    with world.db.read() as s:
        zhang = s.scalar(select(Candidate).where(Candidate.ticket_no == "010525200001"))
        li = s.scalar(select(Candidate).where(Candidate.ticket_no == "010525200002"))
        a1 = s.scalar(select(Application).where(Application.application_no == "A0001"))
        a2 = s.scalar(select(Application).where(Application.application_no == "A0002"))
        subs = s.scalars(
            select(SubstituteCourse.credits).where(SubstituteCourse.application_id == a1.id)
        ).all()
        olds = s.scalars(select(OldPlanCourse.card_no).where(OldPlanCourse.application_id == a1.id)).all()
        resume = s.scalars(select(ResumeEntry.organization).where(ResumeEntry.application_id == a1.id)).all()
    assert zhang.identity_status == IdentityStatus.ONLINE_PASSED and zhang.ticket_photo_sha
    assert li.identity_status == IdentityStatus.PENDING_REVIEW  # 未通过 -> 身份核验 queue
    assert a1.status == ApplicationStatus.SYSTEM_APPROVED and a1.payment_status == PaymentStatus.PAID
    assert a1.materials_status == MaterialsStatus.AWAITING  # paid -> 材料核对 queue
    assert a1.work_unit == "太原钢铁（集团）有限公司" and a1.university2_code == "10108"
    assert sorted(subs) == [4, 5, 6] and olds == ["KH0001"] and resume == ["太原市第五中学"]
    assert a2.status == ApplicationStatus.PENDING  # 待人工 -> 毕业审批 queue
    assert a2.photo_status == PhotoStatus.NOT_UPLOADED


def test_same_package_twice_changes_nothing(world, tmp_path):
    path = packages.write_zip(tmp_path / "p.zip", packages.base())
    _import(world, path)
    with world.db.read() as s:
        versions = s.execute(select(Application.application_no, Application.version)).all()
    again = _import(world, path)
    assert again.imported and again.changed == 0
    assert "数据库无任何变化" in again.text()
    with world.db.read() as s:
        assert s.execute(select(Application.application_no, Application.version)).all() == versions
    assert _count(world, Candidate) == 2 and _count(world, SubstituteCourse) == 3


BAD_CASES = [
    # (description, changes, sheet, column, fragment)
    (
        "ID checksum",
        {"考生__0__身份证号": packages.ID_MALE[:17] + ("0" if packages.ID_MALE[17] != "0" else "1")},
        "考生",
        "身份证号",
        "校验位",
    ),
    ("ID date", {"考生__0__身份证号": "140105199002300011"}, "考生", "身份证号", "不是真实日期"),
    ("gender", {"考生__0__性别": "女"}, "考生", "性别", "第 17 位"),
    ("ticket format", {"考生__0__准考证号": "01052520001"}, "考生", "准考证号", "12 位数字"),
    ("duplicate ticket", {"考生__1__准考证号": "010525200001"}, "考生", "准考证号", "重复"),
    (
        "duplicate id",
        {"考生__1__身份证号": packages.ID_MALE, "考生__1__性别": "男"},
        "考生",
        "身份证号",
        "重复",
    ),
    ("unknown ticket", {"毕业申请__1__准考证号": "010525299999"}, "毕业申请", "准考证号", "未知的准考证号"),
    ("same universities", {"毕业申请__0__主考院校2": "10125"}, "毕业申请", "主考院校2", "相同"),
    ("bachelor without diploma", {"毕业申请__0__前置学历证书号": None}, "毕业申请", "前置学历证书号", "本科"),
    ("substitute credits", {"顶替课程__2__学分": 2}, "毕业申请", "顶替英语二", "不能小于 14"),
    ("attempt 3", {"毕业申请__1__申请次数": 3}, "毕业申请", "申请次数", "仅限 1 次"),
    ("attempt 2 without 1", {"毕业申请__1__申请次数": 2}, "毕业申请", "申请次数", "第 1 次申请"),
    (
        "paid before approval",
        {"毕业申请__1__支付状态": "已支付", "毕业申请__1__支付时间": "2026-11-20"},
        "毕业申请",
        "支付状态",
        "尚未审核通过",
    ),
    (
        "paid with photo not approved",
        {"毕业申请__0__照片认证": "未通过"},
        "毕业申请",
        "支付状态",
        "照片尚未认证通过",
    ),
    ("missing photo file", {"毕业申请__0__毕业照片": "photos/none.jpg"}, "毕业申请", "毕业照片", "没有文件"),
    (
        "path escaping the package",
        {"考生__0__准考证照片": "../../etc/passwd"},
        "考生",
        "准考证照片",
        "不安全",
    ),
    ("bad date", {"毕业申请__1__提交时间": "2026/13/45"}, "毕业申请", "提交时间", "日期时间格式"),
    ("unknown county", {"考生__1__区县代码": "149999"}, "考生", "区县代码", "区划代码表"),
    ("other county", {"考生__1__区县代码": "140106"}, "考生", "区县代码", "不属于用户"),
]


@pytest.mark.parametrize(
    ("label", "changes", "sheet", "column", "fragment"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_each_rule_refuses_the_package_naming_sheet_row_and_column(
    world, tmp_path, label, changes, sheet, column, fragment
):
    errors = tmp_path / "errors.xlsx"
    summary = _import(
        world, packages.write_zip(tmp_path / "p.zip", packages.variant(**changes)), errors_path=errors
    )
    assert not summary.imported
    hits = [p for p in summary.problems if p.sheet == sheet and p.column == column and fragment in p.problem]
    assert hits, [(p.sheet, p.row, p.column, p.problem) for p in summary.problems]
    row_index = int(next(iter(changes)).split("__")[1])
    expected_row = row_index + 2 if next(iter(changes)).startswith(sheet) else None
    if expected_row:
        assert hits[0].row == expected_row
    assert _count(world, Candidate) == 0 and _count(world, Application) == 0  # nothing imported
    lines = list(load_workbook(errors).active.iter_rows(values_only=True))
    assert lines[0] == ("工作表", "行号", "列", "值", "问题")
    assert any(line[0] == sheet and line[2] == column and fragment in line[4] for line in lines[1:])


def test_missing_required_column_is_named(world, tmp_path):
    path = packages.write_zip(tmp_path / "p.zip", packages.base(), drop_columns={"毕业申请": "层次"})
    summary = _import(world, path)
    assert not summary.imported
    assert any(p.sheet == "毕业申请" and p.row == 1 and p.column == "层次" and "缺少必填列" in p.problem
               for p in summary.problems)  # fmt: skip


def test_corrupt_image_and_archive_are_invalid_rows_not_crashes(world, tmp_path):
    pkg = packages.base()
    pkg["files"]["photos/g1.jpg"] = pkg["files"]["photos/g1.jpg"][:2000]
    pkg["files"]["archives/s1.zip"] = b"PK\x03\x04 broken"
    summary = _import(world, packages.write_zip(tmp_path / "p.zip", pkg))
    columns = {(p.column, p.problem[:12]) for p in summary.problems}
    assert any(c == "毕业照片" for c, _ in columns) and any(c == "旧计划扫描件" for c, _ in columns), columns


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(world, tmp_path):
    pkg = packages.variant(**{"考生__1__身份证号": "140105199002300011"})
    summary = _import(world, packages.write_zip(tmp_path / "p.zip", pkg), skip_invalid=True)
    assert summary.imported
    assert {p.sheet for p in summary.problems} == {
        "考生",
        "毕业申请",
    }  # the bad candidate and its application
    with world.db.read() as s:
        assert s.scalars(select(Candidate.ticket_no)).all() == ["010525200001"]
        assert s.scalars(select(Application.application_no)).all() == ["A0001"]
    assert summary.errors_workbook is not None and summary.errors_workbook.exists()


def test_the_countys_corrections_and_decisions_are_never_overwritten(world, tmp_path):
    path = packages.write_zip(tmp_path / "p.zip", packages.base())
    _import(world, path)
    from zikao_desk.models import Verdict
    from zikao_desk.services import workflow as wf

    with world.db.write() as s:
        li = s.scalar(select(Candidate).where(Candidate.ticket_no == "010525200002"))
        correct_candidate(s, world.clerk, li.id, CorrectionField.NAME, "李丽娜", reason="录入错误")
        a2 = s.scalar(select(Application).where(Application.application_no == "A0002"))
        wf.decide_application(s, world.reviewer, a2.id, Verdict.FAIL, reason_code="AP_UNIVERSITY")
    # the province sends the old name again and, for A0002, a system approval
    changed = packages.variant(**{"毕业申请__1__系统审核": "通过"})
    summary = _import(world, packages.write_zip(tmp_path / "p2.zip", changed))
    assert summary.imported
    with world.db.read() as s:
        assert s.scalar(select(Candidate.name).where(Candidate.ticket_no == "010525200002")) == "李丽娜"
        assert (
            s.scalar(select(Application.status).where(Application.application_no == "A0002"))
            == ApplicationStatus.REJECTED
        )
    text = "\n".join(summary.conflicts)
    assert "李丽娜" in text and "A0002" in text


def test_an_interrupted_import_leaves_nothing_behind(world, tmp_path, monkeypatch):
    from zikao_desk.services.exchange import province_import

    def crash(self, *args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(province_import._Applier, "applications", crash)
    with pytest.raises(KeyboardInterrupt):
        _import(world, packages.write_zip(tmp_path / "p.zip", packages.base()))
    assert _count(world, Candidate) == 0 and _count(world, Blob) == 1  # only the world's own photo


def test_hostile_zip_entries_are_never_written_anywhere(world, tmp_path):
    outside = tmp_path / "x"
    path = packages.write_zip(
        tmp_path / "p.zip", packages.base(), extra={"../../x": b"evil", "../x": b"evil"}
    )
    summary = _import(world, path)
    assert summary.imported
    assert not outside.exists() and not (tmp_path.parent / "x").exists()


def test_gbk_named_files_from_windows_are_found(world, tmp_path):
    pkg = packages.base()
    pkg["sheets"]["毕业申请"][0]["毕业照片"] = "照片/张伟.jpg"
    pkg["files"]["照片/张伟.jpg"] = pkg["files"].pop("photos/g1.jpg")
    gbk = tmp_path / "gbk.zip"
    gbk.write_bytes(
        packages.gbk_zip({"申请数据.xlsx": packages.workbook_bytes(pkg["sheets"]), **pkg["files"]})
    )
    with zipfile.ZipFile(gbk) as check:
        assert not any(i.flag_bits & 0x800 for i in check.infolist())
        assert "照片/张伟.jpg" not in check.namelist()  # plain zipfile shows mojibake
    summary = _import(world, gbk)
    assert summary.imported, summary.problems


def test_a_folder_package_works_too(world, tmp_path):
    folder = tmp_path / "pkg"
    with zipfile.ZipFile(packages.write_zip(tmp_path / "p.zip", packages.base())) as zf:
        zf.extractall(folder)
    assert _import(world, folder).imported


def test_demo_package_round_trip_into_an_empty_database(db, tmp_path):
    """`demo --package` writes the demo as a province package; importing it into an empty
    database gives the same candidates, applications, courses and images."""
    from zikao_desk.cli import main
    from zikao_desk.db import Database
    from zikao_desk.models import Role
    from zikao_desk.services.demo import DEMO_COUNTIES
    from zikao_desk.services.reference_data import ensure_reference_data
    from zikao_desk.services.users import add_user, login

    package = tmp_path / "demo.zip"
    assert main(["demo", "--package", str(package), "--candidates", "150", "--seed", "9"]) == 0
    source = Database(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    source.upgrade()
    from zikao_desk.services.demo import build_demo

    build_demo(source, candidates=150, seed=9)  # the same seed gives the same demo

    with db.write() as s:
        ensure_reference_data(s)
        add_user(
            s,
            None,
            username="boss",
            role=Role.ADMIN,
            county_codes=[c[0] for c in DEMO_COUNTIES],
            password="boss-pass",
        )
    boss = login(db, "boss", "boss-pass")
    with db.write() as s:
        summary = import_package(s, boss, package)
    assert summary.imported and not summary.problems, summary.problems[:5]

    def snapshot(database):
        with database.read() as s:
            return {
                "candidates": sorted(s.execute(select(
                    Candidate.ticket_no, Candidate.id_number, Candidate.name, Candidate.gender, Candidate.county_code,
                    Candidate.ticket_photo_sha, Candidate.id_card_photo_sha, Candidate.handheld_photo_sha)).all()),
                "applications": sorted(s.execute(select(
                    Application.application_no, Application.attempt, Application.level, Application.university1_code,
                    Application.university2_code, Application.prior_diploma_no, Application.english2_substituted,
                    Application.submitted_at, Application.photo_sha, Application.old_plan_archive_sha,
                    Application.self_assessment)).all()),
                "substitutes": sorted(s.execute(select(Application.application_no, SubstituteCourse.course_code,
                                                       SubstituteCourse.credits).join(Application)).all()),
                "old_plan": sorted(s.execute(select(Application.application_no, OldPlanCourse.course_code,
                                                    OldPlanCourse.card_no).join(Application)).all()),
                "resume": sorted(s.execute(select(Application.application_no, ResumeEntry.seq,
                                                  ResumeEntry.organization).join(Application)).all()),
            }  # fmt: skip

    before, after = snapshot(source), snapshot(db)
    source.dispose()
    for key in before:
        assert after[key] == before[key], key
    assert len(after["candidates"]) == 150 and len(after["applications"]) > 100


def test_after_approval_the_photo_and_form_still_arrive_but_the_application_stays_locked(world, tmp_path):
    from tests import photos

    _import(world, packages.write_zip(tmp_path / "p1.zip", packages.base()))  # A0001 is system-approved
    later = packages.variant(**{
        "毕业申请__0__主考院校2": "10112",  # locked: what was submitted
        "毕业申请__0__毕业照片": "photos/g2.jpg",  # a new photo, failed online again
        "毕业申请__0__照片认证": "未通过",
        "毕业申请__0__支付状态": "未支付",
    })  # fmt: skip
    later["sheets"]["登记表"][0]["自我鉴定"] = "本人在校期间表现良好。"
    later["sheets"]["个人简历"].append({"申请编号": "A0001", "起始年月": "2011-09", "单位或学校": "山西大学"})
    later["files"]["photos/g2.jpg"] = photos.compliant(photos.WHITE)
    summary = _import(world, packages.write_zip(tmp_path / "p2.zip", later))
    assert summary.imported, summary.problems
    with world.db.read() as s:
        a1 = s.scalar(select(Application).where(Application.application_no == "A0001"))
        resume = s.scalars(select(ResumeEntry.organization).where(ResumeEntry.application_id == a1.id)
                           .order_by(ResumeEntry.seq)).all()  # fmt: skip
    assert a1.university2_code == "10108"  # the approval locked it
    assert any("A0001" in c and "主考院校" in c for c in summary.conflicts)
    assert a1.self_assessment == "本人在校期间表现良好。" and resume == ["太原市第五中学", "山西大学"]
    assert a1.photo_status == PhotoStatus.PENDING_REVIEW  # the new photo is in the photo review queue
    assert a1.payment_status == PaymentStatus.PAID  # a payment is never taken back by a later package


def test_a_file_changed_between_validation_and_writing_cancels_the_import(world, tmp_path, monkeypatch):
    from zikao_desk.errors import UserError
    from zikao_desk.services.exchange import province_import

    original_read = province_import.Package.read
    reads: dict[str, int] = {}

    def tampering_read(self, relative):
        reads[relative] = reads.get(relative, 0) + 1
        data = original_read(self, relative)
        return data + b"\x00" if relative == "photos/g1.jpg" and reads[relative] > 1 else data

    monkeypatch.setattr(province_import.Package, "read", tampering_read)
    with pytest.raises(UserError, match="被改动"):
        _import(world, packages.write_zip(tmp_path / "p.zip", packages.base()))
    assert _count(world, Candidate) == 0


def test_unknown_batch_is_created_and_named_as_a_note_not_a_conflict(db, tmp_path):
    from zikao_desk.models import Role
    from zikao_desk.services.reference_data import ensure_reference_data
    from zikao_desk.services.users import add_user, login

    with db.write() as s:
        ensure_reference_data(s)
        add_user(s, None, username="boss", role=Role.ADMIN, county_codes=["140105"], password="boss-pass")
    boss = login(db, "boss", "boss-pass")
    with db.write() as s:
        summary = import_package(s, boss, packages.write_zip(tmp_path / "p.zip", packages.base()))
    assert summary.imported and summary.conflicts == []
    assert any("新建批次 2026-2" in n for n in summary.notes) and "新建批次 2026-2" in summary.text()
