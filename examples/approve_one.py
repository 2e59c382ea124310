"""Approve the oldest application waiting in the approval queue, as a given reviewer, and
print the audit events the approval produced.

    ZIKAO_PASSWORD=demo-sh-140105 python examples/approve_one.py --db PATH_OR_URL --user sh140105

Works on the demo database (``zikao-desk demo --no-gui``).
"""

from __future__ import annotations

import argparse
import os
import sys

from zikao_desk.db import Database, resolve_url
from zikao_desk.errors import UserError
from zikao_desk.models import Application, Verdict
from zikao_desk.services.queues import last_event_id, my_events, queue_ids
from zikao_desk.services.reference_data import open_and_prepare
from zikao_desk.services.uow import perform
from zikao_desk.services.users import login
from zikao_desk.services.workflow import decide_application


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", required=True)
    args = parser.parse_args()

    db = Database(resolve_url(args.db))
    open_and_prepare(db)  # migrates if needed, loads the built-in reference data
    try:
        reviewer = login(db, args.user, os.environ["ZIKAO_PASSWORD"])
        with db.read() as s:  # one short read: what the reviewer's screen would show
            waiting = queue_ids(s, reviewer, "approval", limit=1)
            if not waiting:
                print("审批队列为空")
                return 0
            app = s.get_one(Application, waiting[0])
            seen_version, number = app.version, app.application_no
            before = last_event_id(s)
        # one write: the decision, refused if someone changed the application meanwhile
        perform(
            db,
            reviewer,
            "毕业审批",
            lambda s: decide_application(
                s, reviewer, waiting[0], Verdict.PASS, expected_version=seen_version
            ),
        )
        print(f"已审批通过：{number}")
        with db.read() as s:
            for event in my_events(s, reviewer, after_id=before):
                print(
                    f"#{event.id} {event.occurred_at} {event.actor_name} {event.action} "
                    f"{event.entity_type}:{event.entity_id} {event.before} -> {event.after}"
                )
        return 0
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
