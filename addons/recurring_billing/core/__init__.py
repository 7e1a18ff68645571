"""Pure computations of this module: no Odoo import here, unit-tested without a database."""

from . import billing, dashboard, history, ledger, metrics, mrr, periods, proration
