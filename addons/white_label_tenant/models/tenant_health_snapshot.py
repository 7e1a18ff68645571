from odoo import fields, models

HEALTH_TRENDS = [("up", "Improving"), ("flat", "Stable"), ("down", "Declining")]


class TenantHealthSnapshot(models.Model):
    """A tenant's customer health on one day: the four parts, the inputs they come from, the
    score, its trend against 30 days earlier and the renewal-risk flag.

    Written only by the daily run (``tenant.health.batch``) and the tenant's "Refresh Health"
    action, one row per tenant and day (a second run the same day updates it); read-only to
    everyone else. A part without data is stored as not measured (``*_measured`` False), and the
    score reweights the other parts (``core/health.py``).
    """

    _name = "tenant.health.snapshot"
    _description = "Tenant Health Snapshot"
    _order = "date desc, id desc"
    _rec_name = "tenant_id"

    tenant_id = fields.Many2one(
        "tenant.tenant", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        related="tenant_id.partner_id", store=True, index=True, string="Channel Partner"
    )
    end_customer_id = fields.Many2one(related="tenant_id.end_customer_id", store=True, index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, index=True, readonly=True)
    score = fields.Float(readonly=True, aggregator="avg")
    score_measured = fields.Boolean(readonly=True, help="False: no part had data.")
    score_before = fields.Float(string="Score 30 Days Before", readonly=True, aggregator="avg")
    trend = fields.Selection(HEALTH_TRENDS, readonly=True)
    renewal_risk = fields.Boolean(string="Renewal Risk", index=True, readonly=True)
    risk_notified = fields.Boolean(readonly=True, help="The responsible was asked to act.")
    is_latest = fields.Boolean(index=True, readonly=True)

    # the parts (0-100) and whether each was measured
    adoption_score = fields.Float(string="Adoption", readonly=True, aggregator="avg")
    adoption_measured = fields.Boolean(readonly=True)
    support_score = fields.Float(string="Support Load", readonly=True, aggregator="avg")
    support_measured = fields.Boolean(readonly=True)
    stability_score = fields.Float(string="Stability", readonly=True, aggregator="avg")
    stability_measured = fields.Boolean(readonly=True)
    commercial_score = fields.Float(string="Commercial", readonly=True, aggregator="avg")
    commercial_measured = fields.Boolean(readonly=True)

    # the inputs, as read that day
    active_users = fields.Integer(string="Active Users (30 days)", readonly=True)
    expected_users = fields.Integer(readonly=True, aggregator=False)
    installed_apps = fields.Integer(string="Installed Apps", readonly=True)
    apps_measured = fields.Boolean(readonly=True)
    expected_apps = fields.Integer(readonly=True, aggregator=False)
    app_names = fields.Char(string="Applications", readonly=True)
    support_load = fields.Float(
        string="Weighted Incidents",
        readonly=True,
        help="Open or opened in the "
        "last 30 days, weighted by priority (critical 8, high 4, normal 2, low 1).",
    )
    uptime = fields.Float(string="Uptime 30d (%)", readonly=True, aggregator="avg")
    failed_backups = fields.Integer(string="Failed Backups (30 days)", readonly=True)
    breaches = fields.Integer(string="SLA Breaches (30 days)", readonly=True)
    mrr = fields.Monetary(string="MRR", readonly=True)
    mrr_before = fields.Monetary(string="MRR 30 Days Before", readonly=True)
    expansion = fields.Monetary(string="Expansion (90 days)", readonly=True)
    renewal_date = fields.Date(string="Next Renewal", readonly=True)

    _sql_constraints = [
        ("tenant_date_uniq", "unique (tenant_id, date)", "One health snapshot per tenant and day."),
    ]
