from . import probe, reliability, sla_clock
