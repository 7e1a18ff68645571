from datetime import date

from odoo.tests import freeze_time, tagged

from .common import BillingCommon


# the billing run of 1 March ran five days late
@freeze_time("2026-03-06 07:00:00")
@tagged("post_install", "-at_install")
class TestInvoiceDueDate(BillingCommon):
    """An invoice is dated on its billing period's date and due per the payment terms counted
    from that date, whatever the day the run happened: the partner's terms, else the company's
    default subscription terms, else due on its invoice date (never on the day of the run)."""

    def _late_run(self):
        # January to March of a subscription started on 1 January, pre-paid, billed on 6 March
        subscription = self._subscription(start=date(2026, 1, 1))
        run = self._run(date(2026, 3, 6))
        self.assertEqual(run.billed_count, 1)
        invoices = subscription.invoice_ids.sorted("invoice_date")
        self.assertEqual(invoices.mapped("state"), ["posted"] * 3)
        self.assertEqual(
            invoices.mapped("invoice_date"), [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
        )
        return invoices

    def test_without_payment_terms_due_on_the_invoice_date(self):
        self.assertFalse(self.channel_partner.property_payment_term_id)
        self.assertFalse(self.company.billing_payment_term_id)
        invoices = self._late_run()
        self.assertFalse(invoices.invoice_payment_term_id)
        self.assertEqual(
            invoices.mapped("invoice_date_due"),
            [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
            "each invoice is due on the date of its period, not on the day of the late run",
        )
        # the receivable too (what the follow-up and the aged balance read)
        receivable = invoices[-1].line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertEqual(receivable.date_maturity, date(2026, 3, 1))

    def test_company_default_terms_counted_from_the_invoice_date(self):
        thirty_days = self.env.ref("account.account_payment_term_30days")
        self.env["res.config.settings"].create(
            {"billing_payment_term_id": thirty_days.id}
        ).execute()
        self.assertEqual(self.company.billing_payment_term_id, thirty_days)
        invoices = self._late_run()
        self.assertEqual(invoices.invoice_payment_term_id, thirty_days)
        self.assertEqual(
            invoices.mapped("invoice_date_due"),
            [date(2026, 1, 31), date(2026, 3, 3), date(2026, 3, 31)],
        )

    def test_partner_terms_come_first(self):
        self.company.billing_payment_term_id = self.env.ref("account.account_payment_term_30days")
        self.channel_partner.property_payment_term_id = self.env.ref(
            "account.account_payment_term_15days"
        )
        invoices = self._late_run()
        self.assertEqual(
            invoices.invoice_payment_term_id, self.env.ref("account.account_payment_term_15days")
        )
        self.assertEqual(
            invoices.mapped("invoice_date_due"),
            [date(2026, 1, 16), date(2026, 2, 16), date(2026, 3, 16)],
        )
