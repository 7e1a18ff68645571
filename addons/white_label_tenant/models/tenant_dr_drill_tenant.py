from odoo import api, fields, models


class TenantTenant(models.Model):
    """The tenant's disaster-recovery drills: overdue when one of its production environments
    is (stored, searchable), their count and trend (backend), the last ones for the portal."""

    _inherit = "tenant.tenant"

    dr_drill_overdue = fields.Boolean(
        string="DR Drill Overdue",
        compute="_compute_dr_drill_overdue",
        store=True,
        index=True,
        help="A running production environment of this tenant has no passed disaster-recovery "
        "drill within its SLA policy's period: promotion and upgrades are refused until one "
        "passes.",
    )
    dr_drill_count = fields.Integer(string="DR Drills", compute="_compute_dr_drill_count")

    @api.depends("environment_ids.dr_drill_overdue")
    def _compute_dr_drill_overdue(self):
        for tenant in self:
            tenant.dr_drill_overdue = any(tenant.environment_ids.mapped("dr_drill_overdue"))

    def _compute_dr_drill_count(self):
        groups = self.env["tenant.dr.drill"]._read_group(
            [("tenant_id", "in", self.ids)], ["tenant_id"], ["__count"]
        )
        counts = {tenant.id: count for tenant, count in groups}
        for tenant in self:
            tenant.dr_drill_count = counts.get(tenant.id, 0)

    def action_view_dr_drills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "white_label_tenant.tenant_dr_drill_action"
        )
        action["domain"] = [("tenant_id", "=", self.id)]
        action["context"] = {"default_tenant_id": self.id, "search_default_done": 1}
        return action

    def _portal_dr_drills(self, limit=6):
        """The last finished drills of this tenant for its portal page (the page checked the
        portal user's access to the tenant)."""
        self.ensure_one()
        return (
            self.env["tenant.dr.drill"]
            .sudo()
            .search(
                [("tenant_id", "=", self.id), ("state", "in", ("passed", "failed"))],
                order="started_at desc, id desc",
                limit=limit,
            )
        )
