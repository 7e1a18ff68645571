from odoo import fields, models

from ..core.health import weighted_health


class ResPartner(models.Model):
    """An end customer's health: its tenants' latest scores weighted by their MRR."""

    _inherit = "res.partner"

    customer_health_score = fields.Float(
        string="Customer Health",
        compute="_compute_customer_health",
        help="The latest health score of the tenants serving this customer, weighted by their "
        "MRR (a plain mean when none is billed).",
    )
    customer_health_measured = fields.Boolean(compute="_compute_customer_health")
    customer_health_risk_count = fields.Integer(
        string="Tenants at Renewal Risk", compute="_compute_customer_health"
    )
    customer_health_tenant_count = fields.Integer(compute="_compute_customer_health")

    def _compute_customer_health(self):
        # the user's own companies only (record rules apply): a figure of another company's
        # tenants would leak what this user may not see
        Snapshot = self.env["tenant.health.snapshot"]
        snapshots = (
            Snapshot.search([("end_customer_id", "in", self.ids), ("is_latest", "=", True)])
            if Snapshot.has_access("read")
            else Snapshot
        )
        rows = {}
        for snapshot in snapshots:
            rows.setdefault(snapshot.end_customer_id.id, []).append(snapshot)
        for partner in self:
            own = rows.get(partner.id, [])
            value = weighted_health([(s.score if s.score_measured else None, s.mrr) for s in own])
            partner.customer_health_score = value or 0.0
            partner.customer_health_measured = value is not None
            partner.customer_health_risk_count = sum(1 for s in own if s.renewal_risk)
            partner.customer_health_tenant_count = len(own)
