import base64
import json
import math
import re

import psycopg2

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ScorecardCase


def _refuse_constant(name):
    raise ValueError(f"invalid JSON constant {name}")


@tagged("post_install", "-at_install")
class TestNumbersChecked(HttpCase, ScorecardCase):
    """Every number checked (issue 11): imports, manual values, the portal deal form and template
    weights refuse what is not a finite number in range; a scorecard figure is never NaN."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._make_partner("Numbers Partner")
        cls.period = cls.Period._get_or_create(cls.ref_date, cls.company)
        cls.m_nps = cls.env["scorecard.metric"].create(
            {
                "code": "t_nps",
                "name": "NPS",
                "domain": "implementation",
                "unit": "score",
                "target": 50,
                "floor": -20,
                "provider": "manual",
            }
        )

    def _import(self, csv):
        wizard = self.env["partner.metric.import"].create(
            {"file": base64.b64encode(csv.encode()), "filename": "values.csv"}
        )
        return wizard.action_import()

    def _values(self):
        return self.env["partner.metric.value"].search(
            [("partner_id", "=", self.member.partner_id.id)]
        )

    # -- the metric CSV import ---------------------------------------------------------------------
    def test_import_refuses_nan_inf_overflow_and_negative_and_writes_nothing(self):
        existing = self.env["partner.metric.value"].create(
            {
                "partner_id": self.member.partner_id.id,
                "metric_id": self.m_csat.id,
                "period_id": self.period.id,
                "value": 70,
            }
        )
        name, p = "Numbers Partner", self.period.name
        csv = (
            "partner,metric,period,value\n"
            f"{name},t_csat,{p},95\n"  # a good row updating an existing value
            f"{name},t_quality,{p},nan\n"
            f"{name},t_quality,{p},inf\n"
            f"{name},t_quality,{p},1e400\n"
            f"{name},t_quality,{p},-5\n"
        )
        with self.assertRaises(UserError) as refused:
            self._import(csv)
        message = str(refused.exception)
        self.assertIn("line 3: value 'nan' is not a finite number", message)
        self.assertIn("line 4: value 'inf' is not a finite number", message)
        self.assertIn("line 5: value '1e400' is not a finite number", message)
        self.assertIn(
            "line 6: value '-5' is negative: metric 't_quality' does not allow negative values",
            message,
        )
        self.assertEqual(self._values(), existing, "nothing created")
        self.assertEqual(existing.value, 70, "nothing half-written: the good row waited too")
        # a metric that allows negatives (a net promoter score) takes them
        self._import(f"partner,metric,period,value\n{name},t_nps,{p},-12\n")
        self.assertEqual(self._values().filtered(lambda v: v.metric_id == self.m_nps).value, -12)

    def test_manual_value_entered_directly_is_checked_too(self):
        vals = {
            "partner_id": self.member.partner_id.id,
            "metric_id": self.m_quality.id,
            "period_id": self.period.id,
        }
        Value = self.env["partner.metric.value"]
        for bad in (math.nan, math.inf, -math.inf, 1e300, -5.0):
            with self.subTest(value=bad), self._refused(ValidationError, "t_quality"):
                Value.create({**vals, "value": bad})
        value = Value.create({**vals, "value": 80})
        with self._refused(ValidationError, "is not a finite number"):
            value.write({"value": math.nan})
        self.assertTrue(self.m_nps.allow_negative)
        self.assertFalse(self.m_quality.allow_negative)
        Value.create({**vals, "metric_id": self.m_nps.id, "value": -12})

    # -- template weights written on the line or domain directly -----------------------------------
    def test_template_line_and_domain_weights_checked_when_written_directly(self):
        line = self.template.line_ids.filtered(lambda ln: ln.metric_id == self.m_quality)
        with self._refused(ValidationError, "Implementation Quality adds up to 1049"):
            line.write({"weight": 999})
        with self._refused(ValidationError, "Weight in Implementation Quality is negative"):
            line.write({"weight": -50})
        with self._refused(ValidationError, "Weight in Implementation Quality is not a"):
            line.write({"weight": math.nan})
        domain = self.template.domain_weight_ids.filtered(lambda d: d.domain == "sales")
        with self._refused(ValidationError, "Domain Weights add up to 1059"):
            domain.write({"weight": 999})
        with self._refused(ValidationError, "Implementation Quality adds up to 150"):
            self.env["scorecard.template.line"].create(
                {"template_id": self.template.id, "metric_id": self.m_nps.id, "weight": 50}
            )
        with self._refused(ValidationError, "adds up to 50"):
            line.unlink()
        with self._refused(ValidationError, "Target must be a finite number"):
            line.write({"target": math.inf})
        self.assertEqual(line.weight, 50)
        self.assertEqual(domain.weight, 40)
        # saving a consistent change through the template still works
        self.template.write(
            {
                "line_ids": [
                    Command.update(line.id, {"weight": 40}),
                    Command.create({"metric_id": self.m_nps.id, "weight": 10}),
                ]
            }
        )
        self.assertEqual(sorted(self.template.line_ids.mapped("weight")), [10, 40, 50, 100])

    # -- a scorecard figure is never NaN -------------------------------------------------------------
    def test_nan_in_the_data_is_missing_not_a_nan_score_and_json_rpc_stays_valid(self):
        m_deal = self.env["scorecard.metric"].create(
            {
                "code": "t_avg_deal",
                "name": "Average deal",
                "domain": "sales",
                "unit": "amount",
                "target": 10000,
                "floor": 0,
                "provider": "crm_avg_deal_size",
            }
        )
        self.template.set_domain_metrics("sales", {self.m_win.id: 50, m_deal.id: 50})
        self._set_values(self.member, self.ref_date, quality=75, csat=90)
        lead = self._make_deal(
            self.member.partner_id, 1000, True, self.period.date_start, self.period.date_start
        )
        # a NaN amount in the database (written before the form was checked)
        self.env.cr.execute("UPDATE crm_lead SET expected_revenue = 'NaN' WHERE id = %s", [lead.id])
        card = self._card(self.member)
        self.assertTrue(math.isfinite(card.overall_score))
        deal_line = card.line_ids.filtered(lambda line: line.metric_id == m_deal)
        self.assertFalse(deal_line.has_value, "a NaN amount is no data")
        self.assertEqual(card.overall_score, 85.0)  # 0.6 * 75 (impl.) + 0.4 * 100 (win rate)
        # over JSON-RPC the figures are plain JSON numbers
        self.authenticate("sc_manager", "sc_manager")
        response = self.url_open(
            "/web/dataset/call_kw/partner.scorecard/read",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "partner.scorecard",
                        "method": "read",
                        "args": [card.ids, ["overall_score", "coverage", "trend"]],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        result = json.loads(response.text, parse_constant=_refuse_constant)["result"]
        self.assertEqual(result[0]["overall_score"], 85.0)

    # -- the portal deal registration form ------------------------------------------------------------
    def test_portal_deal_form_answers_a_form_error_to_numbers_that_are_not(self):
        contact = self.env["res.partner"].create(
            {"name": "Numbers Contact", "parent_id": self.member.partner_id.id}
        )
        new_test_user(
            self.env, login="portal_numbers", groups="base.group_portal", partner_id=contact.id
        )
        self.authenticate("portal_numbers", "portal_numbers")
        page = self.url_open("/my/deals")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        for bad in ("nan", "inf", "-inf", "1e300", "1e400", "-5"):
            with self.subTest(revenue=bad):
                response = self.url_open(
                    "/my/deals/register",
                    data={
                        "csrf_token": token,
                        "name": f"Deal {bad}",
                        "partner_name": "Numbers Customer",
                        "expected_revenue": bad,
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("Expected Revenue must be a positive number", response.text)
        self.assertFalse(self.env["crm.lead"].search([("partner_name", "=", "Numbers Customer")]))
        response = self.url_open(
            "/my/deals/register",
            data={
                "csrf_token": token,
                "name": "Sane deal",
                "partner_name": "Numbers Customer",
                "expected_revenue": "250000",
            },
        )
        self.assertIn("Deal registered", response.text)

    def test_database_refuses_a_nan_figure_whatever_the_path(self):
        card = self._card(self.member)
        for fname in ("overall_score", "coverage", "trend", "recurring_revenue"):
            with (
                self.subTest(field=fname),
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.CheckViolation),
            ):
                card._workflow_write({fname: math.nan})
                card.flush_recordset()
