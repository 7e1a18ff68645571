from datetime import date, datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .common import BillingCommon

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class MdfCommon(BillingCommon):
    """A tier granting 1,000.00 of marketing development funds per quarter, two partners in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        program = cls.env(su=True)
        cls.partner_type = program["partner.type"].create({"name": "MDF VAR", "code": "h7_mdf_var"})
        cls.tier = program["partner.tier"].create(
            {
                "name": "Gold (MDF)",
                "level": 91,
                "min_overall_score": 60,
                "mdf_amount": 1000.0,
                "mdf_periodicity": "quarter",
            }
        )
        with freeze_time(datetime(2026, 1, 1, 9, 0)):
            for partner in (cls.channel_partner, cls.other_partner):
                program["partner.membership"]._workflow_create(
                    {
                        "partner_id": partner.id,
                        "partner_type_id": cls.partner_type.id,
                        "tier_id": cls.tier.id,
                        "company_id": cls.company.id,
                    }
                )
        cls.manager = new_test_user(
            cls.env,
            login="h7_mdf_manager",
            groups="base.group_user,partner_scorecard.group_channel_manager",
        )
        cls.channel_user = new_test_user(
            cls.env,
            login="h7_mdf_user",
            groups="base.group_user,partner_scorecard.group_channel_user",
        )
        # the test user enters claims on behalf of partners, as channel staff does
        cls.env.user.groups_id += cls.env.ref("partner_scorecard.group_channel_user")
        cls.Claim = cls.env["billing.mdf.claim"]

    @classmethod
    def _claim(cls, amount, partner=None, evidence=True, method="vendor_bill", day=None):
        claim = cls.Claim.create(
            {
                "name": f"Trade show {amount}",
                "partner_id": (partner or cls.channel_partner).id,
                "amount": amount,
                "activity_date": day or date(2026, 5, 10),
                "payment_method": method,
            }
        )
        if evidence:
            attachment = cls.env["ir.attachment"].create(
                {"name": "booth.pdf", "raw": PDF, "res_model": claim._name, "res_id": claim.id}
            )
            claim.evidence_ids = [fields.Command.link(attachment.id)]
        return claim


@tagged("post_install", "-at_install")
class TestMdf(MdfCommon):
    """Claims against the fund, through the gate, paid by a vendor bill or a credit note."""

    def _approve_gate(self, claim):
        approvals = claim.gate_ids.approval_ids.filtered(lambda a: a.state == "pending")
        self.assertTrue(approvals, "the claim's gate waits for the channel manager")
        approvals.with_user(self.manager).action_approve()

    def test_fund_opens_with_the_tier_budget_of_the_period(self):
        claim = self._claim(100.0)
        fund = claim.fund_id
        self.assertEqual((fund.date_start, fund.date_end), (date(2026, 4, 1), date(2026, 6, 30)))
        self.assertEqual(fund.budget, 1000.0)
        self.assertEqual(fund.tier_id, self.tier)
        self.assertEqual((fund.reserved, fund.remaining), (100.0, 900.0))
        # the same period reuses the fund; another quarter opens another one
        self.assertEqual(self._claim(50.0, day=date(2026, 6, 30)).fund_id, fund)
        self.assertNotEqual(self._claim(50.0, day=date(2026, 7, 1)).fund_id, fund)
        # a later change of the tier's budget does not rewrite an open fund
        self.tier.sudo().mdf_amount = 5000.0
        self.assertEqual(fund.budget, 1000.0)

    def test_claim_over_budget_is_refused_and_nothing_is_created(self):
        with (
            self.assertRaisesRegex(UserError, "Amount: 1200.0 is more than what remains"),
            self.env.cr.savepoint(),
        ):
            self._claim(1200.0)
        self.assertFalse(self.Claim.search([("partner_id", "=", self.channel_partner.id)]))
        self.assertFalse(
            self.env["billing.mdf.fund"].search([("partner_id", "=", self.channel_partner.id)])
        )
        self._claim(600.0)
        # 600 reserved: 500 is too much, 400 fits exactly
        with self.assertRaisesRegex(UserError, "400.0 of 1000.0"), self.env.cr.savepoint():
            self._claim(500.0)
        self._claim(400.0)
        for amount in (0.0, -5.0):
            with (
                self.assertRaisesRegex(UserError, "Amount: a claim must be above zero"),
                self.env.cr.savepoint(),
            ):
                self._claim(amount, day=date(2026, 8, 1))

    def test_claim_gate_approval_and_vendor_bill(self):
        claim = self._claim(400.0)
        self.assertEqual(claim.gate_state, "open")
        # without the channel manager's approval the gate refuses the move
        with (
            self.assertRaisesRegex(UserError, "blocked by its governance gate"),
            self.env.cr.savepoint(),
        ):
            claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "submitted")
        self.assertFalse(claim.move_id)
        self._approve_gate(claim)
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "paid")
        self.assertEqual(claim.gate_state, "passed")
        self.assertEqual(claim.decided_by_id, self.manager)
        bill = claim.move_id
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.partner_id, self.channel_partner)
        self.assertEqual(bill.amount_total, 400.0)
        self.assertEqual(claim.fund_id.consumed, 400.0)
        self.assertEqual(claim.fund_id.remaining, 600.0)
        with self.assertRaisesRegex(UserError, "already Paid"):
            claim.with_user(self.manager).action_approve()

    def test_claim_paid_by_credit_note(self):
        claim = self._claim(250.0, method="credit_note")
        self._approve_gate(claim)
        claim.with_user(self.manager).action_approve()
        note = claim.move_id
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.state, "posted")
        self.assertEqual(note.partner_id, self.channel_partner)
        self.assertEqual(note.amount_total, 250.0)
        self.assertEqual(claim.state, "paid")

    def test_claim_without_evidence_is_blocked_by_the_gate(self):
        claim = self._claim(100.0, evidence=False)
        self._approve_gate(claim)
        with (
            self.assertRaisesRegex(UserError, "Evidence of the activity is attached"),
            self.env.cr.savepoint(),
        ):
            claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "submitted")
        self.assertFalse(self.env["account.move"].search([("ref", "like", claim.name)]))

    def test_reject_with_reason_gives_the_budget_back(self):
        claim = self._claim(700.0)
        self.assertEqual(claim.fund_id.remaining, 300.0)
        wizard = (
            self.env["billing.mdf.claim.reject"]
            .with_user(self.manager)
            .create({"claim_ids": [fields.Command.set(claim.ids)], "reason": "  "})
        )
        with self.assertRaisesRegex(UserError, "Reason: say why"):
            wizard.action_reject()
        wizard.reason = "No proof the booth was ours"
        wizard.action_reject()
        self.assertEqual(claim.state, "rejected")
        self.assertEqual(claim.reject_reason, "No proof the booth was ours")
        self.assertEqual(claim.decided_by_id, self.manager)
        self.assertEqual(claim.fund_id.remaining, 1000.0)
        self.assertFalse(claim.move_id)
        self.assertEqual(claim.gate_state, "killed", "the gate closes with the claim")

    def test_go_on_the_gate_pays_and_kill_rejects(self):
        """The gate form's own decisions do what the claim's buttons do."""
        paid = self._claim(300.0)
        self._approve_gate(paid)
        paid.gate_ids.with_user(self.manager).action_go()
        self.assertEqual(paid.state, "paid")
        self.assertEqual(paid.move_id.amount_total, 300.0)
        self.assertEqual(paid.decided_by_id, self.manager)
        killed = self._claim(200.0)
        killed.gate_ids.with_user(self.manager).action_kill()
        self.assertEqual(killed.state, "rejected")
        self.assertEqual(killed.reject_reason, "Killed at its governance gate.")
        self.assertEqual(killed.fund_id.remaining, 700.0)

    def test_rights_per_role(self):
        claim = self._claim(100.0)
        self._approve_gate(claim)
        # a channel user reads claims but cannot decide them
        self.assertEqual(claim.with_user(self.channel_user).amount, 100.0)
        with self.assertRaises(AccessError):
            claim.with_user(self.channel_user).action_approve()
        with self.assertRaises(AccessError):
            claim.with_user(self.channel_user).action_reject("no")
        # workflow fields and what was claimed never change by a plain write, for anyone
        for vals in ({"state": "paid"}, {"amount": 900.0}, {"move_id": False}):
            with self.assertRaises(AccessError):
                claim.with_user(self.manager).write(vals)
            with self.assertRaises(AccessError):
                claim.sudo().write(vals)
        with self.assertRaises(AccessError):
            claim.fund_id.sudo().write({"budget": 99999.0})
        self.assertEqual(claim.state, "submitted")

    def test_claim_must_use_its_partners_fund(self):
        fund = self._claim(10.0, partner=self.other_partner).fund_id
        with self.assertRaisesRegex(ValidationError, "must draw on its own fund"):
            self.Claim.create(
                {
                    "name": "Borrowed fund",
                    "partner_id": self.channel_partner.id,
                    "fund_id": fund.id,
                    "amount": 10.0,
                }
            )

    def test_partner_without_tier_has_no_funds(self):
        nobody = self.env["res.partner"].create({"name": "No Program", "is_company": True})
        with self.assertRaisesRegex(UserError, "has no tier in the partner program"):
            self._claim(10.0, partner=nobody)


@tagged("post_install", "-at_install")
class TestMdfApprovalTour(MdfCommon, HttpCase):
    """A Channel Manager approves a claim through its gate and pays it, in the browser."""

    def test_tour_approve_and_pay(self):
        manager = new_test_user(
            self.env,
            login="h7_mdf_tour_manager",
            password="h7_mdf_tour_manager",
            groups="base.group_user,partner_scorecard.group_channel_manager,"
            "account.group_account_invoice",
        )
        # the approval step is routed to the Channel Managers when the claim's gate opens
        claim = self._claim(350.0)
        claim.name = "Tour booth"
        self.assertIn(manager, claim.gate_ids.approval_ids.reviewer_ids)
        # the tour first clicks Approve and Pay before the gate is approved: the server refuses
        # it (a UserError, which Odoo's HTTP layer logs as a warning)
        with self.assertLogs("odoo.http", "WARNING") as refused:
            self.start_tour(
                f"/odoo/action-recurring_billing.billing_mdf_claim_action/{claim.id}",
                "recurring_billing_mdf_approval",
                login="h7_mdf_tour_manager",
            )
        self.assertIn("blocked by its governance gate", refused.output[0])
        self.assertEqual(claim.state, "paid")
        self.assertEqual(claim.decided_by_id, manager)
        self.assertEqual(claim.move_id.move_type, "in_invoice")
        self.assertEqual(claim.move_id.amount_total, 350.0)
        self.assertEqual(claim.move_id.state, "posted")
