"""One Odoo worker process for tests/test_concurrent_billing.py, driven through its stdin.

``python tests/billing_worker.py -c <odoo.conf> -d <db>`` loads the registry once, then reads one
JSON command per line and answers one JSON line per command on stdout (Odoo's log goes to stderr).
Each worker is a separate OS process with its own registry and its own PostgreSQL connections, as
two cron workers of a real deployment are.

``{"command": "prepare", "count": n, "start": "YYYY-MM-DD", "users": [login, ...]}``
    commits ``n`` monthly pre-paid subscriptions of one channel partner (hosting 400 + support 150),
    and one billing manager user per login: the invoices a worker creates carry the user it bills
    as, so the test can tell in SQL who billed what.
``{"command": "bill", "user": login, "date": "YYYY-MM-DD", "batch": n, "ready": path, "go": path}``
    optionally creates ``ready`` and waits until ``go`` exists (the start line of two workers),
    then calls ``billing.run._run(date, limit=batch)`` as ``user`` (sudo, as the cron does) in a
    fresh transaction per batch, committing each, until a batch creates no invoice. A transaction
    PostgreSQL refuses with a serialisation or lock error is rolled back and retried, as Odoo
    retries a request, and the retries are counted.
"""

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

import psycopg2.errors

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tools import config

RETRIED = (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable)


def prepare(env, count, start, users):
    env.company.billing_auto_post = True
    partner = env["res.partner"].create({"name": "Concurrency Test Partner", "is_company": True})
    hosting, support = env["product.product"].create(
        [
            {"name": "Concurrency hosting", "type": "service", "list_price": 400.0},
            {"name": "Concurrency support", "type": "service", "list_price": 150.0},
        ]
    )
    subscriptions = env["billing.subscription"].create(
        [
            {
                "partner_id": partner.id,
                "date_start": date.fromisoformat(start),
                "periodicity": "monthly",
                "invoicing_mode": "prepaid",
                "line_ids": [
                    Command.create(
                        {"product_id": hosting.id, "service_type": "hosting", "price_unit": 400.0}
                    ),
                    Command.create(
                        {"product_id": support.id, "service_type": "support", "price_unit": 150.0}
                    ),
                ],
            }
            for _i in range(count)
        ]
    )
    subscriptions.action_activate()
    manager = env.ref("recurring_billing.group_billing_manager")
    workers = env["res.users"].create(
        [
            {"name": f"Billing {login}", "login": login, "groups_id": [Command.set(manager.ids)]}
            for login in users
        ]
    )
    return {
        "partner_id": partner.id,
        "subscription_ids": subscriptions.ids,
        "users": dict(zip(users, workers.ids, strict=True)),
    }


def _invoice_count(env):
    """Subscription invoices created by this worker's user, as this transaction sees them."""
    env.flush_all()
    env.cr.execute(
        "SELECT count(*) FROM account_move"
        " WHERE billing_subscription_id IS NOT NULL AND create_uid = %s",
        [env.uid],
    )
    return env.cr.fetchone()[0]


def bill(registry, user, reference_date, batch=None, ready=None, go=None):
    if ready:
        Path(ready).touch()
        deadline = time.monotonic() + 60
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise TimeoutError("nobody opened the start line within 60 s")
            time.sleep(0.002)
    started = time.time()
    batches, retries = [], 0
    while True:
        try:
            with registry.cursor() as cr:  # commits when the block ends without error
                env = api.Environment(cr, odoo.SUPERUSER_ID, {})
                uid = env["res.users"].search([("login", "=", user)]).id
                env = env(user=uid, su=True)
                before = _invoice_count(env)
                env["billing.run"]._run(reference_date, limit=batch)
                created = _invoice_count(env) - before
        except RETRIED:
            retries += 1
            time.sleep(0.01)
            continue
        batches.append(created)
        if not created:
            break
    return {
        "invoices": sum(batches),
        "batches": batches,
        "retries": retries,
        "started": started,
        "ended": time.time(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn", "--max-cron-threads=0"]
    )
    registry = Registry(args.database)
    print(json.dumps({"loaded": args.database}), flush=True)
    for line in sys.stdin:
        params = json.loads(line)
        command = params.pop("command")
        if command == "prepare":
            with registry.cursor() as cr:
                result = prepare(api.Environment(cr, odoo.SUPERUSER_ID, {}), **params)
        elif command == "bill":
            result = bill(
                registry, params.pop("user"), date.fromisoformat(params.pop("date")), **params
            )
        else:
            raise ValueError(f"unknown command {command!r}")
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
