"""The examples in the docstrings of core/ are tests too."""

import doctest
import importlib
import pkgutil

import pytest

from ... import core


@pytest.mark.parametrize("name", [m.name for m in pkgutil.iter_modules(core.__path__)])
def test_docstring_examples(name):
    module = importlib.import_module(f"{core.__name__}.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0
