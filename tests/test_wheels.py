"""The four addons install from their wheels, with the repository out of the way.

Each addon is a Python distribution (`addons/<module>/pyproject.toml`, built by whool, as the OCA
does): its wheel puts the addon under `odoo/addons/<module>` of site-packages, where Odoo finds it
through the `odoo.addons` namespace, without an addons_path entry. This test builds the four wheels,
installs them into a new virtual environment next to Odoo and installs the four modules from there
on a fresh database (without demo data, to stay within a few minutes):

- the virtual environment is new and empty but for the wheels; Odoo and its requirements come from
  the project's .venv, layered under it by a `.pth` file (`site.addsitedir`): `python -m venv
  --system-site-packages` run from a venv would expose the base interpreter's packages, not the
  venv's, so it cannot reuse Odoo's requirements;
- the wheels are installed with `--no-deps --no-index`: whool derives `odoo==18.0.*` from the
  manifest, and Odoo runs from its source tree (a path entry, no distribution pip knows), so pip
  cannot resolve it; `pip check` then proves the rest of the declared dependencies hold (each
  addon's `odoo-addon-<depend>`), reporting only the missing `odoo` distribution;
- the addons path names Odoo's two folders only, the processes run outside the repository, and
  the test checks that the modules were imported from the new environment's site-packages;
- the install log holds no warning or error, and the four modules are `installed`.

Run by setup/test (stage 4, with PC_TEST_DB set), or alone with PC_WHEELS_DB=<a database name to
create and drop>. whool packs the files git tracks: a new file not yet `git add`-ed is missing
from the wheel, and this test says so.
"""

import configparser
import os
import re
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import psycopg2
import pytest

import odoo

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / ".local" / "odoo.conf"
ODOO_SRC = Path(odoo.__file__).resolve().parent.parent
SUITE = ("partner_scorecard", "governance_gates", "white_label_tenant", "recurring_billing")
DB = os.environ.get("PC_WHEELS_DB") or (
    os.environ["PC_TEST_DB"] + "_wheels" if os.environ.get("PC_TEST_DB") else None
)
PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)
NOISE = re.compile(r"wkhtmltopdf", re.IGNORECASE)

pytestmark = pytest.mark.skipif(not DB, reason="set PC_TEST_DB (setup/test does) or PC_WHEELS_DB")


def _conf():
    parser = configparser.ConfigParser()
    parser.read(CONF)
    return dict(parser["options"]) if parser.has_section("options") else {}


def _connect(conf, dbname):
    password = conf.get("db_password")
    return psycopg2.connect(
        dbname=dbname,
        host=conf.get("db_host") or None,
        port=conf.get("db_port") or None,
        user=conf.get("db_user") or None,
        password=None if password in (None, "", "False") else password,
    )


def _drop(conf):
    conn = _connect(conf, "postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    conn.close()


@pytest.fixture
def venv(tmp_path):
    """A new virtual environment holding the four wheels, Odoo's .venv layered under it."""
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"),
            *("-w", str(wheels)),
            *(str(ROOT / "addons" / module) for module in SUITE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    built = sorted(path.name for path in wheels.glob("*.whl"))
    assert [name.split("-")[0] for name in built] == sorted(
        f"odoo_addon_{module}" for module in SUITE
    ), built

    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    install = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(python), "install", "-q"),
            *("--no-deps", "--no-index", *map(str, wheels.glob("*.whl"))),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # after the wheels: Odoo's requirements and the Odoo source (odoo-src.pth) of the project venv
    odoo_site = sysconfig.get_paths()["purelib"]
    Path(site, "zz-odoo-venv.pth").write_text(f"import site; site.addsitedir({odoo_site!r})\n")
    return python, Path(site)


def test_the_wheels_install_the_suite_on_a_fresh_database(venv, tmp_path):
    python, site = venv
    conf = _conf()
    # the declared dependencies hold, except Odoo itself, which runs from its source tree
    check = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    ours = [line for line in check.stdout.splitlines() if line.startswith("odoo-addon-")]
    assert len(ours) == len(SUITE), check.stdout
    assert all(re.search(r"requires odoo, which is not installed", line) for line in ours), (
        "a wheel declares a dependency the four wheels do not satisfy:\n" + check.stdout
    )

    # imported from the new environment, not from the repository
    where = subprocess.run(
        [python, "-c", "import odoo.addons; print('\\n'.join(odoo.addons.__path__))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.split()
    assert str(site / "odoo" / "addons") in where, where
    assert not any(Path(path).resolve() == ROOT / "addons" for path in where), where

    odoo_conf = tmp_path / "odoo.conf"
    options = {
        key: conf[key]
        for key in ("db_host", "db_port", "db_user", "db_password", "admin_passwd")
        if key in conf
    }
    options["addons_path"] = f"{ODOO_SRC / 'odoo' / 'addons'},{ODOO_SRC / 'addons'}"
    options["data_dir"] = str(tmp_path / "filestore")
    odoo_conf.write_text(
        "[options]\n" + "".join(f"{key} = {value}\n" for key, value in options.items())
    )
    log = tmp_path / "odoo.log"
    _drop(conf)
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [
                *(python, ODOO_SRC / "odoo-bin", "-c", odoo_conf, "-d", DB),
                *("-i", ",".join(SUITE), "--without-demo", "all", "--stop-after-init"),
                *("--no-http", "--workers", "0", "--max-cron-threads", "0"),
                *("--log-level", "info", "--logfile", log),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        text = log.read_text() if log.exists() else proc.stderr
        print(f"install from the wheels: {time.monotonic() - started:.0f} s")
        assert proc.returncode == 0, text[-4000:]
        problems = [
            line
            for line in text.splitlines()
            if PROBLEM.match(line) and not NOISE.search(line) and "odoo.tests" not in line
        ]
        assert not problems, "\n".join(problems[:40])
        addons_paths = re.search(r"addons paths: (.*)", text)
        assert addons_paths and str(ROOT / "addons") not in addons_paths.group(1), text[:3000]
        conn = _connect(conf, DB)
        with conn, conn.cursor() as cr:
            cr.execute(
                "SELECT name, state FROM ir_module_module WHERE name = ANY(%s) ORDER BY name",
                [list(SUITE)],
            )
            states = dict(cr.fetchall())
        conn.close()
        assert states == dict.fromkeys(SUITE, "installed"), states
    finally:
        _drop(conf)
