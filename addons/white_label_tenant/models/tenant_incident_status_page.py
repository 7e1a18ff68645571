from odoo import api, fields, models
from odoo.exceptions import ValidationError


def check_no_customer_names(incident, text, label):
    """Refuse public text naming the incident's tenant or end customer: the status page is
    public and shared by every customer of the partner."""
    if not text or not incident:
        return
    tenant = incident.sudo().tenant_id
    lowered = text.casefold()
    for name in (tenant.name, tenant.end_customer_id.name, tenant.end_customer_id.email):
        if name and name.strip() and name.strip().casefold() in lowered:
            raise ValidationError(
                incident.env._(
                    "%(field)s of %(incident)s names %(name)s: the status page is public, "
                    "describe the impact without naming the tenant or its customer.",
                    field=label,
                    incident=incident.name,
                    name=name,
                )
            )


class TenantIncident(models.Model):
    """An incident on the partner's public status page: its public title and updates."""

    _inherit = "tenant.incident"

    public_title = fields.Char(
        string="Status Page Title",
        tracking=True,
        help="Set it to show this incident on the partner's public status page under this "
        "title, with its public updates (never the subject, notes or customer names).",
    )
    update_ids = fields.One2many("tenant.incident.update", "incident_id", string="Status Updates")

    @api.constrains("public_title", "tenant_id")
    def _check_public_title(self):
        for incident in self:
            check_no_customer_names(
                incident, incident.public_title, self.env._("Status Page Title")
            )

    def _status_page_incidents(self, tenants, since, now):
        """The public incidents of ``tenants``: open ones opened by ``now``, and those resolved
        since ``since``; most recent first."""
        return self.sudo().search(
            [
                ("tenant_id", "in", tenants.ids),
                ("public_title", "!=", False),
                ("opened_at", "<=", now),
                "|",
                ("is_open", "=", True),
                ("resolved_at", ">=", since),
            ],
            order="opened_at desc, id desc",
        )

    def _public_updates(self, now):
        """The updates of this incident marked Public and posted by ``now``, newest first."""
        self.ensure_one()
        return self.update_ids.filtered(lambda u: u.is_public and u.posted_at <= now).sorted(
            lambda u: (u.posted_at, u.id), reverse=True
        )
