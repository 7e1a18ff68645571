"""Benchmark: invoicing 2,000 due subscriptions of 3 lines each, and the MRR/NRR/GRR report.

Side by side in one process, each inside the same transaction and rolled back to a savepoint
after each measure:

1. ``billing.run._run``: the scheduled action's path (locking, per-chunk savepoints, high-water
   marks, billed-period rows, posting);
2. a bare batched ``account.move.create`` of the same 2,000 invoices (3 lines each, created 200 at
   a time with the same context as the engine, ``tracking_disable``), posted: the floor any
   invoicing engine pays;
3. OCA ``contract`` 18.0 (``odoo-addon-contract`` from PyPI, installed into the benchmark
   database): its scheduled action ``contract.contract.cron_recurring_create_invoice`` on 2,000
   equivalent contracts (same partners, products and prices, monthly, pre-paid), then posting the
   invoices it drafted, so both engines end with the same posted invoices;
4. the MRR/NRR/GRR report (``billing.mrr.movement._churn_rates``) over a ledger of 10,000
   subscriptions x 24 months of movements (goal: at most 5 s).

Goals of the issue: (1) takes at most 1.2 x (2), and (1) reaches at least 1.3 x the throughput of
(3). Each invoicing measure runs ``PC_BENCH_ROUNDS`` times (default 2, in turn); the best round of
each is compared.

    .venv/bin/python bench/recurring_billing_invoicing.py

It creates the database ``pc_bench_recurring_billing`` once (without demo data) with the project's
runtime configuration (.local/odoo.conf, written by setup/bootstrap), installs the pinned
``odoo-addon-contract`` wheel with pip into ``.local/bench-addons`` (outside the project's addons,
never committed), and leaves both for the next run.
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
ROUNDS = int(os.environ.get("PC_BENCH_ROUNDS", 2))
REF_DATE = date(2026, 1, 1)
CONTRACT_WHEEL = "odoo-addon-contract==18.0.2.6.2"
BENCH_ADDONS = ROOT / ".local" / "bench-addons"
TOTALS = {}  # untaxed total invoiced by each measure: the three must invoice the same


def conf_value(key):
    for line in CONF.read_text().splitlines():
        if line.split("=", 1)[0].strip() == key:
            return line.split("=", 1)[1].strip()
    return None


def addons_path():
    return f"{conf_value('addons_path')},{BENCH_ADDONS / 'odoo' / 'addons'}"


def ensure_contract_addon():
    if not (BENCH_ADDONS / "odoo" / "addons" / "contract" / "__manifest__.py").exists():
        print(f"installing {CONTRACT_WHEEL} into {BENCH_ADDONS} (once)", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(BENCH_ADDONS),
                CONTRACT_WHEEL,
            ],
            check=True,
        )


def ensure_database():
    ensure_contract_addon()
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
            "SELECT count(*) FROM ir_module_module "
            "WHERE name IN ('recurring_billing', 'contract') AND state='installed'",
        ],
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != "2":
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
                f"--addons-path={addons_path()}",
                "-i",
                "recurring_billing,contract",
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
    # created running, as activation leaves them (state is the actions' to write)
    subscriptions = env["billing.subscription"]._workflow_create(vals)
    env.flush_all()
    return subscriptions


def bench_run_draft(env, subscriptions):
    """The same run with the company's setting "post invoices" off: it leaves drafts, as OCA
    contract's cron does."""
    env.company.billing_auto_post = False
    try:
        return bench_run(env, subscriptions, key="ours_draft")
    finally:
        env.company.billing_auto_post = True


def bench_run(env, subscriptions, key="ours"):
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    run = env["billing.run"]._run(REF_DATE, limit=len(subscriptions))
    env.flush_all()
    elapsed = time.perf_counter() - start
    assert run.billed_count == len(subscriptions), (run.billed_count, run.failed_count)
    TOTALS[key] = sum(run.line_ids.move_ids.mapped("amount_untaxed"))
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
    Move = moves = env["account.move"].with_context(tracking_disable=True)
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    for index in range(0, len(vals), 200):
        moves |= Move.create(vals[index : index + 200])
        moves[-len(vals[index : index + 200]) :].action_post()
    env.flush_all()
    elapsed = time.perf_counter() - start
    TOTALS["bare"] = sum(moves.mapped("amount_untaxed"))
    return elapsed


