"""Benchmark: month-end invoicing against OCA contract, on realistic invoices; the MRR report.

Three systems bill the same subscriptions (3 lines each) on 2026-01-01 and post the invoices:

- ``ours``: recurring_billing's scheduled action, ``billing.run._cron_invoice`` called until
  nothing is due, each call in its own transaction as the cron runs it (one batch of 200), on 1
  and on 2 OS processes at once (a batch takes its subscriptions with FOR UPDATE SKIP LOCKED, so
  two processes share the work);
- ``bare``: ``account.move.create`` of the same invoices 200 at a time, each batch posted,
  ``tracking_disable``: the floor any invoicing engine pays (its values are built unmeasured);
- ``contract``: OCA ``contract`` 18.0's scheduled action
  ``contract.contract.cron_recurring_create_invoice`` on equivalent contracts, then ``action_post``
  of what it drafted (its cron is one transaction: a second process would find nothing to do).

The invoices are realistic (bench/recurring_billing_data.py): a sales tax on every line, a second
tax on one line, a payment term with two instalments, one partner in four invoiced in EUR.

Fairness: every measure runs in fresh processes on a fresh copy (createdb -T) of a template
database prepared once; the order of the systems is reversed every round; the invoices of every
measure are read back and compared field by field with the first measure's (partner, journal,
dates, due date, currency, payment term, fiscal position, amounts in both currencies, product,
tax and instalment lines): any difference is printed and the bench fails (exit status 1).

Figures per system (every round, and their mean): CPU per invoice split Python (the processes'
CPU) and PostgreSQL (their backends' CPU, from /proc/<pg_backend_pid()>/stat: PostgreSQL must run
on this machine), queries per invoice (Odoo's query counter), wall time, invoices per second, and
the load average before and after each measure.

    .venv/bin/python bench/recurring_billing_invoicing.py
    .venv/bin/python bench/recurring_billing_invoicing.py --subscriptions 20000 \\
        --systems ours --workers 2 --rounds 1 --ledger 0
    .venv/bin/python bench/recurring_billing_invoicing.py --subscriptions 500 \\
        --systems ours --workers 1 --rounds 1 --ledger 0 --profile /tmp/ours.prof

Databases: ``$PC_BENCH_DB`` (default ``pc_bench_recurring_billing``) with recurring_billing and
contract installed without demo data, ``<it>_t<N>`` the template for N subscriptions, and
``<it>_m`` the measure's copy (dropped after each measure); the first two are kept for the next
run (drop them with dropdb to start afresh). The pinned ``odoo-addon-contract`` wheel is installed
with pip into ``.local/bench-addons`` (outside the project's addons, never committed).
"""

import cProfile
import hashlib
import json
import os
import pstats
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recurring_billing_data import COMPANY, REF_DATE

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / ".local" / "odoo.conf"
DB = os.environ.get("PC_BENCH_DB", "pc_bench_recurring_billing")
CONTRACT_WHEEL = "odoo-addon-contract==18.0.2.6.2"
BENCH_ADDONS = ROOT / ".local" / "bench-addons"
BATCH = 200  # subscriptions per cron call, invoices per bare create
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FINGERPRINT = "bench.recurring_billing.addons"


# ---------------------------------------------------------------- configuration, databases


def conf_value(key):
    for line in CONF.read_text().splitlines():
        if line.split("=", 1)[0].strip() == key:
            return line.split("=", 1)[1].strip()
    return None


def addons_path():
    return f"{conf_value('addons_path')},{BENCH_ADDONS / 'odoo' / 'addons'}"


def pg_env():
    return dict(
        os.environ,
        PGHOST=conf_value("db_host"),
        PGPORT=conf_value("db_port"),
        PGUSER=conf_value("db_user"),
    )


def psql(db, sql):
    return subprocess.run(
        ["psql", "-d", db, "-tAc", sql], env=pg_env(), capture_output=True, text=True
    ).stdout.strip()


def copy_database(template, name):
    for command in (["dropdb", "--if-exists", name], ["createdb", "-T", template, name]):
        done = subprocess.run(command, env=pg_env(), capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"{' '.join(command)} failed: {done.stderr}")


