"""Benchmark: the SLA scan over 100,000 open incidents (target: at most 10 s).

    .venv/bin/python bench/white_label_tenant_sla_scan.py --db <db with white_label_tenant>

Inserts the incidents in SQL (three SLA versions on three calendars, four priorities, a share
acknowledged or waiting on the customer), sets their clocks as creation does (deadlines and the
next instant a warning level or breach is reached, per calendar schedule), then times
``tenant.incident._cron_sla_scan`` 15 minutes later: selecting the due incidents in SQL,
evaluating their clocks, writing what changed in bulk and escalating new warnings/breaches
(activities and one digest e-mail per responsible), then the same scan again (nothing to do).
Everything is rolled back.
Without ``--db``, times the pure core on the same shape of data (no database).
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

N_DEFAULT = 100_000
NOW = datetime(2026, 12, 9, 14, 0)


def pure(count):
    from odoo.addons.white_label_tenant.core.sla_clock import BusinessSchedule, evaluate_clock

    calendars = [
        BusinessSchedule(
            {d: [(9, 12), (13, 17)] for d in range(5)},
            "Europe/Brussels",
            leaves=[(datetime(2026, 12, 7, 23), datetime(2026, 12, 8, 23))],
        ),
        BusinessSchedule({d: [(8, 18)] for d in range(5)}, "America/New_York"),
        BusinessSchedule({d: [(0, 24)] for d in range(7)}, "UTC"),
    ]
    rng = random.Random(7)
    rows = [
        (
            rng.randrange(3),
            NOW - timedelta(minutes=rng.randrange(60 * 24 * 20)),
            rng.choice((4, 8, 16, 40)),
        )
        for _ in range(count)
    ]
    started = time.perf_counter()
    statuses = {}
    for calendar, opened, hours in rows:
        schedule = calendars[calendar]
        state = evaluate_clock(schedule, opened, hours * 3600, (0.5, 0.75), NOW)
        statuses[state.status] = statuses.get(state.status, 0) + 1
        assert state.deadline
    elapsed = time.perf_counter() - started
    print(
        f"pure core: {count} incidents, deadline + status each, {elapsed:.2f} s "
        f"({count / elapsed:,.0f}/s); statuses {statuses}"
    )
    return elapsed


def database(dbname, count, batch_size=2000, later_minutes=15):
    from white_label_tenant_common import odoo_env

    with odoo_env(dbname) as env:
        cr = env.cr
        calendars = [
            env["resource.calendar"].create(
                {
                    "name": f"Bench calendar {i}",
                    "tz": tz,
                    "attendance_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "w",
                                "dayofweek": str(d),
                                "hour_from": f,
                                "hour_to": t,
                                "day_period": p,
                            },
                        )
                        for d in range(5)
                        for f, t, p in ((9, 12, "morning"), (13, 17, "afternoon"))
                    ],
                }
            )
            for i, tz in enumerate(("Europe/Brussels", "America/New_York", "Asia/Singapore"))
        ]
        partner = env["res.partner"].create({"name": "Bench partner", "is_company": True})
        versions, tenants = [], []
        for i, calendar in enumerate(calendars):
            policy = env["tenant.sla.policy"].create({"name": f"Bench policy {i}"})
            version = env["tenant.sla.policy.version"].create(
                {
                    "policy_id": policy.id,
                    "effective_from": "2026-01-01 00:00:00",
                    "calendar_id": calendar.id,
                    "target_ids": [
                        (0, 0, {"priority": p, "response_hours": r, "resolution_hours": s})
                        for p, r, s in (("1", 1, 4), ("2", 2, 8), ("3", 4, 16), ("4", 8, 40))
                    ],
                }
            )
            version.action_activate()
            versions.append(version)
            tenants.append(
                env["tenant.tenant"].create(
                    {
                        "name": f"Bench tenant {i}",
                        "partner_id": partner.id,
                        "sla_policy_id": policy.id,
                    }
                )
            )
        env.flush_all()
        started = time.perf_counter()
        # 100k open incidents opened over the last 3 days; 30% acknowledged, 5% waiting
        cr.execute(
            """
            INSERT INTO tenant_incident (
                name, subject, tenant_id, partner_id, company_id, priority, state, is_open,
                source, opened_at, acknowledged_at, pause_started_at, paused_seconds,
                sla_version_id, response_target_hours, resolution_target_hours,
                response_status, resolution_status, response_warning_level,
                resolution_warning_level, sla_outcome, category, create_date, write_date,
                create_uid, write_uid
            )
            SELECT 'BENCH/' || g, 'Bench incident', t.tenant_id, %(partner)s, %(company)s,
                   p.priority,
                   CASE WHEN g %% 20 = 0 THEN 'waiting_customer'
                        WHEN g %% 10 < 3 THEN 'acknowledged' ELSE 'new' END,
                   true, 'manual', o.opened,
                   CASE WHEN g %% 10 < 3 OR g %% 20 = 0 THEN o.opened + interval '20 minutes' END,
                   CASE WHEN g %% 20 = 0 THEN o.opened + interval '1 hour' END,
                   0, t.version_id, p.response, p.resolution,
                   'running', 'running', 0, 0, 'pending', 'other', now(), now(), 1, 1
              FROM generate_series(1, %(count)s) g
              JOIN LATERAL (SELECT %(now)s::timestamp
                                   - (((g * 7919) %% (3 * 24 * 60)) || ' minutes')::interval
                                   AS opened) o ON true
              JOIN (SELECT * FROM unnest(%(tenants)s::int[], %(versions)s::int[])
                    WITH ORDINALITY AS x(tenant_id, version_id, n)) t ON t.n = g %% 3 + 1
              JOIN (VALUES ('1', 1, 4, 0), ('2', 2, 8, 1), ('3', 4, 16, 2), ('4', 8, 40, 3))
                    AS p(priority, response, resolution, n) ON p.n = g %% 4
            """,
            {
                "partner": partner.id,
                "company": env.company.id,
                "count": count,
                "now": NOW,
                "tenants": [t.id for t in tenants],
                "versions": [v.id for v in versions],
            },
        )
        print(f"inserted {cr.rowcount} open incidents in {time.perf_counter() - started:.1f} s")
        Incident = env["tenant.incident"]
        cr.execute("SELECT id FROM tenant_incident WHERE name LIKE 'BENCH/%%' ORDER BY id")
        ids = [row[0] for row in cr.fetchall()]
        # as at creation: deadlines and statuses set, nobody notified (create does the same)
        started = time.perf_counter()
        schedules = {}
        for start in range(0, len(ids), 5000):
            Incident.browse(ids[start : start + 5000])._sla_refresh(
                NOW, notify=False, schedules=schedules
            )
            env.invalidate_all()
        print(
            f"initial clocks and deadlines of {len(ids)} incidents: "
            f"{time.perf_counter() - started:.2f} s"
        )

        def activities():
            cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'tenant.incident'")
            return cr.fetchone()[0]

        before = activities()
        later = NOW + timedelta(minutes=later_minutes)
        cr.execute(
            "SELECT count(*) FROM tenant_incident WHERE is_open AND sla_next_check_at <= %s",
            [later],
        )
        due = cr.fetchone()[0]
        # as the cron does: one bounded call after the other while work remains
        started = time.perf_counter()
        done, calls, slowest = 0, 0, 0.0
        while True:
            call_started = time.perf_counter()
            evaluated = Incident._cron_sla_scan(now=later, batch_size=batch_size)
            slowest = max(slowest, time.perf_counter() - call_started)
            calls += 1
            done += evaluated
            if not evaluated:
                break
        scan = time.perf_counter() - started
        escalated = activities() - before
        started = time.perf_counter()
        Incident._cron_sla_scan(now=later, batch_size=batch_size)
        again = time.perf_counter() - started
        cr.execute(
            "SELECT sla_outcome, count(*) FROM tenant_incident WHERE name LIKE 'BENCH/%%' "
            "GROUP BY 1 ORDER BY 1"
        )
        outcomes = dict(cr.fetchall())
        print(
            f"SLA scan {later_minutes} min later over {len(ids)} open incidents: {due} due (a warning level "
            f"or breach reached), {done} evaluated in {scan:.2f} s, "
            f"{escalated} new warnings/breaches escalated"
        )
        print(
            f"same scan again (nothing changed, no notification): {again:.2f} s, "
            f"{activities() - before - escalated} extra activities"
        )
        print(f"outcomes: {outcomes}")
        print(f"{calls} calls of at most {batch_size} incidents, slowest call {slowest:.2f} s")
        print(f"target: every call <= 10 s: {'OK' if slowest <= 10 else 'MISSED'}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="database with white_label_tenant installed")
    parser.add_argument("--count", type=int, default=N_DEFAULT)
    parser.add_argument("--batch-size", type=int, default=2000, help="incidents per scan call")
    parser.add_argument(
        "--later-minutes",
        type=int,
        default=15,
        help="minutes between the clocks' start and the scan (1440: catch-up after a 24 h outage)",
    )
    args = parser.parse_args()
    from white_label_tenant_common import addons_on_path

    addons_on_path()
    if args.db:
        database(args.db, args.count, args.batch_size, args.later_minutes)
    else:
        pure(args.count)


if __name__ == "__main__":
    main()
