from . import (
    test_dashboard,
    test_dashboard_tour,
    test_invoiceable,
    test_invoicing,
    test_ledger,
    test_line_change,
    test_module,
    test_partner_standing,
    test_portal,
    test_providers,
    test_reconciliation,
    test_tenant,
)
