from odoo import fields, models


class TenantBackup(models.Model):
    _inherit = "tenant.backup"

    kind = fields.Selection(
        selection_add=[("migration", "Before Move to Dedicated")],
        ondelete={"migration": "set default"},
    )
