"""Each addon's manifest covers what its code uses, checked with manifestoo and by reading the code.

manifestoo (PyPI) reads the manifests: no dependency missing from the addons path
(`list-missing`), licenses compatible along the dependency tree (`check-licenses`), no addon
depending on a less mature one (`check-dev-status`), and the binaries of `external_dependencies`.
It does not read the code, so the second half of this file does: every Python import of
`odoo.addons.<module>`, every `env.ref("<module>.<id>")`, and every XML reference to another
module's record (`ref`, `inherit_id`, `groups`, `t-call`, `ref('...')` in `eval`, `%(...)d`) names
the addon itself or one of its transitive depends, as manifestoo lists them. A reference to a
module outside that set works only while that module happens to be installed.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

import odoo

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(odoo.__file__).resolve().parent.parent
SUITE = ("partner_scorecard", "governance_gates", "white_label_tenant", "recurring_billing")
MANIFESTOO = Path(sys.executable).parent / "manifestoo"
ADDONS_PATH = f"{ODOO_SRC / 'odoo' / 'addons'},{ODOO_SRC / 'addons'},{ROOT / 'addons'}"

PY_IMPORT = re.compile(r"^\s*(?:from|import)\s+odoo\.addons\.(\w+)", re.MULTILINE)
PY_REF = re.compile(r"""\.ref\(\s*["'](\w+)\.\w+["']""")
EVAL_REF = re.compile(r"""\bref\(\s*["'](\w+)\.\w+["']""")
PERCENT_REF = re.compile(r"%\((\w+)\.\w+\)d")
XML_ID_ATTRS = ("ref", "inherit_id", "t-call")


def _manifestoo(*args, select=("--select-addons-dir", str(ROOT / "addons"))):
    return subprocess.run(
        [
            *(MANIFESTOO, "--odoo-series", "18.0", "--addons-path", ADDONS_PATH),
            *("--no-addons-path-from-import-odoo", *select, *args),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.parametrize("command", ["list-missing", "check-licenses", "check-dev-status"])
def test_manifestoo_finds_nothing(command):
    result = _manifestoo(command)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not result.stdout.strip(), f"manifestoo {command}:\n{result.stdout}"


def test_external_binaries_are_declared():
    result = _manifestoo("list-external-dependencies", "bin")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["pg_dump", "pg_restore"]


def _references(addon_dir):
    """(file, line or element, referenced module) for every module the addon's files name."""
    for path in sorted(addon_dir.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in (PY_IMPORT, PY_REF):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                yield f"{path.relative_to(ROOT)}:{line}", match.group(1)
    for path in sorted(addon_dir.rglob("*.xml")):
        if "static" in path.relative_to(addon_dir).parts:
            continue  # OWL templates name JavaScript modules, not records
        for element in etree.parse(str(path)).iter(etree.Element):
            where = f"{path.relative_to(ROOT)}:{element.sourceline}"
            for name in XML_ID_ATTRS:
                value = element.get(name, "")
                if "." in value and not value.startswith(("/", "{", "#")):
                    yield where, value.split(".", 1)[0]
            for group in filter(None, element.get("groups", "").split(",")):
                if "." in group:
                    yield where, group.strip().lstrip("!").split(".", 1)[0]
            for value in [*element.attrib.values(), element.text or ""]:
                for pattern in (EVAL_REF, PERCENT_REF):
                    for match in pattern.finditer(value):
                        yield where, match.group(1)


@pytest.mark.parametrize("addon", SUITE)
def test_code_and_data_use_only_declared_depends(addon):
    result = _manifestoo(
        "list-depends", "--transitive", "--separator", ",", select=("--select-include", addon)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    allowed = {addon, *result.stdout.strip().split(",")}
    assert "base" in allowed and len(allowed) > 3, allowed
    references = list(_references(ROOT / "addons" / addon))
    assert references, "the scan found no reference at all: the patterns are wrong"
    outside = [f"{where}: {module}" for where, module in references if module not in allowed]
    assert not outside, (
        f"{addon} uses modules its manifest does not depend on (add them to 'depends'):\n"
        + "\n".join(outside)
    )
