"""The demo shows dunning as a user finds it after installing, from its own dates (never the clock:
the suite runs again 400 days ahead, and the demo is relative to its install day)."""

from datetime import timedelta

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDunningDemo(TransactionCase):
    """One invoice in dunning with its notice, one disputed from the portal, one whose tenant is
    suspended for non-payment and stays so (Harbor's), one whose tenant was suspended and is
    running again since the invoice was paid (Fjordline's Lumen, which its brand's public status
    page shows). The install day is the day Northwind's invoice was dunned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.suspension = cls.env.ref(
            "recurring_billing.dunning_level_suspension", raise_if_not_found=False
        )
        cls.lumen = cls.env.ref("white_label_tenant.demo_tenant_lumen", raise_if_not_found=False)

    def setUp(self):
        super().setUp()
        if not (self.suspension and self.lumen):
            self.skipTest("the demo data is not installed")

    def _demo_invoice(self, xmlid, **domain):
        partner = self.env.ref(xmlid)
        return self.env["account.move"].search(
            [
                ("partner_id", "=", partner.id),
                ("billing_dunning_level_id", "!=", False),
                *[(field, "=", value) for field, value in domain.items()],
            ]
        )

    def _notices(self, invoice):
        """What the partner was sent about the invoice, oldest first."""
        return [
            str(message.body)
            for message in invoice.message_ids.sorted("id")
            if invoice.partner_id in message.partner_ids
        ]

    def _bodies(self, record):
        return str(record.message_ids.mapped("body"))

    def test_the_demo_shows_dunning_a_dispute_and_a_payment(self):
        self.assertEqual(self.suspension.days, 45)
        dunned = self._demo_invoice("partner_scorecard.partner_northwind")
        self.assertEqual(len(dunned), 1)
        self.assertIn(
            dunned.billing_dunning_level_id.name,
            ("Reminder", "Second reminder", "Suspension warning"),
        )
        self.assertEqual(dunned.payment_state, "not_paid")
        self.assertIn(dunned.partner_id, dunned.message_ids.partner_ids)
        disputed = self._demo_invoice("white_label_tenant.demo_partner_msp", billing_dispute=True)
        self.assertEqual(len(disputed), 1)
        self.assertTrue(disputed.billing_dispute_reason)
        self.assertTrue(disputed.billing_dispute_by_id.share, "disputed by the portal user")
        self.assertFalse(disputed.billing_suspended_tenant_ids)

    def _skip_without_the_suspension_demo(self):
        # a database whose demo an older loader made (it dunned no invoice of Fjordline's)
        if not self._demo_invoice("white_label_tenant.demo_partner_agency"):
            self.skipTest("the demo data of recurring_billing was not installed with this code")

    def test_a_tenant_suspended_for_non_payment(self):
        """Harbor's invoice, due on its invoice date, went through the four levels on their
        days (7, 21, 35, 45 days late) and suspended the tenant it bills 45 days late; it is
        still unpaid, so that tenant stays suspended."""
        self._skip_without_the_suspension_demo()
        install_day = self._demo_invoice("partner_scorecard.partner_northwind").billing_dunning_date
        invoice = self._demo_invoice("partner_scorecard.partner_harbor")
        self.assertEqual(len(invoice), 1)
        tenant = invoice.billing_subscription_id.tenant_id
        self.assertEqual(tenant.name, "Meadowlark Freight ERP")
        due = invoice.invoice_date_due
        suspended_on = due + timedelta(days=45)
        self.assertEqual(due, invoice.invoice_date)
        self.assertLessEqual(suspended_on, install_day - timedelta(days=5))
        self.assertEqual(invoice.billing_dunning_level_id, self.suspension)
        self.assertEqual(invoice.billing_dunning_date, suspended_on)
        self.assertEqual(invoice.payment_state, "not_paid")
        notices = self._notices(invoice)
        for level, text in zip(
            ("Reminder", "Second reminder", "Suspension warning", "Suspension"),
            notices,
            strict=False,
        ):
            self.assertIn(level, text)
        self.assertEqual(len(notices), 5, "four levels and the suspension notice")
        self.assertIn(f"are suspended from {suspended_on}", notices[-1])
        letter, call = invoice.activity_ids.sorted("date_deadline")
        self.assertEqual(letter.date_deadline, due + timedelta(days=35))
        self.assertEqual(call.date_deadline, suspended_on)

        # the tenant, through the same suspension as a real one; its environment has no database
        self.assertEqual(invoice.billing_suspended_tenant_ids, tenant)
        self.assertFalse(invoice.billing_resumed_at)
        self.assertEqual(tenant.state, "suspended")
        self.assertEqual(tenant.environment_ids.mapped("state"), ["suspended"])
        self.assertFalse(tenant.environment_ids.error_message)
        self.assertIn("nothing was stopped", self._bodies(tenant.environment_ids))
        self.assertIn(f"Suspended on {suspended_on} for non-payment", self._bodies(tenant))

        # billing: paused from the suspension day, its churn booked for non-payment
        subscription = invoice.billing_subscription_id
        self.assertEqual(subscription.state, "paused")
        self.assertEqual(subscription.pause_date, suspended_on)
        churn = self.env["billing.mrr.movement"].search(
            [("subscription_id", "=", subscription.id), ("movement_type", "=", "churn")]
        )
        self.assertEqual(set(churn.mapped("date")), {suspended_on})
        self.assertEqual(set(churn.mapped("reason")), {"non_payment"})
        self.assertEqual(sum(churn.mapped("amount")), -1500.0, "hosting 900 + support 600")

    def test_a_tenant_resumed_when_its_invoice_was_paid(self):
        """Fjordline's first invoice of Lumen went the same way, then was paid in full on the
        install day: Lumen runs again (its brand's status page shows it) and its subscription is
        active."""
        self._skip_without_the_suspension_demo()
        install_day = self._demo_invoice("partner_scorecard.partner_northwind").billing_dunning_date
        invoice = self._demo_invoice("white_label_tenant.demo_partner_agency")
        self.assertEqual(len(invoice), 1)
        suspended_on = invoice.invoice_date_due + timedelta(days=45)
        self.assertLessEqual(suspended_on, install_day - timedelta(days=5))
        self.assertEqual(invoice.billing_dunning_level_id, self.suspension)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.matched_payment_ids.date, install_day)
        tenant = invoice.billing_suspended_tenant_ids
        self.assertEqual(tenant, self.lumen)
        self.assertEqual(tenant, invoice.billing_subscription_id.tenant_id)
        self.assertTrue(invoice.billing_resumed_at)
        self.assertEqual(tenant.state, "active")
        self.assertEqual(tenant.environment_ids.mapped("state"), ["active"])
        self.assertIn("nothing was stopped", self._bodies(tenant.environment_ids))
        self.assertIn("nothing was started again", self._bodies(tenant.environment_ids))
        self.assertIn("is paid, thank you", self._notices(invoice)[-1])
        self.assertEqual(invoice.billing_subscription_id.state, "active")
        movements = self.env["billing.mrr.movement"].search(
            [
                ("subscription_id", "=", invoice.billing_subscription_id.id),
                ("date", ">=", suspended_on),
            ],
            order="date, id",
        )
        self.assertEqual(
            {(m.date, m.movement_type, m.reason) for m in movements},
            {(suspended_on, "churn", "non_payment"), (install_day, "reactivation", False)},
        )
        self.assertEqual(sum(movements.mapped("amount")), 0.0, "back at its MRR")

    def test_no_demo_environment_is_left_in_error_by_the_dunning(self):
        self.assertFalse(
            self.env["tenant.environment"].search(
                [("state", "=", "error"), ("tenant_id.partner_id", "!=", False)]
            ),
        )
