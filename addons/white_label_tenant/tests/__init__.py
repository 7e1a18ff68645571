from . import (
    test_batch,
    test_cron_batches,
    test_module,
    test_multi_company,
    test_portal,
    test_probe,
    test_promotion,
    test_providers,
    test_provisioning,
    test_safety,
    test_sla,
    test_workflow_guards,
)
