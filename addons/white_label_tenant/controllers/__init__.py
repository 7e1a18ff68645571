from . import portal
from . import status_page
