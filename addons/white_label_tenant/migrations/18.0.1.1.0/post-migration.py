"""Remove the scheduled action "Tenants: remove backups past their retention".

Releases before 18.0.1.1.0 had two ways of removing backups: that action removed a dump file once
Keep Backups (days) of its policy version had passed, and the retention rules pruned by day, week
and month. The first removed files the second keeps (a monthly backup after 30 days) and that the
portal's service terms promise. Keep Every Backup (days), the same field, is now the window in
which the retention rules keep every backup, and they alone remove files. The action's record is
noupdate data, which an update does not delete, and its code calls a method that is gone: it is
deleted here, whether or not it was active. Files it already removed stay removed (the records
keep their File Removed On date).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("white_label_tenant.cron_purge_expired", raise_if_not_found=False)
    if cron:
        _logger.info(
            "Removing the scheduled action %r (id %s, active %s)", cron.name, cron.id, cron.active
        )
        cron.unlink()
