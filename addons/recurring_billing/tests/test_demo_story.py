from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestDemoStory(BaseCommon):
    """The demo tells one story: what a channel manager or a demo portal login reads on one page
    agrees with the others. Runs on the demo data (skipped without it).

    The demo is relative to its install day; the tests read that day from the demo itself (the
    last probe of its month of uptime history is taken at noon of the install day), never from
    the clock, so they hold whichever day the demo was installed and the tests run.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bluepeak = cls.env.ref("white_label_tenant.demo_partner_msp", raise_if_not_found=False)
        cls.northwind = cls.env.ref("partner_scorecard.partner_northwind", raise_if_not_found=False)
        demo_env = cls.env.ref("white_label_tenant.demo_env_harbor_prod", raise_if_not_found=False)
        last_probe = cls.env["tenant.uptime.sample"].search(
            [("environment_id", "=", demo_env.id if demo_env else 0)],
            order="probed_at desc",
            limit=1,
        )
        cls.install_day = last_probe.probed_at.date() if last_probe else None

    def setUp(self):
        super().setUp()
        if not (self.bluepeak and self.northwind and self.install_day):
            self.skipTest("the demo data is not installed")

    def _membership(self, partner):
        return self.env["partner.membership"].search([("partner_id", "=", partner.id)], limit=1)

    def test_bluepeak_is_an_established_tiered_hosting_partner(self):
        membership = self._membership(self.bluepeak)
        self.assertTrue(membership.tier_id, "Bluepeak has a tier")
        self.assertEqual(
            membership.partner_type_id, self.env.ref("partner_scorecard.partner_type_hosting_msp")
        )
        self.assertNotEqual(membership.lifecycle_stage, "recruitment")
        self.assertLessEqual(membership.join_date, self.install_day - relativedelta(years=1))
        cards = self.env["partner.scorecard"].search([("membership_id", "=", membership.id)])
        closed = cards.filtered(lambda c: c.state == "closed")
        self.assertGreaterEqual(len(closed), 4, "at least four closed quarters")
        self.assertTrue(all(closed.mapped("has_score")), "every closed quarter is scored")
        # the open quarter measures everything the hosting template asks for; the closed ones
        # predate the month of operations the demo generates, so their tenant figures are missing
        current = cards.filtered(lambda c: c.state != "closed")
        self.assertTrue(current.is_complete, "the current scorecard is complete")
        self.assertTrue(all(c.date_end < self.install_day for c in closed))

    def test_bluepeak_portal_shows_its_tenants_slas_subscriptions_and_scorecards(self):
        user = self.env["res.users"].search([("login", "=", "portal.hosting@example.com")])
        self.assertEqual(user.partner_id.commercial_partner_id, self.bluepeak)
        as_portal = self.env(user=user)
        tenants = as_portal["tenant.tenant"].search([])
        self.assertTrue(tenants, "the hosting partner's portal lists its tenants")
        self.assertEqual(tenants.partner_id, self.bluepeak)
        self.assertTrue(all(t.sudo().sla_policy_id for t in tenants.filtered("activated_at")))
        subscriptions = as_portal["billing.subscription"].search([])
        self.assertTrue(subscriptions)
        self.assertEqual(subscriptions.partner_id, self.bluepeak)
        self.assertTrue(subscriptions.sudo().tenant_id <= tenants.sudo())
        cards = as_portal["partner.scorecard"].search([])
        self.assertGreaterEqual(len(cards.filtered(lambda c: c.state == "closed")), 4)

    def test_tiered_partners_own_the_tenants(self):
        tenants = self.env["tenant.tenant"].search([("state", "=", "active")])
        self.assertTrue(tenants)
        for tenant in tenants:
            membership = self._membership(tenant.partner_id.commercial_partner_id)
            self.assertTrue(membership.tier_id, f"{tenant.partner_id.name} has a tier")
            closed = self.env["partner.scorecard"].search(
                [("membership_id", "=", membership.id), ("state", "=", "closed")],
                order="date_start desc",
                limit=1,
            )
            self.assertTrue(closed.has_score, tenant.partner_id.name)
            self.assertTrue(membership.last_scorecard_id.has_score, tenant.partner_id.name)
            self.assertTrue(membership.last_scorecard_id.is_complete, tenant.partner_id.name)

    def test_hosting_subscriptions_bill_their_tenants_environments(self):
        subscriptions = self.env["billing.subscription"].search(
            [("line_ids.service_type", "=", "hosting")]
        )
        self.assertTrue(subscriptions)
        for subscription in subscriptions:
            self.assertTrue(subscription.tenant_id, f"{subscription.display_name} has its tenant")
            for line in subscription.line_ids.filtered(lambda x: x.service_type == "hosting"):
                self.assertEqual(line.environment_id.tenant_id, subscription.tenant_id)

    def test_northwind_mrr_is_its_subscriptions(self):
        mrr = self.env.ref("partner_scorecard.metric_revenue_mrr")
        typed = self.env["partner.metric.value"].search(
            [("partner_id", "=", self.northwind.id), ("metric_id", "=", mrr.id)]
        )
        self.assertFalse(typed, "no MRR typed for a partner billed by subscriptions")
        card = self._membership(self.northwind).last_scorecard_id
        line = card.line_ids.filtered(lambda x: x.metric_id == mrr)
        subscriptions = self.env["billing.subscription"].search(
            [("partner_id", "=", self.northwind.id)]
        )
        self.assertGreater(sum(subscriptions.mapped("mrr")), 0)
        if mrr.provider != "manual" and line:  # measured from billing
            self.assertAlmostEqual(line.raw_value, sum(subscriptions.mapped("mrr")), places=2)

    def test_dates_are_relative_to_the_install_day(self):
        day = self.install_day
        invoices = self.env["account.move"].search([("billing_subscription_id", "!=", False)])
        subscriptions = self.env["billing.subscription"].search([])
        if invoices:  # a company with a chart of accounts: a year of invoices, none ahead
            dates = invoices.mapped("invoice_date")
            self.assertLessEqual(max(dates), day)
            self.assertLessEqual(min(dates), day - relativedelta(months=11))
            self.assertGreaterEqual(min(dates), day - relativedelta(months=19))
        started = subscriptions.filtered(lambda s: s.state != "draft").mapped("date_start")
        self.assertLessEqual(max(started), day)
        self.assertGreaterEqual(min(started), day - relativedelta(months=19))
        self.assertLessEqual(min(started), day - relativedelta(months=11))
        periods = self.env["scorecard.period"].search([("state", "=", "closed")])
        self.assertGreaterEqual(len(periods), 4)
        self.assertTrue(all(p.date_end < day for p in periods))
        self.assertTrue(
            self.env["scorecard.period"].search(
                [("state", "=", "open"), ("date_start", "<=", day), ("date_end", ">=", day)]
            )
        )
        tenants = self.env["tenant.tenant"].search([("activated_at", "!=", False)])
        self.assertTrue(all(t.activated_at.date() <= day for t in tenants))
        incidents = self.env["tenant.incident"].search([])
        self.assertTrue(all(i.opened_at.date() <= day for i in incidents))

    def test_tier_history_shows_a_promotion_and_hysteresis(self):
        promotions = (
            self.env["partner.tier.history"]
            .search([("scorecard_id", "!=", False), ("old_tier_id", "!=", False)])
            .filtered(lambda h: h.new_tier_id.level > h.old_tier_id.level)
        )
        self.assertTrue(promotions, "a promotion applied from a scorecard")
        self.assertTrue(all(h.date.date() <= self.install_day for h in promotions))
        # a complete closed quarter qualified for another tier without moving the partner
        held = (
            self.env["partner.scorecard"]
            .search([("state", "=", "closed"), ("is_complete", "=", True)])
            .filtered(lambda c: c.qualifying_tier_id and c.qualifying_tier_id != c.tier_id)
        )
        self.assertTrue(held.filtered(lambda c: c.recommendation_state == "none"))

    def test_one_breach_one_warning_and_slos_met_otherwise(self):
        incidents = self.env["tenant.incident"].search([])
        self.assertTrue(incidents.filtered(lambda i: i.sla_outcome == "breached"))
        warned = incidents.filtered(
            lambda i: i.response_warning_level or i.resolution_warning_level
        )
        self.assertTrue(warned.filtered(lambda i: i.sla_outcome == "met"), "a near miss")
        # the month before the install day: every live production meets its SLO but one
        end = self.install_day
        missed = []
        Sample = self.env["tenant.uptime.sample"]
        tenants = self.env["tenant.tenant"].search([("state", "=", "active")])
        for tenant in tenants:
            slo = tenant.sla_policy_id.current_version_id.uptime_slo
            production = tenant.environment_ids.filtered(lambda e: e.stage == "production")
            samples = Sample.search(
                [
                    ("environment_id", "in", production.ids),
                    ("probed_at", ">", end - relativedelta(days=30)),
                ]
            )
            self.assertTrue(samples, f"{tenant.name} has a month of probes")
            if 100.0 * len(samples.filtered("ok")) / len(samples) < slo:
                missed.append(tenant.name)
        self.assertEqual(len(missed), 1, f"one SLO breach story, not {missed}")

    def test_backups_follow_the_policy_and_restores_are_measured(self):
        tests = self.env["tenant.restore.test"].search([])
        self.assertTrue(tests)
        self.assertFalse(
            tests.filtered(
                lambda t: (t.rpo_achieved_minutes, t.rto_achieved_minutes) == (1440, 120)
            ),
            "no restore test with the old constant RPO/RTO",
        )
        self.assertGreater(len(set(tests.mapped("rpo_achieved_minutes"))), 3)
        self.assertTrue(all(t.rpo_achieved_minutes > 0 for t in tests))
        hourly = self.env.ref("white_label_tenant.demo_env_harbor_prod")
        backups = self.env["tenant.backup"].search(
            [("environment_id", "=", hourly.id), ("kind", "=", "scheduled")],
            order="started_at desc",
            limit=2,
        )
        self.assertEqual(len(backups), 2)
        gap = backups[0].started_at - backups[1].started_at
        self.assertEqual(gap.total_seconds(), 3600.0, "Gold backs up hourly")

    def test_people_own_the_records(self):
        bots = self.env.ref("base.user_root") | self.env.ref("base.user_admin")
        tenants = self.env["tenant.tenant"].search([])
        self.assertFalse(tenants.user_id & bots)
        memberships = self.env["partner.membership"].search(
            [("partner_id", "in", (self.bluepeak | self.northwind).ids)]
        )
        self.assertFalse(memberships.account_manager_id & bots)
        names = self.env["res.partner"].search([("is_company", "=", True)]).mapped("name")
        self.assertEqual(len(names), len(set(names)), "distinct company names")

    def test_distributor_thread_runs_from_the_deal_to_the_scorecard(self):
        project = self.env.ref("governance_gates.project_tier3_distributor")
        lead = project.lead_id
        self.assertEqual(lead.complexity_tier, "3")
        self.assertTrue(
            self.env["governance.gate"].search(
                [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
            ),
            "the deal carries its architecture review gate",
        )
        tenant = self.env["tenant.tenant"].search([("project_id", "=", project.id)])
        self.assertEqual(len(tenant), 1)
        self.assertEqual(tenant.deployment_model, "dedicated")
        self.assertEqual(tenant.partner_id, lead.channel_partner_id)
        subscription = self.env["billing.subscription"].search([("tenant_id", "=", tenant.id)])
        self.assertTrue(
            {"implementation", "hosting", "support"}
            <= set(subscription.line_ids.mapped("service_type"))
        )
        hosting = subscription.line_ids.filtered(lambda x: x.service_type == "hosting")
        self.assertEqual(hosting.environment_id, tenant.environment_ids)
        self.assertTrue(self._membership(tenant.partner_id).last_scorecard_id.is_complete)
        wholesaler = self.env["tenant.tenant"].search(
            [("project_id", "=", self.env.ref("governance_gates.project_tier1_wholesaler").id)]
        )
        self.assertEqual(wholesaler.deployment_model, "multi_tenant")

    def test_oem_partner_and_registration_conflict(self):
        quanta = self.env.ref("partner_scorecard.partner_quanta")
        self.assertEqual(
            self._membership(quanta).partner_type_id,
            self.env.ref("partner_scorecard.partner_type_oem"),
        )
        tenant = self.env["tenant.tenant"].search([("partner_id", "=", quanta.id)])
        self.assertEqual(tenant.deployment_model, "multi_tenant")
        self.assertTrue(
            self.env["billing.subscription"].search(
                [("tenant_id", "=", tenant.id), ("state", "=", "active")]
            )
        )
        conflicts = self.env["crm.lead"].search([("is_registration_conflict", "=", True)])
        self.assertEqual(set(conflicts.mapped("partner_name")), {"Kestrel Marine Supply"})

    def test_silver_partner_with_delayed_go_lives_has_a_corrective_plan(self):
        membership = self._membership(self.northwind)
        self.assertEqual(membership.tier_id, self.env.ref("partner_scorecard.tier_silver"))
        delayed = self.env["project.project"].search(
            [
                ("channel_partner_id", "=", self.northwind.id),
                ("planned_go_live_date", "<", self.install_day),
                ("actual_go_live_date", "=", False),
            ]
        )
        self.assertGreaterEqual(len(delayed), 2, "two go-lives slipped")
        review = self.env["partner.review"].search(
            [("scorecard_id", "=", membership.last_scorecard_id.id)]
        )
        self.assertTrue(review, "the open quarter's scorecard is reviewed")
        self.assertGreaterEqual(len(review.action_ids), 2, "with a corrective action plan")

    def test_registrations_show_the_workflow_decisions(self):
        leads = self.env["crm.lead"].with_context(active_test=False)
        approved = self.env.ref("partner_scorecard.lead_registration_northwind_approved")
        self.assertEqual(approved.registration_state, "approved")
        self.assertEqual(
            approved.registration_decided_by_id,
            self.env.ref("partner_scorecard.demo_user_channel_manager"),
        )
        self.assertGreater(approved.registration_protected_until, self.install_day)
        # the Northwind portal login reads it as Approved, protected until that day
        portal = self.env.ref("partner_scorecard.portal_user_northwind")
        seen = leads.with_user(portal).search([("id", "=", approved.id)])
        self.assertEqual(seen.registration_state, "approved")
        self.assertEqual(seen.registration_protected_until, approved.registration_protected_until)
        # Kestrel Marine Supply: Northwind's submission waits in conflict with Meridian's
        kestrel = self.env.ref("partner_scorecard.lead_conflict_northwind")
        self.assertEqual(kestrel.registration_state, "registered")
        self.assertTrue(kestrel.is_registration_conflict)
        self.assertEqual(
            kestrel.registration_conflict_ids.channel_partner_id,
            self.env.ref("partner_scorecard.partner_meridian"),
        )
        rejected = leads.search([("registration_state", "=", "rejected")])
        self.assertTrue(rejected, "one registration was rejected")
        self.assertTrue(all(lead.registration_reason for lead in rejected), "with its reason")

    def test_no_demo_project_has_admin_as_solution_lead(self):
        projects = self.env["project.project"].with_context(active_test=False).search([])
        self.assertTrue(projects.filtered("solution_lead_id"))
        self.assertFalse(projects.solution_lead_id & self.env.ref("base.user_admin"))
        deals = self.env.ref("governance_gates.lead_industrial_distributor")
        self.assertNotEqual(deals.user_id, self.env.ref("base.user_admin"))
