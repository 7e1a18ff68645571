from datetime import timedelta

from odoo import api, fields, models

# the versions the demo environments report (as if read from their databases)
DEMO_MODULES = {
    "base": "18.0.1.3",
    "account": "18.0.1.3",
    "sale_management": "18.0.1.1",
    "stock": "18.0.1.2",
}


class TenantUpgradeCampaignDemo(models.AbstractModel):
    """Demo data only: two finished campaigns with their recorded steps (no real upgrade runs
    at demo install, which must stay fast)."""

    _name = "tenant.upgrade.campaign.demo"
    _description = "Upgrade Campaign Demo Generator"

    @api.model
    def _generate(self, tenant_ids):
        tenants = self.env["tenant.tenant"].browse(tenant_ids).exists()
        # an update loads the demo again: generate once
        if self.env["tenant.upgrade.campaign"].search_count([("tenant_ids", "in", tenants.ids)]):
            return self.env["tenant.upgrade.campaign"]
        now = fields.Datetime.now()
        envs = tenants.environment_ids.filtered(lambda e: e.stage in ("staging", "production"))
        for env in envs:
            env._workflow_write(
                {
                    "odoo_version": "18.0",
                    "module_versions": {
                        name: {"version": version, "state": "installed"}
                        for name, version in DEMO_MODULES.items()
                    },
                    "versions_read_at": now - timedelta(days=1),
                }
            )
        # last month's windows of the first tenant give the production steps their times
        windows = tenants[:1]._maintenance_windows(now - timedelta(days=35), now) if tenants else []
        if len(windows) < 2:
            return self.env["tenant.upgrade.campaign"]
        done = self._campaign(
            "Sales and inventory fixes (March release)",
            "sale_management,stock",
            tenants,
            windows[-2][0],
            outcome="done",
        )
        rolled = self._campaign(
            "Accounting localisation update",
            "account",
            tenants[-1:],
            windows[-1][0],
            outcome="rolled_back",
        )
        return done | rolled

    def _campaign(self, name, modules, tenants, window_start, outcome):
        Campaign = self.env["tenant.upgrade.campaign"]
        manager = self.env.ref("base.user_admin")
        campaign = Campaign.create(
            {"name": name, "module_names": modules, "tenant_ids": [(6, 0, tenants.ids)]}
        )
        staging = tenants.environment_ids.filtered(lambda e: e.stage == "staging")
        production = tenants.environment_ids.filtered(lambda e: e.stage == "production")
        began = window_start - timedelta(days=2)
        steps = []
        for i, env in enumerate(staging):
            start = began + timedelta(minutes=20 * i)
            steps.append(self._step(campaign, env, "staging", 0, start, 74.0 + 9 * i, manager))
        for wave, env in enumerate(production, start=1):
            start = window_start + timedelta(minutes=15 * wave)
            failed = outcome == "rolled_back" and wave == len(production)
            step = self._step(campaign, env, "production", wave, start, 81.0 + 7 * wave, manager)
            backup = env.backup_ids.filtered(lambda b: b.state == "done").sorted("finished_at")[-1:]
            step["backup_id"] = backup.id
            if failed:
                step.update(
                    state="rolled_back",
                    rollback_duration_seconds=42.0,
                    rolled_back_at=start + timedelta(minutes=3),
                    rolled_back_by_id=manager.id,
                    log="odoo-bin -u account failed: KeyError: 'l10n_be_vat_code' in the "
                    "18.0.1.4 migration.\nRolled back: restored from the backup taken before.",
                )
            steps.append(step)
        self.env["tenant.upgrade.step"].sudo()._workflow_create(steps)
        campaign._workflow_write(
            {"state": "staging", "started_at": began, "started_by_id": manager.id}
        )
        # the governed move: the gate reads the passed staging steps
        campaign._workflow_write({"state": "production"})
        campaign._workflow_write(
            {"state": outcome, "finished_at": window_start + timedelta(minutes=40)}
        )
        return campaign

    def _step(self, campaign, env, kind, wave, start, seconds, user):
        return {
            "campaign_id": campaign.id,
            "environment_id": env.id,
            "kind": kind,
            "wave": wave,
            "state": "passed",
            "started_at": start,
            "finished_at": start + timedelta(seconds=seconds),
            "duration_seconds": seconds,
            "user_id": user.id,
            "versions_before": '{"odoo": "18.0", "sale_management": "18.0.1.0"}',
            "versions_after": '{"odoo": "18.0", "sale_management": "18.0.1.1"}',
            "log": f"Upgraded {campaign.module_names} on {env.database_name}.",
        }
