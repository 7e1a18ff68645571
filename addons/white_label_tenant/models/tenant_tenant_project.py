from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_datetime

from odoo.addons.governance_gates.core.gate_logic import CheckResult


class TenantTenant(models.Model):
    """The tenant's implementation project, and what the project's go-live gate reads of it:
    the SLA policy in force and the restore tests of the production environments."""

    _inherit = "tenant.tenant"

    project_id = fields.Many2one(
        "project.project",
        string="Implementation Project",
        index="btree_not_null",
        tracking=True,
        groups="base.group_user",
        help="The project that delivers this tenant: its go-live gate checks this tenant's SLA "
        "policy and restore tests.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        tenants = super().create(vals_list)
        if projects := tenants.sudo().project_id:
            projects._gate_follow_tenants()
        return tenants

    def write(self, vals):
        if "project_id" not in vals:
            return super().write(vals)
        before = self.sudo().project_id
        result = super().write(vals)
        # a project that gains (or loses) its tenant changes which go-live gate applies to it
        if projects := before | self.sudo().project_id:
            projects._gate_follow_tenants()
        return result

    # ------------------------------------------------------------------ go-live evidence

    def _golive_sla_result(self):
        """Whether this tenant's production runs under an SLA policy in force, and which."""
        self.ensure_one()
        if not self._production_environments():
            return CheckResult(
                False, self.env._("%s has no production environment.", self.display_name)
            )
        policy = self.sla_policy_id
        if not policy:
            return CheckResult(
                False,
                self.env._(
                    "%s has no SLA policy: set the SLA Policy on the tenant.", self.display_name
                ),
            )
        version = policy.current_version_id
        if not version:
            return CheckResult(
                False,
                self.env._(
                    "%(tenant)s: the SLA policy %(policy)s has no active version in force.",
                    tenant=self.display_name,
                    policy=policy.display_name,
                ),
            )
        return CheckResult(
            True,
            self.env._(
                "%(tenant)s: SLA policy %(version)s, in force since %(since)s.",
                tenant=self.display_name,
                version=version.display_name,
                since=format_datetime(self.env, version.effective_from),
            ),
        )

    def _golive_restore_result(self):
        """Whether a restore test of each production environment passed (within the validity
        of the SLA policy version in force, when there is one), naming the tests."""
        self.ensure_one()
        production = self._production_environments()
        if not production:
            return CheckResult(
                False, self.env._("%s has no production environment.", self.display_name)
            )
        version = self.sla_policy_id.current_version_id
        domain = [("environment_id", "in", production.ids), ("state", "=", "passed")]
        since = False
        if version.restore_test_validity_days:
            since = fields.Datetime.now() - timedelta(days=version.restore_test_validity_days)
            domain.append(("started_at", ">=", since))
        latest = {}
        for test in self.env["tenant.restore.test"].sudo().search(domain):  # newest first
            latest.setdefault(test.environment_id, test)
        lines = []
        for environment in production:
            test = latest.get(environment)
            if test and since:
                lines.append(
                    self.env._(
                        "%(env)s: restore test of %(date)s passed (backup of %(backup)s), "
                        "within the %(days)s days of %(version)s.",
                        env=environment.display_name,
                        date=format_datetime(self.env, test.started_at),
                        backup=format_datetime(self.env, test.backup_id.finished_at),
                        days=version.restore_test_validity_days,
                        version=version.display_name,
                    )
                )
            elif test:
                lines.append(
                    self.env._(
                        "%(env)s: restore test of %(date)s passed (backup of %(backup)s).",
                        env=environment.display_name,
                        date=format_datetime(self.env, test.started_at),
                        backup=format_datetime(self.env, test.backup_id.finished_at),
                    )
                )
            elif since:
                lines.append(
                    self.env._(
                        "%(env)s: no restore test passed since %(since)s (%(version)s: "
                        "%(days)s days): run a restore test of its latest backup.",
                        env=environment.display_name,
                        since=format_datetime(self.env, since),
                        version=version.display_name,
                        days=version.restore_test_validity_days,
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "%s: no restore test has passed: run a restore test of its latest backup.",
                        environment.display_name,
                    )
                )
        return CheckResult(len(latest) == len(production), "\n".join(lines))
