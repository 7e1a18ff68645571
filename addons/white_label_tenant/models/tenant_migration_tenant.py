from odoo import models


class TenantTenant(models.Model):
    """The environments of a move to dedicated are not the tenant's production meanwhile."""

    _inherit = "tenant.tenant"

    def _production_environments(self):
        return super()._production_environments().filtered(lambda e: not e._in_migration())
