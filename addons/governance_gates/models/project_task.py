from odoo import fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    is_gate_blocker = fields.Boolean(
        string="Blocks Go-Live",
        index=True,
        help="An open task of this kind fails go-live readiness.",
    )
    is_post_go_live_defect = fields.Boolean(
        string="Post-Go-Live Defect", index=True, help="Counted in the post-go-live issue volume."
    )
