from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestCertificationProgress(ScorecardCase):
    """Certification progress to the next tier for two partners over Q2 2026, by hand.

    The program of common.py: T-Entry (101, nothing), T-Mid (102, 1 certification), T-Top
    (103, 2 certifications); here T-Top also requires the architecture certification.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.arch = cls.env["partner.certification.type"].create(
            {"name": "Test Architecture", "code": "t_arch", "validity_months": 12}
        )
        cls.tier_top.required_certification_type_ids = [Command.link(cls.arch.id)]
        # A sits in T-Mid and works towards T-Top: 2 functional certifications valid on 30
        # June (a third expired in May), no architecture one -> (0 + 2) / (1 + 2)
        cls.a = cls._make_partner("Progress A", tier=cls.tier_mid, certifications=2)
        cls.env["partner.certification"].create(
            {
                "partner_id": cls.a.partner_id.id,
                "certification_type_id": cls.cert_type.id,
                "date_obtained": date(2025, 5, 1),
            }
        )
        # B at the top keeps being measured against T-Top: architecture held (obtained in
        # Q2), nothing else -> (1 + 1) / (1 + 2); one obtained in July does not count yet
        cls.b = cls._make_partner("Progress B", tier=cls.tier_top)
        Cert = cls.env["partner.certification"]
        for day in (date(2026, 4, 10), date(2026, 7, 2)):
            Cert.create(
                {
                    "partner_id": cls.b.partner_id.id,
                    "certification_type_id": cls.arch.id,
                    "date_obtained": day,
                }
            )
        # C in T-Entry works towards T-Mid: nothing held -> 0, not missing
        cls.c = cls._make_partner("Progress C")
        cls.provider = cls.env["partner.scorecard.provider"]
        cls.partners = (cls.a | cls.b | cls.c).partner_id.ids

    def _values(self, company=None):
        metric = self.env.ref("partner_scorecard.metric_eco_certification_progress")
        context = self.provider._metric_context(
            company or self.company, date(2026, 4, 1), date(2026, 6, 30), self.partners
        )
        return self.provider._compute_metric(metric, context)

    def test_progress_by_hand(self):
        values = self._values()
        self.assertAlmostEqual(values[self.a.partner_id.id], 200 / 3)
        self.assertAlmostEqual(values[self.b.partner_id.id], 200 / 3)
        self.assertEqual(values[self.c.partner_id.id], 0.0)

    def test_other_company_counts_its_own_memberships_only(self):
        other = self.env["res.company"].create({"name": "Progress Other Co"})
        self.assertEqual(self._values(other), {})

    def test_query_count_does_not_grow_with_partners(self):
        metric = self.env.ref("partner_scorecard.metric_eco_certification_progress")
        more = [self._make_partner(f"Progress more {i}", certifications=1) for i in range(4)]
        counts = []
        for partners in (self.partners, self.partners + [m.partner_id.id for m in more]):
            context = self.provider._metric_context(
                self.company, date(2026, 4, 1), date(2026, 6, 30), partners
            )
            counts.append(
                self._query_count(lambda c=context: self.provider._compute_metric(metric, c))
            )
        self.assertEqual(counts[0], counts[1])


@tagged("post_install", "-at_install")
class TestMeasuredMetrics(ScorecardCase):
    """A metric measured by a module above takes no manual value; the values typed before stay
    and count again when the metric goes back to Manual (uninstall hook)."""

    # a quarter of its own, far from the demo's quarters (relative to the install day)
    ref_date = date(2001, 5, 15)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only this class's partner is active in the program: the cron takes it alone
        cls.env["partner.membership"].search([]).write({"state": "ended"})
        cls.member = cls._make_partner("Measured partner")
        cls.period = cls._set_values(cls.member, cls.ref_date, quality=80, csat=75)

    def test_measured_metric_refuses_manual_values_and_keeps_the_old_ones(self):
        Provider = self.env["partner.scorecard.provider"]
        Provider._measure_metric(self.m_quality, "cert_active_count")
        next_quarter = self.Period._get_or_create(date(2001, 8, 15), self.company)
        with self.assertRaisesRegex(ValidationError, "is measured"):
            self.env["partner.metric.value"].create(
                {
                    "partner_id": self.member.partner_id.id,
                    "metric_id": self.m_quality.id,
                    "period_id": next_quarter.id,
                    "value": 95,
                }
            )
        typed = self.env["partner.metric.value"].search(
            [("metric_id", "=", self.m_quality.id), ("period_id", "=", self.period.id)]
        )
        self.assertEqual(typed.value, 80.0, "the value typed earlier is kept, not counted")
        context = Provider._metric_context(
            self.company, self.period.date_start, self.period.date_end, self.member.partner_id
        )
        # measured: no certification -> 0, whatever was typed
        self.assertEqual(
            Provider._compute_metric(self.m_quality, context), {self.member.partner_id.id: 0.0}
        )
        released = Provider._release_providers(["cert_active_count"])
        self.assertIn(self.m_quality, released)
        self.assertEqual(self.m_quality.provider, "manual")
        self.assertEqual(
            Provider._compute_metric(self.m_quality, context), {self.member.partner_id.id: 80.0}
        )

    def _quality_after_cron(self):
        self.assertEqual(self.Scorecard._cron_recompute(ref_date=self.ref_date), 0)
        card = self.Scorecard.search([("membership_id", "=", self.member.id)])
        card.invalidate_recordset()
        self.assertEqual(len(card), 1)
        return card.line_ids.filtered(lambda line: line.metric_id == self.m_quality)

    def test_switching_the_provider_shows_after_the_next_run_the_same_day(self):
        quality = self._quality_after_cron()
        self.assertEqual((quality.raw_value, quality.has_value), (80.0, True))
        self.env["partner.scorecard.provider"]._measure_metric(self.m_quality, "cert_active_count")
        quality = self._quality_after_cron()  # the same day: not skipped
        self.assertEqual((quality.raw_value, quality.has_value), (0.0, True))
