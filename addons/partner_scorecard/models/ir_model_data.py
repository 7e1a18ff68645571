from odoo import api, models


class IrModelData(models.Model):
    _inherit = "ir.model.data"

    @api.model
    def _register_demo_records(self, module, *recordsets):
        """Make the records of ``recordsets``, created by a demo loader in Python, data of ``module``.

        Records of a module's XML files have an external id, so uninstalling the module deletes
        them, newest first. Records a demo loader creates in code have none: they would stay
        behind and keep the module's own records from being deleted (an invoice keeps its product
        and its partner). Registered here, in the order of creation (a parent before the records
        that point to it), they are deleted like the rest of the module's data, in reverse order.
        """
        self._update_xmlids(
            [
                {
                    "xml_id": f"{module}.demo_{record._table}_{record.id}",
                    "record": record,
                    "noupdate": True,
                }
                for records in recordsets
                for record in records
            ]
        )
