from datetime import timedelta

from odoo import api, fields, models

# demo incidents (tenant.demo._generate_incidents) the partners told their customers about
PUBLIC_INCIDENTS = {
    "Tax report shows rounding differences": (
        "Tax reports: rounding differences",
        [
            (0, "identified", "Tax reports may round lines differently; invoices are correct."),
            (None, "resolved", "Rounding setting corrected; reports match the invoices again."),
        ],
        None,
    ),
    "Payment terminal sync delayed": (
        "Point of sale: card payments synchronised late",
        [
            (0, "investigating", "Card payments reach the ERP with a delay. We are on it."),
            (None, "resolved", "A stuck queue worker was restarted; all payments are in."),
        ],
        None,
    ),
    "Slow stock valuation report": (
        "Slow stock valuation reports",
        [
            (0, "investigating", "Stock valuation reports take minutes to open."),
            (90, "identified", "A slow query on long stock histories; a fix is being tested."),
        ],
        (60, "Customer's warehouse has 4 million moves since 2019; ask them before archiving."),
    ),
}


class TenantDemo(models.AbstractModel):
    _inherit = "tenant.demo"

    @api.model
    def _demo_health_from_probes(self):
        """The health the probe action would have recorded after the demo's month of probes:
        running environments never probed live take the result of their latest demo probe."""
        environments = self.env["tenant.environment"].search(
            [("state", "=", "active"), ("health_state", "=", "unknown")]
        )
        Sample = self.env["tenant.uptime.sample"]
        now = fields.Datetime.now()
        for environment in environments:
            latest = Sample.search(
                [("environment_id", "=", environment.id), ("probed_at", "<=", now)], limit=1
            )
            if latest:
                # the health only: last_probe_at is the probe action's high-water mark
                environment._workflow_write({"health_state": "up" if latest.ok else "down"})
        return True

    @api.model
    def _demo_status_page_updates(self):
        """Give the demo incidents above a status page title and their public updates (plus
        one update kept internal), relative to when they happened; safe to run twice."""
        Update = self.env["tenant.incident.update"]
        for subject, (title, updates, internal) in PUBLIC_INCIDENTS.items():
            incidents = self.env["tenant.incident"].search(
                [("subject", "=", subject), ("public_title", "=", False)]
            )
            for incident in incidents:
                incident.public_title = title
                end = incident.resolved_at or incident.opened_at + timedelta(hours=2)
                vals_list = [
                    {
                        "incident_id": incident.id,
                        "posted_at": incident.opened_at + timedelta(minutes=minutes)
                        if minutes is not None
                        else end,
                        "status": status,
                        "body": body,
                    }
                    for minutes, status, body in updates
                    if minutes is not None or incident.resolved_at
                ]
                if internal:
                    minutes, body = internal
                    vals_list.append(
                        {
                            "incident_id": incident.id,
                            "posted_at": incident.opened_at + timedelta(minutes=minutes),
                            "status": "identified",
                            "body": body,
                            "is_public": False,
                        }
                    )
                Update.create(vals_list)
        return True
