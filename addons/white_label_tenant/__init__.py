from . import backends
from . import controllers
from . import models
