"""Benchmark: the same due work done by 1, 2 and 4 cron workers at once (goal: 2 workers >= 1.7x 1).

Parallel Slices (Settings > Partner Channel) runs a batch job as N scheduled actions, each on the
units with ``id % N = k``; Odoo's cron gives each ``ir_cron`` row to one worker at a time, so N
workers share a job in N slices. Here each worker is an OS process of its own (tests/cron_worker.py)
running what a cron thread of ``odoo-bin`` runs, ``ir.cron._process_jobs``, until no job is ready;
with W workers the setting is W.

Two jobs, each measured alone:

- ``invoicing``: ``billing.run._cron_invoice`` (batches of 200) bills and posts one monthly invoice
  of each of ``--subscriptions`` subscriptions (3 lines, a 15 % sales tax) on 2026-03-01;
- ``scorecards``: ``partner.scorecard._cron_recompute`` (batches of 500) scores ``--partners``
  partners on 30 metrics (bench/partner_scorecard_recompute.py's program) on 2026-05-15.

Fairness: every measure starts from a fresh copy (createdb -T) of a database prepared once per job
and size, in fresh processes (loaded before the clock starts); the order of the configurations
alternates between rounds. The results of every measure are read back and compared with the first
one's (invoices: count, distinct numbers, partner/date/amount checksum; scorecards: membership/score/
rank checksum): any difference is printed and the bench fails (exit status 1).

Printed per measure and as means per configuration: wall time until all due work is done, speed-up
against one worker, CPU time of the worker processes (Python) and of their PostgreSQL backends
(/proc/<pid>/stat: PostgreSQL must run on this machine), queries per item (Odoo's query counter),
and the load average before and after. The machine is the bench's only user when the figures are
meant to be compared with the goal: the load average, and the cores the measure kept busy (its CPU
time over its wall time: near the number of workers, up to the machine's cores, when it had them),
say whether it was.

    .venv/bin/python bench/parallel_workers.py
    .venv/bin/python bench/parallel_workers.py --jobs invoicing --subscriptions 500 --rounds 1

Databases: ``pc_bench_parallel`` (recurring_billing without demo data, made once),
``pc_bench_parallel_sc`` (partner_scorecard alone, for bench/partner_scorecard_recompute.py's
program),
``pc_bench_parallel_<job>_<size>`` (the prepared data, made once) and
``pc_bench_parallel_run`` (the measure's copy, dropped after each measure).
"""

import hashlib
import json
import os
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CONF = ROOT / ".local" / "odoo.conf"
WORKER = ROOT / "tests" / "cron_worker.py"
BASE = "pc_bench_parallel"
RUN = f"{BASE}_run"
BILLING_DAY = "2026-03-01"
INVOICING = "recurring_billing.ir_cron_billing_invoice"
RECOMPUTE = "partner_scorecard.partner_scorecard_cron_recompute"
TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- the data (run in a worker)


def build_invoicing(env, count):
    """``count`` running monthly subscriptions of 3 lines, due once on BILLING_DAY, posted."""
    import random
    from datetime import date

    from odoo import Command

    rng = random.Random(7)
    company = env.company
    company.billing_auto_post = True
    tax = company.account_sale_tax_id
    products = env["product.product"].create(
        [
            {"name": f"Bench {kind}", "type": "service", "taxes_id": [Command.set(tax.ids)]}
            for kind in ("hosting", "support", "monitoring")
        ]
    )
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {i}", "is_company": True} for i in range(200)]
    )
    for start in range(0, count, 500):
        env["billing.subscription"]._workflow_create(
            [
                {
                    "name": f"BENCH/{i:05d}",
                    "partner_id": partners[i % len(partners)].id,
                    "date_start": date.fromisoformat(BILLING_DAY),
                    "state": "active",
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "service_type": service,
                                "quantity": rng.choice([1, 2, 3]),
                                "price_unit": rng.choice([49.9, 149.95, 450.0]),
                            }
                        )
                        for product, service in zip(
                            products, ("hosting", "support", "monitoring"), strict=True
                        )
                    ],
                }
                for i in range(start, min(start + 500, count))
            ]
        )
        env.flush_all()
        env.invalidate_all()
    return {"items": count}


def build_scorecards(env, count):
    from partner_scorecard_recompute import build

    memberships, metrics = build(env, count, 24)
    (env["partner.membership"].search([]) - memberships).write({"state": "ended"})
    return {"items": count, "metrics": metrics}


