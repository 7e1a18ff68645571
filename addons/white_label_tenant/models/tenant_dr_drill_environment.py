from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core.drill import drill_is_overdue, drill_owed_at

# kept by the drills themselves (computed), never typed
DRILL_STATUS_FIELDS = ("last_drill_passed_at", "drill_due_at", "dr_drill_overdue")


class TenantEnvironment(models.Model):
    """A production environment's disaster-recovery status: when its last drill passed, when
    the next is owed (its SLA policy's interval, core/drill.py) and whether it is overdue,
    which blocks promoting or upgrading its tenant (:meth:`_check_drill_current`)."""

    _inherit = "tenant.environment"

    dr_drill_ids = fields.One2many("tenant.dr.drill", "environment_id", string="DR Drills")
    last_drill_passed_at = fields.Datetime(
        string="Last Passed DR Drill",
        compute="_compute_last_drill_passed_at",
        store=True,
        copy=False,
    )
    drill_due_at = fields.Datetime(
        string="DR Drill Due",
        compute="_compute_drill_status",
        store=True,
        copy=False,
        help="A passed disaster-recovery drill is owed by then: the SLA policy's DR Drill Every "
        "after the last passed drill (or after the environment went live).",
    )
    dr_drill_overdue = fields.Boolean(
        string="DR Drill Overdue",
        compute="_compute_drill_status",
        store=True,
        index=True,
        copy=False,
        help="A running production environment without a passed disaster-recovery drill within "
        "its SLA policy's period: its tenant cannot be promoted or upgraded until a drill "
        "passes. Refreshed by the drills and their daily scheduled action.",
    )

    @api.depends("dr_drill_ids.state", "dr_drill_ids.finished_at")
    def _compute_last_drill_passed_at(self):
        groups = (
            self.env["tenant.dr.drill"]
            .sudo()
            ._read_group(
                [("environment_id", "in", self._origin.ids), ("state", "=", "passed")],
                ["environment_id"],
                ["finished_at:max"],
            )
        )
        last = {env.id: when for env, when in groups}
        for env in self:
            env.last_drill_passed_at = last.get(env._origin.id)

    @api.depends(
        "stage",
        "state",
        "last_drill_passed_at",
        "provisioned_at",
        "tenant_id.sla_policy_id",
        "migration_read_only",
        "migration_pending",
    )
    def _compute_drill_status(self):
        now = fields.Datetime.now()
        for env in self:
            if env.stage != "production" or env._in_migration():
                env.drill_due_at = False
                env.dr_drill_overdue = False
                continue
            interval = env._drill_interval_days(now)
            env.drill_due_at = drill_owed_at(
                env.last_drill_passed_at, env._drill_live_since(), interval
            )
            env.dr_drill_overdue = env.state == "active" and env._drill_overdue_at(now)

    def _drill_interval_days(self, now):
        self.ensure_one()
        policy = self.sudo().tenant_id.sla_policy_id
        version = policy._version_at(now) if policy else None
        return (version.dr_drill_interval_days if version else 0) or 90

    def _drill_live_since(self):
        self.ensure_one()
        return self.provisioned_at or self.create_date

    def _drill_overdue_at(self, now):
        self.ensure_one()
        return drill_is_overdue(
            now, self.last_drill_passed_at, self._drill_live_since(), self._drill_interval_days(now)
        )

    def _refresh_drill_status(self):
        """Recompute the due date and the overdue flag (time moves on without a write)."""
        fnames = ["last_drill_passed_at", "drill_due_at", "dr_drill_overdue"]
        for fname in fnames:
            self.env.add_to_compute(self._fields[fname], self)
        self._recompute_recordset(fnames)
        tenants = self.tenant_id
        self.env.add_to_compute(tenants._fields["dr_drill_overdue"], tenants)
        tenants._recompute_recordset(["dr_drill_overdue"])

    def write(self, vals):
        if set(DRILL_STATUS_FIELDS).intersection(vals) and not self._workflow_bypassed():
            raise AccessError(
                self.env._(
                    "The disaster-recovery status of an environment (last passed drill, due date, "
                    "overdue) follows its drills: run a drill instead."
                )
            )
        return super().write(vals)

    # --- the guard other operations call ------------------------------------------------
    def _check_drill_current(self, now=None):
        """Refuse (UserError) when a running production environment of these environments'
        tenants has no passed disaster-recovery drill within its policy's period: promotion
        and upgrades call this."""
        now = now or fields.Datetime.now()
        production = self.sudo().tenant_id._production_environments()
        for env in production.filtered(lambda e: e.state == "active"):
            if env._drill_overdue_at(now):
                last = env.last_drill_passed_at
                raise UserError(
                    self.env._(
                        "%(env)s has no passed disaster-recovery drill within its SLA policy's "
                        "%(days)s days (last passed drill: %(last)s): run a drill (Run DR Drill "
                        "on the environment) before promoting or upgrading %(tenant)s.",
                        env=env.display_name,
                        days=env._drill_interval_days(now),
                        last=last or self.env._("never"),
                        tenant=env.tenant_id.display_name,
                    )
                )
        return True

    # --- planning and running -----------------------------------------------------------
    def _plan_drill(self, now=None):
        """A planned drill for every running production environment among these that has none
        waiting or running, on the moment its policy owes it; returns the drills created."""
        now = now or fields.Datetime.now()
        Drill = self.env["tenant.dr.drill"].sudo()
        envs = self.filtered(
            lambda e: e.stage == "production" and e.state == "active" and not e._in_migration()
        )
        busy = Drill.search(
            [("environment_id", "in", envs.ids), ("state", "in", ("planned", "running"))]
        ).environment_id
        created = Drill.browse()
        for env in envs - busy:
            try:
                # the unique index on open drills settles two workers planning at once
                with self.env.cr.savepoint():
                    created |= Drill.create(
                        {
                            "environment_id": env.id,
                            "scheduled_at": Drill._next_drill_at(env, now),
                        }
                    )
            except errors.UniqueViolation:
                continue
        return created

    def action_run_dr_drill(self):
        """Run a disaster-recovery drill now (Channel Managers): the planned one, or a new one."""
        self.tenant_id._check_manager()
        for env in self:
            if env.stage != "production" or env._in_migration():
                raise UserError(
                    self.env._(
                        "%(env)s is not a production environment: disaster-recovery drills "
                        "restore production's backups.",
                        env=env.display_name,
                    )
                )
            drill = env.dr_drill_ids.filtered(lambda d: d.state == "planned")[:1]
            if not drill:
                drill = self.env["tenant.dr.drill"].create({"environment_id": env.id})
            drill.action_run()
        return True

    def action_view_dr_drills(self):
        self.ensure_one()
        return self.tenant_id.action_view_dr_drills()