def addons_fingerprint():
    """A digest of the suite's code and data (tests aside): a database built from other code
    is upgraded (the base) or built again (a template)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "addons").rglob("*")):
        if path.suffix in (".py", ".xml", ".csv") and "tests" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stored_fingerprint(db):
    return psql(db, f"SELECT value FROM ir_config_parameter WHERE key = '{FINGERPRINT}'")


def ensure_base_database(fingerprint):
    if not (BENCH_ADDONS / "odoo" / "addons" / "contract" / "__manifest__.py").exists():
        print(f"installing {CONTRACT_WHEEL} into {BENCH_ADDONS} (once)", file=sys.stderr)
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
        subprocess.run([*pip, "--target", str(BENCH_ADDONS), CONTRACT_WHEEL], check=True)
    found = psql(
        DB,
        "SELECT count(*) FROM ir_module_module "
        "WHERE name IN ('recurring_billing', 'contract') AND state = 'installed'",
    )
    if found == "2" and stored_fingerprint(DB) == fingerprint:
        return
    if found == "2":
        print(f"upgrading {DB} to the suite's code as it now stands", file=sys.stderr)
        action = ("-u", "partner_scorecard")  # cascades to the four modules
    else:
        print(f"creating {DB} (once)", file=sys.stderr)
        subprocess.run(["createdb", DB], env=pg_env(), check=False)
        action = ("-i", "recurring_billing,contract", "--without-demo=all")
    odoo_bin = Path(conf_value("addons_path").split(",")[0]).parent.parent / "odoo-bin"
    subprocess.run(
        [
            sys.executable,
            str(odoo_bin),
            *("-c", str(CONF), "-d", DB, f"--addons-path={addons_path()}", *action),
            *("--stop-after-init", "--log-level=warn", "--max-cron-threads=0", "--no-http"),
        ],
        check=True,
    )
    psql(
        DB,
        f"INSERT INTO ir_config_parameter (key, value) VALUES ('{FINGERPRINT}', '{fingerprint}') "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
    )


def ensure_template(count, fingerprint):
    template = f"{DB}_t{count}"
    built = psql(template, "SELECT count(*) FROM contract_contract WHERE name LIKE 'BENCH/%'")
    if built != str(count) or stored_fingerprint(template) != fingerprint:
        print(f"building the template {template} ({count} subscriptions)", file=sys.stderr)
        copy_database(DB, template)
        child = start_child("prepare", template, count=count)
        child.stdin.write("go\n")
        child.stdin.close()
        if child.wait():
            sys.exit(f"building {template} failed")
    return template


# ---------------------------------------------------------------- children (one Odoo process each)


def start_child(mode, db, **options):
    args = [sys.executable, __file__, "--child", mode, "--db", db]
    for key, value in options.items():
        if value is not None:
            args += [f"--{key.replace('_', '-')}", str(value)]
    child = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    while (line := child.stdout.readline()) and line.strip() != "READY":
        pass
    return child


def odoo_registry(db):
    import odoo
    from odoo.tools import config

    config.parse_config(
        ["-c", str(CONF), "-d", db, "--log-level=warn", f"--addons-path={addons_path()}"]
    )
    return odoo.modules.registry.Registry(db)


class Meter:
    """Python CPU of this process, PostgreSQL CPU of the backends it used, queries it ran."""

    def __init__(self):
        self.python = self.postgres = 0.0
        self.queries = 0

    @staticmethod
    def backend_cpu(pid):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def measure(self, cr, function, *args):
        from odoo import sql_db

        cr.execute("SELECT pg_backend_pid()")
        pid = cr.fetchone()[0]
        pg0, py0, q0 = self.backend_cpu(pid), time.process_time(), sql_db.sql_counter
        try:
            return function(*args)
        finally:
            self.python += time.process_time() - py0
            self.postgres += self.backend_cpu(pid) - pg0
            self.queries += sql_db.sql_counter - q0


def run_ours(registry, meter):
    """The scheduled action as the cron runs it: one call, one transaction, until nothing is due
    (a call that found everything locked by the other process waits a moment)."""
    from odoo import SUPERUSER_ID, api

    remaining = None
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})

            def call(env=env, cr=cr):
                env["billing.run"]._cron_invoice(REF_DATE, batch_size=BATCH)
                cr.commit()

            meter.measure(cr, call)
            company = env["res.company"].search([("name", "=", COMPANY)])
            left = env["billing.run"].with_company(company)._count_due(REF_DATE)
        if not left:
            return
        if left == remaining:
            time.sleep(0.05)
        remaining = left


def run_bare(registry, meter):
    from odoo import SUPERUSER_ID, Command, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].search([("name", "=", COMPANY)])
        env = env(context={"allowed_company_ids": company.ids, "tracking_disable": True})
        subscriptions = env["billing.subscription"].search([("name", "=like", "BENCH/%")])
        vals = [
            {
                "move_type": "out_invoice",
                "partner_id": sub.partner_id.id,
                "journal_id": sub.journal_id.id,
                "currency_id": sub.currency_id.id,
                "invoice_date": REF_DATE,
                "invoice_origin": sub.name,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                        }
                    )
                    for line in sub.line_ids
                ],
            }
            for sub in subscriptions
        ]
        env.invalidate_all()

        def bill():
            for index in range(0, len(vals), BATCH):
                env["account.move"].create(vals[index : index + BATCH]).action_post()
            cr.commit()

        meter.measure(cr, bill)


def run_contract(registry, meter):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})

        def bill():
            env["contract.contract"].cron_recurring_create_invoice(REF_DATE)
            env["account.move"].search(
                [("invoice_line_ids.contract_line_id", "!=", False), ("state", "=", "draft")]
            ).action_post()
            cr.commit()

        meter.measure(cr, bill)


def run_mrr(registry, ledger):
    from datetime import date

    from recurring_billing_data import build_ledger

    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].search([("name", "=", COMPANY)])
        env = env(context={"allowed_company_ids": company.ids})
        movements = build_ledger(env, company, ledger)
        start = time.perf_counter()
        rates = env["billing.mrr.movement"]._churn_rates(date(2025, 1, 1), date(2025, 12, 31))
        seconds = time.perf_counter() - start
        cr.rollback()
    return {**rates, "movements": movements, "seconds": seconds}


def child_main(args):
    registry = odoo_registry(args.db)
    print("READY", flush=True)
    sys.stdin.readline()  # the driver starts every process of a measure at once
    if args.child == "prepare":
        from recurring_billing_data import prepare

        from odoo import SUPERUSER_ID, api

        with registry.cursor() as cr:
            prepare(api.Environment(cr, SUPERUSER_ID, {}), args.count)
        return
    if args.child == "mrr":
        print(json.dumps(run_mrr(registry, args.ledger), default=str), flush=True)
        return
    meter = Meter()
    function = {"ours": run_ours, "bare": run_bare, "contract": run_contract}[args.child]
    profile = cProfile.Profile(time.process_time) if args.profile else None
    start = time.time()
    if profile:
        profile.runcall(function, registry, meter)
        profile.dump_stats(args.profile)
    else:
        function(registry, meter)
    end = time.time()
    result = dict(vars(meter), start=start, end=end)
    print(json.dumps(result), flush=True)


# ---------------------------------------------------------------- the invoices, read back

MOVES = """
SELECT m.id, m.invoice_origin, p.name, j.code, m.move_type, m.state, m.name <> '/',
       m.invoice_date, m.date, m.invoice_date_due, c.name, t.name->>'en_US', m.fiscal_position_id,
       m.partner_shipping_id, m.amount_untaxed, m.amount_tax, m.amount_total, m.amount_residual,
       m.amount_untaxed_signed, m.amount_tax_signed, m.amount_total_signed
  FROM account_move m
  JOIN res_partner p ON p.id = m.partner_id
  JOIN account_journal j ON j.id = m.journal_id
  JOIN res_currency c ON c.id = m.currency_id
  LEFT JOIN account_payment_term t ON t.id = m.invoice_payment_term_id
 WHERE m.move_type IN ('out_invoice', 'out_refund')
   AND m.company_id = (SELECT id FROM res_company WHERE name = %s)
