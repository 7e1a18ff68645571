from . import test_module
