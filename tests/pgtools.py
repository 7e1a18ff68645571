"""What the repository tests share: the runtime configuration, PostgreSQL connections, copies of
the installed test database, and odoo-bin as a subprocess.

Imported by the tests in this folder (``from pgtools import ...``: pytest puts the folder on the
path), so each test file keeps only what it tests.
"""

import configparser
import os
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import psycopg2.errors

import odoo

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / ".local" / "odoo.conf"
ODOO_BIN = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
DB = os.environ.get("PC_TEST_DB")


def pg_params():
    """``({host, port, user, password}, options)`` of the runtime configuration."""
    parser = configparser.ConfigParser()
    parser.read(CONF)
    options = parser["options"]

    def option(key):
        value = options.get(key, "False")
        return None if value in ("False", "") else value

    return {key: option(f"db_{key}") for key in ("host", "port", "user", "password")}, options


def connect(dbname, **overrides):
    """An autocommit connection to ``dbname`` on the configured server (or ``overrides``)."""
    params = {**pg_params()[0], **overrides}
    conn = psycopg2.connect(dbname=dbname, **params)
    conn.autocommit = True
    return conn


def filestore(name):
    data_dir = pg_params()[1].get("data_dir")
    return Path(data_dir) / "filestore" / name if data_dir else None


@contextmanager
def database_copy(suffix):
    """A copy of the installed test database (and its filestore), dropped afterwards."""
    name = f"{DB}_{suffix}_{os.getpid()}"[:63]
    admin = connect("postgres")
    deadline = time.monotonic() + 30
    with admin.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
        while True:
            try:
                cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{DB}"')
                break
            except psycopg2.errors.ObjectInUse:  # a server on PC_TEST_DB is still closing
                assert time.monotonic() < deadline, f"{DB} stays in use: cannot copy it"
                time.sleep(0.5)
    source, target = filestore(DB), filestore(name)
    if source and source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    try:
        yield name
    finally:
        with admin.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        if target:
            shutil.rmtree(target, ignore_errors=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
