from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


class ScorecardCase(TransactionCase):
    """A small program of its own (not the demo): two tiers above an entry tier, a template with
    one manual metric and one CRM metric per domain, and partners created on demand."""

    ref_date = date(2026, 5, 15)  # in 2026-Q2

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "scorecard_period_months": "3",
                "scorecard_promote_after": 2,
                "scorecard_demote_grace": 1,
                "scorecard_min_coverage": 60.0,
            }
        )
        cls.manager = new_test_user(
            cls.env, login="sc_manager", groups="partner_scorecard.group_channel_manager"
        )
        cls.user = new_test_user(
            cls.env, login="sc_user", groups="partner_scorecard.group_channel_user"
        )
        cls.ptype = cls.env["partner.type"].create({"name": "Test Integrator", "code": "t_int"})
        cls.cert_type = cls.env["partner.certification.type"].create(
            {"name": "Test Functional", "code": "t_func", "validity_months": 12}
        )
        # the demo's quarters are not ours: its four closed ones, relative to the install day,
        # may hold the fixed dates of these tests, so they move a century back
        cls.env["scorecard.period"].flush_model()
        cls.env.cr.execute(
            """UPDATE scorecard_period SET date_start = date_start - interval '100 years',
                                          date_end = date_end - interval '100 years'
                WHERE company_id = %s""",
            [cls.company.id],
        )
        cls.env["scorecard.period"].invalidate_model(["date_start", "date_end"])
        # a program of its own: the demo tiers are archived, ours sit at levels of their own
        Tier = cls.env["partner.tier"]
        Tier.search([]).action_archive()
        cls.tier_entry = Tier.create({"name": "T-Entry", "level": 101})
        cls.tier_mid = Tier.create(
            {"name": "T-Mid", "level": 102, "min_overall_score": 60, "min_certification_count": 1}
        )
        cls.tier_top = Tier.create(
            {
                "name": "T-Top",
                "level": 103,
                "min_overall_score": 80,
                "min_certification_count": 2,
                "domain_minimum_ids": [Command.create({"domain": "sales", "min_score": 70})],
            }
        )
        Metric = cls.env["scorecard.metric"]
        cls.m_quality = Metric.create(
            {
                "code": "t_quality",
                "name": "Quality",
                "domain": "implementation",
                "unit": "percent",
                "target": 100,
                "floor": 50,
                "provider": "manual",
            }
        )
        cls.m_csat = Metric.create(
            {
                "code": "t_csat",
                "name": "CSAT",
                "domain": "implementation",
                "unit": "percent",
                "target": 90,
                "floor": 60,
                "provider": "manual",
            }
        )
        cls.m_win = Metric.create(
            {
                "code": "t_win",
                "name": "Win rate",
                "domain": "sales",
                "unit": "percent",
                "target": 50,
                "floor": 0,
                "provider": "crm_win_rate",
            }
        )
        cls.template = cls.env["scorecard.template"].create(
            {
                "name": "Test template",
                "partner_type_id": cls.ptype.id,
                "domain_weight_ids": [
                    Command.create({"domain": "implementation", "weight": 60}),
                    Command.create({"domain": "sales", "weight": 40}),
                ],
                "line_ids": [
                    Command.create({"metric_id": cls.m_quality.id, "weight": 50}),
                    Command.create({"metric_id": cls.m_csat.id, "weight": 50}),
                    Command.create({"metric_id": cls.m_win.id, "weight": 100}),
                ],
            }
        )
        cls.Period = cls.env["scorecard.period"]
        cls.Scorecard = cls.env["partner.scorecard"]

    @classmethod
    def _make_partner(cls, name, tier=None, certifications=0):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        # placing a partner in a tier is an action (the tier is guarded on create and write)
        membership = (
            cls.env["partner.membership"]
            ._workflow_create(
                {
                    "partner_id": partner.id,
                    "partner_type_id": cls.ptype.id,
                    "tier_id": (tier or cls.tier_entry).id,
                }
            )
            .with_env(cls.env)
        )  # the records returned carry the bypass in their context: drop it
        for index in range(certifications):
            cls.env["partner.certification"].create(
                {
                    "partner_id": partner.id,
                    "certification_type_id": cls.cert_type.id,
                    "date_obtained": date(2026, 1, 1 + index),
                }
            )
        return membership

    @classmethod
    def _set_values(cls, membership, day, **values):
        period = cls.Period._get_or_create(day, cls.company)
        metrics = {"quality": cls.m_quality, "csat": cls.m_csat}
        cls.env["partner.metric.value"].create(
            [
                {
                    "partner_id": membership.partner_id.id,
                    "metric_id": metrics[key].id,
                    "period_id": period.id,
                    "value": value,
                }
                for key, value in values.items()
            ]
        )
        return period

    @classmethod
    def _make_deal(cls, partner, revenue, won, created, closed):
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {revenue}",
                "type": "opportunity",
                "channel_partner_id": partner.id,
                "expected_revenue": revenue,
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
                datetime.combine(created, datetime.min.time()),
                datetime.combine(closed, datetime.min.time()),
                lead.id,
            )
        )
        lead.invalidate_recordset()
        return lead

    def _query_count(self, run):
        """The number of queries ``run()`` sends, caches cold and pending writes flushed first."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        run()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    @contextmanager
    def _refused(self, exception, text):
        """Expect ``exception`` naming ``text``; the refused change is rolled back (savepoint), as
        a request would roll it back (unittest's assertRaisesRegex does not)."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def _card(self, membership, day=None):
        cards = self.Scorecard._recompute_memberships(membership, ref_date=day or self.ref_date)
        return cards.filtered(lambda c: c.membership_id == membership)
