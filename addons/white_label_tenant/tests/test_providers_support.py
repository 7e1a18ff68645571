from datetime import date, datetime

from odoo.tests import freeze_time, tagged

from .common import TenantCase

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
BRUSSELS_BLUE = "#0b3d91"


@tagged("post_install", "-at_install")
class TestSupportSecurityBrandProviders(TenantCase):
    """First response, security incidents per live tenant and brand consistency for partners A
    and B over March 2026, against values computed by hand from the fixtures below.

    The SLA calendar is Brussels (UTC+1 in early March), Monday-Friday 9-12 and 13-17.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tenant = cls.env["tenant.tenant"]
        # B's second tenant has no SLA: its incidents count in wall-clock time
        cls.tenant_b2 = Tenant.create({"name": "Beta Outlet ERP", "partner_id": cls.partner_b.id})
        cls.tenant_a2 = Tenant.create({"name": "Alpha Second ERP", "partner_id": cls.partner_a.id})
        cls.tenant_a_draft = Tenant.create({"name": "Alpha Draft", "partner_id": cls.partner_a.id})
        for tenant in cls.tenant_a | cls.tenant_a2 | cls.tenant_b | cls.tenant_b2:
            tenant._workflow_write(
                {
                    "provisioning_requested_at": datetime(2026, 1, 20),
                    "activated_at": datetime(2026, 2, 1),
                }
            )
            tenant._workflow_write({"state": "active"})
        Incident = cls.env["tenant.incident"]
        # (tenant, opened, acknowledged, category), UTC
        incidents = [
            # Mon 2 March 09:00-14:00 local: 3 h + 1 h after lunch = 4 business hours
            (cls.tenant_a, datetime(2026, 3, 2, 8), datetime(2026, 3, 2, 13), "security"),
            # Fri 6 March 16:00 local -> Mon 9 March 10:00 local: 1 h + 1 h = 2 business hours
            (cls.tenant_a, datetime(2026, 3, 6, 15), datetime(2026, 3, 9, 9), "availability"),
            # acknowledged in April: not in March's first response, but opened in March
            (cls.tenant_a2, datetime(2026, 3, 31, 15), datetime(2026, 4, 1, 9), "security"),
            # no SLA: 6 wall-clock hours
            (cls.tenant_b2, datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 16), "performance"),
            # opened in February, a security incident outside the period
            (cls.tenant_b, datetime(2026, 2, 27, 10), datetime(2026, 2, 27, 11), "security"),
        ]
        for tenant, opened, acknowledged, category in incidents:
            with freeze_time(opened):
                incident = Incident.create(
                    {
                        "tenant_id": tenant.id,
                        "subject": "Fixture",
                        "opened_at": opened,
                        "category": category,
                    }
                )
            with freeze_time(acknowledged):
                incident.action_acknowledge()  # the user's button stamps acknowledged_at
        # brands: A's default complete, A2 overrides with one that kept the default colours
        # and has only a support e-mail; B has no branding at all
        Branding = cls.env["tenant.branding"]
        Branding.create(
            {
                "partner_id": cls.partner_a.id,
                "brand_name": "Alpha Cloud",
                "logo": "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=",
                "primary_color": BRUSSELS_BLUE,
                "secondary_color": "#ffffff",
                "custom_domain": "erp.alpha.example.com",
                "support_email": "help@alpha.example.com",
            }
        )
        cls.tenant_a2.branding_id = Branding.create(
            {
                "partner_id": cls.partner_a.id,
                "brand_name": "Alpha Lite",
                "is_partner_default": False,
                "support_email": "lite@alpha.example.com",
            }
        )
        cls.provider = cls.env["partner.scorecard.provider"]
        cls.partners = (cls.partner_a | cls.partner_b).ids

    def _values(self, provider):
        metric = self.env["scorecard.metric"].new({"code": provider, "provider": provider})
        return self.provider._compute_metric(
            metric, self.provider._metric_context(self.env.company, *MARCH, self.partners)
        )

    def test_incidents_are_stamped_through_the_acknowledge_button(self):
        incident = self.env["tenant.incident"].search(
            [("tenant_id", "=", self.tenant_a.id)], order="opened_at", limit=1
        )
        self.assertEqual(incident.acknowledged_at, datetime(2026, 3, 2, 13))
        self.assertTrue(incident.sla_version_id, "the business-hours policy applies")

    def test_first_response_in_business_hours(self):
        self.assertEqual(
            self._values("tenant_first_response"),
            {self.partner_a.id: (4 + 2) / 2, self.partner_b.id: 6.0},
        )

    def test_security_incident_rate_per_live_tenant(self):
        # A: 2 security incidents opened in March over 2 live tenants (the draft one does not
        # count); B: the February one is outside the period, 0 over 2 live tenants
        self.assertEqual(
            self._values("tenant_security_incident_rate"),
            {self.partner_a.id: 1.0, self.partner_b.id: 0.0},
        )

    def test_brand_consistency(self):
        # A: tenant_a 4 of 4 items, tenant_a2 1 of 4 (default colours do not count) -> 62.5;
        # B: two live tenants without any branding -> 0
        self.assertEqual(
            self._values("tenant_brand_consistency"),
            {self.partner_a.id: 62.5, self.partner_b.id: 0.0},
        )

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Other Wholesale Co"})
        for provider in (
            "tenant_first_response",
            "tenant_security_incident_rate",
            "tenant_brand_consistency",
        ):
            metric = self.env["scorecard.metric"].new({"code": provider, "provider": provider})
            context = self.provider._metric_context(other, *MARCH, self.partners)
            self.assertEqual(self.provider._compute_metric(metric, context), {}, provider)

    def test_support_first_response_is_measured(self):
        metric = self.env.ref("partner_scorecard.metric_ops_response_hours")
        self.assertEqual(metric.provider, "tenant_first_response")
