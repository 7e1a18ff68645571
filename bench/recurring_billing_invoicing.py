"""Benchmark: invoicing 2,000 due subscriptions of 3 lines each, and the MRR/NRR/GRR report.

Side by side in one process, each inside the same transaction and rolled back at the end:

1. ``billing.run._run``: the scheduled action's path (locking, savepoints, high-water marks,
   billed-period rows, posting);
2. a bare batched ``account.move.create`` of the same 2,000 invoices (3 lines each), posted: the
   floor any invoicing engine pays;
3. the MRR/NRR/GRR report (``billing.mrr.movement._churn_rates``) over a ledger of 10,000
   subscriptions x 24 months of movements (goal: at most 5 s).

Goal of the issue: (1) takes at most 1.2 x (2). The OCA ``contract`` comparison is not part of this
script (see the module's readme).

    PC_VENV=/work/main/.venv .venv/bin/python bench/recurring_billing_invoicing.py

It creates the database ``pc_bench_recurring_billing`` once (without demo data) with the project's
runtime configuration (.local/odoo.conf, written by setup/bootstrap) and leaves it for the next run.
"""

import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / ".local" / "odoo.conf"
DB = os.environ.get("PC_BENCH_DB", "pc_bench_recurring_billing")
SUBSCRIPTIONS = int(os.environ.get("PC_BENCH_SUBSCRIPTIONS", 2000))
LEDGER_SUBSCRIPTIONS = int(os.environ.get("PC_BENCH_LEDGER", 10000))
REF_DATE = date(2026, 1, 1)


def conf_value(key):
    for line in CONF.read_text().splitlines():
        if line.split("=", 1)[0].strip() == key:
            return line.split("=", 1)[1].strip()
    return None


