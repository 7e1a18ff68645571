from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .common import BillingCommon


class FakeBackend:
    """Stands for the infrastructure: records what it was asked to do."""

    def __init__(self, fail=None):
        self.calls = []
        self.fail = fail

    def _do(self, operation, environment):
        if operation == self.fail:
            raise RuntimeError(f"{operation} crashed")
        self.calls.append((operation, environment.database_name))
        return {"details": f"{operation} {environment.database_name}"}

    def suspend(self, environment):
        return self._do("suspend", environment)

    def resume(self, environment):
        return self._do("resume", environment)

    def decommission(self, environment):
        return self._do("decommission", environment)

    def exists(self, environment):
        return False


class TenantBillingCommon(BillingCommon):
    """Northwind's two live tenants on plan M (300 a month per environment): Acme (tenant A,
    customer 1) and Globex (tenant B, customer 2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("partner_scorecard.group_channel_manager")
        cls.manager = new_test_user(
            cls.env,
            login="h1_channel_manager",
            groups="partner_scorecard.group_channel_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.plan = cls.env["tenant.plan"].create(
            {
                "name": "M",
                "vcpu": 4,
                "ram_gb": 16,
                "storage_gb": 200,
                "hosting_price": 300.0,
                "hosting_product_id": cls.hosting.id,
            }
        )
        cls.tenant_a, cls.tenant_b = cls.env["tenant.tenant"].create(
            [
                {
                    "name": "Acme ERP",
                    "partner_id": cls.channel_partner.id,
                    "end_customer_id": cls.customer_1.id,
                    "deployment_model": "dedicated",
                },
                {
                    "name": "Globex ERP",
                    "partner_id": cls.channel_partner.id,
                    "end_customer_id": cls.customer_2.id,
                },
            ]
        )
        cls.env_a, cls.env_b = cls.env["tenant.environment"].create(
            [
                {
                    "tenant_id": tenant.id,
                    "stage": "production",
                    "plan_id": cls.plan.id,
                    "database_name": f"h1_billing_{name}",
                }
                for tenant, name in ((cls.tenant_a, "acme"), (cls.tenant_b, "globex"))
            ]
        )
        # live tenants (provisioning and its go-live gate are white_label_tenant's to test),
        # whose databases the suite created: the fake backend stands for them
        cls.env.ref("white_label_tenant.gate_template_tenant_go_live").active = False
        (cls.tenant_a | cls.tenant_b)._workflow_write({"state": "active"})
        (cls.env_a | cls.env_b)._workflow_write(
            {"state": "active", "database_created_at": "2026-01-01 09:00:00"}
        )

    def setUp(self):
        super().setUp()
        self.backend = FakeBackend()
        patcher = patch.object(
            type(self.env["tenant.tenant"]), "_get_backend", lambda tenant: self.backend
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def _hosting_line(self, subscription, environment):
        return self.env["billing.subscription.line"].create(
            {"subscription_id": subscription.id, "environment_id": environment.id}
        )

    def _act(self, tenant, action, day):
        """``action`` on ``tenant`` as the Channel Manager, on ``day``."""
        with freeze_time(day):
            getattr(tenant.with_user(self.manager), action)()

    def _movements(self, subscription):
        return [
            (m.date, m.movement_type, m.amount, m.reason)
            for m in self.env["billing.mrr.movement"]
            .search([("subscription_id", "=", subscription.id)])
            .sorted(lambda m: (m.date, m.id))
        ]

    def _mrr(self, record, day, field="billing_mrr"):
        """``field`` (computed on the day, not stored) of ``record`` on ``day``."""
        with freeze_time(day):
            self.env.invalidate_all()
            return record[field]

    def _last_invoice(self, subscription):
        return subscription.invoice_ids.sorted("id")[-1:]


@tagged("post_install", "-at_install")
class TestTenantSuspension(TenantBillingCommon):
    def _linked(self):
        """Acme's own subscription: support 100 and the hosting of its environment (300)."""
        subscription = self._subscription(
            start=date(2026, 4, 1),
            customer=self.customer_1,
            lines=[("support", 100.0)],
            tenant_id=self.tenant_a.id,
            activate=False,
        )
        self._hosting_line(subscription, self.env_a)
        subscription.action_activate()
        self._run(date(2026, 4, 1))
        return subscription

    def test_suspend_pauses_the_tenants_subscription_and_resume_resumes_it(self):
        subscription = self._linked()
        self.assertEqual(self.tenant_a.subscription_count, 1)
        self.assertEqual(self._mrr(self.tenant_a, "2026-04-10"), 400.0, "support 100 + hosting")
        self.assertEqual(self._mrr(self.env_a, "2026-04-10", "hosting_mrr"), 300.0)
        self._act(self.tenant_a, "action_suspend", "2026-04-21")
        self.assertEqual(self.tenant_a.state, "suspended")
        self.assertEqual(self.backend.calls, [("suspend", "h1_billing_acme")])
        self.assertEqual(subscription.state, "paused")
        self.assertEqual(subscription.pause_date, date(2026, 4, 21))
        self.assertEqual(self._mrr(self.tenant_a, "2026-04-22"), 0.0, "suspended: nothing")
        self.assertEqual(self._mrr(self.env_a, "2026-04-22", "hosting_mrr"), 0.0)
        credit = self._run(date(2026, 4, 21)).line_ids.move_ids
        self.assertEqual(credit.move_type, "out_refund")
        self.assertAlmostEqual(credit.amount_untaxed, 400.0 * 10 / 30, places=2)
        self.assertFalse(self._run(date(2026, 5, 1)).line_ids, "nothing billed while suspended")
        self._act(self.tenant_a, "action_resume", "2026-05-11")
        self.assertEqual(self.tenant_a.state, "active")
        self.assertEqual(subscription.state, "active")
        self.assertFalse(subscription.paused_tenant_id)
        self._run(date(2026, 5, 11))
        self.assertAlmostEqual(
            self._last_invoice(subscription).amount_untaxed, 400.0 * 21 / 31, places=2
        )
        ledger = self._movements(subscription)
        self.assertEqual(
            [(day, kind) for day, kind, _amount, _reason in ledger],
            [
                (date(2026, 4, 1), "new"),
                (date(2026, 4, 1), "new"),
                (date(2026, 4, 21), "churn"),
                (date(2026, 4, 21), "churn"),
                (date(2026, 5, 11), "reactivation"),
                (date(2026, 5, 11), "reactivation"),
            ],
        )
        self.assertEqual(sum(amount for _d, _k, amount, _r in ledger), 400.0)

    def test_suspend_of_a_tenant_on_a_shared_subscription_stops_its_hosting_only(self):
        """Northwind's one subscription carries the hosting of both tenants: suspending Acme
        ends Acme's line (credited), Globex's keeps running; resuming bills Acme again."""
        shared = self._subscription(
            start=date(2026, 4, 1), lines=[("support", 50.0)], activate=False
        )
        line_a = self._hosting_line(shared, self.env_a)
        self._hosting_line(shared, self.env_b)
        shared.action_activate()
        self._run(date(2026, 4, 1))
        self._act(self.tenant_a, "action_suspend", "2026-04-21")
        self.assertEqual(shared.state, "active", "Globex is still served")
        self.assertEqual(line_a.date_end, date(2026, 4, 20))
        self.assertTrue(line_a.tenant_suspended)
        credit = self._run(date(2026, 4, 21)).line_ids.move_ids
        self.assertAlmostEqual(credit.amount_untaxed, 100.0, msg="Acme's 21-30 April")
        self.assertEqual(self._mrr(self.tenant_a, "2026-04-25"), 0.0)
        self.assertEqual(
            self._mrr(self.tenant_b, "2026-04-25"), 300.0, "the shared support is nobody's"
        )
        may = self._run(date(2026, 5, 1)).line_ids.move_ids
        self.assertAlmostEqual(may.amount_untaxed, 350.0, msg="Globex hosting and support")
        self._act(self.tenant_a, "action_resume", "2026-05-11")
        self.assertFalse(line_a.tenant_suspended)
        resumed = shared.line_ids.filtered(
            lambda line: line.environment_id == self.env_a and line.date_start == date(2026, 5, 11)
        )
        self.assertEqual(resumed.price_unit, 300.0)
        self._run(date(2026, 5, 11))
        self.assertAlmostEqual(self._last_invoice(shared).amount_untaxed, 300.0 * 21 / 31, places=2)
        self.assertEqual(
            [(d, kind, amount) for d, kind, amount, _r in self._movements(shared)[-2:]],
            [(date(2026, 4, 21), "contraction", -300.0), (date(2026, 5, 11), "expansion", 300.0)],
        )

    def test_resume_adds_no_line_to_a_subscription_closed_meanwhile(self):
        shared = self._subscription(start=date(2026, 4, 1), lines=[], activate=False)
        shared.line_ids.unlink()
        line_a = self._hosting_line(shared, self.env_a)
        self._hosting_line(shared, self.env_b)
        shared.action_activate()
        self._act(self.tenant_a, "action_suspend", "2026-04-21")
        shared.action_close(date(2026, 5, 1), reason="ended")
        self._act(self.tenant_a, "action_resume", "2026-05-11")
        self.assertEqual(len(shared.line_ids), 2, "no line added to a closed subscription")
        self.assertFalse(line_a.tenant_suspended)

    def test_only_a_channel_manager_suspends_and_billing_stays_put(self):
        subscription = self._linked()
        user = new_test_user(
            self.env, login="h1_channel_user", groups="partner_scorecard.group_channel_user"
        )
        with self.assertRaises(AccessError), freeze_time("2026-04-21"):
            self.tenant_a.with_user(user).action_suspend()
        self.assertEqual(subscription.state, "active")
        self.assertEqual(self.tenant_a.state, "active")

    def test_a_backend_crash_leaves_tenant_and_billing_as_they_were(self):
        """One transaction: the pause written before the backend's crash is rolled back."""
        subscription = self._linked()
        self.backend.fail = "suspend"
        with self.assertRaises(RuntimeError):
            self._act(self.tenant_a, "action_suspend", "2026-04-21")
        self.assertEqual(subscription.state, "active")
        self.assertEqual(self.tenant_a.state, "active")
        self.assertFalse(
            self.env["billing.mrr.movement"].search(
                [("subscription_id", "=", subscription.id), ("date", "=", date(2026, 4, 21))]
            )
        )

    def test_a_billing_refusal_stops_the_resume_before_the_backend(self):
        """What was due up to the pause cannot be invoiced (the product lost its income
        account): Resume is refused with billing's reason, the backend never asked, the tenant
        still suspended and its subscription still paused."""
        subscription = self._linked()
        self._act(self.tenant_a, "action_suspend", "2026-04-21")
        self.hosting.property_account_income_id = False
        self.hosting.categ_id.property_account_income_categ_id = False
        with self.assertRaisesRegex(UserError, "could not be invoiced up to its pause"):
            self._act(self.tenant_a, "action_resume", "2026-05-11")
        self.assertEqual(self.backend.calls, [("suspend", "h1_billing_acme")])
        self.assertEqual(self.tenant_a.state, "suspended")
        self.assertEqual(subscription.state, "paused")

    def test_a_pause_decided_in_billing_is_not_lifted_by_the_tenant(self):
        subscription = self._linked()
        subscription.action_pause(date(2026, 4, 15))
        self._act(self.tenant_a, "action_suspend", "2026-04-21")
        self.assertFalse(subscription.paused_tenant_id, "already paused by billing")
        self._act(self.tenant_a, "action_resume", "2026-05-11")
        self.assertEqual(subscription.state, "paused")


