from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestPolicyCriticality(TenantCase):
    """A tenant's criticality picks the SLA policy set as default for it on the policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo maps its own policies: these tests own the mapping
        cls.env["tenant.sla.policy"].search([("criticality", "!=", False)]).criticality = False
        cls.silver = cls.env["tenant.sla.policy"].create(
            {"name": "Silver", "criticality": "standard"}
        )
        cls.policy.criticality = "business_critical"
        cls._end_transaction(cls.env)

    @staticmethod
    def _end_transaction(env):
        """What a commit does for the chatter: records created in this transaction are not
        tracked, later writes are (when the transaction commits)."""
        env.flush_all()
        env.cr.precommit.run()

    def _tracked(self, record):
        """The fields whose changes the chatter of ``record`` shows (tracking is written when
        the transaction commits)."""
        self._end_transaction(self.env)
        record.invalidate_recordset(["message_ids"])
        return record.sudo().message_ids.tracking_value_ids.mapped("field_id.name")

    def _new_tenant(self, **values):
        return self.env["tenant.tenant"].create(
            {"name": "Mapped ERP", "partner_id": self.partner_a.id, **values}
        )

    def test_criticality_picks_the_default_policy_at_creation(self):
        self.assertEqual(self._new_tenant().sla_policy_id, self.silver)
        critical = self._new_tenant(criticality="business_critical")
        self.assertEqual(critical.sla_policy_id, self.policy)
        # a policy chosen explicitly is kept
        chosen = self._new_tenant(criticality="business_critical", sla_policy_id=self.silver.id)
        self.assertEqual(chosen.sla_policy_id, self.silver)
        # a criticality no policy is mapped to leaves the choice to the user
        self.assertFalse(self._new_tenant(criticality="mission_critical").sla_policy_id)

    def test_the_form_proposes_the_policy_and_the_change_is_tracked(self):
        with Form(self.env["tenant.tenant"].with_user(self.manager)) as form:
            form.name = "Form ERP"
            form.partner_id = self.partner_a
            self.assertEqual(form.sla_policy_id, self.silver)
            form.criticality = "business_critical"
            self.assertEqual(form.sla_policy_id, self.policy)
        tenant = form.record
        self._end_transaction(self.env)
        tenant.with_user(self.manager).criticality = "standard"
        self.assertEqual(tenant.sla_policy_id, self.silver)
        tracked = self._tracked(tenant)
        self.assertIn("criticality", tracked)
        self.assertIn("sla_policy_id", tracked)

    def test_one_default_policy_per_criticality_and_the_mapping_is_tracked(self):
        with self.assertRaisesRegex(ValidationError, "Default for Criticality"):
            self.env["tenant.sla.policy"].create(
                {"name": "Another Silver", "criticality": "standard"}
            )
        self.silver.criticality = "mission_critical"
        self.assertIn("criticality", self._tracked(self.silver))
        self.assertEqual(
            self._new_tenant(criticality="mission_critical").sla_policy_id, self.silver
        )

    def test_the_end_customer_gives_its_criticality(self):
        self.customer_a.tenant_criticality = "business_critical"
        tenant = self._new_tenant(end_customer_id=self.customer_a.id)
        self.assertEqual(
            (tenant.criticality, tenant.sla_policy_id), ("business_critical", self.policy)
        )
        # a contact of the customer counts as the customer
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer_a.id})
        with Form(self.env["tenant.tenant"].with_user(self.manager)) as form:
            form.name = "Contact ERP"
            form.partner_id = self.partner_a
            self.assertEqual(form.criticality, "standard")
            form.end_customer_id = contact
            self.assertEqual(form.criticality, "business_critical")
            self.assertEqual(form.sla_policy_id, self.policy)
            # the user may still choose another
            form.criticality = "standard"
            self.assertEqual(form.sla_policy_id, self.silver)
        self.assertEqual(form.record.criticality, "standard")

    def test_the_mapping_is_per_company(self):
        other = self.env["res.company"].create({"name": "Other Channel Co"})
        local = self.env["tenant.sla.policy"].create(
            {"name": "Local Silver", "criticality": "standard", "company_id": other.id}
        )
        tenant = self._new_tenant(company_id=other.id)
        self.assertEqual(tenant.sla_policy_id, local)
