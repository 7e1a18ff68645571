"""One cron worker in an OS process of its own, driven through its stdin (tests and bench).

``python tests/cron_worker.py -c <odoo.conf> -d <db>`` loads the registry once, then reads one JSON
command per line and answers one JSON line per command on stdout (Odoo's log goes to stderr). Its
PostgreSQL connections carry the ``application_name`` given in ``ODOO_PGAPPNAME`` (Odoo's own
variable), so the database can tell which worker wrote what.

``{"command": "call", "function": "module:function", "kwargs": {...}}``
    imports ``module`` (from tests/ or bench/) and commits ``function(env, **kwargs)`` run as
    superuser; answers what it returns (the fixtures of a test or a bench).
``{"command": "slices", "count": n, "jobs": {xmlid: {kwarg: value}}}``
    sets the Parallel Slices setting to ``n`` (through the ORM: the twins are made as in
    production), leaves only the originals and twins of ``jobs`` active, gives their code the
    kwargs (dates as ``YYYY-MM-DD``), and makes them due now; answers their ids.
``{"command": "run", "ready": path, "go": path}``
    optionally creates ``ready`` and waits until ``go`` exists (the start line of several
    workers), then does what a cron thread of ``odoo-bin`` does - ``ir.cron._process_jobs`` - until
    no job is ready, and answers its wall time, process CPU time and query count.
"""

import argparse
import importlib
import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

import odoo
from odoo import api, sql_db
from odoo.modules.registry import Registry
from odoo.tools import config

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "bench")]


def call(registry, function, kwargs=None):
    module, name = function.split(":")
    with registry.cursor() as cr:
        return getattr(importlib.import_module(module), name)(
            api.Environment(cr, odoo.SUPERUSER_ID, {}), **(kwargs or {})
        )


def _code_arg(value):
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        return f"datetime.date({date.fromisoformat(value):%Y, %-m, %-d})"
    return repr(value)


def slices(registry, count, jobs):
    """Run only ``jobs`` (cron xml id -> kwargs of its method), in ``count`` slices, due now."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("partner_channel.batch_slices", count)
        Cron = env["ir.cron"].with_context(active_test=False)
        methods = Cron._channel_batch_jobs()
        crons = Cron.browse()
        for xmlid, kwargs in jobs.items():
            original = env.ref(xmlid)
            for cron in original | Cron.search([("channel_slice_of_id", "=", original.id)]):
                args = {**kwargs, "slice_index": cron.channel_slice_index}
                code = ", ".join(f"{key}={_code_arg(value)}" for key, value in args.items())
                cron.code = f"model.{methods[xmlid]}({code})"
                crons |= cron
        cr.execute("UPDATE ir_cron SET active = (id = ANY(%s))", [crons.ids])
        cr.execute(
            "UPDATE ir_cron SET nextcall = now() at time zone 'utc' - interval '1 minute',"
            " failure_count = 0 WHERE id = ANY(%s)",
            [crons.ids],
        )
        cr.execute("DELETE FROM ir_cron_trigger")
        return {"crons": crons.ids}


def _ready(registry):
    with registry.cursor() as cr:
        return bool(registry["ir.cron"]._get_all_ready_jobs(cr))


def run(registry, db, ready=None, go=None):
    if ready:
        Path(ready).touch()
        deadline = time.monotonic() + 60
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise TimeoutError("nobody opened the start line within 60 s")
            time.sleep(0.002)
    Cron = registry["ir.cron"]
    process_job, processed = Cron._process_job, []
    own = Cron.__dict__.get("_process_job")

    def counted(db, cron_cr, job):
        process_job(db, cron_cr, job)
        processed.append(time.time())

    Cron._process_job = counted  # ir.cron._process_jobs calls it on the registry's class
    usage, queries = resource.getrusage(resource.RUSAGE_SELF), sql_db.sql_counter
    started = time.time()
    try:
        while _ready(registry):
            before = len(processed)
            # what a cron thread does when woken: take each ready job no other worker holds
            Cron._process_jobs(db)
            if len(processed) == before:
                time.sleep(0.2)  # the jobs left ready are held by other workers
    finally:
        if own is None:
            del Cron._process_job
        else:
            Cron._process_job = own
    end = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "started": started,
        "ended": processed[-1] if processed else started,  # when its last job was done
        "cpu": end.ru_utime + end.ru_stime - usage.ru_utime - usage.ru_stime,
        "queries": sql_db.sql_counter - queries,
        "jobs": len(processed),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn", "--max-cron-threads=0"]
    )
    registry = Registry(args.database)
    print(json.dumps({"loaded": args.database}), flush=True)
    for line in sys.stdin:
        params = json.loads(line)
        command = params.pop("command")
        if command == "call":
            result = call(registry, **params)
        elif command == "slices":
            result = slices(registry, **params)
        elif command == "run":
            result = run(registry, args.database, **params)
        else:
            raise ValueError(f"unknown command {command!r}")
        print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main()
