from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..core.metric_context import MetricContext
from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestCompanyScope(ScorecardCase):
    """Issue 11: one partner with a membership in two companies has a scorecard in each, scored
    on that company's records only (values, deals, certifications)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Channel Company B"})
        cls.member_a = cls._make_partner("Two-Company Partner")
        cls.partner = cls.member_a.partner_id
        cls.member_b = (
            cls.env["partner.membership"]
            ._workflow_create(
                {
                    "partner_id": cls.partner.id,
                    "partner_type_id": cls.ptype.id,
                    "tier_id": cls.tier_entry.id,
                    "company_id": cls.company_b.id,
                }
            )
            .with_env(cls.env)
        )
        # company A: quality 60, CSAT 70, one deal won of one; a valid certification
        cls._set_values(cls.member_a, cls.ref_date, quality=60, csat=70)
        cls._deal(cls.env.company, won=True, revenue=10000)
        cls.env["partner.certification"].create(
            {
                "partner_id": cls.partner.id,
                "certification_type_id": cls.cert_type.id,
                "date_obtained": date(2026, 1, 10),
            }
        )
        # company B: quality 100, CSAT 90, two deals lost; no certification
        period_b = cls.Period._get_or_create(cls.ref_date, cls.company_b)
        cls.env["partner.metric.value"].create(
            [
                {
                    "partner_id": cls.partner.id,
                    "metric_id": metric.id,
                    "period_id": period_b.id,
                    "value": value,
                }
                for metric, value in ((cls.m_quality, 100), (cls.m_csat, 90))
            ]
        )
        cls._deal(cls.company_b, won=False, revenue=7000)
        cls._deal(cls.company_b, won=False, revenue=8000)

    @classmethod
    def _deal(cls, company, won, revenue):
        """A deal of ``company`` created on 2 April and closed on 2 May 2026."""
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {revenue}",
                "type": "opportunity",
                "channel_partner_id": cls.partner.id,
                "expected_revenue": revenue,
                "company_id": company.id,
                "team_id": False,
                "user_id": False,
            }
        )
        if won:
            lead.action_set_won()
        else:
            lead.action_set_lost()
        lead.flush_recordset()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
                datetime(2026, 4, 2),
                datetime(2026, 5, 2),
                lead.id,
            )
        )
        lead.invalidate_recordset()
        return lead

    def _raw(self, card):
        return {line.metric_id: line.raw_value for line in card.line_ids}

    def test_each_scorecard_has_its_company_figures_only(self):
        cards = self.Scorecard._recompute_memberships(
            self.member_a | self.member_b, ref_date=self.ref_date
        )
        card_a = cards.filtered(lambda c: c.company_id == self.company)
        card_b = cards.filtered(lambda c: c.company_id == self.company_b)
        self.assertEqual((len(card_a), len(card_b)), (1, 1))
        self.assertEqual(card_a.partner_id, card_b.partner_id)
        self.assertEqual(
            self._raw(card_a), {self.m_quality: 60.0, self.m_csat: 70.0, self.m_win: 100.0}
        )
        self.assertEqual(
            self._raw(card_b), {self.m_quality: 100.0, self.m_csat: 90.0, self.m_win: 0.0}
        )
        self.assertEqual(card_a.certification_count, 1)
        self.assertEqual(card_b.certification_count, 0)

    def test_every_shipped_provider_reads_the_context_company_only(self):
        """The company's records count, another company's never: the partner's values in the
        company B context, where it has no certification and only lost deals."""
        provider = self.env["partner.scorecard.provider"]
        Metric = self.env["scorecard.metric"]
        in_b = provider._metric_context(
            self.company_b, date(2026, 4, 1), date(2026, 6, 30), self.partner
        )
        expected_b = {
            "crm_win_rate": 0.0,
            "crm_qualified_pipeline": None,  # both lost
            "crm_avg_deal_size": None,  # none won
            "cert_active_count": 0.0,
            "cert_certified_consultants": 0.0,
        }
        for code, value in expected_b.items():
            metric = Metric.new({"code": code, "provider": code})
            with self.subTest(code=code):
                self.assertEqual(provider._compute_metric(metric, in_b).get(self.partner.id), value)
        in_a = MetricContext(self.company, date(2026, 4, 1), date(2026, 6, 30), self.partner)
        metric = Metric.new(
            {"code": "crm_qualified_pipeline", "provider": "crm_qualified_pipeline"}
        )
        self.assertEqual(provider._compute_metric(metric, in_a), {self.partner.id: 10000.0})

    def test_a_provider_of_the_former_api_is_refused_with_the_fix(self):
        metric = self.env["scorecard.metric"].new({"code": "legacy", "provider": "manual"})
        provider = self.env["partner.scorecard.provider"]
        context = provider._metric_context(
            self.company, date(2026, 4, 1), date(2026, 6, 30), self.partner
        )

        # a third-party provider still written for (metric, date_from, date_to, partner_ids)
        def former(self, metric, date_from, date_to, partner_ids):
            return dict.fromkeys(partner_ids, 1.0)

        with (
            patch.object(type(provider), "_provide_manual", former),
            self._refused(UserError, "_provide_manual(self, metric, context)"),
        ):
            provider._compute_metric(metric, context)
