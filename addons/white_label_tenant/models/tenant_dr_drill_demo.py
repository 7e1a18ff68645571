from odoo import api, models


class TenantDemo(models.AbstractModel):
    """Demo data only: the weekly restore drills of the generated month recorded as the
    production environments' disaster-recovery drills (their trend), and the next one planned."""

    _inherit = "tenant.demo"

    @api.model
    def _generate_dr_drills(self, environment_ids):
        Drill = self.env["tenant.dr.drill"]
        environments = self.env["tenant.environment"].browse(environment_ids)
        production = environments.filtered(lambda e: e.stage == "production")
        tests = self.env["tenant.restore.test"].search(
            [("environment_id", "in", production.ids)], order="started_at, id"
        )
        # run twice (a module update), the drills already recorded stay as they are
        tests -= Drill.search([("restore_test_id", "in", tests.ids)]).restore_test_id
        Drill._workflow_create(
            [
                {
                    "environment_id": test.environment_id.id,
                    "scheduled_at": test.started_at,
                    "started_at": test.started_at,
                    "finished_at": test.finished_at,
                    "run_by_id": self.env.ref("base.user_root").id,
                    "state": test.state,
                    "backup_id": test.backup_id.id,
                    "restore_test_id": test.id,
                    "details": test.details,
                }
                for test in tests
            ]
        )
        production._refresh_drill_status()
        production._plan_drill()
        return True
