from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestGuardHoles(TenantCase):
    """Holes found in review, each tried over the ORM as the user who must be refused: a status
    update moved to another incident, a drill or a move for another company's environment, and
    duplicating records whose workflow fields the guard refused on the copy's create."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Guard Holes B"})
        cls.tenant_other = cls.env["tenant.tenant"].create(
            {
                "name": "Company B ERP",
                "partner_id": cls.partner_b.id,
                "company_id": cls.company_b.id,
                "deployment_model": "multi_tenant",
            }
        )
        cls.production, cls.production_other = cls.env["tenant.environment"].create(
            [
                {
                    "tenant_id": tenant.id,
                    "stage": "production",
                    "database_name": cls.unique_name(),
                    "plan_id": cls.plan.id,
                }
                for tenant in (cls.tenant_a, cls.tenant_other)
            ]
        )

    def _incident(self, subject):
        return self.env["tenant.incident"].create(
            {"tenant_id": self.tenant_a.id, "subject": subject, "public_title": subject}
        )

    # --- a status update stays on its incident ------------------------------------------------

    def test_status_update_cannot_move_to_another_incident(self):
        outage, other = self._incident("Outage"), self._incident("Slow reports")
        update = (
            self.env["tenant.incident.update"]
            .with_user(self.channel_user)
            .create({"incident_id": outage.id, "body": "We are looking into it."})
        )
        for user in (self.channel_user, self.manager):
            with self.assertRaisesRegex(AccessError, "incident_id"):
                update.with_user(user).write({"incident_id": other.id})
        self.assertEqual(update.incident_id, outage)
        self.assertFalse(other.update_ids)
        # the rest of the update stays editable
        update.with_user(self.channel_user).write({"status": "identified"})
        self.assertEqual(update.status, "identified")

    # --- another company's environment ---------------------------------------------------------

    def test_drill_and_move_refused_for_another_companys_environment(self):
        self.assertEqual(self.production_other.company_id, self.company_b)
        manager_a = self.manager  # of the main company only
        with self.assertRaises(AccessError):
            self.env["tenant.dr.drill"].with_user(manager_a).create(
                {"environment_id": self.production_other.id}
            )
        with self.assertRaises(AccessError):
            self.env["tenant.migration"].with_user(manager_a).create(
                {
                    "source_environment_id": self.production_other.id,
                    "target_plan_id": self.plan.id,
                    "target_database_name": self.unique_name("_b_dedicated"),
                }
            )
        # a manager of both companies working in the main company only is refused too
        manager_ab = new_test_user(
            self.env,
            login="wlt_holes_ab",
            groups="partner_scorecard.group_channel_manager",
            company_id=self.env.company.id,
            company_ids=[(6, 0, (self.env.company | self.company_b).ids)],
        )
        in_main = self.env["tenant.dr.drill"].with_user(manager_ab)
        with self.assertRaises(AccessError):
            in_main.with_context(allowed_company_ids=self.env.company.ids).create(
                {"environment_id": self.production_other.id}
            )
        drills = self.env["tenant.dr.drill"].search(
            [("environment_id", "=", self.production_other.id)]
        )
        self.assertFalse(drills)
        self.assertFalse(
            self.env["tenant.migration"].search(
                [("source_environment_id", "=", self.production_other.id)]
            )
        )
        # nor can a move of the main company's tenant take company B's plan
        plan_b = self.env["tenant.plan"].create(
            {
                "name": "B Dedicated",
                "code": "WLT-HB",
                "vcpu": 4,
                "ram_gb": 8,
                "storage_gb": 80,
                "company_id": self.company_b.id,
            }
        )
        self.tenant_a.deployment_model = "multi_tenant"
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env["tenant.migration"].with_user(manager_ab).create(
                {
                    "source_environment_id": self.production.id,
                    "target_plan_id": plan_b.id,
                    "target_database_name": self.unique_name("_dedicated"),
                }
            )
        # in company B's context the same manager plans one
        in_both = in_main.with_context(allowed_company_ids=self.company_b.ids)
        drill = in_both.create({"environment_id": self.production_other.id})
        self.assertEqual(drill.company_id, self.company_b)

    # --- duplicating records with workflow fields ---------------------------------------------

    def test_duplicate_membership_starts_without_its_tier(self):
        membership = self.env["partner.membership"].search([("partner_id", "=", self.partner_a.id)])
        gold = self.env["partner.tier"].search([], order="level desc", limit=1)
        membership._workflow_write({"tier_id": gold.id})
        newcomer = self.env["res.partner"].create({"name": "Gamma Cloud", "is_company": True})
        copy = membership.with_user(self.channel_user).copy({"partner_id": newcomer.id})
        self.assertEqual(copy.partner_id, newcomer)
        self.assertFalse(copy.tier_id, "a duplicate earns its tier through Change Tier")
        self.assertEqual(membership.tier_id, gold)
        # the caller's own values stay guarded
        with self.assertRaisesRegex(AccessError, "tier_id"):
            membership.with_user(self.channel_user).copy(
                {"partner_id": self.partner_b.id, "tier_id": gold.id}
            )

    def test_duplicate_environment_and_status_update(self):
        self.production._workflow_write(
            {"state_changed_by_id": self.manager.id, "odoo_version": "18.0"}
        )
        name = self.unique_name("_copy")
        copy = self.production.with_user(self.channel_user).copy({"database_name": name})
        self.assertEqual(copy.database_name, name)
        self.assertEqual(copy.tenant_id, self.tenant_a)
        self.assertFalse(copy.state_changed_by_id)
        self.assertFalse(copy.odoo_version, "read from its own database by Read Versions")
        update = (
            self.env["tenant.incident.update"]
            .with_user(self.manager)
            .create({"incident_id": self._incident("Outage").id, "body": "Fixed."})
        )
        update_copy = update.with_user(self.channel_user).copy()
        self.assertEqual(update_copy.author_id, self.channel_user, "who posted the copy")
        self.assertEqual(update_copy.incident_id, update.incident_id)

    def test_duplicate_gate_criterion_and_approval_start_undone(self):
        gate = self.env["governance.gate"].search(
            [("res_model", "=", "tenant.tenant"), ("res_id", "=", self.tenant_a.id)]
        )
        line = gate.line_ids.filtered(lambda line: line.kind == "manual")[:1] or gate.line_ids[0]
        line._workflow_write({"done": True, "done_by_id": self.manager.id})
        copy = line.with_user(self.manager).copy()
        self.assertEqual((copy.gate_id, copy.name, copy.kind), (gate, line.name, line.kind))
        self.assertFalse(copy.done or copy.done_by_id, "a duplicate is not ticked")
        self.assertTrue(line.done)
        approval = self.env["governance.gate.approval"]._workflow_create(
            {"gate_id": gate.id, "name": "CFO", "state": "approved"}
        )
        approval_copy = approval.with_user(self.manager).copy()
        self.assertEqual((approval_copy.gate_id, approval_copy.name), (gate, "CFO"))
        self.assertNotEqual(approval_copy.state, "approved")

    def test_duplicate_gate_is_decided_afresh(self):
        gate = self.env["governance.gate"].search(
            [("res_model", "=", "tenant.tenant"), ("res_id", "=", self.tenant_a.id)]
        )
        gate.line_ids._workflow_write({"done": True, "done_by_id": self.manager.id})
        gate._workflow_write({"decided_by_id": self.manager.id, "decision_note": "Looks fine"})
        copy = gate.with_user(self.manager).copy()
        self.assertEqual(
            (copy.res_model, copy.res_id, copy.template_id, copy.stage_value),
            (gate.res_model, gate.res_id, gate.template_id, gate.stage_value),
        )
        self.assertEqual(copy.state, "open")
        self.assertFalse(copy.decided_by_id or copy.decision_note)
        self.assertEqual(copy.line_ids.mapped("name"), gate.line_ids.mapped("name"))
        self.assertFalse(any(copy.line_ids.mapped("done")), "its criteria are ticked again")
        with self.assertRaisesRegex(AccessError, "state"):
            gate.with_user(self.manager).copy({"state": "passed"})

    def test_duplicate_upgrade_step_starts_pending(self):
        campaign = self.env["tenant.upgrade.campaign"].create(
            {"name": "Guard holes upgrade", "module_names": "base"}
        )
        step = self.env["tenant.upgrade.step"]._workflow_create(
            {
                "campaign_id": campaign.id,
                "environment_id": self.production.id,
                "kind": "production",
                "state": "passed",
                "started_at": "2026-03-01 02:00:00",
                "finished_at": "2026-03-01 02:10:00",
                "log": "upgraded",
            }
        )
        # only the administrator may create steps (the campaign's actions make them)
        copy = step.copy()
        self.assertEqual((copy.campaign_id, copy.environment_id), (campaign, self.production))
        self.assertEqual(copy.state, "pending")
        self.assertFalse(copy.started_at or copy.finished_at or copy.log)
        with self.assertRaises(AccessError):
            step.with_user(self.manager).copy()
