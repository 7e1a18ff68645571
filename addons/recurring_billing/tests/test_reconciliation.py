from datetime import date

from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestReconciliation(BillingCommon):
    def test_ledger_matches_invoices_and_lists_differences(self):
        billed = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 300.0)])
        unbilled = self._subscription(
            start=date(2026, 4, 1), customer=self.customer_2, lines=[("support", 90.0)]
        )
        self.env["billing.run"]._run(date(2026, 4, 1), subscription_ids=billed.ids)
        billed.line_ids.action_change(date(2026, 4, 16), price_unit=600.0)
        self.env["billing.run"]._run(date(2026, 4, 16), subscription_ids=billed.ids)

        Reconciliation = self.env["billing.reconciliation"]
        rows = Reconciliation._compare(date(2026, 4, 1), date(2026, 4, 30))
        self.assertEqual(
            rows,
            [
                {
                    "subscription_id": unbilled.id,
                    "expected": 90.0,
                    "invoiced": 0.0,
                    "difference": -90.0,
                }
            ],
            "the upgraded subscription reconciles to the cent (150 + 300 prorated)",
        )
        self.assertFalse(Reconciliation._compare(date(2026, 4, 1), date(2026, 4, 30), billed))
        self.env["billing.run"]._run(date(2026, 4, 1), subscription_ids=unbilled.ids)
        self.assertFalse(Reconciliation._compare(date(2026, 4, 1), date(2026, 4, 30)))

        wizard = Reconciliation.create(
            {"date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}
        )
        wizard.action_compute()
        self.assertEqual(wizard.difference_count, 2, "May is not invoiced yet")
        self.assertAlmostEqual(wizard.expected_total, 690.0)
