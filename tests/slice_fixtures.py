"""Fixtures of tests/test_parallel_slices.py, run inside a cron worker (tests/cron_worker.py
``call``): a small partner program of its own, scored on a date no demo period covers."""

import random
from datetime import date

from odoo import Command


def prepare_scorecards(env, count, day, seed=7):
    """``count`` active members of a partner type of their own (every other membership ended),
    each with a value for the template's two manual metrics in the period of ``day``."""
    rng = random.Random(seed)
    env["partner.membership"].search([("state", "=", "active")]).write({"state": "ended"})
    ptype = env["partner.type"].create({"name": "Slice test type", "code": "slice_test"})
    metrics = env["scorecard.metric"].create(
        [
            {
                "code": f"slice_test_{domain}",
                "name": f"Slice test {domain}",
                "domain": domain,
                "unit": "percent",
                "target": 100,
                "floor": 0,
                "provider": "manual",
            }
            for domain in ("implementation", "customer")
        ]
    )
    env["scorecard.template"].create(
        {
            "name": "Slice test template",
            "partner_type_id": ptype.id,
            "domain_weight_ids": [
                Command.create({"domain": metric.domain, "weight": 50}) for metric in metrics
            ],
            "line_ids": [Command.create({"metric_id": m.id, "weight": 100}) for m in metrics],
        }
    )
    partners = env["res.partner"].create(
        [{"name": f"Slice test partner {i:03d}", "is_company": True} for i in range(count)]
    )
    memberships = env["partner.membership"].create(
        [{"partner_id": p.id, "partner_type_id": ptype.id} for p in partners]
    )
    period = env["scorecard.period"]._get_or_create(date.fromisoformat(day), env.company)
    env["partner.metric.value"].create(
        [
            {
                "partner_id": partner.id,
                "metric_id": metric.id,
                "period_id": period.id,
                "value": rng.randint(20, 100),
            }
            for partner in partners
            for metric in metrics
        ]
    )
    return {"membership_ids": memberships.ids, "period_id": period.id}