@tagged("post_install", "-at_install")
class TestTenantDecommission(TenantBillingCommon):
    def test_decommission_ends_hosting_credits_and_closes_with_churn(self):
        subscription = self._subscription(
            start=date(2026, 4, 1),
            customer=self.customer_1,
            lines=[],
            tenant_id=self.tenant_a.id,
            activate=False,
        )
        subscription.line_ids.unlink()
        line = self._hosting_line(subscription, self.env_a)
        subscription.action_activate()
        self._run(date(2026, 4, 1))
        self._act(self.tenant_a, "action_decommission", "2026-04-21")
        self.assertEqual(self.tenant_a.state, "decommissioned")
        self.assertEqual(self.env_a.state, "decommissioned")
        self.assertEqual(line.date_end, date(2026, 4, 20), "served until the day before")
        self.assertEqual(subscription.state, "closed")
        self.assertEqual(subscription.close_reason, "decommissioned")
        self.assertEqual(
            self._movements(subscription),
            [
                (date(2026, 4, 1), "new", 300.0, False),
                (date(2026, 4, 21), "churn", -300.0, "decommissioned"),
            ],
        )
        credit = self._run(date(2026, 4, 21)).line_ids.move_ids
        self.assertEqual(credit.move_type, "out_refund")
        self.assertAlmostEqual(credit.amount_untaxed, 100.0, msg="21-30 April credited")
        self.assertFalse(self._run(date(2026, 5, 1)).line_ids, "nothing billed afterwards")

    def test_decommission_keeps_a_shared_subscription_running(self):
        shared = self._subscription(start=date(2026, 4, 1), lines=[], activate=False)
        shared.line_ids.unlink()
        line_a = self._hosting_line(shared, self.env_a)
        self._hosting_line(shared, self.env_b)
        shared.action_activate()
        self._act(self.tenant_a, "action_decommission", "2026-04-16")
        self.assertEqual(shared.state, "active")
        self.assertEqual(line_a.date_end, date(2026, 4, 15))
        self.assertEqual(self._movements(shared)[-1][:3], (date(2026, 4, 16), "contraction", -300))
        first = self._run(date(2026, 4, 16)).line_ids.move_ids
        self.assertAlmostEqual(first.amount_untaxed, 300.0 + 150.0, msg="Globex and 15 days")

    def test_one_environment_decommissioned_ends_its_hosting_only(self):
        """Acme's staging goes: its line ends (credited), production keeps being billed."""
        staging = self.env["tenant.environment"].create(
            {
                "tenant_id": self.tenant_a.id,
                "stage": "staging",
                "plan_id": self.plan.id,
                "database_name": "h1_billing_acme_staging",
            }
        )
        staging._workflow_write({"state": "active"})
        subscription = self._subscription(
            start=date(2026, 4, 1), lines=[], tenant_id=self.tenant_a.id, activate=False
        )
        subscription.line_ids.unlink()
        self._hosting_line(subscription, self.env_a)
        line = self._hosting_line(subscription, staging)
        subscription.action_activate()
        self._run(date(2026, 4, 1))
        self._act(staging, "action_decommission", "2026-04-21")
        self.assertEqual(staging.state, "decommissioned")
        self.assertEqual(self.tenant_a.state, "active")
        self.assertEqual(line.date_end, date(2026, 4, 20))
        self.assertEqual(subscription.state, "active")
        credit = self._run(date(2026, 4, 21)).line_ids.move_ids
        self.assertAlmostEqual(credit.amount_untaxed, 100.0, msg="staging's 21-30 April")
        self.assertAlmostEqual(self._mrr(self.tenant_a, "2026-04-22"), 300.0)

    def test_a_suspended_tenant_decommissioned_closes_its_paused_subscription(self):
        subscription = self._subscription(
            start=date(2026, 4, 1), lines=[], tenant_id=self.tenant_a.id, activate=False
        )
        subscription.line_ids.unlink()
        self._hosting_line(subscription, self.env_a)
        subscription.action_activate()
        self._act(self.tenant_a, "action_suspend", "2026-04-10")
        self._act(self.tenant_a, "action_decommission", "2026-05-01")
        self.assertEqual(subscription.state, "closed")
        self.assertEqual(subscription.close_reason, "decommissioned")
        self.assertFalse(subscription.paused_tenant_id)
        self._run(date(2026, 5, 1))
        billed = sum(
            move.amount_untaxed * (-1 if move.move_type == "out_refund" else 1)
            for move in subscription.invoice_ids
        )
        self.assertAlmostEqual(billed, 300.0 * 9 / 30, places=2, msg="1-9 April served")

    def test_tenant_form_links_its_subscriptions(self):
        subscription = self._subscription(
            start=date(2026, 4, 1), lines=[("support", 80.0)], tenant_id=self.tenant_a.id
        )
        shared = self._subscription(start=date(2026, 4, 1), lines=[], activate=False)
        shared.line_ids.unlink()
        self._hosting_line(shared, self.env_a)
        shared.action_activate()
        action = self.tenant_a.with_user(self.manager).action_view_subscriptions()
        self.assertEqual(
            self.env["billing.subscription"].search(action["domain"]), subscription | shared
        )
        self.assertEqual(action["context"]["default_tenant_id"], self.tenant_a.id)
        self.assertEqual(self.tenant_a.subscription_ids, subscription)
        self.assertEqual(self._mrr(self.tenant_a, "2026-04-05"), 380.0, "support 80 + hosting")
        self.assertEqual(self.tenant_a.billing_currency_id, self.company.currency_id)


