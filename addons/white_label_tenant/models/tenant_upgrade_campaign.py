import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..backends.local_upgrade import MODULE_NAME_RE
from ..core.campaign import Step, decide, plan_waves, staging_passed

_logger = logging.getLogger(__name__)

CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("staging", "Staging"),
    ("production", "Production"),
    ("done", "Done"),
    ("stopped", "Stopped"),
    ("rolled_back", "Rolled Back"),
]


class TenantUpgradeCampaign(models.Model):
    """An upgrade of some modules across the environments of many tenants.

    Staging first (upgrade + smoke check), then production in waves, each production step inside
    its tenant's maintenance window (unless overridden, with a reason), after a backup, rolled
    back from that backup when it fails; the first failure stops what is still pending. The move
    to production is governed: its gate (``gate_template_upgrade_campaign``) requires a passed
    staging run. The decisions are ``core.campaign``'s; the steps do the work.
    """

    _name = "tenant.upgrade.campaign"
    _description = "Upgrade Campaign"
    _inherit = ["channel.workflow.guard", "governance.gate.mixin", "mail.thread"]
    _order = "id desc"
    _workflow_fields = (
        "state",
        "started_at",
        "started_by_id",
        "finished_at",
        "override_by_id",
        "override_at",
    )
    _workflow_actions = {"state": "Start, Run Next Steps or Stop"}
    _gate_stage_field = "state"
    _gate_guarded_stages = ["production"]

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    module_names = fields.Char(
        string="Modules to Upgrade",
        required=True,
        tracking=True,
        help="Technical names, comma-separated (e.g. sale_management,stock): odoo-bin -u runs "
        "them on each environment's database.",
    )
    tenant_ids = fields.Many2many(
        "tenant.tenant",
        string="Tenants",
        domain="[('company_id', '=', company_id)]",
        help="Their running staging environments are upgraded first, then their running "
        "production environments in waves.",
    )
    wave_size = fields.Integer(
        default=1, help="How many production environments are upgraded per wave."
    )
    state = fields.Selection(
        CAMPAIGN_STATES,
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    override_window = fields.Boolean(
        string="Override Maintenance Windows",
        tracking=True,
        copy=False,
        help="Upgrade production outside its tenants' maintenance windows (Channel Managers "
        "only, with a reason).",
    )
    override_reason = fields.Text(tracking=True, copy=False)
    override_by_id = fields.Many2one("res.users", string="Overridden By", readonly=True, copy=False)
    override_at = fields.Datetime(string="Overridden On", readonly=True, copy=False)
    started_at = fields.Datetime(readonly=True, copy=False)
    started_by_id = fields.Many2one("res.users", string="Started By", readonly=True, copy=False)
    finished_at = fields.Datetime(readonly=True, copy=False)
    step_ids = fields.One2many("tenant.upgrade.step", "campaign_id", string="Steps")
    step_count = fields.Integer(compute="_compute_step_figures")
    passed_count = fields.Integer(string="Passed Steps", compute="_compute_step_figures")
    failed_count = fields.Integer(string="Failed Steps", compute="_compute_step_figures")

    @api.depends("step_ids.state")
    def _compute_step_figures(self):
        for campaign in self:
            states = campaign.step_ids.mapped("state")
            campaign.step_count = len(states)
            campaign.passed_count = states.count("passed")
            campaign.failed_count = states.count("failed") + states.count("rolled_back")

    @api.constrains("module_names", "wave_size", "override_window", "override_reason")
    def _check_terms(self):
        for campaign in self:
            if campaign.wave_size < 1:
                raise ValidationError(
                    self.env._("Wave Size must be at least 1, not %(n)s.", n=campaign.wave_size)
                )
            bad = [m for m in campaign._modules() if not MODULE_NAME_RE.fullmatch(m)]
            if bad or not campaign._modules():
                raise ValidationError(
                    self.env._(
                        "Modules to Upgrade must list technical module names separated by "
                        "commas (e.g. sale_management,stock), not %(value)s.",
                        value=campaign.module_names,
                    )
                )
            if campaign.override_window and not (campaign.override_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(name)s: Override Maintenance Windows needs an Override Reason "
                        "(why production cannot wait for its window).",
                        name=campaign.name,
                    )
                )

    def _modules(self):
        self.ensure_one()
        return [m.strip() for m in (self.module_names or "").split(",") if m.strip()]

    def write(self, vals):
        if "override_window" in vals:
            self.env["tenant.tenant"]._check_manager()
            if vals["override_window"]:
                # the bypass below is for the override's who and when only: the caller's own
                # workflow fields (state, started_at...) stay refused
                self._workflow_check_vals(vals)
                vals = {
                    **vals,
                    "override_by_id": self.env.user.id,
                    "override_at": fields.Datetime.now(),
                }
                return super(TenantUpgradeCampaign, self._workflow_bypass_env()).write(vals)
        return super().write(vals)

    # --- gate criterion (governance_gates) ------------------------------------------------
    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks["campaign_staging_passed"] = self.env._(
            "Every staging environment was upgraded and passed its smoke check"
        )
        return checks

    def _gate_check_campaign_staging_passed(self):
        self.ensure_one()
        return staging_passed(self._core_steps())

    def _gate_recycle(self, stage_value):
        return super(TenantUpgradeCampaign, self._workflow_bypass_env())._gate_recycle(stage_value)

    def _core_steps(self):
        return [Step(s.id, s.kind, s.wave, s.state) for s in self.step_ids]

    # --- actions ----------------------------------------------------------------------------
    def _check_tenants(self):
        """Clear refusals before anything runs: suspended tenants, nothing to upgrade."""
        self.ensure_one()
        if not self.tenant_ids:
            raise UserError(
                self.env._("%(name)s has no tenants: choose them in Tenants.", name=self.name)
            )
        suspended = self.tenant_ids.filtered(lambda t: t.state == "suspended")
        if suspended:
            raise UserError(
                self.env._(
                    "%(name)s: tenant %(tenants)s is suspended; its environments cannot be "
                    "upgraded. Resume the tenant or remove it from Tenants.",
                    name=self.name,
                    tenants=", ".join(suspended.mapped("name")),
                )
            )
        running = self.tenant_ids.environment_ids.filtered(lambda e: e.state == "active")
        without_production = (
            self.tenant_ids - running.filtered(lambda e: e.stage == "production").tenant_id
        )
        if without_production:
            raise UserError(
                self.env._(
                    "%(name)s: tenant %(tenants)s has no running production environment to "
                    "upgrade. Provision it or remove the tenant from Tenants.",
                    name=self.name,
                    tenants=", ".join(without_production.mapped("name")),
                )
            )
        if not running.filtered(lambda e: e.stage == "staging"):
            raise UserError(
                self.env._(
                    "%(name)s: none of its tenants has a running staging environment; a campaign "
                    "upgrades staging first. Add a staging environment to a tenant.",
                    name=self.name,
                )
            )
        return running

    def action_start(self):
        """Plan the steps (staging, then production in waves) and start with staging."""
        self.env["tenant.tenant"]._check_manager()
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("%(name)s has already started.", name=campaign.name))
            running = campaign._check_tenants()
            staging = running.filtered(lambda e: e.stage == "staging")
            production = running.filtered(lambda e: e.stage == "production").sorted(
                lambda e: (e.tenant_id.name, e.id)
            )
            vals = [
                {"campaign_id": campaign.id, "environment_id": env.id, "kind": "staging", "wave": 0}
                for env in staging
            ]
            for wave, ids in enumerate(plan_waves(production.ids, campaign.wave_size), start=1):
                vals += [
                    {
                        "campaign_id": campaign.id,
                        "environment_id": i,
                        "kind": "production",
                        "wave": wave,
                    }
                    for i in ids
                ]
            self.env["tenant.upgrade.step"].sudo()._workflow_create(vals)
            campaign._workflow_write(
                {
                    "state": "staging",
                    "started_at": fields.Datetime.now(),
                    "started_by_id": self.env.user.id,
                }
            )
            campaign.message_post(
                body=self.env._(
                    "Started: %(staging)s staging and %(production)s production environments.",
                    staging=len(staging),
                    production=len(production),
                )
            )
        return True

    def action_run(self):
        """Run what is due now (staging, or the next production wave), refusing production
        outside its window with the window's time."""
        self.env["tenant.tenant"]._check_manager()
        for campaign in self:
            if campaign.state not in ("staging", "production"):
                raise UserError(
                    self.env._("%(name)s is not running: start it first.", name=campaign.name)
                )
            campaign._advance(fields.Datetime.now(), limit=50, interactive=True)
        return True

    def action_stop(self):
        self.env["tenant.tenant"]._check_manager()
        for campaign in self.filtered(lambda c: c.state in ("draft", "staging", "production")):
            pending = campaign.step_ids.filtered(lambda s: s.state == "pending")
            campaign._finish(
                "stopped", pending, self.env._("Stopped by %(user)s.", user=self.env.user.name)
            )
        return True

    # --- the engine -------------------------------------------------------------------------
    def _advance(self, now, limit=1, interactive=False):
        """Do at most ``limit`` steps of this campaign as ``core.campaign.decide`` says.
        Returns the number of steps run. Production steps outside their window wait (the
        scheduled action) or are refused (``interactive``), unless the window is overridden."""
        self.ensure_one()
        done = 0
        while done < limit:
            decision = decide(self.state, self._core_steps())
            if decision.action == "advance":
                # the governance gate guards this write: it refuses without a passed staging run
                self._workflow_write({"state": decision.state})
                self.message_post(body=self.env._("Staging passed: production starts."))
                continue
            if decision.action == "finish":
                steps = self.step_ids.browse(decision.step_ids)
                self._finish(decision.state, steps)
                break
            if decision.action != "run":
                break
            ran = False
            for step in self.step_ids.browse(decision.step_ids):
                if done >= limit:
                    break
                if not step._ready(now, interactive):
                    continue
                step._run(now)
                done += 1
                ran = True
                if step.state != "passed":
                    break
            if not ran:
                break
        return done

    def _finish(self, state, skipped, reason=None):
        skipped._workflow_write({"state": "skipped"})
        self._workflow_write({"state": state, "finished_at": fields.Datetime.now()})
        labels = dict(CAMPAIGN_STATES)
        self.message_post(
            body=reason or self.env._("Campaign %(state)s.", state=labels[state].lower())
        )

    @api.model
    def _cron_advance(self, now=None, limit=5):
        """The scheduled action: one bounded slice of steps (``limit``) over the running
        campaigns, each taken with SKIP LOCKED so two workers never run the same campaign;
        a campaign whose step raised unexpectedly is recorded, never blocks the others."""
        now = now or fields.Datetime.now()
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM tenant_upgrade_campaign WHERE state IN ('staging', 'production') "
            "ORDER BY id FOR UPDATE SKIP LOCKED"
        )
        campaigns = self.browse([row[0] for row in self.env.cr.fetchall()])
        done = 0
        for campaign in campaigns:
            if done >= limit:
                break
            try:
                with self.env.cr.savepoint():
                    done += campaign._advance(now, limit=limit - done)
            except UserError as exc:
                campaign.message_post(body=self.env._("Not advanced: %(e)s", e=exc))
        remaining = self.env["tenant.upgrade.step"].search_count(
            [("state", "=", "pending"), ("campaign_id.state", "in", ("staging", "production"))]
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining if done else 0)
        return done
