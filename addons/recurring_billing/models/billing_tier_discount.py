from collections import defaultdict

from odoo import fields, models

from ..core import periods as period_core
from ..core import tier_discount as tier_discount_core


class BillingSubscription(models.Model):
    """The partner's tier discount on its invoices (``core.tier_discount``).

    Each invoice line gets the discount of the tier the partner held on the first day of the
    billing period the line belongs to (``account.move.line.discount``): a tier change applies
    from the first period that starts on or after its date, never to a period already started,
    and never to an invoice already created. The tier history is read once per billing run (one
    query for every partner of the run), not once per subscription or line.
    """

    _inherit = "billing.subscription"

    def _prepare_due_invoices(self, reference_date, cache=None):
        cache = {} if cache is None else cache
        prepared = super()._prepare_due_invoices(reference_date, cache)
        if not prepared:
            return prepared
        history = self._tier_discount_history(cache)
        key = (self.partner_id.commercial_partner_id.id, self.company_id.id)
        changes = history["changes"].get(key) or history["changes"].get(
            (self.partner_id.commercial_partner_id.id, None), []
        )
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
        "discounts": {tier id: percent}}`` of every program membership, read once and kept in the
        run's ``cache`` (a membership of the subscription's company first, else any one the
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
                    [("membership_id.state", "!=", "ended")],
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