def _results(conn, job):
    """A digest of what the measure produced, equal whatever worker did which part."""
    if job == "invoicing":
        rows = _fetch(
            conn,
            "SELECT partner_id, invoice_date, amount_untaxed, amount_tax, state FROM account_move"
            " WHERE billing_subscription_id IS NOT NULL ORDER BY 1, 2, 3, 4",
        )
        names = _fetch(
            conn,
            "SELECT count(DISTINCT name) FROM account_move WHERE billing_subscription_id IS NOT NULL",
        )[0][0]
        total = round(sum(row[2] + row[3] for row in rows), 2)
        summary = f"{len(rows)} invoices, {names} numbers, total {total}"
    else:
        rows = _fetch(
            conn,
            "SELECT membership_id, round(overall_score::numeric, 6), rank_in_type, state"
            " FROM partner_scorecard WHERE computed_on IS NOT NULL ORDER BY 1",
        )
        summary = f"{len(rows)} scorecards computed"
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    return f"{summary}, digest {digest}"


# ---------------------------------------------------------------- processes and databases


def _pg_params():
    from pgtools import pg_params

    return {key: value for key, value in pg_params()[0].items() if value}


def _pg_env():
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    return {**os.environ, **{names[key]: value for key, value in _pg_params().items()}}


def _psql(sql, db="postgres"):
    out = subprocess.run(
        ["psql", "-X", "-q", "-d", db, "-tAc", sql],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


class Worker:
    def __init__(self, db, name, log):
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), "-c", str(CONF), "-d", db],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "ODOO_PGAPPNAME": name},
        )

    def send(self, command, **params):
        self.proc.stdin.write(json.dumps({"command": command, **params}) + "\n")
        self.proc.stdin.flush()

    def answer(self, timeout=3600):
        ready, _w, _x = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"{self.name} gave no answer (see its log)")
        return json.loads(line)

    def call(self, command, **params):
        self.send(command, **params)
        return self.answer()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


def _fetch(conn, sql, params=()):
    with conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _backend_ticks(conn, prefix):
    """``{pid: CPU ticks}`` of the PostgreSQL backends of the workers (application_name)."""
    ticks = {}
    for (pid,) in _fetch(
        conn, "SELECT pid FROM pg_stat_activity WHERE application_name LIKE %s", [f"{prefix}%"]
    ):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def prepare(job, size, log):
    """The database of ``job`` with ``size`` items, made once (a copy of BASE)."""
    from bench_env import ensure_database

    # the scorecard program's raw inserts (bench/partner_scorecard_recompute.py) know the CRM
    # leads of partner_scorecard alone
    base, module = (
        (BASE, "recurring_billing") if job == "invoicing" else (f"{BASE}_sc", "partner_scorecard")
    )
    ensure_database(base, [module])
    name = f"{BASE}_{job}_{size}"
    if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        return name
    print(f"preparing {name} (once)", file=sys.stderr)
    _psql(f'DROP DATABASE IF EXISTS "{name}_tmp"')
    _psql(f'CREATE DATABASE "{name}_tmp" TEMPLATE "{base}"')
    worker = Worker(f"{name}_tmp", "bench-prepare", log)
    try:
        worker.answer()
        worker.call("call", function=f"parallel_workers:build_{job}", kwargs={"count": size})
    finally:
        worker.stop()
    _psql(f'ALTER DATABASE "{name}_tmp" RENAME TO "{name}"')
    return name


