import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# a one-page PDF: the evidence of the demo claims (accepted as a .pdf by the evidence check)
# wholesale discount %, MDF budget and its period of the demo tiers
_DEMO_TIERS = {
    "partner_scorecard.tier_silver": (5.0, 2000.0, "quarter"),
    "partner_scorecard.tier_gold": (10.0, 10000.0, "year"),
    "partner_scorecard.tier_summit": (15.0, 25000.0, "year"),
}
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class BillingMdfClaim(models.Model):
    """Demo data of the marketing development funds (``demo/billing_mdf_demo.xml``)."""

    _inherit = "billing.mdf.claim"

    @api.model
    def _load_demo_tier_benefits(self):
        for xmlid, (discount, mdf, periodicity) in _DEMO_TIERS.items():
            tier = self.env.ref(xmlid, raise_if_not_found=False)
            if tier and not tier.discount_percent and not tier.mdf_amount:
                tier.write(
                    {
                        "discount_percent": discount,
                        "mdf_amount": mdf,
                        "mdf_periodicity": periodicity,
                    }
                )

    @api.model
    def _load_demo_mdf(self):
        """Northwind's fund of the current period with one claim approved through its gate by
        the channel manager and paid by a vendor bill, and one claim waiting for approval (to be
        paid by a credit note). Relative to the install day; run once."""
        self._load_demo_tier_benefits()
        partner = self.env.ref("partner_scorecard.partner_northwind", raise_if_not_found=False)
        manager = self.env.ref(
            "partner_scorecard.demo_user_channel_manager", raise_if_not_found=False
        )
        if not partner or not manager or self.search_count([("partner_id", "=", partner.id)]):
            return
        today = fields.Date.context_today(self)
        company = self.env.company
        fund = self.env["billing.mdf.fund"]._open_fund(partner, company, today)
        day = max(fund.date_start, today - timedelta(days=20))
        paid, pending = self.create(
            [
                {
                    "name": "Retail ERP roadshow (3 cities)",
                    "description": "Booths and a breakfast seminar for retail prospects.",
                    "partner_id": partner.id,
                    "fund_id": fund.id,
                    "activity_date": day,
                    "amount": round(fund.budget * 0.4, 2),
                    "payment_method": "vendor_bill",
                },
                {
                    "name": "eCommerce webinar series",
                    "description": "Four webinars with the platform's product team.",
                    "partner_id": partner.id,
                    "fund_id": fund.id,
                    "activity_date": today,
                    "amount": round(fund.budget * 0.25, 2),
                    "payment_method": "credit_note",
                },
            ]
        )
        for claim, filename in ((paid, "roadshow-invoices.pdf"), (pending, "webinar-plan.pdf")):
            attachment = self.env["ir.attachment"].create(
                {
                    "name": filename,
                    "raw": _DEMO_PDF,
                    "res_model": self._name,
                    "res_id": claim.id,
                }
            )
            claim.evidence_ids = [fields.Command.link(attachment.id)]
        # the channel manager approves the first claim's gate, which pays it
        as_manager = paid.with_user(manager)
        try:
            with self.env.cr.savepoint():
                as_manager.gate_ids.approval_ids.filtered(
                    lambda a: a.state == "pending"
                ).action_approve()
                as_manager.action_approve()
        except UserError as error:  # a company without a chart of accounts cannot pay
            _logger.info("MDF demo: the approved claim is not paid (%s)", error)
        # the vendor bill is data of the module too: uninstalling it removes the bill, which
        # would otherwise keep Northwind (partner_scorecard's demo partner) from being removed
        if paid.move_id:
            self.env["ir.model.data"]._register_demo_records("recurring_billing", paid.move_id)
