"""One guard for records that others point to: deleted by hand, refused with a clear message.

The foreign keys behind them cascade, so that uninstalling the module that ships a record (a
metric, a partner type, a gate template) takes the rows that use it along instead of logging
errors and leaving the record behind. ``@api.ondelete(at_uninstall=False)`` keeps the cascade for
the uninstall only: a user deleting a record in use gets this error instead.
"""

from odoo.exceptions import UserError


def check_not_in_use(records, usages):
    """Refuse to delete ``records`` while a record of ``usages`` points to one of them.

    ``usages`` lists (model name, many2one field name) pairs. Archived users count too.
    """
    env = records.env
    for model, fname in usages:
        user = (
            env[model]
            .sudo()
            .with_context(active_test=False)
            .search([(fname, "in", records.ids)], limit=1)
        )
        if user:
            names = {
                "record": user[fname].display_name,
                "users": env["ir.model"]._get(model).name,
                "user": user.display_name,
            }
            if "active" in user[fname]._fields:
                raise UserError(
                    env._(
                        "%(record)s cannot be deleted: %(users)s still use it (%(user)s). "
                        "Archive it (uncheck Active) instead.",
                        **names,
                    )
                )
            raise UserError(
                env._("%(record)s cannot be deleted: %(users)s still use it (%(user)s).", **names)
            )
