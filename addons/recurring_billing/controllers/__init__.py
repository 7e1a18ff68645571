from . import bundle_portal, portal, portal_dunning, tenant_portal
from . import portal_mdf
