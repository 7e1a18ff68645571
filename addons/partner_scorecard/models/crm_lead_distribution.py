from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..core.distribution import Candidate, rank_partners

USER_GROUP = "partner_scorecard.group_channel_user"
# offers made within this many days count as "recent" for the round robin
RECENT_DAYS = 30
DISTRIBUTION_FIELDS = ("distribution_state", "distribution_rule_id")


class CrmLeadDistribution(models.Model):
    """Lead distribution: the platform offers a lead to one channel partner at a time, by rules.

    "Forward to Partners" offers the lead to the best-ranked eligible partner
    (crm.lead.distribution.rule, core/distribution.py); a decline or an expired offer moves it on
    to the next one that has not had it; an acceptance makes that partner the lead's channel
    partner. The distribution status changes only through these steps (channel.workflow.guard).
    """

    _inherit = "crm.lead"

    distribution_vertical_id = fields.Many2one(
        "partner.vertical",
        string="Vertical",
        help="The customer's industry: the lead is offered to partners working in it.",
    )
    distribution_partner_id = fields.Many2one(
        "res.partner",
        string="Offer First To",
        domain=[("is_channel_partner", "=", True)],
        help="A channel partner the lead is offered to first, before the rules rank the others.",
    )
    distribution_state = fields.Selection(
        [
            ("offered", "Offered"),
            ("accepted", "Accepted"),
            ("exhausted", "No Partner Left"),
        ],
        string="Distribution",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    distribution_rule_id = fields.Many2one(
        "crm.lead.distribution.rule", string="Distribution Rule", readonly=True, copy=False
    )
    lead_offer_ids = fields.One2many("crm.lead.offer", "lead_id", string="Partner Offers")
    lead_offer_count = fields.Integer(compute="_compute_lead_offer_count")

    def _compute_lead_offer_count(self):
        counts = dict(
            self.env["crm.lead.offer"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.lead_offer_count = counts.get(lead, 0)

    # ------------------------------------------------------------------ guard

    def _workflow_check_vals(self, vals, creating=False):
        # checked here rather than in _workflow_fields: this class may sit below the one that
        # makes crm.lead a channel.workflow.guard, whose _workflow_fields would hide ours
        refused = sorted(set(DISTRIBUTION_FIELDS).intersection(vals))
        if refused and not self._workflow_bypassed():
            raise AccessError(
                self.env._(
                    "You cannot set %(fields)s on a lead directly: use the action “Forward to "
                    "Partners” (the partner's answer and the offer expiry move it on).",
                    fields=", ".join(f"“{self._fields[name].string}” ({name})" for name in refused),
                )
            )
        return super()._workflow_check_vals(vals, creating=creating)

    # ------------------------------------------------------------------ action

    def action_distribution_forward(self):
        """Offer each lead to its first partner by the rules (Channel User)."""
        self._workflow_check_group(USER_GROUP, self.env._("forward a lead to partners"))
        self.check_access("write")  # the lead's company and the user's own record rules
        # every check before the first offer: a refused lead leaves nothing behind
        plans = [(lead, lead._distribution_first_choice()) for lead in self]
        for lead, (rule, membership) in plans:
            self.env["crm.lead.offer"]._offer_create(lead, membership, rule)
        return True

    def action_open_lead_offers(self):
        self.ensure_one()
        self.env["crm.lead.offer"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_scorecard.crm_lead_offer_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ the steps

    def _distribution_lock(self):
        self.env.cr.execute(SQL("SELECT id FROM crm_lead WHERE id = ANY(%s) FOR UPDATE", self.ids))

    def _distribution_first_choice(self):
        """(rule, membership) of the first offer, or a UserError saying what to fix."""
        self.ensure_one()
        self._distribution_lock()
        lead = self.sudo()
        if lead.distribution_state == "offered" or lead.lead_offer_ids.filtered(
            lambda offer: offer.state == "offered"
        ):
            raise UserError(
                self.env._(
                    "“%(lead)s” is already offered to a partner: wait for the answer, or withdraw "
                    "the open offer first.",
                    lead=lead.display_name,
                )
            )
        if lead.channel_partner_id:
            raise UserError(
                self.env._(
                    "“%(lead)s” already has the Channel Partner %(partner)s: clear the Channel "
                    "Partner to forward the lead to another partner.",
                    lead=lead.display_name,
                    partner=lead.channel_partner_id.display_name,
                )
            )
        if not lead.active or lead.probability >= 100:
            raise UserError(
                self.env._(
                    "“%(lead)s” is won or lost: only open leads are forwarded to partners.",
                    lead=lead.display_name,
                )
            )
        rule = self.env["crm.lead.distribution.rule"]._for_lead(lead)
        if not rule:
            raise UserError(
                self.env._(
                    "No active distribution rule of %(company)s fits “%(lead)s” (its country and "
                    "vertical): add one in Partner Channel > Configuration > Distribution Rules.",
                    company=(lead.company_id or self.env.company).name,
                    lead=lead.display_name,
                )
            )
        excluded = set(lead.lead_offer_ids.partner_id.ids)
        if lead.distribution_partner_id:
            if lead.distribution_partner_id.id in excluded:
                raise UserError(
                    self.env._(
                        "%(partner)s already had “%(lead)s”: clear “Offer First To” or choose "
                        "another partner.",
                        partner=lead.distribution_partner_id.display_name,
                        lead=lead.display_name,
                    )
                )
            return rule, lead._distribution_membership(lead.distribution_partner_id)
        membership = lead._distribution_pick(rule, excluded)
        if not membership:
            raise UserError(
                self.env._(
                    "No partner is eligible for “%(lead)s” under the rule “%(rule)s”: no active "
                    "member fits its partner types, minimum tier, regions and verticals with "
                    "capacity left%(others)s. Widen the rule or set “Offer First To”.",
                    lead=lead.display_name,
                    rule=rule.name,
                    others=self.env._(" (and that has not had the lead)") if excluded else "",
                )
            )
        return rule, membership

    def _distribution_membership(self, partner):
        """The membership of ``partner`` in the lead's company; refused unless active."""
        company = self.company_id or self.env.company
        membership = (
            self.env["partner.membership"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1)
        )
        if not membership:
            raise UserError(
                self.env._(
                    "%(partner)s is not a member of the partner program of %(company)s: choose "
                    "another partner in “Offer First To”.",
                    partner=partner.display_name,
                    company=company.name,
                )
            )
        self.env["crm.lead.offer"]._offer_check_membership(membership)
        return membership

    def _distribution_pick(self, rule, excluded):
        """The membership the rule ranks first for this lead (empty if none is eligible).

        Two grouped queries for the load of every member; the chosen member's row is locked and
        its open offers counted again, so two forwards at once never exceed its capacity."""
        self.ensure_one()
        memberships = (
            self.env["partner.membership"]
            .sudo()
            .search([("company_id", "=", rule.company_id.id), ("state", "=", "active")])
        )
        Offer = self.env["crm.lead.offer"].sudo()
        open_counts = dict(
            Offer._read_group(
                [("partner_id", "in", memberships.partner_id.ids), ("state", "=", "offered")],
                ["partner_id"],
                ["__count"],
            )
        )
        since = fields.Datetime.now() - timedelta(days=RECENT_DAYS)
        recent = {
            partner: (count, last)
            for partner, count, last in Offer._read_group(
                [("partner_id", "in", memberships.partner_id.ids), ("offered_at", ">=", since)],
                ["partner_id"],
                ["__count", "offered_at:max"],
            )
        }
        by_partner = {membership.partner_id.id: membership for membership in memberships}
        candidates = [
            Candidate(
                partner_id=membership.partner_id.id,
                type_id=membership.partner_type_id.id,
                tier_level=membership.tier_level or 0,
                region_id=membership.region_id.id or None,
                vertical_ids=membership.vertical_ids.ids,
                open_offers=open_counts.get(membership.partner_id, 0),
                recent_offers=recent.get(membership.partner_id, (0, None))[0],
                last_offered_at=recent.get(membership.partner_id, (0, None))[1],
            )
            for membership in memberships
        ]
        for partner_id in rank_partners(candidates, rule._criteria(self), excluded):
            membership = by_partner[partner_id]
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM partner_membership WHERE id = %s AND state = 'active' "
                    "FOR UPDATE",
                    membership.id,
                )
            )
            if not self.env.cr.fetchone():
                continue
            if rule.capacity and (
                Offer.search_count([("partner_id", "=", partner_id), ("state", "=", "offered")])
                >= rule.capacity
            ):
                continue
            return membership
        return self.env["partner.membership"]

    def _distribution_move_on(self):
        """After a decline or an expiry: offer the lead to the next partner that has not had it,
        or mark it as having no partner left (a salesperson takes it from there)."""
        for lead in self.sudo():
            rule = lead.distribution_rule_id or self.env["crm.lead.distribution.rule"]._for_lead(
                lead
            )
            membership = (
                lead._distribution_pick(rule, set(lead.lead_offer_ids.partner_id.ids))
                if rule and rule.active
                else None
            )
            if membership:
                self.env["crm.lead.offer"]._offer_create(lead, membership, rule)
                continue
            lead._workflow_write({"distribution_state": "exhausted"})
            lead.message_post(
                body=self.env._(
                    "No other partner is eligible for this lead: assign it by hand, or widen the "
                    "distribution rule and forward it again."
                ),
                subtype_xmlid="mail.mt_note",
            )