def ensure_database():
    src = Path(conf_value("addons_path").split(",")[0]).parent.parent
    env = dict(
        os.environ,
        PGHOST=conf_value("db_host"),
        PGPORT=conf_value("db_port"),
        PGUSER=conf_value("db_user"),
    )
    found = subprocess.run(
        [
            "psql",
            "-d",
            DB,
            "-tAc",
            "SELECT 1 FROM ir_module_module WHERE name='recurring_billing' AND state='installed'",
        ],
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != "1":
        print(f"creating {DB} (once)", file=sys.stderr)
        subprocess.run(["createdb", DB], env=env, check=False)
        subprocess.run(
            [
                sys.executable,
                str(src / "odoo-bin"),
                "-c",
                str(CONF),
                "-d",
                DB,
                "-i",
                "recurring_billing",
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
            ],
            check=True,
        )


def setup_company(env):
    company = env["res.company"].create({"name": "Bench Billing Co"})
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    env.user.company_ids |= company
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    company.billing_auto_post = True
    products = env["product.product"].create(
        [
            {"name": f"Bench {kind}", "type": "service", "taxes_id": False}
            for kind in ("hosting", "support", "monitoring")
        ]
    )
    partners = env["res.partner"].create(
        [{"name": f"Bench partner {i}", "is_company": True} for i in range(200)]
    )
    return env, company, products, partners


def build_subscriptions(env, products, partners, count):
    from odoo import Command

    rng = random.Random(7)
    vals = [
        {
            "partner_id": partners[i % len(partners)].id,
            "date_start": REF_DATE,
            "line_ids": [
                Command.create(
                    {
                        "product_id": products[0].id,
                        "service_type": "hosting",
                        "price_unit": rng.choice([300, 450, 900]),
                    }
                ),
                Command.create(
                    {
                        "product_id": products[1].id,
                        "service_type": "support",
                        "price_unit": rng.choice([150, 300]),
                    }
                ),
                Command.create(
                    {"product_id": products[2].id, "service_type": "monitoring", "price_unit": 50}
                ),
            ],
            "state": "active",
        }
        for i in range(count)
    ]
    subscriptions = env["billing.subscription"].create(vals)
    env.flush_all()
    return subscriptions


def bench_run(env, subscriptions):
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    run = env["billing.run"]._run(REF_DATE, limit=len(subscriptions))
    env.flush_all()
    elapsed = time.perf_counter() - start
    assert run.billed_count == len(subscriptions), (run.billed_count, run.failed_count)
    return elapsed


def bench_bare(env, subscriptions):
    from odoo import Command

    vals = [
        {
            "move_type": "out_invoice",
            "partner_id": sub.partner_id.id,
            "invoice_date": REF_DATE,
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
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    for index in range(0, len(vals), 200):
        env["account.move"].create(vals[index : index + 200]).action_post()
    env.flush_all()
    return time.perf_counter() - start


def build_ledger(env, company, partners, count, months=24):
    """``count`` subscriptions with a new-business movement and 23 monthly changes, in SQL."""
    rng = random.Random(11)
    cr = env.cr
    cr.execute(
        """INSERT INTO billing_subscription
               (name, partner_id, customer_key_id, company_id, currency_id, periodicity,
                invoicing_mode, date_start, renewal_type, state)
           SELECT 'LEDGER/' || g, (%s)[1 + g %% %s], (%s)[1 + g %% %s], %s, %s, 'monthly',
                  'prepaid', '2024-01-01', 'auto', 'active'
             FROM generate_series(1, %s) g RETURNING id, partner_id, customer_key_id""",
        [
            partners.ids,
            len(partners),
            partners.ids,
            len(partners),
            company.id,
            company.currency_id.id,
            count,
        ],
    )
    rows = []
    for sub_id, partner_id, customer_id in cr.fetchall():
        mrr = rng.choice([300, 500, 900])
        rows.append((date(2024, 1, 1), sub_id, partner_id, customer_id, "new", mrr))
        for month in range(1, months):
            change = rng.choice([0, 0, 0, 50, -50, 100])
            if change and mrr + change > 0:
                kind = "expansion" if change > 0 else "contraction"
                rows.append(
                    (
                        date(2024 + month // 12, month % 12 + 1, 1),
                        sub_id,
                        partner_id,
                        customer_id,
                        kind,
                        change,
                    )
                )
                mrr += change
    from psycopg2.extras import execute_values

    execute_values(
        cr._obj,
        """INSERT INTO billing_mrr_movement
               (date, subscription_id, partner_id, customer_id, company_id, currency_id,
                revenue_layer, movement_type, amount, arr_amount)
           VALUES %s""",
        [
            (d, s, p, c, company.id, company.currency_id.id, "hosting", k, a, a * 12)
            for d, s, p, c, k, a in rows
        ],
        page_size=5000,
    )
    return len(rows)


def main():
    ensure_database()
    import odoo
    from odoo.tools import config

    config.parse_config(["-c", str(CONF), "-d", DB, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            env, company, products, partners = setup_company(env)
            subscriptions = build_subscriptions(env, products, partners, SUBSCRIPTIONS)
            cr.execute("SAVEPOINT bench")
            ours = bench_run(env, subscriptions)
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
            print(f"recurring_billing run: {ours:.2f} s", flush=True)
            bare = bench_bare(env, subscriptions)
            print(f"bare account.move: {bare:.2f} s", flush=True)
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
            movements = build_ledger(env, company, partners, LEDGER_SUBSCRIPTIONS)
            start = time.perf_counter()
            rates = env["billing.mrr.movement"]._churn_rates(date(2025, 1, 1), date(2025, 12, 31))
            report = time.perf_counter() - start
            n = len(subscriptions)
            print(f"invoicing {n} subscriptions x 3 lines (posted):")
            print(f"  recurring_billing run : {ours:7.2f} s  ({n / ours:6.1f} subscriptions/s)")
            print(f"  bare account.move     : {bare:7.2f} s  ({n / bare:6.1f} invoices/s)")
            print(f"  ratio run / bare      : {ours / bare:7.2f}  (goal <= 1.2)")
            print("  OCA contract          :     n/a (not measured here)")
            print(
                f"MRR/NRR/GRR report over {LEDGER_SUBSCRIPTIONS} subscriptions, "
                f"{movements} movements (24 months): {report:.2f} s (goal <= 5 s)"
            )
            print(
                f"  start MRR {rates['start_mrr']:.0f}, NRR {rates['nrr']:.3f}, "
                f"GRR {rates['grr']:.3f}"
            )
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