def build_contracts(env, subscriptions):
    """One OCA contract per subscription: same partner, products, prices; monthly, pre-paid."""
    from odoo import Command

    journal = env["account.journal"].search(
        [("company_id", "=", env.company.id), ("type", "=", "sale")], limit=1
    )
    contracts = env["contract.contract"].create(
        [
            {
                "name": sub.name,
                "partner_id": sub.partner_id.id,
                "contract_type": "sale",
                "journal_id": journal.id,
                "line_recurrence": False,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
                "date_start": REF_DATE,
                "recurring_next_date": REF_DATE,
                "contract_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                            "uom_id": line.product_id.uom_id.id,
                            "date_start": REF_DATE,
                            "recurring_next_date": REF_DATE,
                        }
                    )
                    for line in sub.line_ids
                ],
            }
            for sub in subscriptions
        ]
    )
    env.flush_all()
    return contracts


def bench_contract(env, contracts):
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    env["contract.contract"].cron_recurring_create_invoice(REF_DATE)
    env.flush_all()
    drafted = time.perf_counter() - start
    moves = env["account.move"].search(
        [("invoice_line_ids.contract_line_id.contract_id", "in", contracts.ids)]
    )
    moves.action_post()
    env.flush_all()
    elapsed = time.perf_counter() - start
    assert len(moves) == len(contracts), (len(moves), len(contracts))
    assert set(moves.mapped("state")) == {"posted"}
    TOTALS["contract"] = sum(moves.mapped("amount_untaxed"))
    return elapsed, drafted


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
    from bench_env import cli

    cli(__doc__)
    ensure_database()
    import odoo
    from odoo.tools import config

    config.parse_config(
        ["-c", str(CONF), "-d", DB, "--log-level=warn", f"--addons-path={addons_path()}"]
    )
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            env, company, products, partners = setup_company(env)
            subscriptions = build_subscriptions(env, products, partners, SUBSCRIPTIONS)
            contracts = build_contracts(env, subscriptions)
            cr.execute("SAVEPOINT bench")
            figures = {
                "ours": [],
                "ours_draft": [],
                "bare": [],
                "contract": [],
                "contract_draft": [],
            }

            def measured(name, function, *args):
                result = function(*args)
                cr.execute("ROLLBACK TO SAVEPOINT bench")
                env.invalidate_all()
                if isinstance(result, tuple):
                    figures[name].append(result[0])
                    figures[name + "_draft"].append(result[1])
                else:
                    figures[name].append(result)
                print(f"  {name}: {figures[name][-1]:.2f} s", file=sys.stderr, flush=True)

            for _round in range(ROUNDS):
                measured("ours", bench_run, env, subscriptions)
                measured("bare", bench_bare, env, subscriptions)
                measured("contract", bench_contract, env, contracts)
                measured("ours_draft", bench_run_draft, env, subscriptions)
            assert len(set(TOTALS.values())) == 1, (
                f"the measures invoiced different totals: {TOTALS}"
            )
            ours, bare, oca = (min(figures[k]) for k in ("ours", "bare", "contract"))
            oca_draft = min(figures["contract_draft"])
            ours_draft = min(figures["ours_draft"])
            movements = build_ledger(env, company, partners, LEDGER_SUBSCRIPTIONS)
            start = time.perf_counter()
            rates = env["billing.mrr.movement"]._churn_rates(date(2025, 1, 1), date(2025, 12, 31))
            report = time.perf_counter() - start
            n = len(subscriptions)

            def rounds(key):
                return ", ".join(f"{value:.2f}" for value in figures[key])

            print(
                f"invoicing {n} subscriptions x 3 lines, posted (best of {ROUNDS} rounds), "
                f"{TOTALS['ours']:.2f} untaxed by each:"
            )
            print(
                f"  recurring_billing run   : {ours:7.2f} s  ({n / ours:6.1f} invoices/s)"
                f"  rounds: {rounds('ours')}"
            )
            print(
                f"  bare account.move       : {bare:7.2f} s  ({n / bare:6.1f} invoices/s)"
                f"  rounds: {rounds('bare')}"
            )
            print(
                f"  OCA contract cron + post: {oca:7.2f} s  ({n / oca:6.1f} invoices/s)"
                f"  rounds: {rounds('contract')}"
            )
            print(f"  time ratio run / bare              : {ours / bare:5.2f}  (goal <= 1.2)")
            print(f"  throughput ratio run / contract    : {oca / ours:5.2f}  (posted, both)")
            print(
                f"invoicing {n} subscriptions x 3 lines, left as drafts (best of {ROUNDS} rounds):"
            )
            print(
                f"  recurring_billing run   : {ours_draft:7.2f} s  ({n / ours_draft:6.1f} invoices/s)"
                f"  rounds: {rounds('ours_draft')}"
            )
            print(
                f"  OCA contract cron       : {oca_draft:7.2f} s  ({n / oca_draft:6.1f} invoices/s)"
                f"  rounds: {rounds('contract_draft')}"
            )
            print(
                f"  throughput ratio run / contract    : {oca_draft / ours_draft:5.2f}  (goal >= 1.3)"
            )
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
