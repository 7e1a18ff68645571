"""Pure computations of this module: no Odoo import here, unit-tested without a database."""

from . import (
    attach,
    billing,
    cohorts,
    dashboard,
    history,
    ledger,
    metrics,
    mrr,
    periods,
    proration,
    tenant_billing,
)
