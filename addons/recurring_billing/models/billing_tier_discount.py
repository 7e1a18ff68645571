from collections import defaultdict

from odoo import api, fields, models

from ..core import periods as period_core
from ..core import tier_discount as tier_discount_core


class BillingSubscription(models.Model):
    """The partner's tier discount on its invoices (``core.tier_discount``).

    Each invoice line gets the discount of the tier the partner held on the first day of the
    billing period the line belongs to (``account.move.line.discount``): a tier change applies
    from the first period that starts on or after its date, never to a period already started,
    and never to an invoice already created. The tier history is read once per billing run (one
    query for every partner of the run), not once per subscription or line.

    ``tier_discount`` is the discount in force on the subscription's current billing period (its
    first one before it starts), what the partner's margin counts: set when the subscription is
    created, by each billing run that invoices it (a new period) and when the partner's tier
    changes.
    """

    _inherit = "billing.subscription"
    # set by the refresh below only (channel.workflow.guard gathers every extension's)
    _workflow_fields = ("tier_discount",)

    tier_discount = fields.Float(
        string="Tier Discount (%)",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="The partner's tier discount in force on the current billing period (its tier on "
        "the period's first day): what its invoice takes off the wholesale price, and what the "
        "margin counts. A tier change applies from the next period, never to one started.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        subscriptions._refresh_tier_discount()
        return subscriptions

    def _refresh_tier_discount(self, day=None, cache=None):
        """Set the tier discount in force on ``day`` (today) where it changed."""
        day = day or fields.Date.context_today(self)
        if cache is None:  # outside a run: the history of these partners only
            cache = {"tier_discount_partners": self.partner_id.commercial_partner_id.ids}
        history = self._tier_discount_history(cache)
        for subscription in self:
            if not subscription.date_start:
                continue
            percent = tier_discount_core.discount_in_force(
                subscription._tier_discount_changes(history),
                history["discounts"],
                subscription.date_start,
                subscription.periodicity,
                day,
            )
            if percent != subscription.tier_discount:
                subscription._workflow_write({"tier_discount": percent})

    def _tier_discount_changes(self, history):
        partner = self.partner_id.commercial_partner_id.id
        changes = history["changes"]
        return changes.get((partner, self.company_id.id)) or changes.get((partner, None), [])

    def _prepare_due_invoices(self, reference_date, cache=None):
        cache = {} if cache is None else cache
        prepared = super()._prepare_due_invoices(reference_date, cache)
        if not prepared:
            return prepared
        # a new period is billed: its discount is the one in force from now on
        self._refresh_tier_discount(reference_date, cache)
        history = self._tier_discount_history(cache)
        changes = self._tier_discount_changes(history)
        if not changes:
            return prepared
        for item in prepared:
            for command in item["move"]["invoice_line_ids"]:
                vals = command[2]
                _index, period_start, _end = period_core.period_containing(
                    self.date_start, self.periodicity, vals["billing_period_start"]
                )
                percent = tier_discount_core.discount_at(
                    changes, period_start, history["discounts"]
                )
                if percent:
                    vals["discount"] = percent
        return prepared

    def _tier_discount_history(self, cache):
        """``{"changes": {(partner id, company id): [(day, old tier id, new tier id)]},
        "discounts": {tier id: percent}}`` of every program membership (of the partners
        ``cache["tier_discount_partners"]`` only, when given), read once and kept in the run's
        ``cache`` (a membership of the subscription's company first, else any one the
        partner has: key ``(partner id, None)``)."""
        if "tier_discount_history" in cache:
            return cache["tier_discount_history"]
        Tier = self.env["partner.tier"].sudo().with_context(active_test=False)
        discounts = {
            tier["id"]: tier["discount_percent"]
            for tier in Tier.search_read([("discount_percent", ">", 0)], ["discount_percent"])
        }
        changes = defaultdict(list)
        if discounts:
            rows = (
                self.env["partner.tier.history"]
                .sudo()
                .search_read(
                    [("membership_id.state", "!=", "ended")]
                    + (
                        [("partner_id", "in", cache["tier_discount_partners"])]
                        if "tier_discount_partners" in cache
                        else []
                    ),
                    [
                        "membership_id",
                        "partner_id",
                        "company_id",
                        "date",
                        "old_tier_id",
                        "new_tier_id",
                    ],
                    order="date, id",
                )
            )
            for row in rows:
                change = (
                    fields.Datetime.to_datetime(row["date"]).date(),
                    (row["old_tier_id"] and row["old_tier_id"][0]) or None,
                    (row["new_tier_id"] and row["new_tier_id"][0]) or None,
                )
                partner_id = row["partner_id"] and row["partner_id"][0]
                company_id = row["company_id"] and row["company_id"][0]
                changes[partner_id, company_id].append(change)
            for (partner_id, _company_id), partner_changes in list(changes.items()):
                changes.setdefault((partner_id, None), partner_changes)
        cache["tier_discount_history"] = {"changes": dict(changes), "discounts": discounts}
        return cache["tier_discount_history"]
