from datetime import datetime, time, timedelta

from odoo import api, fields, models


class TenantDemo(models.AbstractModel):
    """Demo data only: an escalation chain on a new Gold version, one incident that climbed it,
    and latency baselines (one dedicated environment slowed down)."""

    _inherit = "tenant.demo"

    @api.model
    def _demo_escalation(self, version_xmlid, environment_xmlid):
        """Gold v2 (same terms as v1, from the day after) adds a chain: the responsible after
        30 business minutes, the team lead after 2 hours, the partner after 4, the duty manager
        after 8. A critical incident opened a week ago is looked at 5 business hours after its
        opening (three levels notified) and resolved an hour later: the duty manager never is."""
        ref = self.env.ref
        v1 = ref(version_xmlid)
        policy = v1.policy_id
        policy.write(
            {
                "escalation_team_lead_id": ref("partner_scorecard.demo_user_channel_manager").id,
                "escalation_duty_manager_id": ref("base.user_admin").id,
            }
        )
        v2 = v1.copy(
            {
                "state": "draft",
                "effective_from": v1.effective_from + timedelta(days=1),
                "escalation_level_ids": [
                    (0, 0, {"sequence": seq, "after_minutes": minutes, "recipient_kind": kind})
                    for seq, minutes, kind in (
                        (1, 30, "responsible"),
                        (2, 120, "team_lead"),
                        (3, 240, "partner_contact"),
                        (4, 480, "duty_manager"),
                    )
                ],
            }
        )
        v2.action_activate()
        env = ref(environment_xmlid)
        now = datetime.combine(fields.Date.context_today(self), time(12, 0))
        schedule = v2._get_schedule(None, None)
        opened = schedule.add(now - timedelta(days=7, hours=12), 3600.0)
        incident = self.env["tenant.incident"].create(
            {
                "tenant_id": env.tenant_id.id,
                "environment_id": env.id,
                "priority": "1",
                "category": "availability",
                "subject": "Invoices cannot be posted (database lock timeouts)",
                "opened_at": opened,
                "user_id": ref("white_label_tenant.demo_user_service_delivery").id,
            }
        )
        incident._escalate(schedule.add(opened, 5 * 3600.0))
        acknowledged = schedule.add(opened, 20 * 60.0)
        incident._write_clock({"state": "acknowledged", "acknowledged_at": acknowledged})
        incident._write_clock(
            {
                "state": "resolved",
                "resolved_at": schedule.add(opened, 6 * 3600.0),
                "root_cause": "A long-running stock valuation job held table locks.",
            }
        )
        incident._sla_refresh(fields.Datetime.now(), notify=False)
        return incident

    @api.model
    def _demo_latency(self, environment_ids, slow_xmlid):
        """Latency baselines of the demo environments from their month of probes, and the
        slowed-down one flagged by its last three probes (0.9 s against ~0.14 s), taken in the
        quarter of an hour before the install (the flag follows the probes that come after)."""
        now = fields.Datetime.now().replace(microsecond=0)
        slow = self.env.ref(slow_xmlid)
        Sample = self.env["tenant.uptime.sample"]
        # after the environment's last demo probe, whatever the time of day (the demo's hourly
        # probes run up to the install: at 12:04 one is at 12:00), ending at the install
        last = Sample.search(
            [("environment_id", "=", slow.id), ("probed_at", "<=", now)],
            order="probed_at desc",
            limit=1,
        ).probed_at or now - timedelta(minutes=15)
        start = max(last, now - timedelta(minutes=15))
        Sample.create(
            [
                {
                    "environment_id": slow.id,
                    "probed_at": start + (now - start) * step / 3,
                    "ok": True,
                    "status_code": 200,
                    "latency_ms": 900.0 + 5 * (3 - step),
                }
                for step in (1, 2, 3)
            ]
        )
        environments = self.env["tenant.environment"].browse(environment_ids)
        environments._latency_check(now)
        return True
