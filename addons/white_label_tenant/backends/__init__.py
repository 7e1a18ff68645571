from . import base, local
from .base import BackendError, ProvisioningBackend
