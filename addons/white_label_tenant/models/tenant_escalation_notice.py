from markupsafe import Markup

from odoo import fields, models

from .tenant_escalation_level import RECIPIENT_KINDS


class TenantIncidentEscalation(models.Model):
    """One escalation level notified for one incident: the proof it was sent, and the reason it
    is never sent twice (unique per incident and level, inserted with ON CONFLICT DO NOTHING by
    the escalation scan)."""

    _name = "tenant.incident.escalation"
    _description = "Incident Escalation"
    _order = "incident_id, due_at, sequence, id"
    _rec_name = "level_id"

    incident_id = fields.Many2one(
        "tenant.incident", required=True, index=True, ondelete="cascade", readonly=True
    )
    level_id = fields.Many2one(
        "tenant.escalation.level", required=True, index=True, ondelete="restrict", readonly=True
    )
    sequence = fields.Integer(readonly=True)
    recipient_kind = fields.Selection(RECIPIENT_KINDS, string="Notified", readonly=True)
    user_id = fields.Many2one("res.users", string="Recipient User", readonly=True)
    recipient_partner_id = fields.Many2one("res.partner", string="Recipient", readonly=True)
    due_at = fields.Datetime(
        string="Due", readonly=True, help="When the level's business time had passed."
    )
    notified_at = fields.Datetime(string="Notified On", readonly=True)
    missing_recipient = fields.Boolean(
        readonly=True, help="Nobody was set for this level (e.g. no team lead on the policy)."
    )
    tenant_id = fields.Many2one(related="incident_id.tenant_id", store=True, index=True)
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)

    _sql_constraints = [
        (
            "incident_level_uniq",
            "unique (incident_id, level_id)",
            "An escalation level is notified only once per incident.",
        ),
    ]

    def _notify_escalation(self):
        """A note on each incident's chatter naming the level, e-mailed to its recipient, and a
        to-do for a recipient who is a user."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        kinds = dict(self._fields["recipient_kind"]._description_selection(self.env))
        today = fields.Date.context_today(self)
        for escalation in self.sorted(lambda e: (e.incident_id.id, e.due_at, e.sequence)):
            incident = escalation.incident_id
            hours = round(escalation.level_id.after_minutes / 60.0, 2)
            if escalation.missing_recipient:
                body = self.env._(
                    "Escalation to %(who)s (%(hours)s business hours open) is due but nobody is "
                    "set: set the %(who)s on SLA policy %(policy)s.",
                    who=kinds[escalation.recipient_kind],
                    hours=hours,
                    policy=incident.sla_version_id.policy_id.display_name,
                )
            else:
                body = self.env._(
                    "Escalated to %(who)s %(name)s: %(ref)s is still open after %(hours)s "
                    "business hours.",
                    who=kinds[escalation.recipient_kind],
                    name=escalation.recipient_partner_id.display_name,
                    ref=incident.name,
                    hours=hours,
                )
            incident.message_post(
                body=Markup("<p>%s</p>") % body,
                partner_ids=escalation.recipient_partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            if escalation.user_id and todo:
                incident.activity_schedule(
                    activity_type_id=todo.id,
                    user_id=escalation.user_id.id,
                    date_deadline=today,
                    summary=self.env._(
                        "Escalation: %(ref)s open for %(hours)s business hours",
                        ref=incident.name,
                        hours=hours,
                    ),
                )
