from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestLineChange(BillingCommon):
    """The wizard behind the line's Change button: preview, then ``action_change``."""

    def _wizard(self, line, **values):
        action = line.action_open_change_wizard()
        self.assertEqual(action["res_model"], "billing.line.change")
        form = Form(line.env[action["res_model"]].with_context(**action["context"]))
        for name, value in values.items():
            setattr(form, name, value)
        return form

    def test_preview_then_apply_on_an_invoiced_line(self):
        subscription = self._subscription(date(2026, 1, 1), lines=[("hosting", 310.0)])
        self._run(date(2026, 3, 1))  # January to March invoiced, pre-paid
        line = subscription.line_ids
        self.assertEqual(line.last_date_invoiced, date(2026, 3, 31))
        form = self._wizard(line, date=date(2026, 3, 11), price_unit=620.0, quantity=2.0)
        # 21 of March's 31 days: credit 310 x 21/31 = 210, charge 620 x 2 x 21/31 = 840
        self.assertEqual(
            (form.preview_start, form.preview_end), (date(2026, 3, 11), date(2026, 3, 31))
        )
        self.assertEqual(form.preview_days, 21)
        self.assertAlmostEqual(form.preview_credit, 210.0)
        self.assertAlmostEqual(form.preview_charge, 840.0)
        self.assertAlmostEqual(form.preview_net, 630.0)
        self.assertAlmostEqual(form.mrr_before, 310.0)
        self.assertAlmostEqual(form.mrr_after, 1240.0)
        wizard = form.save()
        action = wizard.action_apply()
        self.assertEqual(
            action["type"],
            "ir.actions.act_window_close",
            "the dialog closes onto the subscription: no second one in the breadcrumb",
        )

        old, new = subscription.line_ids.sorted("date_start")
        self.assertEqual(old.date_end, date(2026, 3, 10))
        self.assertEqual(
            (new.date_start, new.price_unit, new.quantity), (date(2026, 3, 11), 620.0, 2.0)
        )
        # the next run bills exactly what the preview said
        run = self._run(date(2026, 3, 11))
        self.assertEqual(run.billed_count, 1)
        moves = run.line_ids.move_ids
        self.assertAlmostEqual(sum(moves.mapped("amount_total_signed")), 630.0)

    def test_before_anything_is_invoiced_the_figures_change_in_place(self):
        subscription = self._subscription(date(2026, 1, 1), lines=[("support", 200.0)])
        line = subscription.line_ids
        form = self._wizard(line, date=date(2026, 1, 1), quantity=3.0)
        self.assertEqual(form.preview_credit, 0.0, "nothing invoiced yet: nothing to credit")
        self.assertAlmostEqual(form.preview_charge, 600.0)
        form.save().action_apply()
        self.assertEqual(subscription.line_ids, line)
        self.assertEqual(line.quantity, 3.0)
        self.assertAlmostEqual(subscription.mrr, 600.0)

    def test_one_time_line_is_never_prorated(self):
        subscription = self._subscription(date(2026, 1, 1), lines=[("implementation", 3000.0)])
        form = self._wizard(subscription.line_ids, date=date(2026, 1, 16), price_unit=4000.0)
        self.assertEqual((form.preview_credit, form.preview_charge), (0.0, 4000.0))
        self.assertEqual((form.mrr_before, form.mrr_after), (0.0, 0.0), "one-time: never MRR")

    @freeze_time("2026-02-15")
    def test_not_offered_on_invoiced_one_time_nor_ended_lines(self):
        """The Change button is hidden on an invoiced one-time charge and on a line that has
        ended, and opening the wizard anyway is refused before any preview is shown."""
        subscription = self._subscription(
            date(2026, 1, 1), lines=[("hosting", 500.0), ("implementation", 3000.0)]
        )
        self._run(date(2026, 1, 1))
        hosting = subscription.line_ids.filtered("recurring")
        one_time = subscription.line_ids - hosting
        self._wizard(hosting, date=date(2026, 2, 1), price_unit=600.0).save().action_apply()
        ended = hosting
        running = subscription.line_ids - ended - one_time
        self.assertEqual(ended.date_end, date(2026, 1, 31))
        self.assertEqual(
            (ended.can_change, one_time.can_change, running.can_change), (False, False, True)
        )
        # the header's MRR is the total of the lines' MRR column: the ended line brings 0
        self.assertAlmostEqual(subscription.mrr, 600.0)
        self.assertEqual(
            (ended.current_mrr, one_time.current_mrr, running.current_mrr), (0.0, 0.0, 600.0)
        )
        self.assertAlmostEqual(sum(subscription.line_ids.mapped("current_mrr")), subscription.mrr)
        self.assertFalse(ended.is_running)
        for line, message in ((one_time, "already invoiced"), (ended, "ended on")):
            with self.subTest(line=line.name):
                with self.assertRaisesRegex(UserError, message):
                    line.action_open_change_wizard()
                with self.assertRaisesRegex(UserError, message):
                    Form(self.env["billing.line.change"].with_context(default_line_id=line.id))
        arch = self.env["billing.subscription"].get_view(view_type="form")["arch"]
        self.assertRegex(
            arch, r'name="action_open_change_wizard"[^>]*invisible="[^"]*not can_change'
        )

    def test_bad_input_names_the_field(self):
        subscription = self._subscription(date(2026, 1, 1), lines=[("support", 200.0)])
        line = subscription.line_ids
        cases = [
            ({"price_unit": -1.0}, "new price of line .* is negative"),
            (
                {"date": date(2025, 12, 1), "price_unit": 300.0},
                "set the Effective Date on or after it",
            ),
            ({}, "change the New Price or the New Quantity"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                wizard = self._wizard(line, **values).save()
                with self.assertRaisesRegex(UserError, message):
                    wizard.action_apply()
        self.assertEqual(subscription.line_ids, line)
        self.assertEqual((line.price_unit, line.quantity), (200.0, 1.0))

    def test_channel_user_without_billing_rights(self):
        """A channel user may open the wizard, but changing invoiced days needs a billing
        manager (the guard of ``action_change``)."""
        subscription = self._subscription(date(2026, 1, 1), lines=[("support", 200.0)])
        self._run(date(2026, 1, 1))
        user = new_test_user(
            self.env,
            login="billux_channel_user",
            groups="base.group_user,partner_scorecard.group_channel_user",
            company_id=self.company.id,
        )
        line = subscription.line_ids.with_user(user)
        wizard = self._wizard(line, date=date(2026, 1, 15), price_unit=100.0).save()
        with self.assertRaisesRegex(AccessError, "Only members of .*Billing Manager"):
            wizard.action_apply()
        self.assertEqual(fields.first(subscription.line_ids).price_unit, 200.0)

    def test_one_time_charge_changes_in_place_until_invoiced(self):
        subscription = self._subscription(
            date(2026, 1, 1), lines=[("hosting", 500.0), ("implementation", 3000.0)]
        )
        implementation = subscription.line_ids.filtered(lambda line: not line.recurring)
        implementation.action_change(date(2026, 1, 16), price_unit=4000.0)
        self.assertEqual(len(subscription.line_ids), 2, "no second one-time line")
        self.assertEqual(implementation.price_unit, 4000.0)
        self._run(date(2026, 1, 1))
        self.assertEqual(subscription.invoice_ids.amount_untaxed, 4500.0, "billed once, new price")
        with self.assertRaises(UserError) as refused:
            implementation.action_change(date(2026, 2, 1), price_unit=5000.0)
        self.assertIn("already invoiced", str(refused.exception))
        self.assertEqual(implementation.price_unit, 4000.0)
