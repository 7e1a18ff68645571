from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import registration as reg

MANAGER_GROUP = "partner_scorecard.group_channel_manager"
USER_GROUP = "partner_scorecard.group_channel_user"
PROTECTION_PARAM = "partner_scorecard.registration_protection_days"
DECISION_PARAM = "partner_scorecard.registration_decision_days"
# registrations that hold a claim on their customer
LIVE_STATES = ("registered", "approved")


class CrmLeadRegistration(models.Model):
    """Deal registration as a workflow: submitted -> approved (protected) / rejected -> expired.

    The state and its dates change only through the actions below (channel.workflow.guard); a
    submission is the only state a plain create may set (the portal form, a backend user).
    """

    _name = "crm.lead"
    _inherit = ["crm.lead", "channel.workflow.guard"]

    _workflow_fields = (
        "registration_state",
        "registration_approved_at",
        "registration_protected_until",
        "registration_decided_by_id",
        "registration_reason",
        "registration_overdue_at",
    )
    _workflow_actions = dict.fromkeys(_workflow_fields, "Approve / Reject / Resolve Conflict")

    registration_approved_at = fields.Datetime(
        string="Registration Approved On", readonly=True, copy=False
    )
    registration_protected_until = fields.Date(
        string="Protected Until",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Last day on which no other partner can register a deal for this customer.",
    )
    registration_decided_by_id = fields.Many2one(
        "res.users", string="Registration Decided By", readonly=True, copy=False
    )
    registration_reason = fields.Text(
        string="Rejection Reason", readonly=True, copy=False, tracking=True
    )
    registration_overdue_at = fields.Datetime(
        string="Decision Reminder Sent On",
        readonly=True,
        copy=False,
        help="When the channel managers were reminded that this submission waits for a decision.",
    )

    # ------------------------------------------------------------------ guard

    def _workflow_check_vals(self, vals, creating=False):
        # a plain create may submit a registration; trusted code (superuser) may load any state
        if creating and (
            self.env.su or vals.get("registration_state") in (None, False, "registered")
        ):
            rest = {k: v for k, v in vals.items() if k != "registration_state"}
            return super()._workflow_check_vals(rest, creating=creating)
        return super()._workflow_check_vals(vals, creating=creating)

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.filtered(
            lambda lead: lead.registration_state == "registered"
        )._check_registration_protection()
        return leads

    # ------------------------------------------------------------------ settings

    @api.model
    def _registration_days(self, param, default):
        raw = self.env["ir.config_parameter"].sudo().get_param(param, default)
        try:
            days = int(raw)
        except (TypeError, ValueError):
            days = -1
        if days < 0:
            raise UserError(
                self.env._(
                    "The system parameter “%(param)s” must be a whole number of days (0 or "
                    "more), not “%(value)s”: fix it in Settings > Technical > System Parameters.",
                    param=param,
                    value=raw,
                )
            )
        return days

    # ------------------------------------------------------------------ rivals and protection

    def _registration_customer_domain(self):
        """Leads of another channel partner for the same customer (tax ID, mail domain, name)."""
        self.ensure_one()
        keys = [
            (fname, value)
            for fname, value in (
                ("customer_key_vat", self.customer_key_vat),
                ("customer_key_domain", self.customer_key_domain),
                ("customer_key_name", self.customer_key_name),
            )
            if value
        ]
        if not keys or not self.channel_partner_id:
            return None
        return [
            ("id", "!=", self.id),
            ("channel_partner_id", "!=", False),
            ("channel_partner_id", "!=", self.channel_partner_id.id),
            ("probability", "<", 100),
            *(["|"] * (len(keys) - 1)),
            *[(fname, "=", value) for fname, value in keys],
        ]

    def _registration_rivals(self, states=LIVE_STATES):
        """Open registrations of other partners for the same customer, in ``states``."""
        self.ensure_one()
        domain = self._registration_customer_domain()
        if domain is None:
            return self.browse()
        return self.sudo().search([*domain, ("registration_state", "in", list(states))])

    def _check_registration_protection(self):
        """Refuse a submission while another partner's approved deal protects the customer."""
        today = fields.Date.context_today(self)
        for lead in self:
            protecting = lead._registration_rivals(states=("approved",)).filtered(
                lambda rival: reg.is_protected(rival.registration_protected_until, today)
            )
            if protecting:
                rival = protecting.sorted("registration_protected_until")[-1]
                raise UserError(
                    self.env._(
                        "This customer is protected by another partner's approved deal "
                        "registration until %(date)s: a new registration for “%(customer)s” can "
                        "be submitted after that date.",
                        date=rival.registration_protected_until.strftime("%Y-%m-%d"),
                        customer=lead.partner_name or lead.partner_id.name or lead.name,
                    )
                )

    def _check_registration_state(self, states, action):
        for lead in self:
            if lead.registration_state not in states:
                labels = dict(self._fields["registration_state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(action)s needs a registration in state %(states)s; “%(deal)s” is "
                        "“%(state)s”.",
                        action=action,
                        states=", ".join(
                            labels.get(s) or self.env._("not registered") for s in states
                        ),
                        deal=lead.display_name,
                        state=labels.get(lead.registration_state) or self.env._("not registered"),
                    )
                )

    # ------------------------------------------------------------------ actions

    def action_registration_submit(self):
        """A Channel User submits a backend deal of a channel partner as a registration."""
        self._workflow_check_group(USER_GROUP, self.env._("submit a deal registration"))
        for lead in self:
            if not lead.channel_partner_id:
                raise UserError(
                    self.env._(
                        "Set the Channel Partner of “%(deal)s” before submitting its registration.",
                        deal=lead.display_name,
                    )
                )
        self._check_registration_state((False,), self.env._("Submit"))
        self._check_registration_protection()
        self._workflow_write(
            {"registration_state": "registered", "registration_date": fields.Datetime.now()}
        )
        return True

    def action_registration_approve(self):
        """A Channel Manager approves submissions: the protection window starts today."""
        self._workflow_check_group(MANAGER_GROUP, self.env._("approve a deal registration"))
        self._check_registration_state(("registered",), self.env._("Approve"))
        for lead in self:
            rivals = lead._registration_rivals()
            if rivals:
                raise UserError(
                    self.env._(
                        "“%(deal)s” conflicts with the registration(s) %(rivals)s for the same "
                        "customer: use “Resolve Conflict” to decide which registration wins "
                        "before approving.",
                        deal=lead.display_name,
                        rivals=", ".join(f"“{name}”" for name in rivals.mapped("display_name")),
                    )
                )
        days = self._registration_days(PROTECTION_PARAM, reg.DEFAULT_PROTECTION_DAYS)
        today = fields.Date.context_today(self)
        self._workflow_write(
            {
                "registration_state": "approved",
                "registration_approved_at": fields.Datetime.now(),
                "registration_protected_until": reg.protected_until(today, days),
                "registration_decided_by_id": self.env.uid,
                "registration_reason": False,
            }
        )
        self._registration_notify("partner_scorecard.mail_template_registration_approved")
        return True

    def action_registration_reject(self):
        """Open the wizard that asks the reason of a rejection."""
        self._workflow_check_group(MANAGER_GROUP, self.env._("reject a deal registration"))
        self._check_registration_state(LIVE_STATES, self.env._("Reject"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Registration"),
            "res_model": "crm.lead.registration.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
        }

    def action_registration_resolve_conflict(self):
        """Open the wizard in which a manager picks the registration that wins a conflict."""
        self.ensure_one()
        self._workflow_check_group(MANAGER_GROUP, self.env._("resolve a registration conflict"))
        self._check_registration_state(LIVE_STATES, self.env._("Resolve Conflict"))
        rivals = self._registration_rivals()
        if not rivals:
            raise UserError(
                self.env._(
                    "“%(deal)s” has no conflicting submitted or approved registration: approve "
                    "or reject it directly.",
                    deal=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve Registration Conflict"),
            "res_model": "crm.lead.registration.conflict",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": (self | rivals).ids, "default_winner_id": self.id},
        }

    # ------------------------------------------------------------------ the workflow's steps

    def _registration_reject(self, reason):
        """Reject with a reason the partner reads (wizards and conflict decisions call this)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the Reason of the rejection: the partner reads it."))
        self._check_registration_state(LIVE_STATES, self.env._("Reject"))
        self._workflow_write(
            {
                "registration_state": "rejected",
                "registration_reason": reason.strip(),
                "registration_decided_by_id": self.env.uid,
                "registration_protected_until": False,
            }
        )
        self._update_registration_conflicts()
        self._registration_notify("partner_scorecard.mail_template_registration_rejected")

    def _registration_notify(self, template_xmlid):
        """Mail the partner (followers: the channel partner and the portal user who registered)
        and keep the message in the deal's chatter."""
        template = self.env.ref(template_xmlid)
        for lead in self.sudo():
            partners = lead.channel_partner_id
            if lead.create_uid.share:
                partners |= lead.create_uid.partner_id
            lead.message_subscribe(partner_ids=partners.ids)
            lead.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    # ------------------------------------------------------------------ cron

    @api.model
    def _cron_registration_expiry(self, batch_size=200):
        """Daily: expire approved registrations whose protection ended without a win, and remind
        the channel managers of submissions waiting too long (once each). Bounded batches; safe to
        run twice (each record leaves the searched set when handled)."""
        today = fields.Date.context_today(self)
        expiring = self.search(
            [
                ("registration_state", "=", "approved"),
                ("registration_protected_until", "<", today),
                ("probability", "<", 100),
            ],
            limit=batch_size,
            order="registration_protected_until, id",
        )
        if expiring:
            expiring._workflow_write({"registration_state": "expired"})
            expiring._update_registration_conflicts()
            expiring._registration_notify("partner_scorecard.mail_template_registration_expired")
        days = self._registration_days(DECISION_PARAM, reg.DEFAULT_DECISION_DAYS)
        since = datetime.combine(reg.decision_overdue_since(today, days), time.max)
        waiting = self.search(
            [
                ("registration_state", "=", "registered"),
                ("registration_overdue_at", "=", False),
                ("registration_date", "<=", since),
            ],
            limit=batch_size,
            order="registration_date, id",
        )
        if waiting:
            waiting._registration_remind_managers(days)
        remaining = 0
        if len(expiring) == batch_size or len(waiting) == batch_size:
            remaining = 1  # more to do: the cron runs again at once
        self.env["ir.cron"]._notify_progress(done=len(expiring) + len(waiting), remaining=remaining)

    def _registration_remind_managers(self, days):
        managers = self.env.ref(MANAGER_GROUP).users.filtered(lambda u: u.active and not u.share)
        for lead in self:
            for user in managers.filtered(
                lambda u, lead=lead: lead.company_id in u.company_ids or not lead.company_id
            ):
                lead.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(self),
                    summary=self.env._("Decide on this deal registration"),
                    note=self.env._(
                        "Submitted more than %(days)s days ago and still waiting for a decision.",
                        days=days,
                    ),
                    user_id=user.id,
                )
        self._workflow_write({"registration_overdue_at": fields.Datetime.now()})
