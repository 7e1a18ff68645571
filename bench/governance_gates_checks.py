"""Benchmark: evaluate the automatic checks of 5,000 open go-live gates (goal: <= 10 s).

Builds once (committed in the benchmark database, reused by later runs) 5,000 implementation
projects in the build phase (each gets its go-live readiness gate: 2 Python checks, 4 checklist items, 2 approvals),
a blocking task on every tenth project, then times three runs of the batch evaluation the hourly
cron performs (``governance.gate._run_automatic_checks``) and prints the median, the SQL query count
and how many checks passed and failed.

    PC_VENV=/work/main/.venv .venv/bin/python bench/governance_gates_checks.py

The database ``pc_bench_governance_gates`` is created once (without demo data) and kept.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / ".local" / "odoo.conf"
DB = "pc_bench_governance_gates"
PROJECTS = 5000


def ensure_database():
    subprocess.run(["bash", str(ROOT / "setup" / "bootstrap")], check=True)
    conf = dict(
        (part.strip() for part in line.split("=", 1))
        for line in CONF.read_text().splitlines()
        if "=" in line and not line.lstrip().startswith((";", "#", "["))
    )
    env = dict(os.environ, PGHOST=conf["db_host"], PGPORT=conf["db_port"], PGUSER=conf["db_user"])
    state = subprocess.run(
        [
            "psql",
            "-d",
            DB,
            "-tAc",
            "SELECT state FROM ir_module_module WHERE name = 'governance_gates'",
        ],
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if state != "installed":
        odoo_bin = Path(conf["addons_path"].split(",")[0]).parent.parent / "odoo-bin"
        print(f"creating {DB} (once)", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(odoo_bin),
                "-c",
                str(CONF),
                "-d",
                DB,
                "-i",
                "governance_gates",
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
            ],
            check=True,
        )


def build(env):
    partner = env["res.partner"].create({"name": "Bench partner", "is_company": True})
    lead = env["res.users"].search([("login", "=", "admin")])
    started = time.perf_counter()
    projects = env["project.project"].create(
        [
            {
                "name": f"Bench project {index}",
                "channel_partner_id": partner.id,
                "solution_lead_id": lead.id,
                "planned_go_live_date": "2026-12-01" if index % 3 else False,
                "implementation_phase": "build",
            }
            for index in range(PROJECTS)
        ]
    )
    env["project.task"].create(
        [
            {"name": "Blocker", "project_id": project.id, "is_gate_blocker": True}
            for project in projects[::10]
        ]
    )
    env.flush_all()
    print(f"built {len(projects)} projects in {time.perf_counter() - started:.1f} s (once)")
    return projects


def main():
    from bench_env import cli

    cli(__doc__)
    ensure_database()
    import odoo
    from odoo.tools import config

    config.parse_config(["-c", str(CONF), "-d", DB])
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True}
        )
        try:
            projects = env["project.project"].search([("name", "=like", "Bench project %")])
            if len(projects) < PROJECTS:
                projects = build(env)
                cr.commit()
            gates = env["governance.gate"].search(
                [
                    ("state", "=", "open"),
                    ("res_model", "=", "project.project"),
                    ("res_id", "in", projects.ids),
                ]
            )
            timings = []
            for run in range(3):
                env.invalidate_all()
                gates = env["governance.gate"].browse(gates.ids)
                queries = cr.sql_log_count
                start = time.perf_counter()
                gates._run_automatic_checks()
                env.flush_all()
                timings.append(time.perf_counter() - start)
                print(f"run {run + 1}: {timings[-1]:.2f} s, {cr.sql_log_count - queries} queries")
            lines = gates.line_ids.filtered(lambda line: line.check_type == "python")
            outcomes = {
                o: len(lines.filtered(lambda line, o=o: line.outcome == o))
                for o in ("pass", "fail", "error")
            }
            print(f"checks: {len(lines)} ({outcomes})")
            print(
                f"median: {statistics.median(timings):.2f} s for {len(gates)} gates (goal <= 10 s)"
            )
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
