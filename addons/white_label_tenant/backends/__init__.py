from . import base, local
from .base import BackendError, ProvisioningBackend, get_backend, register_backend
