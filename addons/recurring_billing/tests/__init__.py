from . import (
    test_invoicing,
    test_invoicing_batch,
    test_ledger,
    test_module,
    test_portal,
    test_providers,
    test_reconciliation,
    test_tenant,
)
