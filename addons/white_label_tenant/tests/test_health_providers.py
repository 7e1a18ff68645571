from datetime import date, datetime

from odoo.tests import tagged

from .common import TenantCase

JUNE = (date(2026, 6, 1), date(2026, 6, 30))


@tagged("post_install", "-at_install")
class TestHealthProviders(TenantCase):
    """Adoption rate, module utilisation and churn risk for partners A and B over June 2026,
    from each live tenant's latest snapshot of the month, computed by hand:

    - A, tenant A1: adoption 80 (healthy), 2 of 4 apps (50 %), not at risk (an earlier snapshot
      at risk is not the latest); tenant A2: adoption 50, 5 of 4 apps (capped: 100 %), at risk;
      -> adoption rate 50 %, module utilisation 75 %, churn risk 50 %;
    - B: adoption not measured (no adoption, no utilisation value), score measured, not at risk
      -> churn risk 0 %;
    - A's tenant of company 2, at risk and healthy, and A's decommissioned tenant: not counted.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tenant = cls.env["tenant.tenant"]
        cls.company_2 = cls.env["res.company"].create({"name": "Health Company 2"})
        cls.tenant_a2 = Tenant.create({"name": "Alpha second", "partner_id": cls.partner_a.id})
        cls.tenant_a3 = Tenant.create(
            {"name": "Alpha abroad", "partner_id": cls.partner_a.id, "company_id": cls.company_2.id}
        )
        cls.tenant_gone = Tenant.create({"name": "Alpha gone", "partner_id": cls.partner_a.id})
        live = cls.tenant_a | cls.tenant_a2 | cls.tenant_a3 | cls.tenant_b
        for tenant in live | cls.tenant_gone:
            # live before the go-live gate existed for them: activated_at set first
            tenant._workflow_write({"activated_at": datetime(2026, 1, 5)})
            tenant._workflow_write({"state": "active"})
        cls.tenant_gone._workflow_write({"state": "decommissioned"})
        adopted = {"score_measured": True, "adoption_measured": True, "apps_measured": True}
        rows = [
            (
                cls.tenant_a,
                date(2026, 6, 10),
                dict(
                    adopted, adoption_score=30, renewal_risk=True, installed_apps=1, expected_apps=4
                ),
            ),
            (
                cls.tenant_a,
                date(2026, 6, 28),
                dict(adopted, adoption_score=80, installed_apps=2, expected_apps=4),
            ),
            (cls.tenant_a, date(2026, 7, 2), dict(adopted, adoption_score=10, renewal_risk=True)),
            (
                cls.tenant_a2,
                date(2026, 6, 20),
                dict(
                    adopted, adoption_score=50, renewal_risk=True, installed_apps=5, expected_apps=4
                ),
            ),
            (
                cls.tenant_a3,
                date(2026, 6, 20),
                dict(
                    adopted, adoption_score=90, renewal_risk=True, installed_apps=4, expected_apps=4
                ),
            ),
            (
                cls.tenant_gone,
                date(2026, 6, 20),
                dict(adopted, adoption_score=90, renewal_risk=True),
            ),
            (cls.tenant_b, date(2026, 6, 20), {"score_measured": True, "score": 80}),
        ]
        cls.env["tenant.health.snapshot"].sudo().create(
            [{"tenant_id": tenant.id, "date": day, **vals} for tenant, day, vals in rows]
        )
        cls.provider = cls.env["partner.scorecard.provider"]

    def _values(self, code, company=None):
        metric = self.env.ref(f"white_label_tenant.metric_{code}")
        self.assertEqual(metric.provider, code)
        context = self.provider._metric_context(
            company or self.env.company, *JUNE, (self.partner_a | self.partner_b).ids
        )
        return self.provider._compute_metric(metric, context)

    def test_adoption_rate(self):
        self.assertEqual(self._values("tenant_adoption_rate"), {self.partner_a.id: 50.0})

    def test_module_utilisation(self):
        self.assertEqual(self._values("tenant_module_utilisation"), {self.partner_a.id: 75.0})

    def test_churn_risk(self):
        self.assertEqual(
            self._values("tenant_churn_risk"), {self.partner_a.id: 50.0, self.partner_b.id: 0.0}
        )

    def test_company_scoped(self):
        # in company 2, A has one live tenant: healthy adoption, all apps, at risk
        self.assertEqual(
            self._values("tenant_adoption_rate", self.company_2), {self.partner_a.id: 100.0}
        )
        self.assertEqual(
            self._values("tenant_churn_risk", self.company_2), {self.partner_a.id: 100.0}
        )
