import logging

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_datetime

from ..core.distribution import is_expired, offer_deadline, response_hours

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "partner_scorecard.group_channel_manager"
WORKFLOW_FIELDS = (
    "state",
    "offered_at",
    "deadline",
    "responded_at",
    "response_hours",
    "decline_reason",
    "responded_by_id",
)


class CrmLeadOffer(models.Model):
    """One lead offered to one channel partner, who accepts or declines it before the deadline.

    offered -> accepted | declined | expired (the deadline passed) | withdrawn (by a manager).
    Every field changes only through the steps below (channel.workflow.guard); the partner's
    portal users answer on /my/leads, the channel managers may answer on the partner's behalf.
    """

    _name = "crm.lead.offer"
    _description = "Lead Offered to a Partner"
    _inherit = ["channel.workflow.guard", "mail.thread"]
    _order = "offered_at desc, id desc"
    _rec_name = "lead_name"

    _workflow_fields = WORKFLOW_FIELDS
    _workflow_frozen_fields = ("lead_id", "partner_id", "membership_id", "rule_id", "company_id")
    _workflow_actions = dict.fromkeys(WORKFLOW_FIELDS, "Accept / Decline / Withdraw")

    lead_id = fields.Many2one(
        "crm.lead", string="Lead", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    membership_id = fields.Many2one(
        "partner.membership", required=True, ondelete="cascade", readonly=True
    )
    rule_id = fields.Many2one(
        "crm.lead.distribution.rule", string="Rule", ondelete="set null", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    state = fields.Selection(
        [
            ("offered", "Waiting for Answer"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("expired", "Expired"),
            ("withdrawn", "Withdrawn"),
        ],
        required=True,
        default="offered",
        readonly=True,
        index=True,
        tracking=True,
    )
    offered_at = fields.Datetime(required=True, readonly=True, index=True)
    deadline = fields.Datetime(
        string="Answer By", required=True, readonly=True, index=True, tracking=True
    )
    responded_at = fields.Datetime(string="Answered On", readonly=True)
    response_hours = fields.Float(
        string="Response Time (hours)", readonly=True, aggregator="avg", digits=(16, 2)
    )
    decline_reason = fields.Text(readonly=True, tracking=True)
    responded_by_id = fields.Many2one("res.users", string="Answered By", readonly=True)
    # what the partner reads before accepting (the lead itself is not theirs yet)
    lead_name = fields.Char(related="lead_id.name", string="Lead Name")
    lead_customer = fields.Char(related="lead_id.partner_name", string="Customer")
    lead_country_id = fields.Many2one(related="lead_id.country_id", string="Country")
    lead_city = fields.Char(related="lead_id.city", string="City")
    lead_vertical = fields.Char(related="lead_id.distribution_vertical_id.name", string="Vertical")
    lead_expected_revenue = fields.Monetary(
        related="lead_id.expected_revenue", currency_field="lead_currency_id"
    )
    lead_currency_id = fields.Many2one(related="lead_id.company_currency")
    lead_description = fields.Html(related="lead_id.description", string="Notes")

    _sql_constraints = [
        (
            "lead_partner_unique",
            "unique(lead_id, partner_id)",
            "A lead is offered to each partner once.",
        ),
    ]

    def init(self):
        # at most one offer of a lead waits for an answer, whatever runs at once
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS crm_lead_offer_one_open_per_lead "
                "ON crm_lead_offer (lead_id) WHERE state = 'offered'"
            )
        )

    @api.depends("lead_name", "partner_id")
    def _compute_display_name(self):
        for offer in self:
            offer.display_name = f"{offer.lead_name} → {offer.partner_id.name}"

    # ------------------------------------------------------------------ making an offer

    @api.model
    def _offer_check_membership(self, membership):
        """Refuse an offer to, or an answer from, a partner whose membership is not active."""
        if membership.state != "active":
            states = dict(membership._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(partner)s's partner membership is %(state)s: a lead cannot be offered to "
                    "or accepted by it. Reactivate the membership (Partner Channel > Memberships) "
                    "or choose another partner.",
                    partner=membership.partner_id.display_name,
                    state=states.get(membership.state, membership.state),
                )
            )

    @api.model
    def _offer_create(self, lead, membership, rule):
        """Offer ``lead`` to ``membership``'s partner under ``rule``; the partner's portal users
        get a mail, the lead's chatter says so."""
        self._offer_check_membership(membership)
        now = fields.Datetime.now()
        offer = (
            self.sudo()
            .with_context(mail_create_nolog=True)
            ._workflow_create(
                {
                    "lead_id": lead.id,
                    "partner_id": membership.partner_id.id,
                    "membership_id": membership.id,
                    "rule_id": rule.id,
                    "company_id": (lead.company_id or rule.company_id).id,
                    "state": "offered",
                    "offered_at": now,
                    "deadline": offer_deadline(now, rule.response_hours),
                }
            )
            .sudo()
        )
        lead.sudo()._workflow_write(
            {"distribution_state": "offered", "distribution_rule_id": rule.id}
        )
        # moved on by a partner's decline: the next partner must not see who declined; the
        # lead's salesperson (or its company) writes instead
        author = {}
        if self.env.user.share:
            company = lead.company_id or rule.company_id
            partner = lead.sudo().user_id.partner_id or company.partner_id
            author = {
                "author_id": partner.id,
                "email_from": partner.email_formatted or company.email_formatted,
            }
        lead.sudo().message_post(
            **author,
            body=self.env._(
                "Offered to %(partner)s (rule “%(rule)s”): answer expected by %(deadline)s.",
                partner=membership.partner_id.display_name,
                rule=rule.name,
                deadline=format_datetime(self.env, offer.deadline, dt_format="short"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        recipients = offer._offer_portal_partners()
        if recipients:
            offer.message_post_with_source(
                "partner_scorecard.mail_template_lead_offer",
                subtype_xmlid="mail.mt_comment",
                partner_ids=[Command.set(recipients.ids)],
                **author,
            )
        return offer

    def _offer_portal_partners(self):
        """The contacts of the offer's partner who have a portal login."""
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "child_of", self.partner_id.ids), ("share", "=", True)])
        )
        return users.partner_id

    # ------------------------------------------------------------------ answering

    def _offer_check_responder(self):
        """A portal user of the offer's partner, or a Channel Manager on the partner's behalf."""
        user = self.env.user
        self.check_access("read")  # record rules: own partner (portal), own companies
        if self.env.su or user.has_group(MANAGER_GROUP):
            return
        for offer in self.sudo():
            if not (user.share and user.commercial_partner_id == offer.partner_id):
                # no partner name: the user may be another partner's
                raise AccessError(
                    self.env._(
                        "Only the portal users of the partner this lead is offered to, or a "
                        "Channel Manager on its behalf, can answer the offer."
                    )
                )

    def _offer_check_open(self, now):
        for offer in self.sudo():
            if offer.state != "offered":
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "The offer of “%(lead)s” is %(state)s: it can no longer be answered.",
                        lead=offer.lead_name,
                        state=states[offer.state],
                    )
                )
            if is_expired(offer.deadline, now):
                raise UserError(
                    self.env._(
                        "The offer of “%(lead)s” expired on %(deadline)s: the lead goes to the "
                        "next partner. Ask your account manager if you still want it.",
                        lead=offer.lead_name,
                        deadline=format_datetime(self.env, offer.deadline, dt_format="short"),
                    )
                )
            self._offer_check_membership(offer.membership_id)

    def _offer_lock(self):
        self.env.cr.execute(
            SQL("SELECT id FROM crm_lead_offer WHERE id = ANY(%s) FOR UPDATE", self.ids)
        )
        self.invalidate_recordset(["state"])

    def _offer_respond(self, state, now, reason=False):
        for offer in self.sudo():
            offer._workflow_write(
                {
                    "state": state,
                    "responded_at": now,
                    "response_hours": response_hours(offer.offered_at, now),
                    "responded_by_id": self.env.uid,
                    "decline_reason": reason,
                }
            )

    def action_accept(self):
        """The partner takes the lead: it becomes the lead's channel partner."""
        self._offer_check_responder()
        self._offer_lock()
        now = fields.Datetime.now()
        self._offer_check_open(now)
        self._offer_respond("accepted", now)
        for offer in self.sudo():
            offer.lead_id._workflow_write({"distribution_state": "accepted"})
            offer.lead_id.write({"channel_partner_id": offer.partner_id.id})
            hours = f"{offer.response_hours:.1f}"  # outside _(): babel evaluates f-strings
            offer.lead_id.message_post(
                body=self.env._(
                    "%(partner)s accepted the lead (%(user)s, after %(hours)s hours).",
                    partner=offer.partner_id.display_name,
                    user=self.env.user.name,
                    hours=hours,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_decline(self, reason=None):
        """The partner declines, with a reason: the lead goes to the next partner."""
        self._offer_check_responder()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Give the Reason for declining the lead: the channel team reads it.")
            )
        self._offer_lock()
        now = fields.Datetime.now()
        self._offer_check_open(now)
        self._offer_respond("declined", now, reason=reason)
        for offer in self.sudo():
            offer.lead_id.message_post(
                body=self.env._(
                    "%(partner)s declined the lead: %(reason)s",
                    partner=offer.partner_id.display_name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.sudo().lead_id._distribution_move_on()
        return True

    def action_withdraw(self):
        """A Channel Manager takes back an offer waiting for an answer (the lead is free again)."""
        self._workflow_check_group(MANAGER_GROUP, self.env._("withdraw a lead offer"))
        self.check_access("read")
        self._offer_lock()
        for offer in self.sudo():
            if offer.state != "offered":
                raise UserError(
                    self.env._(
                        "Only an offer waiting for an answer can be withdrawn; the offer of "
                        "“%(lead)s” to %(partner)s is not.",
                        lead=offer.lead_name,
                        partner=offer.partner_id.display_name,
                    )
                )
            offer._workflow_write({"state": "withdrawn", "responded_by_id": self.env.uid})
            offer.lead_id._workflow_write({"distribution_state": False})
            offer.lead_id.message_post(
                body=self.env._(
                    "Offer to %(partner)s withdrawn by %(user)s.",
                    partner=offer.partner_id.display_name,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------ expiry (cron)

    @api.model
    def _cron_expire_offers(self, batch_size=100):
        """Expire the offers past their deadline and move their leads on, ``batch_size`` at a
        time. Each offer is taken with SKIP LOCKED and handled in its own savepoint; a failure to
        move a lead on still expires its offer and says so on the lead. Safe to run twice: an
        expired offer leaves the searched set."""
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM crm_lead_offer
                    WHERE state = 'offered' AND deadline < %s
                 ORDER BY deadline, id LIMIT %s FOR UPDATE SKIP LOCKED""",
                now,
                batch_size,
            )
        )
        offers = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for offer in offers:
            try:
                with self.env.cr.savepoint():
                    offer._offer_expire(now)
                    offer.lead_id._distribution_move_on()
            except Exception as error:
                _logger.exception("Lead offer %s: could not move the lead on", offer.id)
                offer.invalidate_recordset()
                offer.lead_id.invalidate_recordset()
                with self.env.cr.savepoint():
                    offer._offer_expire(now)
                    offer.lead_id._workflow_write({"distribution_state": "exhausted"})
                    offer.lead_id.message_post(
                        body=self.env._(
                            "The offer expired, but the lead could not go to the next partner "
                            "(%(error)s): forward it again.",
                            error=str(error),
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
        remaining = 0
        if len(offers) == batch_size:
            remaining = self.sudo().search_count(
                [("state", "=", "offered"), ("deadline", "<", now)]
            )
        self.env["ir.cron"]._notify_progress(done=len(offers), remaining=remaining)
        return offers

    def _offer_expire(self, now):
        self._workflow_write({"state": "expired"})
        self.lead_id.message_post(
            body=self.env._(
                "%(partner)s did not answer by %(deadline)s: the offer expired.",
                partner=self.partner_id.display_name,
                deadline=format_datetime(self.env, self.deadline, dt_format="short"),
            ),
            subtype_xmlid="mail.mt_note",
        )
