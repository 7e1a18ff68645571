from datetime import date, datetime

from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .common import BillingCommon


class TierDiscountCommon(BillingCommon):
    """The partner's tier discount on its wholesale invoices: the tier in force on the first day
    of each billing period (from the tier history), never retroactive, posted invoices untouched.

    Hand figures: hosting 500.00 + support 200.00 a month; Silver 5 % -> 475.00 + 190.00 =
    665.00; Gold 12.5 % -> 437.50 + 175.00 = 612.50.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        program = cls.env(su=True)
        cls.partner_type = program["partner.type"].create(
            {"name": "Discount MSP", "code": "h7_discount_msp"}
        )
        cls.silver, cls.gold = program["partner.tier"].create(
            [
                {
                    "name": "Silver (discount)",
                    "level": 81,
                    "min_overall_score": 50,
                    "discount_percent": 5.0,
                },
                {
                    "name": "Gold (discount)",
                    "level": 82,
                    "min_overall_score": 70,
                    "discount_percent": 12.5,
                },
            ]
        )
        # Silver since January 1st, 2026 (the tier history is dated when the membership opens)
        with freeze_time(datetime(2026, 1, 1, 9, 0)):
            cls.membership = cls._member(cls.channel_partner, cls.silver)

    @classmethod
    def _member(cls, partner, tier):
        return cls.env(su=True)["partner.membership"]._workflow_create(
            {
                "partner_id": partner.id,
                "partner_type_id": cls.partner_type.id,
                "tier_id": tier.id,
                "company_id": cls.company.id,
            }
        )

    def _upgrade_on(self, when):
        with freeze_time(when):
            self.membership._set_tier(self.gold, "Scorecard Q1")

    def _amounts(self, subscription):
        moves = subscription.invoice_ids.sorted("invoice_date")
        return [(move.invoice_date, move.amount_untaxed) for move in moves]


@tagged("post_install", "-at_install")
class TestTierDiscount(TierDiscountCommon):
    """Discount of each billing period from the tier history, by hand figures."""

    def test_discount_from_the_tier_change_date_not_retroactive(self):
        subscription = self._subscription()
        self._run(date(2026, 1, 1))
        self._run(date(2026, 2, 1))
        january, february = subscription.invoice_ids.sorted("invoice_date")
        self.assertEqual(january.state, "posted")
        self.assertEqual(january.invoice_line_ids.mapped("discount"), [5.0, 5.0])
        # Gold from February 15th: February started at Silver and stays so; March is Gold
        self._upgrade_on(datetime(2026, 2, 15, 10, 0))
        self.assertFalse(self._run(date(2026, 2, 15)), "nothing due mid-February")
        self._run(date(2026, 3, 1))
        self.assertEqual(
            self._amounts(subscription),
            [
                (date(2026, 1, 1), 665.0),
                (date(2026, 2, 1), 665.0),
                (date(2026, 3, 1), 612.5),
            ],
        )
        march = subscription.invoice_ids.sorted("invoice_date")[-1]
        self.assertEqual(march.invoice_line_ids.mapped("discount"), [12.5, 12.5])
        self.assertEqual(sorted(march.invoice_line_ids.mapped("price_subtotal")), [175.0, 437.5])
        # the posted invoices of January and February did not change
        self.assertEqual(january.invoice_line_ids.mapped("discount"), [5.0, 5.0])
        self.assertEqual(january.amount_untaxed, 665.0)
        self.assertEqual(february.amount_untaxed, 665.0)
        # a later change of the tier's percentage changes no invoice already issued
        self.gold.sudo().discount_percent = 20.0
        self.assertEqual(march.amount_untaxed, 612.5)
        # the billed periods record the net amount
        periods = self.env["billing.invoice.period"].search([("move_id", "=", march.id)])
        self.assertEqual(sum(periods.mapped("amount")), 612.5)

    def test_discounted_invoices_reconcile_with_the_ledger(self):
        """The MRR ledger books list prices: a discounted invoice is no difference in the
        reconciliation (the discount shows on the invoice, not as revenue missing)."""
        subscription = self._subscription()
        self._run(date(2026, 1, 1))
        self.assertEqual(self._amounts(subscription), [(date(2026, 1, 1), 665.0)])
        rows = self.env["billing.reconciliation"]._compare(
            date(2026, 1, 1), date(2026, 1, 31), subscription
        )
        self.assertEqual(rows, [], "700 of list price billed at 5 % off reconciles")

    def test_backlog_after_the_change_bills_each_period_at_its_own_tier(self):
        """Billed late (on March 1st, after the February 15th upgrade), January and February
        still carry Silver's discount: the tier of their first day, not today's."""
        self._upgrade_on(datetime(2026, 2, 15, 10, 0))
        subscription = self._subscription()
        self._run(date(2026, 3, 1))
        self.assertEqual(
            self._amounts(subscription),
            [
                (date(2026, 1, 1), 665.0),
                (date(2026, 2, 1), 665.0),
                (date(2026, 3, 1), 612.5),
            ],
        )

    def test_change_on_the_period_start_applies_to_that_period(self):
        self._upgrade_on(datetime(2026, 3, 1, 8, 0))
        subscription = self._subscription(start=date(2026, 3, 1))
        self._run(date(2026, 3, 1))
        self.assertEqual(self._amounts(subscription), [(date(2026, 3, 1), 612.5)])

    def test_partner_joined_mid_period_and_partner_without_tier(self):
        other = self.env["res.partner"].create({"name": "Late Joiner", "is_company": True})
        with freeze_time(datetime(2026, 1, 10, 12, 0)):
            self._member(other, self.gold)
        late = self._subscription(partner=other)
        none = self._subscription(partner=self.other_partner)
        self._run(date(2026, 2, 1))
        # joined on January 10th: January at list price, February at Gold
        self.assertEqual(
            self._amounts(late), [(date(2026, 1, 1), 700.0), (date(2026, 2, 1), 612.5)]
        )
        self.assertEqual(
            self._amounts(none), [(date(2026, 1, 1), 700.0), (date(2026, 2, 1), 700.0)]
        )

    def test_tier_history_is_read_once_per_run(self):
        """Billing 3 or 9 discounted subscriptions takes a fixed number of queries
        more than Odoo's batched create and post of the same (discounted) invoices: the tier
        history comes from one read per run (a dict lookup per line), not one per subscription."""
        overheads = []
        # the first round only warms Odoo's caches (precisions, parameters, subtypes)
        for count in (1, 3, 9):
            # one partner (Silver), so that Odoo's own per-partner work (addresses, fiscal
            # position) is the same at every size: what grows would be the discount's
            subscriptions = self.env["billing.subscription"].browse(
                [self._subscription().id for _i in range(count)]
            )
            vals = [
                item["move"]
                for subscription in subscriptions
                for item in subscription._prepare_due_invoices(date(2026, 1, 1))
            ]
            self.env.flush_all()
            self.cr.execute("SAVEPOINT floor")
            bare, _moves = self._count_queries(
                lambda vals=vals: self.env["account.move"]
                .with_context(tracking_disable=True)
                .create(vals)
                .action_post()
            )
            self.cr.execute("ROLLBACK TO SAVEPOINT floor")
            self.env.invalidate_all()
            ours, run = self._count_queries(
                lambda ids=subscriptions.ids: self.env["billing.run"]._run(
                    date(2026, 1, 1), subscription_ids=ids
                )
            )
            self.assertEqual(run.billed_count, count)
            self.assertEqual(
                set(subscriptions.invoice_ids.invoice_line_ids.mapped("discount")), {5.0}
            )
            overheads.append(ours - bare)
        self.assertEqual(overheads[1], overheads[2], f"3 vs 9 subscriptions: {overheads}")
        # the tier history of every partner: a fixed few queries once, then from the run's cache
        self.env.flush_all()
        self.env.invalidate_all()
        cache, reads = {}, []
        for _call in range(2):
            before = self.cr.sql_log_count
            self.env["billing.subscription"]._tier_discount_history(cache)
            reads.append(self.cr.sql_log_count - before)
        self.assertLessEqual(reads[0], 10, "tiers and history: a fixed few queries")
        self.assertEqual(reads[1], 0, "read once per run")


@freeze_time("2026-03-01 10:00:00")
@tagged("post_install", "-at_install")
class TestTierDiscountTour(TierDiscountCommon, HttpCase):
    """In the browser, a Channel Manager (also Billing Manager) gives the Gold tier its discount
    and invoices the subscription of a partner that became Gold on February 15th: the March
    invoice carries Gold's 12.5 % (700.00 -> 612.50), January and February keep Silver's 5 %."""

    def test_tour_tier_discount_on_the_next_invoice(self):
        subscription = self._subscription(name="Tour Discount Stack")
        self._run(date(2026, 2, 1))
        self._upgrade_on(datetime(2026, 2, 15, 10, 0))
        self.gold.sudo().discount_percent = 0.0
        new_test_user(
            self.env,
            login="h7_discount_manager",
            password="h7_discount_manager",
            groups="base.group_user,partner_scorecard.group_channel_manager,"
            "recurring_billing.group_billing_manager,account.group_account_invoice",
        )
        self.start_tour(
            f"/odoo/action-partner_scorecard.partner_tier_action/{self.gold.id}",
            "recurring_billing_tier_discount",
            login="h7_discount_manager",
        )
        self.assertEqual(self.gold.discount_percent, 12.5)
        self.assertEqual(
            self._amounts(subscription),
            [
                (date(2026, 1, 1), 665.0),
                (date(2026, 2, 1), 665.0),
                (date(2026, 3, 1), 612.5),
            ],
        )
