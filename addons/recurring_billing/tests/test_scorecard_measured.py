from datetime import date

from odoo.tests import TransactionCase, tagged

from odoo.addons.partner_scorecard.core.scoring import check_weights
from odoo.addons.white_label_tenant import uninstall_hook as tenant_hook

from .. import uninstall_hook as billing_hook
from .common import BillingCommon

# The metrics of the shipped templates that nothing in the suite can measure: typed or imported
# (partner_scorecard's readme/USAGE.md lists them). Every other line is measured.
DOCUMENTED_MANUAL = {
    "impl_delivery_quality",  # a delivery audit's result
    "customer_csat",  # survey results
    "customer_nps",
    "customer_referenceability",  # customers who agreed to be a reference
    "eco_contributions",  # community contributions
}
PARTNER_TYPES = (
    "implementation",
    "consulting",
    "hosting_msp",
    "regional_reseller",
    "white_label",
    "oem",
)


@tagged("post_install", "-at_install")
class TestShippedTemplates(TransactionCase):
    """With the four modules installed, each partner type's shipped template adds up and is
    scored on measured metrics, except the ones documented as manual."""

    def _templates(self):
        return {code: self.env.ref(f"partner_scorecard.template_{code}") for code in PARTNER_TYPES}

    def test_each_partner_type_has_its_template(self):
        for code, template in self._templates().items():
            self.assertEqual(template.partner_type_id.code, code)
            self.assertTrue(template.active)

    def test_lines_are_measured_except_the_documented_manual_ones(self):
        providers = self.env["partner.scorecard.provider"]._get_providers()
        for code, template in self._templates().items():
            for metric in template.line_ids.metric_id:
                self.assertIn(metric.provider, providers, f"{code}: {metric.code}")
                if metric.code not in DOCUMENTED_MANUAL:
                    self.assertNotEqual(
                        metric.provider, "manual", f"{code}: {metric.code} is typed by hand"
                    )

    def test_weights_add_up(self):
        for code, template in self._templates().items():
            self.assertEqual(sum(template.domain_weight_ids.mapped("weight")), 100.0, code)
            problems = check_weights(
                [(line.metric_id.domain, line.weight) for line in template.line_ids],
                {d.domain: d.weight for d in template.domain_weight_ids},
            )
            self.assertEqual(problems, [], code)

    def test_hosting_partners_are_scored_on_operations_and_recurring_revenue(self):
        hosting = self._templates()["hosting_msp"]
        weights = {d.domain: d.weight for d in hosting.domain_weight_ids}
        self.assertGreaterEqual(weights["operations"] + weights["revenue"], 60.0)
        self.assertEqual(max(weights, key=weights.get), "operations")
        codes = set(hosting.line_ids.metric_id.mapped("code"))
        self.assertLessEqual(
            {"tenant_uptime", "tenant_sla_compliance", "tenant_backup_success", "revenue_mrr"},
            codes,
        )

    def test_typed_metrics_of_partner_scorecard_are_measured(self):
        expected = {
            "metric_revenue_mrr": "billing_mrr",
            "metric_revenue_renewal_rate": "billing_renewal_rate",
            "metric_ops_response_hours": "tenant_first_response",
        }
        for xmlid, provider in expected.items():
            self.assertEqual(self.env.ref(f"partner_scorecard.{xmlid}").provider, provider)

    def test_uninstall_hooks_set_the_measured_metrics_back_to_manual(self):
        billing_hook(self.env)
        tenant_hook(self.env)
        for xmlid in ("revenue_mrr", "revenue_renewal_rate", "ops_response_hours"):
            self.assertEqual(self.env.ref(f"partner_scorecard.metric_{xmlid}").provider, "manual")
        # no metric is left on a provider of the modules going away
        self.assertFalse(
            self.env["scorecard.metric"]
            .with_context(active_test=False)
            .search_count([("provider", "=like", "billing\\_%")])
        )


@tagged("post_install", "-at_install")
class TestMeasuredMrr(BillingCommon):
    """The partner's MRR on the period's last day, from the ledger, for two partners.

    Channel partner: A 700 (hosting 500 + support 200) from January, its support to 300 on
    10 February; B 300 closed on 15 February; C 100 -> 28 February: 800 + 0 + 100 = 900.
    Other partner: 250 of hosting from 20 February. A third partner never billed: missing.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_a = cls._subscription(date(2026, 1, 1), customer=cls.customer_1)
        cls.sub_b = cls._subscription(
            date(2026, 1, 1), customer=cls.customer_2, lines=[("hosting", 300.0)]
        )
        cls._subscription(date(2026, 1, 1), customer=cls.customer_2, lines=[("support", 100.0)])
        cls.sub_a.line_ids.filtered(lambda line: line.service_type == "support").action_change(
            date(2026, 2, 10), price_unit=300.0
        )
        cls.sub_b.action_close(date(2026, 2, 15))
        cls._subscription(date(2026, 2, 20), partner=cls.other_partner, lines=[("hosting", 250.0)])
        cls.idle = cls.env["res.partner"].create({"name": "Idle Partner", "is_company": True})
        cls.Provider = cls.env["partner.scorecard.provider"]

    def _mrr(self, date_to, company=None):
        metric = self.env["scorecard.metric"].new(
            {"code": "billing_mrr", "provider": "billing_mrr"}
        )
        context = self.Provider._metric_context(
            company or self.env.company,
            date(2026, 2, 1),
            date_to,
            [self.channel_partner.id, self.other_partner.id, self.idle.id],
        )
        return self.Provider._compute_metric(metric, context)

    def test_mrr_at_the_end_of_the_period(self):
        self.assertEqual(
            self._mrr(date(2026, 2, 28)),
            {self.channel_partner.id: 900.0, self.other_partner.id: 250.0},
        )
        # on 14 February B still runs and the other partner has not started
        self.assertEqual(self._mrr(date(2026, 2, 14)), {self.channel_partner.id: 1200.0})

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "MRR Other Co"})
        self.assertEqual(self._mrr(date(2026, 2, 28), other), {})
