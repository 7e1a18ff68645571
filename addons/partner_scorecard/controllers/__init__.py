from . import lead_portal, portal
