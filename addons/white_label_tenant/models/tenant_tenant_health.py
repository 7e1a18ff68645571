from odoo import fields, models

from .tenant_health_snapshot import HEALTH_TRENDS


class TenantTenant(models.Model):
    """A tenant's customer health as its latest snapshot tells it (``tenant.health.snapshot``):
    the four parts, the score, the trend over 30 days and the renewal-risk flag. Nothing here is
    stored on the tenant: the daily run writes snapshots, the tenant reads the latest one."""

    _inherit = "tenant.tenant"

    health_expected_users = fields.Integer(
        string="Expected Active Users",
        tracking=True,
        help="Users the contract expects to be active each month; 0: the default "
        "(system parameter white_label_tenant.health_expected_users, 5).",
    )
    health_expected_apps = fields.Integer(
        string="Expected Applications",
        tracking=True,
        help="Applications the customer bought into; 0: the default "
        "(system parameter white_label_tenant.health_expected_apps, 3).",
    )
    health_snapshot_ids = fields.One2many(
        "tenant.health.snapshot", "tenant_id", string="Health Snapshots"
    )
    health_snapshot_id = fields.Many2one(
        "tenant.health.snapshot",
        string="Latest Health",
        compute="_compute_health",
        search="_search_health_snapshot_id",
    )
    health_date = fields.Date(string="Health Measured On", compute="_compute_health")
    health_score = fields.Float(string="Health Score", compute="_compute_health")
    health_measured = fields.Boolean(compute="_compute_health")
    health_trend = fields.Selection(HEALTH_TRENDS, string="Health Trend", compute="_compute_health")
    health_renewal_risk = fields.Boolean(
        string="Renewal Risk", compute="_compute_health", search="_search_health_renewal_risk"
    )
    health_adoption_score = fields.Float(compute="_compute_health")
    health_adoption_measured = fields.Boolean(compute="_compute_health")
    health_support_score = fields.Float(compute="_compute_health")
    health_support_measured = fields.Boolean(compute="_compute_health")
    health_stability_score = fields.Float(compute="_compute_health")
    health_stability_measured = fields.Boolean(compute="_compute_health")
    health_commercial_score = fields.Float(compute="_compute_health")
    health_commercial_measured = fields.Boolean(compute="_compute_health")
    health_active_users = fields.Integer(compute="_compute_health")
    health_installed_apps = fields.Integer(compute="_compute_health")

    def _compute_health(self):
        # read as superuser: the tenant itself was access-checked, its health goes with it
        latest = (
            self.env["tenant.health.snapshot"]
            .sudo()
            .search([("tenant_id", "in", self.ids), ("is_latest", "=", True)])
        )
        by_tenant = {snapshot.tenant_id.id: snapshot for snapshot in latest}
        empty = self.env["tenant.health.snapshot"]
        for tenant in self:
            snapshot = by_tenant.get(tenant.id, empty)
            tenant.health_snapshot_id = snapshot.with_env(self.env)
            tenant.health_date = snapshot.date
            tenant.health_score = snapshot.score
            tenant.health_measured = snapshot.score_measured
            tenant.health_trend = snapshot.trend
            tenant.health_renewal_risk = snapshot.renewal_risk
            for part in ("adoption", "support", "stability", "commercial"):
                tenant[f"health_{part}_score"] = snapshot[f"{part}_score"]
                tenant[f"health_{part}_measured"] = snapshot[f"{part}_measured"]
            tenant.health_active_users = snapshot.active_users
            tenant.health_installed_apps = snapshot.installed_apps

    def _search_health_snapshot_id(self, operator, value):
        return [("health_snapshot_ids", "any", [("is_latest", "=", True), ("id", operator, value)])]

    def _search_health_renewal_risk(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        flagged = (operator == "=" and bool(value)) or (operator == "!=" and not value)
        domain = [
            ("health_snapshot_ids", "any", [("is_latest", "=", True), ("renewal_risk", "=", True)])
        ]
        return domain if flagged else ["!", *domain]

    def action_refresh_health(self):
        """Score these tenants now (today's snapshot is written or updated)."""
        self._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("refresh the customer health")
        )
        self.check_access("read")
        self.env["tenant.health.batch"]._health_snapshot(self, fields.Date.context_today(self))
        return True
