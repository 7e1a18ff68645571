from . import portal, tenant_portal