@freeze_time("2026-03-20 10:00:00")
@tagged("post_install", "-at_install")
class TestTenantPortalBilling(TenantBillingCommon, HttpCase):
    """The tenant page shows what bills the tenant to the partner's own users, never to a
    visitor who only holds the tenant's share link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls._subscription(
            start=date(2026, 1, 1),
            customer=cls.customer_1,
            lines=[("support", 120.0)],
            tenant_id=cls.tenant_a.id,
            name="H1 Acme Stack",
        )
        cls.portal_user = new_test_user(
            cls.env, login="h1_portal", password="h1_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.channel_partner

    def test_partner_sees_the_tenants_subscription_and_mrr(self):
        self.authenticate("h1_portal", "h1_portal")
        page = self.url_open(f"/my/tenants/{self.tenant_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_tenant_billing", page.text)
        self.assertIn("H1 Acme Stack", page.text)
        self.assertIn(f"/my/subscriptions/{self.subscription.id}", page.text)
        self.assertRegex(page.text, r'o_tenant_billing_mrr.*oe_currency_value">120\.00<')
        other = self.url_open(f"/my/tenants/{self.tenant_b.id}")
        self.assertEqual(other.status_code, 200)
        self.assertNotIn("o_tenant_billing", other.text, "Globex has no subscription")

    def test_share_link_visitor_sees_no_billing(self):
        self.tenant_a._portal_ensure_token()
        page = self.url_open(
            f"/my/tenants/{self.tenant_a.id}?access_token={self.tenant_a.access_token}"
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Acme ERP", page.text)
        self.assertNotIn("H1 Acme Stack", page.text)
        self.assertNotIn("o_tenant_billing", page.text)
