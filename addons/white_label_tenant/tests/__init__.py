from . import test_module, test_portal, test_probe, test_provisioning, test_sla
