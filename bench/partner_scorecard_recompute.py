"""Benchmark: recompute one quarter for 2,000 partners x 24 metrics (goal: median <= 15 s).

Builds the program inside a transaction (rolled back at the end): one partner type, a template of
24 metrics over the six domains (4 CRM metrics, 2 certification metrics, 18 manual ones with a value
per partner), 2,000 partners with memberships, deals and certifications. Then times three full
recomputes of the quarter and prints the median and the SQL query count of each run.

``--cron --partners 20000 --manual 24`` (30 metrics) instead runs the scheduled action as Odoo's
cron does, one bounded batch per call until nothing remains (goal: 20,000 partners x 30 metrics in
<= 60 s), and prints the calls, the slowest, and the peak memory (RSS) before and after the
recompute: bounded by the batch size, it does not grow with the number of partners.
"""

import random
import resource
import statistics
import time
from datetime import date

from bench_env import cli, ensure_database, odoo_env

DB = "pc_bench_partner_scorecard"
PARTNERS = 2000
REF_DATE = date(2026, 5, 15)


def build(env, partners_count=PARTNERS, manual_count=18):
    from odoo import Command

    rng = random.Random(42)
    ptype = env["partner.type"].create({"name": "Bench type", "code": "bench"})
    env["partner.tier"].create({"name": "Bench entry", "level": 1})
    env["partner.tier"].create({"name": "Bench silver", "level": 2, "min_overall_score": 60})
    domains = ["sales", "implementation", "revenue", "operations", "customer", "ecosystem"]
    metrics = env["scorecard.metric"]
    providers = ["crm_win_rate", "crm_avg_deal_size", "crm_qualified_pipeline", "crm_sales_cycle"]
    for code in providers:
        metrics |= env["scorecard.metric"].search([("provider", "=", code)], limit=1) or env[
            "scorecard.metric"
        ].create(
            {
                "code": f"b_{code}",
                "name": code,
                "domain": "sales",
                "provider": code,
                "target": 50,
                "floor": 0,
                "direction": "higher",
            }
        )
    metrics |= env.ref("partner_scorecard.metric_eco_active_certifications")
    metrics |= env.ref("partner_scorecard.metric_eco_certified_consultants")
    manual = env["scorecard.metric"]
    for index in range(manual_count):
        manual |= env["scorecard.metric"].create(
            {
                "code": f"bench_manual_{index}",
                "name": f"Manual {index}",
                "domain": domains[1 + index % 5],
                "unit": "percent",
                "target": 90,
                "floor": 40,
                "provider": "manual",
            }
        )
    metrics |= manual
    lines_by_domain = {}
    for metric in metrics:
        lines_by_domain.setdefault(metric.domain, []).append(metric)
    line_cmds = []
    for members in lines_by_domain.values():
        weights = [100 // len(members)] * len(members)
        weights[0] += 100 - sum(weights)
        line_cmds += [
            Command.create({"metric_id": m.id, "weight": w})
            for m, w in zip(members, weights, strict=True)
        ]
    share = [100 // len(lines_by_domain)] * len(lines_by_domain)
    share[0] += 100 - sum(share)
    env["scorecard.template"].create(
        {
            "name": "Bench template",
            "partner_type_id": ptype.id,
            "domain_weight_ids": [
                Command.create({"domain": d, "weight": w})
                for d, w in zip(lines_by_domain, share, strict=True)
            ],
            "line_ids": line_cmds,
        }
    )
    partners = env["res.partner"].create(
        [{"name": f"Bench partner {i:05d}", "is_company": True} for i in range(partners_count)]
    )
    memberships = env["partner.membership"].create(
        [{"partner_id": p.id, "partner_type_id": ptype.id} for p in partners]
    )
    period = env["scorecard.period"]._get_or_create(REF_DATE, env.company)
    env.cr.execute(
        """INSERT INTO partner_metric_value (partner_id, metric_id, period_id, value, company_id)
           SELECT p, m, %s, 40 + random() * 60, %s FROM unnest(%s::int[]) p, unnest(%s::int[]) m""",
        (period.id, env.company.id, partners.ids, manual.ids),
    )
    cert_type = env["partner.certification.type"].create({"name": "Bench cert", "code": "bench"})
    env["partner.certification"].create(
        [
            {
                "partner_id": p.id,
                "certification_type_id": cert_type.id,
                "date_obtained": date(2026, 1, 5),
            }
            for p in partners
            if rng.random() < 0.7
        ]
    )
    env.cr.execute(
        """INSERT INTO crm_lead (name, type, channel_partner_id, expected_revenue, probability, active,
                                  create_date, date_closed, company_id)
           SELECT 'bench deal', 'opportunity', p, 1000 + (random() * 50000)::int,
                  CASE WHEN random() < 0.5 THEN 100 ELSE 0 END, true,
                  '2026-04-02'::timestamp, '2026-04-02'::timestamp + (random() * 60) * interval '1 day', %s
             FROM unnest(%s::int[]) p, generate_series(1, 4)""",
        (env.company.id, partners.ids),
    )
    env.cr.execute(
        "UPDATE crm_lead SET active = false WHERE name = 'bench deal' AND probability = 0"
    )
    env.invalidate_all()
    return memberships, len(metrics)


def _peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cron(env, memberships, metric_count, batch_size):
    """The scheduled action as the cron runs it: one bounded batch per call."""
    Scorecard = env["partner.scorecard"]
    env.invalidate_all()
    rss_before = _peak_rss_mib()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    calls, slowest, remaining = 0, 0.0, None
    while remaining != 0:
        call_start = time.perf_counter()
        remaining = Scorecard._cron_recompute(ref_date=REF_DATE, batch_size=batch_size)
        env.invalidate_all()  # the cron's next call starts with an empty cache
        slowest = max(slowest, time.perf_counter() - call_start)
        calls += 1
    elapsed = time.perf_counter() - start
    cards = Scorecard.search_count(
        [("membership_id", "in", memberships.ids), ("state", "=", "computed")]
    )
    print(f"partners: {len(memberships)}, metrics: {metric_count}, computed scorecards: {cards}")
    print(
        f"cron: {calls} calls of at most {batch_size} scorecards in {elapsed:.2f} s "
        f"(slowest call {slowest:.2f} s), {env.cr.sql_log_count - before} queries"
    )
    print(
        f"peak RSS: {rss_before:.0f} MiB after building the data, {_peak_rss_mib():.0f} MiB after"
    )
    print(f"goal <= 60 s: {'PASS' if elapsed <= 60 else 'FAIL'}")


def main():
    args = cli(
        __doc__,
        lambda parser: (
            parser.add_argument("--partners", type=int, default=PARTNERS),
            parser.add_argument("--manual", type=int, default=18, help="manual metrics"),
            parser.add_argument("--cron", action="store_true", help="run the scheduled action"),
            parser.add_argument("--batch-size", type=int, default=500),
        ),
    )
    ensure_database(DB, ["partner_scorecard"])
    with odoo_env(DB) as env:
        memberships, metric_count = build(env, args.partners, args.manual)
        if args.cron:
            # only the bench's partners are active in the program
            (env["partner.membership"].search([]) - memberships).write({"state": "ended"})
            _cron(env, memberships, metric_count, args.batch_size)
            return
        Scorecard = env["partner.scorecard"]
        timings, queries = [], []
        for _run in range(3):
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            cards = Scorecard._recompute_memberships(memberships, ref_date=REF_DATE)
            timings.append(time.perf_counter() - start)
            queries.append(env.cr.sql_log_count - before)
        lines = env["partner.scorecard.line"].search_count([("scorecard_id", "in", cards.ids)])
        print(f"partners: {len(memberships)}, metrics: {metric_count}, scorecard lines: {lines}")
        print("runs (s): " + ", ".join(f"{t:.2f}" for t in timings))
        print("queries per run: " + ", ".join(str(q) for q in queries))
        median = statistics.median(timings)
        print(f"median: {median:.2f} s (goal <= 15 s): {'PASS' if median <= 15 else 'FAIL'}")


if __name__ == "__main__":
    main()
