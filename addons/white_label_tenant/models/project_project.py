from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.governance_gates.core.gate_logic import CheckResult


class ProjectProject(models.Model):
    """An implementation project and the tenants it delivers: the go-live of a hosted project
    (white_label_tenant.gate_template_project_go_live_hosted) checks them, not a manual tick."""

    _inherit = "project.project"

    tenant_ids = fields.One2many("tenant.tenant", "project_id", string="Tenants")
    tenant_count = fields.Integer(compute="_compute_tenant_count", string="Tenant Count")

    def _compute_tenant_count(self):
        counts = dict(
            self.env["tenant.tenant"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        for project in self:
            project.tenant_count = counts.get(project, 0)

    @api.model
    def _gate_setup_hosted_go_live(self):
        """Keep governance_gates' go-live gate (ticked by hand) for the projects that deliver no
        tenant: the hosted copy of this module applies to the others. Called at each install or
        update; a domain someone set on that template is left as it is."""
        template = self.env.ref(
            "governance_gates.gate_template_project_go_live", raise_if_not_found=False
        )
        if template and not template.domain_filter:
            template.domain_filter = repr([("tenant_ids", "=", False)])

    def _gate_follow_tenants(self):
        """The projects gained or lost a tenant, which changes their go-live gate: open the one
        that now applies, drop the open one that no longer does while nobody has worked on it
        (a gate with a tick, evidence, a waiver or a review stays, undecided, for the record)."""
        self._gate_prepare_next()
        templates_by_stage = self._gate_templates_by_stage()
        stale = self.env["governance.gate"].sudo()
        for project in self:
            for gate in project.sudo().gate_ids.filtered(lambda g: g.state == "open"):
                applicable = project._gate_applicable_templates(
                    gate.stage_value, templates_by_stage.get(gate.stage_value)
                )
                worked_on = gate.line_ids.filtered(
                    lambda line: line.done
                    or line.waived
                    or line.evidence_note
                    or line.attachment_ids
                ) or gate.approval_ids.filtered(lambda a: a.state in ("approved", "rejected"))
                if gate.template_id not in applicable and not worked_on:
                    stale |= gate
        if stale:
            stale.approval_ids.activity_ids.unlink()
            stale.unlink()
            self.sudo().gate_ids._sync_record_status()

    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks.update(
            project_sla_assigned=self.env._(
                "SLA policy assigned (each tenant's production runs under an SLA policy in force)"
            ),
            project_restore_verified=self.env._(
                "Backup restore verified (a restore test of each tenant's production passed "
                "within the SLA policy's validity)"
            ),
        )
        return checks

    def _gate_tenants_result(self, method):
        """Every tenant of the project passes ``method`` (a tenant's CheckResult); none fails."""
        self.ensure_one()
        tenants = self.sudo().tenant_ids
        if not tenants:
            return CheckResult(
                False,
                self.env._(
                    "No tenant delivers %s: set the Implementation Project on its tenant.",
                    self.display_name,
                ),
            )
        results = [getattr(tenant, method)() for tenant in tenants]
        return CheckResult(
            all(results), "\n".join(result.evidence for result in results if result.evidence)
        )

    def _gate_check_project_sla_assigned(self):
        return self._gate_tenants_result("_golive_sla_result")

    def _gate_check_project_restore_verified(self):
        return self._gate_tenants_result("_golive_restore_result")

    def action_create_tenant(self):
        """Create the tenant this project delivers (or open the ones it has): the project's end
        customer, implementation partner and complexity tier, deployed as the tier recommends
        (deployment model and plan, which the user may override), with a draft production
        environment ready to provision."""
        self.ensure_one()
        Tenant = self.env["tenant.tenant"]
        Tenant._check_manager()
        if self.tenant_ids:
            return self._tenant_form_action(self.tenant_ids)
        if not self.channel_partner_id:
            raise UserError(
                self.env._(
                    "%s has no implementation partner: set the Implementation Partner of the "
                    "project (the channel partner that owns the tenant) first.",
                    self.display_name,
                )
            )
        if not self.complexity_tier:
            raise UserError(
                self.env._(
                    "%s has no complexity tier: set it (or create the project from its qualified "
                    "opportunity) first: it recommends the deployment model and plan.",
                    self.display_name,
                )
            )
        return self._tenant_form_action(Tenant._create_from_project(self))

    def _tenant_form_action(self, tenants):
        action = self.action_view_tenants()
        if len(tenants) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=tenants.id)
        return action

    def action_view_tenants(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "white_label_tenant.tenant_tenant_action"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        return action
