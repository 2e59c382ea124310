"""The command line, ``zikao-desk``, over the same services as the GUI.

Commands that change data or write personal data out act as a user (``--user`` or
``ZIKAO_USER``, password from ``ZIKAO_PASSWORD`` or the terminal). Read-only maintenance
(``db check``, ``stats``, ``audit verify``) shows no personal data and needs no login.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from zikao_desk import APP_TITLE_ZH, __version__
from zikao_desk.db import Database, resolve_url
from zikao_desk.errors import (
    AuthenticationFailed,
    NotAZikaoDatabase,
    SchemaNewerThanApp,
    UserError,
)
from zikao_desk.logsetup import setup_logging
from zikao_desk.models import Role, label_zh
from zikao_desk.paths import demo_database_path
from zikao_desk.services.uow import perform

log = logging.getLogger("zikao.cli")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_SCHEMA_OUTDATED = 3
EXIT_SCHEMA_INCOMPATIBLE = 4


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- acting user ---------------------------------------------------------------------------
def _read_password(prompt: str, *, env: Sequence[str] = ("ZIKAO_PASSWORD",), confirm: bool = False) -> str:
    """From the first environment variable set, else typed at the terminal (twice if
    ``confirm``, for a new password)."""
    for name in env:
        if os.environ.get(name):
            return os.environ[name]
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(f"需要密码：请设置环境变量 {' 或 '.join(env)}，或在终端中运行以输入密码")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("再次输入密码：") != first:
        raise UserError("两次输入的密码不一致")
    return first


def _login(args: argparse.Namespace, db: Database):  # type: ignore[no-untyped-def]
    from zikao_desk.services.users import login

    username = args.user or os.environ.get("ZIKAO_USER")
    if not username:
        raise AuthenticationFailed("此命令需要以用户身份执行：请使用 --user 用户名 或设置 ZIKAO_USER")
    return login(db, username, _read_password(f"用户 {username} 的密码："))


def _open(args: argparse.Namespace) -> Database:
    """For commands that act: migrations and reference data brought up to date first."""
    from zikao_desk.services.reference_data import open_and_prepare

    db = Database(resolve_url(args.db))
    open_and_prepare(db)
    return db


def _open_read_only(args: argparse.Namespace) -> Database:
    """For read-only commands (a scheduled job's stats, say): nothing is written, not even a
    migration; a database that needs one is reported instead."""
    db = Database(resolve_url(args.db))
    state = db.schema_state()
    if not state.known:
        raise SchemaNewerThanApp(
            f"数据库结构版本 {state.current} 比本程序（{state.head}）新，请升级 zikao_desk"
        )
    if state.current is None and state.has_tables:
        raise NotAZikaoDatabase(f"{db.display_url} 不是 zikao_desk 数据库")
    if not state.is_current:
        raise UserError(
            f"数据库结构需要升级（当前 {state.current or '空'}，需要 {state.head}）：请先运行 zikao-desk db upgrade"
        )
    return db


# -- commands ------------------------------------------------------------------------------
def cmd_gui(args: argparse.Namespace) -> int:
    from zikao_desk.app import run_gui

    return run_gui(resolve_url(args.db), language=args.lang)


def cmd_demo(args: argparse.Namespace) -> int:
    from zikao_desk.services.demo import build_demo

    if args.package:
        return _demo_package(args)
    if args.db:
        url = resolve_url(args.db)
    else:
        path = demo_database_path()
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)  # the demo file is rebuilt every time
        url = resolve_url(str(path))
    db = Database(url)
    db.upgrade()

    def progress(done: int, total: int, message: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    result = build_demo(db, candidates=args.candidates, seed=args.seed, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    _out(f"演示数据库：{db.display_url}")
    _out(
        f"已生成 {result.candidates} 名考生、{result.applications} 份毕业申请、"
        f"{result.decisions} 条审核决定、{result.corrections} 条信息修改，用时 {result.seconds:.1f} 秒"
    )
    _out("")
    _out(f"{'用户名':<12}{'密码':<20}{'角色':<8}区县")
    for u in result.users:
        counties = "全部演示区县" if len(u.county_codes) > 1 else u.county_codes[0]
        _out(f"{u.username:<15}{u.password:<22}{label_zh(u.role):<6}{counties}")
    db.dispose()
    if args.no_gui:
        return EXIT_OK
    from zikao_desk.app import run_gui

    return run_gui(url, language=args.lang)


def cmd_import(args: argparse.Namespace) -> int:
    from zikao_desk.services.exchange.province_import import import_package

    db = _open(args)
    actor = _login(args, db)
    path = Path(args.package)

    def progress(done: int, total: int, message: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    summary = perform(db, actor, "导入数据包", lambda session: import_package(
        session, actor, path, skip_invalid=args.skip_invalid,
        errors_path=Path(args.errors) if args.errors else None, progress=progress,
    ))  # fmt: skip
    if sys.stderr.isatty():
        print(file=sys.stderr)
    _out(summary.text())
    return EXIT_OK if summary.imported else EXIT_ERROR


def _demo_package(args: argparse.Namespace) -> int:
    """Build the demo in a temporary SQLite file and write it as a province package."""
    import tempfile

    from zikao_desk.services.demo import build_demo
    from zikao_desk.services.exchange.package_writer import write_package

    with tempfile.TemporaryDirectory(prefix="zikao-demo-") as tmp:
        db = Database(resolve_url(str(Path(tmp) / "demo.sqlite3")))
        db.upgrade()
        result = build_demo(db, candidates=args.candidates, seed=args.seed)
        with db.read() as session:
            counts = write_package(session, Path(args.package))
        db.dispose()
    _out(
        f"已写出省平台数据包 {args.package}：{counts['candidates']} 名考生、{counts['applications']} 份申请、"
        f"{counts['files']} 个文件（演示数据生成用时 {result.seconds:.1f} 秒）"
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from zikao_desk.services.exchange.report_export import export_new_batch, write_batch_again

    if bool(args.county) == bool(args.batch):
        raise UserError("请指定 --county 区县代码（生成新批次）或 --batch 批次号（重写已有批次）其中之一")
    db = _open(args)
    actor = _login(args, db)
    out = Path(args.output)
    if args.county:
        result = perform(db, actor, "导出上报", lambda s: export_new_batch(s, actor, args.county, out))
    else:
        result = perform(db, actor, "重写上报批次", lambda s: write_batch_again(s, actor, args.batch, out))
    rows = "，".join(f"{k} {v} 行" for k, v in result.row_counts.items())
    _out(f"已写出 {result.path}（{rows}；SHA-256 {result.digest}）")
    return EXIT_OK


def cmd_form(args: argparse.Namespace) -> int:
    from zikao_desk.config import CJK_FONT_PATH, Settings
    from zikao_desk.services.exchange.registration_form import build_forms

    db = _open(args)
    actor = _login(args, db)
    font = Settings().get(CJK_FONT_PATH) or None
    pdf = perform(
        db, actor, "打印登记表", lambda s: build_forms(s, actor, args.application_no, font_path=font)
    )
    out = Path(args.output)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(pdf.data)
    tmp.replace(out)
    for warning in pdf.warnings:
        _err(f"警告：{warning}")
    _out(f"已写出 {out}（{len(args.application_no)} 份登记表，字体 {pdf.font}）")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    db = Database(resolve_url(args.db))
    before = db.schema_state()
    after = db.upgrade()
    if before.current == after.current:
        _out(f"数据库结构已是最新版本（{after.current}）：{db.display_url}")
    else:
        _out(f"数据库结构已从 {before.current or '空'} 升级到 {after.current}：{db.display_url}")
    return EXIT_OK


def cmd_db_check(args: argparse.Namespace) -> int:
    db = Database(resolve_url(args.db))
    state = db.schema_state()
    if not state.known:
        _err(f"数据库结构版本 {state.current} 比本程序（{state.head}）新，请升级 zikao_desk")
        return EXIT_SCHEMA_INCOMPATIBLE
    if state.current is None and state.has_tables:
        _err(f"{db.display_url} 不是 zikao_desk 数据库")
        return EXIT_SCHEMA_INCOMPATIBLE
    if not state.is_current:
        _err(
            f"数据库结构需要升级：当前 {state.current or '空'}，程序需要 {state.head}"
            "（运行 zikao-desk db upgrade）"
        )
        return EXIT_SCHEMA_OUTDATED
    _out(f"数据库结构为最新版本（{state.current}）：{db.display_url}")
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    from zikao_desk.services.users import add_user, user_count

    db = _open(args)
    with db.read() as session:
        first = user_count(session) == 0
    actor = None if first else _login(args, db)
    # the first account has nobody logged in, so ZIKAO_PASSWORD may carry its password
    env = ("ZIKAO_NEW_PASSWORD", "ZIKAO_PASSWORD") if first else ("ZIKAO_NEW_PASSWORD",)
    password = _read_password(f"新用户 {args.name} 的密码：", env=env, confirm=True)
    uid = perform(
        db,
        actor,
        "添加用户",
        lambda s: add_user(
            s, actor, username=args.name, role=Role(args.role), county_codes=args.county.split(","),
            password=password, display_name=args.display_name,
        ).id,
    )  # fmt: skip
    _out(f"已添加用户 {args.name}（{label_zh(Role(args.role))}，区县 {args.county}，编号 {uid}）")
    return EXIT_OK


def cmd_user_unlock(args: argparse.Namespace) -> int:
    from zikao_desk.services.users import unlock_user

    db = _open(args)
    actor = _login(args, db)
    new_password = None
    if args.reset_password:
        new_password = _read_password(
            f"用户 {args.name} 的新密码：", env=("ZIKAO_NEW_PASSWORD",), confirm=True
        )
    perform(db, actor, "解锁用户", lambda s: unlock_user(s, actor, args.name, new_password))
    _out(f"已解锁用户 {args.name}" + ("并重设密码" if new_password else ""))
    return EXIT_OK


def cmd_period_set(args: argparse.Namespace) -> int:
    from zikao_desk.services.periods import set_period

    db = _open(args)
    actor = _login(args, db)
    period = perform(
        db,
        actor,
        "设置批次",
        lambda s: set_period(
            s, actor, args.batch, opens_on=args.opens, closes_on=args.closes,
            materials_deadline=args.deadline, name=args.name,
        ),
    )  # fmt: skip
    _out(
        f"批次 {period.batch_code}（{period.name}）：{period.opens_on} 至 {period.closes_on}，"
        f"材料交回截止 {period.materials_deadline}"
    )
    return EXIT_OK


def cmd_period_list(args: argparse.Namespace) -> int:
    from zikao_desk.services.periods import list_periods

    db = _open_read_only(args)
    with db.read() as session:
        for p in list_periods(session):
            _out(
                f"{p.batch_code}\t{p.name}\t{p.opens_on} 至 {p.closes_on}\t材料交回截止 {p.materials_deadline}"
            )
    return EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text!r}") from None


def cmd_stats(args: argparse.Namespace) -> int:
    from zikao_desk.services.stats import QUEUE_LABELS_ZH, QUEUES, office_stats

    db = _open_read_only(args)
    with db.read() as session:
        stats = office_stats(session)
    if args.json:
        _out(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    from zikao_desk.models import ApplicationStatus

    statuses = list(ApplicationStatus)
    header = ["区县", "考生"] + [label_zh(s) for s in statuses] + [QUEUE_LABELS_ZH[q] for q in QUEUES]
    _out("\t".join(header))
    for c in stats.counties:
        row = [f"{c.code} {c.name}", str(c.candidates)]
        row += [str(c.applications.get(s.value, 0)) for s in statuses]
        row += [str(c.queues[q]) for q in QUEUES]
        _out("\t".join(row))
    t = stats.totals()
    row = ["合计", str(t["candidates"])]
    row += [str(t["applications"][s.value]) for s in statuses]
    row += [str(t["queues"][q]) for q in QUEUES]
    _out("\t".join(row))
    return EXIT_OK


_STATUS_MARK = {"pass": "✓", "warn": "!", "fail": "✗"}
_VERDICT_ZH = {"pass": "通过", "warn": "需人工留意", "fail": "不通过"}


def cmd_photo_check(args: argparse.Namespace) -> int:
    from zikao_desk.services.photo_check import CheckResult, PhotoCheckReport, check_graduation_photo

    results = []
    for name in args.files:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            report = PhotoCheckReport(
                [CheckResult("file_type", "fail", "-", f"无法读取文件：{exc.strerror}")]
            )
        else:
            report = check_graduation_photo(data)
        results.append({"file": name, **report.as_dict()})
    if args.json:
        _out(json.dumps(results, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in results:
        _out(f"{r['file']}：{_VERDICT_ZH[r['verdict']]}")
        for c in r["checks"]:
            _out(f"  {_STATUS_MARK[c['status']]} {c['name']:<22} {c['value']:<24} {c['message']}")
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from zikao_desk.services.audit import verify_chain

    db = _open_read_only(args)
    with db.read() as session:
        report = verify_chain(session)
    if report.ok:
        _out(f"审计链完整：共校验 {report.checked} 条事件")
        return EXIT_OK
    _err(f"审计链被破坏：{report.problem}（此前 {report.checked} 条事件完好）")
    return EXIT_ERROR


# -- parser --------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="数据库地址（sqlite:///路径、文件路径或 postgresql://…）；"
        "默认取环境变量 ZIKAO_DB_URL，再取设置文件，最后为用户数据目录中的 SQLite 文件",
    )
    common.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="以此用户身份执行（默认取环境变量 ZIKAO_USER；密码取 ZIKAO_PASSWORD 或终端输入）",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="在终端输出详细日志"
    )

    parser = argparse.ArgumentParser(
        prog="zikao-desk",
        description=f"{APP_TITLE_ZH}（zikao_desk）。不带命令时打开图形界面。",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"zikao_desk {__version__}")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="界面语言（默认中文）")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="命令", metavar="COMMAND")

    p = sub.add_parser("gui", parents=[common], help="打开图形界面（默认）", description="打开图形界面。")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser(
        "demo",
        parents=[common],
        help="生成演示数据库并打开图形界面",
        description="创建并填充演示数据库（--db 指定位置，否则为用户数据目录中的 demo.sqlite3，"
        "每次重建），然后打开图形界面。--db 指定的数据库必须为空。",
    )
    p.add_argument(
        "--candidates", type=_positive_int, default=2000, metavar="N", help="考生人数（默认 2000）"
    )
    p.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子：同一种子生成相同数据")
    p.add_argument("--no-gui", action="store_true", help="只生成数据，不打开图形界面")
    p.add_argument(
        "--package",
        metavar="FILE.zip",
        default=None,
        help="不建数据库，而是把演示数据写成省平台数据包（供导入测试与性能测试）",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "import",
        parents=[common],
        help="导入省平台数据包",
        description="导入省平台下发的数据包（.zip 或文件夹）。先校验全部内容：默认有任何无效行则不导入，"
        "并写出错误工作簿（工作表、行号、列、值、问题）；--skip-invalid 只导入有效行。同一数据包重复导入不会改变数据；"
        "县区已修改的信息和已作出的决定不会被覆盖，冲突会列出。",
    )
    p.add_argument("package", metavar="PACKAGE", help="数据包 .zip 文件或文件夹")
    p.add_argument("--skip-invalid", action="store_true", help="跳过无效行，导入其余有效行")
    p.add_argument(
        "--errors", metavar="FILE", default=None, help="错误工作簿位置（默认在数据包旁：<名称>_错误.xlsx）"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="导出上报省平台的工作簿（审核人）",
        description="--county：把该区县尚未上报的审批结果、信息修改、人工审核与材料核对写成新的上报批次；"
        "--batch：把已有批次原样重新写出（相同的行与 SHA-256）。",
    )
    p.add_argument("--county", metavar="CODE", default=None, help="区县代码：生成新批次")
    p.add_argument(
        "--batch", metavar="NO", default=None, help="批次号（如 上报_140105_20261204_01）：重新写出"
    )
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="输出文件夹")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "form",
        parents=[common],
        help="打印毕业生登记表 PDF",
        description="生成毕业生登记表 PDF（A4，嵌入中文字体）；给出多个申请编号时合成一个 PDF，每份从新页开始。",
    )
    p.add_argument("application_no", nargs="+", metavar="APPLICATION_NO", help="申请编号")
    p.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="输出的 PDF 文件")
    p.set_defaults(func=cmd_form)

    p = sub.add_parser("db", parents=[common], help="数据库维护", description="数据库维护命令。")
    dbsub = p.add_subparsers(title="子命令", metavar="SUBCOMMAND", required=True)
    q = dbsub.add_parser(
        "upgrade",
        parents=[common],
        help="将数据库结构升级到本程序的版本",
        description="将数据库结构升级到本程序的版本；SQLite 文件升级前先备份。",
    )
    q.set_defaults(func=cmd_db_upgrade)
    q = dbsub.add_parser(
        "check",
        parents=[common],
        help="检查数据库结构是否为最新（是则退出码 0）",
        description="检查数据库结构：0 = 最新，3 = 需要升级，4 = 比本程序新或不是本程序的数据库，"
        "1 = 无法打开。",
    )
    q.set_defaults(func=cmd_db_check)

    p = sub.add_parser("user", parents=[common], help="用户管理", description="用户管理命令。")
    usub = p.add_subparsers(title="子命令", metavar="SUBCOMMAND", required=True)
    q = usub.add_parser(
        "add",
        parents=[common],
        help="添加用户",
        description="添加用户。数据库中还没有用户时，可不登录直接创建第一个管理员。"
        "新用户密码取 ZIKAO_NEW_PASSWORD（首个用户也可用 ZIKAO_PASSWORD）或终端输入。",
    )
    q.add_argument("name", help="用户名（字母、数字、下划线）")
    q.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        help="角色：clerk 经办人，reviewer 审核人，admin 管理员",
    )
    q.add_argument("--county", required=True, metavar="CODE[,CODE]", help="绑定的区县代码，多个用逗号分隔")
    q.add_argument("--display-name", default=None, help="显示名（默认同用户名）")
    q.set_defaults(func=cmd_user_add)
    q = usub.add_parser(
        "unlock",
        parents=[common],
        help="解锁用户（管理员）",
        description="清除密码错误锁定；--reset-password 同时重设密码（取 ZIKAO_NEW_PASSWORD 或终端输入）。",
    )
    q.add_argument("name", help="用户名")
    q.add_argument("--reset-password", action="store_true", help="同时重设密码")
    q.set_defaults(func=cmd_user_unlock)

    p = sub.add_parser("period", parents=[common], help="申请批次与截止日期", description="申请批次命令。")
    persub = p.add_subparsers(title="子命令", metavar="SUBCOMMAND", required=True)
    q = persub.add_parser(
        "set", parents=[common], help="新建或修改批次（管理员）",
        description="新建批次或修改其日期；材料交回截止日期决定逾期清理何时把申请标为无效。",
    )  # fmt: skip
    q.add_argument("batch", metavar="BATCH", help="批次，如 2026-2")
    q.add_argument("--opens", type=_date, required=True, metavar="YYYY-MM-DD", help="申请开始日期")
    q.add_argument("--closes", type=_date, required=True, metavar="YYYY-MM-DD", help="申请截止日期")
    q.add_argument("--deadline", type=_date, required=True, metavar="YYYY-MM-DD", help="纸质材料交回截止日期")
    q.add_argument("--name", default=None, help="名称（如 2026年下半年毕业申请）")
    q.set_defaults(func=cmd_period_set)
    q = persub.add_parser("list", parents=[common], help="列出批次", description="列出所有申请批次及其日期。")
    q.set_defaults(func=cmd_period_list)

    p = sub.add_parser(
        "stats",
        parents=[common],
        help="各区县考生、申请与待办队列统计",
        description="各区县的考生数、各状态申请数与各审核队列长度；不含个人信息，无需登录。",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("photo", parents=[common], help="照片检查", description="照片检查命令。")
    psub = p.add_subparsers(title="子命令", metavar="SUBCOMMAND", required=True)
    q = psub.add_parser(
        "check",
        parents=[common],
        help="毕业照片自动预检",
        description="对每个照片文件逐项预检（文件类型与大小、尺寸比例、背景、边框、文字、色彩、曝光、清晰度、"
        "人脸与头部位置等），给出 通过/需留意/不通过。只读，不需登录；退出码 0 表示检查已运行。",
    )
    q.add_argument("files", nargs="+", metavar="FILE", help="照片文件")
    q.add_argument("--json", action="store_true", help="输出 JSON：每个文件一个对象（file、verdict、checks）")
    q.set_defaults(func=cmd_photo_check)

    p = sub.add_parser("audit", parents=[common], help="审计日志", description="审计日志命令。")
    asub = p.add_subparsers(title="子命令", metavar="SUBCOMMAND", required=True)
    q = asub.add_parser(
        "verify",
        parents=[common],
        help="校验审计链（完整则退出码 0）",
        description="按顺序校验审计事件的哈希链；被修改或删除的事件会被指出。",
    )
    q.set_defaults(func=cmd_audit_verify)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # The shared options may stand before or after the command; argparse shares their
    # action objects between parsers, so their defaults are filled in here, not there.
    for name, default in (("db", None), ("user", None), ("verbose", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    setup_logging(verbose=bool(args.verbose))
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (SchemaNewerThanApp, NotAZikaoDatabase) as exc:
        _err(f"错误：{exc}")
        return EXIT_SCHEMA_INCOMPATIBLE
    except UserError as exc:
        _err(f"错误：{exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("已中断")
        return 130
    except BrokenPipeError:
        # the reader went away (`zikao-desk stats | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