def measure(job, template, workers, log):
    import psycopg2

    _psql(f'DROP DATABASE IF EXISTS "{RUN}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{RUN}" TEMPLATE "{template}"')
    names = [f"bench-w{i}" for i in range(workers)]
    procs = [Worker(RUN, name, log) for name in names]
    conn = psycopg2.connect(dbname=RUN, **_pg_params())
    conn.autocommit = True
    try:
        for proc in procs:
            proc.answer()
        kwargs = (
            {"reference_date": BILLING_DAY, "batch_size": 200}
            if job == "invoicing"
            else {"ref_date": "2026-05-15", "batch_size": 500}
        )
        procs[0].call(
            "slices", count=workers, jobs={INVOICING if job == "invoicing" else RECOMPUTE: kwargs}
        )
        load_before = os.getloadavg()
        ticks_before = _backend_ticks(conn, "bench-w")
        go = Path(f"/tmp/{RUN}.go")
        go.unlink(missing_ok=True)
        for proc in procs:
            proc.send("run", go=str(go), ready=f"/tmp/{RUN}.{proc.name}")
        while not all(Path(f"/tmp/{RUN}.{name}").exists() for name in names):
            time.sleep(0.005)
        go.touch()
        answers = [proc.answer() for proc in procs]
        ticks_after = _backend_ticks(conn, "bench-w")
        load_after = os.getloadavg()
        failed = _fetch(
            conn,
            "SELECT count(*) FROM ir_cron WHERE active AND failure_count > 0",
        )[0][0]
        result = _results(conn, job)
    finally:
        for proc in procs:
            proc.stop()
        conn.close()
        for name in names:
            Path(f"/tmp/{RUN}.{name}").unlink(missing_ok=True)
        _psql(f'DROP DATABASE IF EXISTS "{RUN}" WITH (FORCE)')
    pg_cpu = sum(t - ticks_before.get(pid, 0) for pid, t in ticks_after.items()) / TICKS
    return {
        "workers": workers,
        "wall": max(a["ended"] for a in answers) - min(a["started"] for a in answers),
        "cpu": sum(a["cpu"] for a in answers),
        "pg_cpu": pg_cpu,
        "queries": sum(a["queries"] for a in answers),
        "load": (load_before[0], load_after[0]),
        "failed_jobs": failed,
        "result": result,
    }


def main():
    from bench_env import cli

    args = cli(
        __doc__,
        lambda parser: (
            parser.add_argument("--jobs", default="invoicing,scorecards"),
            parser.add_argument("--subscriptions", type=int, default=2000),
            parser.add_argument("--partners", type=int, default=5000),
            parser.add_argument("--workers", default="1,2,4"),
            parser.add_argument("--rounds", type=int, default=2),
        ),
    )
    configs = [int(w) for w in args.workers.split(",")]
    log = open(f"/tmp/{BASE}.log", "a")  # noqa: SIM115 - the workers' Odoo log, for the process's life
    ok = True
    for job in args.jobs.split(","):
        size = args.subscriptions if job == "invoicing" else args.partners
        unit = "invoice" if job == "invoicing" else "scorecard"
        template = prepare(job, size, log)
        print(f"\n== {job}: {size} {unit}s, workers {configs}, {args.rounds} rounds")
        measures, reference = [], None
        for round_ in range(args.rounds):
            for workers in configs if round_ % 2 == 0 else configs[::-1]:
                m = measure(job, template, workers, log)
                measures.append(m)
                reference = reference or m["result"]
                same = m["result"] == reference and not m["failed_jobs"]
                ok &= same
                cores = (m["cpu"] + m["pg_cpu"]) / m["wall"]
                print(
                    f"round {round_ + 1}, {workers} worker(s): {m['wall']:.1f} s wall, "
                    f"CPU {m['cpu']:.1f} s Python + {m['pg_cpu']:.1f} s PostgreSQL "
                    f"({cores:.2f} cores busy), "
                    f"{m['queries'] / size:.1f} queries/{unit}, load {m['load'][0]:.2f} -> "
                    f"{m['load'][1]:.2f}; {m['result']}"
                    + ("" if same else f"  DIFFERENT from the first measure ({reference})")
                    + (f"  {m['failed_jobs']} FAILED JOBS" if m["failed_jobs"] else "")
                )
        one = statistics.mean(m["wall"] for m in measures if m["workers"] == configs[0])
        print(f"-- {job}, means:")
        for workers in configs:
            mine = [m for m in measures if m["workers"] == workers]
            wall = statistics.mean(m["wall"] for m in mine)
            cpu = statistics.mean(m["cpu"] + m["pg_cpu"] for m in mine)
            goal = ""
            if workers == 2 and configs[0] == 1:
                goal = f"  (goal >= 1.7x: {'PASS' if one / wall >= 1.7 else 'FAIL'})"
            print(
                f"{workers} worker(s): {wall:.1f} s, {size / wall:.1f} {unit}s/s, "
                f"speed-up {one / wall:.2f}x vs {configs[0]}, "
                f"CPU {cpu * 1000 / size:.1f} ms/{unit} (Python + PostgreSQL){goal}"
            )
    print("\nresults identical across measures" if ok else "\nRESULTS DIFFER: see above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path[:0] = [str(BENCH), str(ROOT / "tests")]
    sys.exit(main())
