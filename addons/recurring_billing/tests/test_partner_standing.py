from datetime import date, timedelta

from odoo.tests import freeze_time, tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestPartnerStanding(BillingCommon):
    """Ledger rows keep the partner type and tier of the movement's date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the program's configuration is a channel manager's: set up as superuser
        program = cls.env(su=True)
        cls.partner_type = program["partner.type"].create({"name": "MSP", "code": "billux_msp"})
        cls.silver, cls.gold = program["partner.tier"].create(
            [
                {"name": "Silver (billing)", "level": 20, "min_overall_score": 50},
                {"name": "Gold (billing)", "level": 30, "min_overall_score": 70},
            ]
        )
        cls.membership = program["partner.membership"]._workflow_create(
            {
                "partner_id": cls.channel_partner.id,
                "partner_type_id": cls.partner_type.id,
                "tier_id": cls.silver.id,
                "company_id": cls.company.id,
            }
        )

    def _movements(self, subscription):
        return self.env["billing.mrr.movement"].search(
            [("subscription_id", "=", subscription.id)], order="date, id"
        )

    @freeze_time("2026-06-15 10:00:00")
    def test_tier_change_does_not_rewrite_past_movements(self):
        today = date(2026, 6, 15)
        subscription = self._subscription(
            today - timedelta(days=60), customer=self.customer_1, lines=[("hosting", 500.0)]
        )
        first = self._movements(subscription)
        self.assertEqual(first.partner_tier_id, self.silver)
        self.assertEqual(first.partner_type_id, self.partner_type)

        self.membership._set_tier(self.gold, "Test")  # logged in the tier history, today
        self.env.invalidate_all()
        self.assertEqual(first.partner_tier_id, self.silver, "written before the change")
        hosting = subscription.line_ids
        # written after the change but dated before it: the tier of its date
        hosting.action_change(today - timedelta(days=30), price_unit=600.0)
        # dated after the change
        hosting = subscription.line_ids.filtered(lambda line: not line.date_end)
        hosting.action_change(today + timedelta(days=1), price_unit=700.0)
        self.assertEqual(
            [(m.movement_type, m.amount, m.partner_tier_id) for m in self._movements(subscription)],
            [
                ("new", 500.0, self.silver),
                ("expansion", 100.0, self.silver),
                ("expansion", 100.0, self.gold),
            ],
        )
        by_tier = dict(
            self.env["billing.mrr.movement"]._read_group(
                [("subscription_id", "=", subscription.id)], ["partner_tier_id"], ["amount:sum"]
            )
        )
        self.assertEqual(by_tier, {self.silver: 600.0, self.gold: 100.0})
        # the partner's current tier is Gold: the report by tier did not follow it
        self.assertEqual(self.channel_partner.channel_tier_id, self.gold)

    def test_partner_without_membership_has_no_tier(self):
        subscription = self._subscription(partner=self.other_partner, lines=[("hosting", 10.0)])
        movement = self._movements(subscription)
        self.assertTrue(movement)
        self.assertFalse(movement.partner_tier_id)
        self.assertFalse(movement.partner_type_id)
