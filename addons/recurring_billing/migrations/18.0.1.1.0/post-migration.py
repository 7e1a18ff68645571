"""Measure partner_scorecard's MRR and renewal rate from the billing ledger, as a fresh install does.

A fresh install of recurring_billing switches the two metrics to the providers ``billing_mrr`` and
``billing_renewal_rate`` (a ``_measure_metric`` call in a noupdate block of
data/scorecard_metric_data.xml), which an update never runs: a database installed before that call
existed kept them Manual. The previous release never measured them, so a metric still Manual here
was not set back by a manager on purpose (no one could have): this first migration switches a
metric that is Manual; a metric measured by another provider is left as it is. Later releases find
the provider set and do not run this script again.
"""

from odoo import SUPERUSER_ID, api

METRICS = {
    "partner_scorecard.metric_revenue_mrr": "billing_mrr",
    "partner_scorecard.metric_revenue_renewal_rate": "billing_renewal_rate",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    provider = env["partner.scorecard.provider"]
    for xmlid, code in METRICS.items():
        metric = env.ref(xmlid, raise_if_not_found=False)
        if metric and metric.provider == "manual":
            provider._measure_metric(metric, code)