"""
MOVE_FIELDS = [
    "partner",
    "journal",
    "type",
    "state",
    "numbered",
    "invoice_date",
    "date",
    "due_date",
    "currency",
    "payment_term",
    "fiscal_position",
    "shipping_partner",
    "untaxed",
    "tax",
    "total",
    "residual",
    "untaxed_signed",
    "tax_signed",
    "total_signed",
]
LINES = """
SELECT l.move_id, l.display_type, l.product_id, l.account_id, l.quantity, l.price_unit,
       l.discount,
       ARRAY(SELECT r.account_tax_id FROM account_move_line_account_tax_rel r
              WHERE r.account_move_line_id = l.id ORDER BY 1),
       l.tax_line_id, l.price_subtotal, l.price_total, l.amount_currency, l.balance,
       l.date_maturity, l.currency_id
  FROM account_move_line l
 WHERE l.move_id = ANY(%s) AND l.display_type IN ('product', 'tax', 'payment_term')
"""


def plain(value):
    if isinstance(value, Decimal | float):
        return f"{Decimal(value):.6f}"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value) if value is not None else ""


def read_invoices(db):
    """``{origin: {field: value, "lines": sorted line tuples}}`` of the bench company's
    invoices, in plain strings."""
    import psycopg2

    conn = psycopg2.connect(
        dbname=db, host=conf_value("db_host"), port=conf_value("db_port"), user="odoo"
    )
    try:
        with conn.cursor() as cr:
            cr.execute(MOVES, [COMPANY])
            moves = {row[0]: row[1:] for row in cr.fetchall()}
            cr.execute(LINES, [list(moves)])
            lines = {}
            for move_id, *values in cr.fetchall():
                lines.setdefault(move_id, []).append(tuple(map(plain, values)))
    finally:
        conn.close()
    invoices = {}
    for move_id, (origin, *values) in moves.items():
        invoice = dict(zip(MOVE_FIELDS, map(plain, values), strict=True))
        invoice["lines"] = sorted(lines.get(move_id, []))
        if origin in invoices:
            invoice["duplicate"] = "yes"
        invoices[origin] = invoice
    return invoices


def differences(reference, invoices, limit=20):
    """Lines saying where ``invoices`` differ from ``reference`` (at most ``limit``)."""
    found = []
    for origin in sorted(reference.keys() | invoices.keys()):
        ref, other = reference.get(origin), invoices.get(origin)
        if ref is None or other is None:
            found.append(f"{origin}: {'missing' if other is None else 'not in the reference'}")
            continue
        for field in sorted(ref.keys() | other.keys()):
            if ref.get(field) != other.get(field):
                found.append(f"{origin} {field}: {ref.get(field)} != {other.get(field)}")
        if len(found) >= limit:
            break
    return found[:limit]


# ---------------------------------------------------------------- the driver


def measure(template, system, workers, args):
    """One measure on a fresh copy; returns its figures and the invoices it made."""
    copy = f"{DB}_m"
    copy_database(template, copy)
    children = [
        start_child(
            system,
            copy,
            profile=f"{args.profile}.{system}{workers}.{index}" if args.profile else None,
        )
        for index in range(workers)
    ]
    load_before = os.getloadavg()[0]
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    results = []
    for child in children:
        output = child.stdout.read()
        if child.wait():
            sys.exit(f"{system} failed (see above)")
        results.append(json.loads(output.strip().splitlines()[-1]))
    figures = {
        "python": sum(r["python"] for r in results),
        "postgres": sum(r["postgres"] for r in results),
        "queries": sum(r["queries"] for r in results),
        "wall": max(r["end"] for r in results) - min(r["start"] for r in results),
        "load": (load_before, os.getloadavg()[0]),
    }
    invoices = read_invoices(copy)
    subprocess.run(["dropdb", copy], env=pg_env(), check=True)
    if args.profile:
        for index in range(workers):
            print_profile(f"{args.profile}.{system}{workers}.{index}")
    return figures, invoices


def print_profile(path):
    stats = pstats.Stats(path)
    total = max(entry[3] for entry in stats.stats.values())  # the outermost call
    wanted = {
        "create (account_move.py)": ("account/models/account_move.py", "create"),
        "_sync_dynamic_lines": ("account/models/account_move.py", "_sync_dynamic_lines"),
        "action_post": ("account/models/account_move.py", "action_post"),
        "_post": ("account/models/account_move.py", "_post"),
        "_compute_name (numbering)": ("account/models/account_move.py", "_compute_name"),
        "flush_all": ("odoo/api.py", "flush_all"),
        "_prepare_due_invoices": ("billing_subscription_invoicing.py", "_prepare_due_invoices"),
        "_workflow_create": ("channel_workflow_guard.py", "_workflow_create"),
        "_refresh_mrr": ("billing_subscription.py", "_refresh_mrr"),
        "cron_recurring_create_invoice": ("contract/models/contract.py", "_cron_recurring_create"),
        "message_post": ("mail/models/mail_thread.py", "message_post"),
    }
    print(f"  profile {path}: {total:.1f} s in all", file=sys.stderr)
    for label, (file, function) in wanted.items():
        cumulative = sum(
            entry[3]
            for (filename, _line, name), entry in stats.stats.items()
            if name == function and filename.endswith(file)
        )
        if cumulative:
            share = 100 * cumulative / total
            print(f"    {label:32} {cumulative:7.1f} s  {share:5.1f} %", file=sys.stderr)


def report(label, rounds, count):
    def mean(key):
        return sum(r[key] for r in rounds) / len(rounds)

    python, postgres = mean("python"), mean("postgres")
    print(
        f"  {label:12} CPU/invoice {1000 * (python + postgres) / count:6.1f} ms "
        f"(Python {1000 * python / count:5.1f} + PostgreSQL {1000 * postgres / count:5.1f}), "
        f"{mean('queries') / count:5.1f} queries/invoice, wall {mean('wall'):7.1f} s "
        f"({count / mean('wall'):5.1f} invoices/s)"
    )
    for index, r in enumerate(rounds, 1):
        print(
            f"      round {index}: Python {r['python']:6.1f} s, PostgreSQL {r['postgres']:6.1f} s,"
            f" {r['queries']} queries, wall {r['wall']:6.1f} s, "
            f"load {r['load'][0]:.2f} -> {r['load'][1]:.2f}"
        )
    return {"cpu": (python + postgres) / count, "rate": count / mean("wall")}


def configure(parser):
    parser.add_argument("--subscriptions", type=int, default=500, help="default: 500")
    parser.add_argument("--rounds", type=int, default=2, help="default: 2")
    parser.add_argument(
        "--systems", default="ours,bare,contract", help="default: ours,bare,contract"
    )
    parser.add_argument(
        "--workers", default="1,2", help="processes running ours, each measured (default: 1,2)"
    )
    parser.add_argument(
        "--ledger",
        type=int,
        default=10000,
        help="subscriptions of the MRR report's ledger, 0 to skip it (default: 10000)",
    )
    parser.add_argument("--profile", help="cProfile each measure into PROFILE.<system>.<n>")
    parser.add_argument("--child", help=argparse_hidden())
    parser.add_argument("--db", help=argparse_hidden())
    parser.add_argument("--count", type=int, help=argparse_hidden())


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


def main():
    from bench_env import cli

    args = cli(__doc__, configure)
    if args.child:
        child_main(args)
        return
    fingerprint = addons_fingerprint()
    ensure_base_database(fingerprint)
    count = args.subscriptions
    template = ensure_template(count, fingerprint)
    plan = [
        (system, workers)
        for system in args.systems.split(",")
        for workers in (map(int, args.workers.split(",")) if system == "ours" else [1])
    ]
    figures = {key: [] for key in plan}
    reference, failures, measures = None, [], 0
    for round_index in range(args.rounds):
        order = plan if round_index % 2 == 0 else plan[::-1]
        for system, workers in order:
            print(f"round {round_index + 1}: {system} x{workers}", file=sys.stderr, flush=True)
            result, invoices = measure(template, system, workers, args)
            figures[system, workers].append(result)
            measures += 1
            if len(invoices) != count:
                failures.append(f"{system} x{workers}: {len(invoices)} invoices, not {count}")
            if reference is None:
                reference, reference_label = invoices, f"{system} x{workers}"
            else:
                for line in differences(reference, invoices):
                    failures.append(f"{system} x{workers} vs {reference_label}: {line}")
    print(
        f"invoicing {count} subscriptions x 3 lines, taxed, 2 instalments, 1 in 4 in EUR, "
        f"posted ({args.rounds} rounds, order reversed each round, a fresh database each):"
    )
    summary = {}
    for system, workers in plan:
        label = f"{system} x{workers}" if system == "ours" else system
        summary[label] = report(label, figures[system, workers], count)
    ours = [summary[label] for label in summary if label.startswith("ours")]
    if ours and "bare" in summary:
        best_cpu = min(entry["cpu"] for entry in ours)
        ratio = best_cpu / summary["bare"]["cpu"]
        print(f"  CPU per invoice ours / bare         : {ratio:5.2f}  (goal <= 1.00)")
    if ours and "contract" in summary:
        for label in summary:
            if label.startswith("ours"):
                ratio = summary[label]["rate"] / summary["contract"]["rate"]
                print(f"  throughput {label} / contract      : {ratio:5.2f}  (goal >= 2.00)")
    for label in summary:
        if label.startswith("ours"):
            minutes = 20000 / summary[label]["rate"] / 60
            note = "measured" if count == 20000 else "at this rate"
            print(f"  20,000 subscriptions, {label}: {minutes:5.1f} min {note} (goal <= 10)")
    print(
        f"  invoices of the {measures} measures compared field by field with the first's: "
        f"{len(failures)} differences"
    )
    if args.ledger:
        copy_database(template, f"{DB}_m")
        child = start_child("mrr", f"{DB}_m", ledger=args.ledger)
        child.stdin.write("go\n")
        child.stdin.close()
        mrr = json.loads(child.stdout.read().strip().splitlines()[-1])
        child.wait()
        subprocess.run(["dropdb", f"{DB}_m"], env=pg_env(), check=True)
        print(
            f"MRR/NRR/GRR report over {args.ledger} subscriptions, {mrr['movements']} movements"
            f" (24 months): {mrr['seconds']:.2f} s (goal <= 5 s); start MRR "
            f"{float(mrr['start_mrr']):.0f}, NRR {float(mrr['nrr']):.3f}, "
            f"GRR {float(mrr['grr']):.3f}"
        )
    if failures:
        print("the systems invoiced differently:", *failures, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
