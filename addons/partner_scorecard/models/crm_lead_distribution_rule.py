from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.distribution import Criteria


class CrmLeadDistributionRule(models.Model):
    """Which channel partners a lead may be offered to, how many at once, and for how long.

    A lead takes the first active rule (by sequence) of its company that fits it: its country in
    one of the rule's regions and its vertical among the rule's verticals (an empty criterion, on
    either side, fits anything). The same criteria then select the partners (core/distribution.py).
    """

    _name = "crm.lead.distribution.rule"
    _description = "Lead Distribution Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_type_ids = fields.Many2many(
        "partner.type", string="Partner Types", help="Empty: partners of every type."
    )
    min_tier_level = fields.Integer(
        string="Minimum Tier Level",
        default=0,
        help="Partners whose tier level is at least this (0: every partner, with or without tier).",
    )
    region_ids = fields.Many2many(
        "res.country.group",
        string="Regions",
        help="Leads from a country of these regions, offered to partners of these regions. "
        "Empty: every region.",
    )
    vertical_ids = fields.Many2many(
        "partner.vertical",
        string="Verticals",
        help="Leads of these verticals, offered to partners working in them. Empty: every vertical.",
    )
    capacity = fields.Integer(
        default=3,
        help="The most leads a partner may have waiting for its answer at once (0: no limit).",
    )
    response_hours = fields.Float(
        string="Response Time (hours)",
        default=48.0,
        help="How long a partner has to accept or decline; then the lead goes to the next partner.",
    )
    offer_count = fields.Integer(compute="_compute_offer_count")

    @api.constrains("capacity", "response_hours", "min_tier_level")
    def _check_limits(self):
        for rule in self:
            if rule.capacity < 0:
                raise ValidationError(
                    self.env._(
                        "Capacity of rule “%(rule)s” must be 0 (no limit) or more.", rule=rule.name
                    )
                )
            if rule.response_hours <= 0 or rule.response_hours > 24 * 90:
                raise ValidationError(
                    self.env._(
                        "Response Time of rule “%(rule)s” must be more than 0 and at most 2160 "
                        "hours (90 days).",
                        rule=rule.name,
                    )
                )
            if rule.min_tier_level < 0:
                raise ValidationError(
                    self.env._(
                        "Minimum Tier Level of rule “%(rule)s” cannot be negative.", rule=rule.name
                    )
                )

    def _compute_offer_count(self):
        counts = dict(
            self.env["crm.lead.offer"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.offer_count = counts.get(rule, 0)

    def _fits_lead(self, lead):
        """Whether this rule applies to ``lead`` (its country and vertical)."""
        self.ensure_one()
        if (
            self.region_ids
            and lead.country_id
            and lead.country_id not in self.region_ids.country_ids
        ):
            return False
        vertical = lead.distribution_vertical_id
        return not (self.vertical_ids and vertical and vertical not in self.vertical_ids)

    @api.model
    def _for_lead(self, lead):
        """The first active rule of the lead's company that fits it (empty if none)."""
        company = lead.company_id or self.env.company
        rules = self.sudo().search([("company_id", "=", company.id)])
        return next((rule for rule in rules if rule._fits_lead(lead)), self.browse())

    def _criteria(self, lead):
        """The :class:`Criteria` of this rule for ``lead``: a lead of a vertical goes to partners
        of that vertical."""
        self.ensure_one()
        vertical = lead.distribution_vertical_id
        return Criteria(
            type_ids=self.partner_type_ids.ids,
            min_tier_level=self.min_tier_level,
            region_ids=self.region_ids.ids,
            vertical_ids=vertical.ids if vertical else self.vertical_ids.ids,
            capacity=self.capacity,
        )

    def action_open_offers(self):
        self.ensure_one()
        self.env["crm.lead.offer"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_scorecard.crm_lead_offer_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        return action
