from odoo import api, fields, models

from .ondelete_guard import check_not_in_use

LIFECYCLE_STAGES = [
    ("recruitment", "Recruitment"),
    ("commercial_alignment", "Commercial Alignment"),
    ("technical_enablement", "Technical Enablement"),
    ("go_live", "Go-Live"),
    ("expansion", "Recurring Revenue Expansion"),
    ("ecosystem_governance", "Ecosystem Governance"),
]


class PartnerMembership(models.Model):
    """A channel partner's place in the program: type, tier, region, verticals, lifecycle stage."""

    _name = "partner.membership"
    _description = "Partner Program Membership"
    _inherit = ["channel.workflow.guard", "mail.thread", "mail.activity.mixin"]
    # the tier moves by a scorecard's recommendation or a manager's logged decision, never by a
    # plain write (channel.workflow.guard): every change is in the tier history
    _workflow_fields = ("tier_id",)
    _workflow_actions = {"tier_id": "Change Tier"}
    _order = "tier_level desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    partner_type_id = fields.Many2one(
        "partner.type",
        string="Partner Type",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",  # for the uninstall; users are stopped by the type's guard
    )
    tier_id = fields.Many2one("partner.tier", string="Tier", index=True, tracking=True)
    tier_level = fields.Integer(related="tier_id.level", store=True)
    region_id = fields.Many2one("res.country.group", string="Region")
    country_id = fields.Many2one(related="partner_id.country_id")
    vertical_ids = fields.Many2many("partner.vertical", string="Verticals")
    join_date = fields.Date(default=fields.Date.context_today, required=True)
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, default="recruitment", required=True, index=True, tracking=True
    )
    account_manager_id = fields.Many2one(
        "res.users", string="Account Manager", default=lambda self: self.env.user, tracking=True
    )
    state = fields.Selection(
        [("active", "Active"), ("suspended", "Suspended"), ("ended", "Ended")],
        default="active",
        required=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    tier_history_ids = fields.One2many(
        "partner.tier.history", "membership_id", string="Tier History"
    )
    scorecard_ids = fields.One2many("partner.scorecard", "membership_id", string="Scorecards")
    last_scorecard_id = fields.Many2one(
        "partner.scorecard", compute="_compute_last_scorecard", string="Latest Scorecard"
    )
    last_overall_score = fields.Float(
        compute="_compute_last_scorecard",
        string="Latest Score",
        help="Score of the latest complete scorecard: an incomplete one has no score.",
    )
    last_is_complete = fields.Boolean(
        string="Last Scorecard Complete", compute="_compute_last_scorecard"
    )
    certification_count = fields.Integer(compute="_compute_certification_count")
    color = fields.Integer(related="tier_id.color")

    _sql_constraints = [
        (
            "partner_company_unique",
            "unique(partner_id, company_id)",
            "This partner already has a membership in this company.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reviewed(self):
        # the scorecards go with the membership (cascade), a review of one of them must not
        check_not_in_use(self.scorecard_ids, [("partner.review", "scorecard_id")])

    def _compute_last_scorecard(self):
        latest = {}
        for card in self.env["partner.scorecard"].search(
            [("membership_id", "in", self.ids), ("state", "!=", "draft")], order="date_start desc"
        ):
            latest.setdefault(card.membership_id.id, card)
        for membership in self:
            card = latest.get(membership.id, self.env["partner.scorecard"])
            membership.last_scorecard_id = card
            membership.last_is_complete = card.is_complete
            membership.last_overall_score = card.overall_score if card.is_complete else 0.0

    def _compute_certification_count(self):
        counts = dict(
            self.env["partner.certification"]._read_group(
                [("partner_id", "in", self.partner_id.ids), ("is_valid", "=", True)],
                ["partner_id"],
                ["__count"],
            )
        )
        for membership in self:
            membership.certification_count = counts.get(membership.partner_id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        memberships = super().create(vals_list)
        for membership in memberships.filtered("tier_id"):
            membership._log_tier_change(False, membership.tier_id, self.env._("Joined the program"))
        return memberships

    def _set_tier(self, tier, reason, scorecard=False):
        """Move these memberships to ``tier`` and log why: the one way a tier changes.

        Callers check the user's rights first (a manager's decision or an applied scorecard).
        """
        for membership in self:
            old_tier = membership.tier_id
            if old_tier == tier:
                continue
            membership.sudo()._workflow_write({"tier_id": tier.id})
            membership._log_tier_change(old_tier, tier, reason, scorecard=scorecard)

    def action_change_tier(self):
        """Open the tier change dialog (a manager's decision, with its reason in the history)."""
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager", self.env._("change a partner's tier")
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Tier"),
            "res_model": "partner.membership.tier.change",
            "view_mode": "form",
            "target": "new",
            "context": {"default_membership_ids": self.ids},
        }

    def _log_tier_change(self, old_tier, new_tier, reason, scorecard=False):
        self.ensure_one()
        self.env["partner.tier.history"].sudo().create(
            {
                "membership_id": self.id,
                "old_tier_id": old_tier.id if old_tier else False,
                "new_tier_id": new_tier.id,
                "reason": reason,
                "scorecard_id": scorecard.id if scorecard else False,
            }
        )

    def action_suspend(self):
        self.write({"state": "suspended"})

    def action_activate(self):
        self.write({"state": "active"})

    def action_end(self):
        self.write({"state": "ended"})

    def action_open_scorecards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_scorecard.partner_scorecard_action"
        )
        action["domain"] = [("membership_id", "=", self.id)]
        action["context"] = {"default_membership_id": self.id}
        return action

    def action_recompute_scorecard(self):
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager", self.env._("recompute scorecards")
        )
        return self.env["partner.scorecard"]._recompute_memberships(self)
