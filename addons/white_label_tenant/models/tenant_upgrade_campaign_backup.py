from odoo import fields, models


class TenantBackup(models.Model):
    _inherit = "tenant.backup"

    kind = fields.Selection(
        selection_add=[("upgrade", "Before Upgrade")], ondelete={"upgrade": "set default"}
    )
