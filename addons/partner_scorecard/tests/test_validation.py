import base64
from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestValidation(ScorecardCase):
    def test_weights_that_do_not_add_up_are_rejected_with_the_domain_named(self):
        with self.assertRaisesRegex(ValidationError, "Implementation Quality adds up to 90"):
            self.env["scorecard.template"].create(
                {
                    "name": "Bad",
                    "partner_type_id": self.env.ref("partner_scorecard.partner_type_oem").id,
                    "domain_weight_ids": [
                        Command.create({"domain": "implementation", "weight": 100})
                    ],
                    "line_ids": [
                        Command.create({"metric_id": self.m_quality.id, "weight": 40}),
                        Command.create({"metric_id": self.m_csat.id, "weight": 50}),
                    ],
                }
            )
        implementation = self.template.domain_weight_ids.filtered(
            lambda d: d.domain == "implementation"
        )
        with self.assertRaisesRegex(ValidationError, "Domain Weights add up to 90"):
            self.template.write(
                {"domain_weight_ids": [Command.update(implementation.id, {"weight": 50})]}
            )

    def test_template_without_metric_is_rejected(self):
        with self.assertRaisesRegex(ValidationError, "has no metric"):
            self.env["scorecard.template"].create(
                {
                    "name": "Empty",
                    "partner_type_id": self.env.ref("partner_scorecard.partner_type_oem").id,
                }
            )

    def test_tier_without_criteria_is_rejected_unless_entry_tier(self):
        with self.assertRaisesRegex(ValidationError, "has no criteria"):
            self.env["partner.tier"].create({"name": "Hollow", "level": 150})

    def test_negative_target_where_unit_forbids_it(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.m_quality.write({"target": -5, "floor": -10})
        # a score may be negative (NPS)
        self.m_quality.write({"unit": "score", "target": 50, "floor": -20})

    def test_unknown_provider(self):
        with self.assertRaisesRegex(ValidationError, "unknown provider 'nope'"):
            self.env["scorecard.metric"].create(
                {"code": "x", "name": "X", "domain": "sales", "provider": "nope", "target": 1}
            )

    def test_period_overlap(self):
        self.Period._get_or_create(self.ref_date, self.company)
        with self.assertRaisesRegex(ValidationError, "overlaps period 2026-Q2"):
            self.Period.create(
                {"name": "Custom", "date_start": date(2026, 5, 1), "date_end": date(2026, 5, 31)}
            )

    def test_import_with_one_bad_row_imports_nothing_and_lists_every_bad_row(self):
        member = self._make_partner("Import Target")
        period = self.Period._get_or_create(self.ref_date, self.company)
        csv = (
            "partner,metric,period,value,note\n"
            f"Import Target,t_quality,{period.name},88,ok\n"
            f"Import Target,t_unknown,{period.name},70,\n"
            f"Nobody,t_csat,{period.name},abc,\n"
        )
        wizard = self.env["partner.metric.import"].create(
            {"file": base64.b64encode(csv.encode()), "filename": "values.csv"}
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        self.assertIn("line 3: unknown metric 't_unknown'", message)
        self.assertIn("line 4: unknown partner 'Nobody'", message)
        self.assertIn("line 4: value 'abc' is not a number", message)
        self.assertFalse(
            self.env["partner.metric.value"].search([("partner_id", "=", member.partner_id.id)])
        )
        good = f"partner,metric,period,value\nImport Target,t_quality,{period.name},88\n"
        wizard.file = base64.b64encode(good.encode())
        wizard.action_import()
        value = self.env["partner.metric.value"].search([("partner_id", "=", member.partner_id.id)])
        self.assertEqual(value.value, 88)

    def test_channel_user_cannot_apply_or_close(self):
        member = self._make_partner("Guarded Ltd")
        card = self._card(member)
        with self.assertRaises(UserError):
            card.with_user(self.user).action_close()
        with self.assertRaises(UserError):
            card.with_user(self.user).action_recompute()

    def test_set_domain_metrics_replaces_one_domain_only(self):
        self.template.set_domain_metrics("implementation", {self.m_quality.id: 100})
        self.assertEqual(
            {(line.metric_id, line.weight) for line in self.template.line_ids},
            {(self.m_quality, 100), (self.m_win, 100)},
            "the implementation domain now has one metric; sales is untouched",
        )
        # assertRaises (not assertRaisesRegex) rolls the refused write back, as a request would
        with self.assertRaises(ValidationError) as refused:
            self.template.set_domain_metrics(
                "implementation", {self.m_quality.id: 40, self.m_csat.id: 30}
            )
        self.assertIn("Implementation Quality adds up to 70", str(refused.exception))
        with self.assertRaises(ValidationError) as refused:
            self.template.set_domain_metrics("implementation", {self.m_win.id: 100})
        self.assertIn("Win rate do not belong", str(refused.exception))
        self.assertEqual(
            {(line.metric_id, line.weight) for line in self.template.line_ids},
            {(self.m_quality, 100), (self.m_win, 100)},
            "a refused change leaves the template as it was",
        )
