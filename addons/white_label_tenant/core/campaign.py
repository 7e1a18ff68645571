"""What an upgrade campaign does next (pure Python, no Odoo).

A campaign upgrades staging first; once every staging step passed (upgrade and smoke check),
production follows in waves, one wave after the other, and the first failure stops everything
still pending. The models keep the records; this module only decides.

>>> steps = [Step(1, "staging", 0, "passed"), Step(2, "production", 1, "passed"),
...          Step(3, "production", 2, "pending"), Step(4, "production", 2, "pending")]
>>> decide("production", steps)
Decision(action='run', step_ids=(3, 4), state='production')
>>> decide("production", steps[:2] + [Step(3, "production", 2, "rolled_back"), steps[3]])
Decision(action='finish', step_ids=(4,), state='rolled_back')
"""

from dataclasses import dataclass

DONE = frozenset({"passed"})
FAILED = frozenset({"failed", "rolled_back"})


@dataclass(frozen=True)
class Step:
    id: int
    kind: str  # "staging" | "production"
    wave: int  # 0 for staging, 1.. for the production waves
    state: str  # pending, running, passed, failed, rolled_back, skipped


@dataclass(frozen=True)
class Decision:
    """``run``: run ``step_ids`` now; ``advance``: move the campaign to ``state`` (the governed
    move to production); ``finish``: end in ``state``, ``step_ids`` are left undone (skipped);
    ``wait``: nothing to do (a step is running, or the campaign is not running)."""

    action: str
    step_ids: tuple
    state: str


def plan_waves(production_ids, wave_size):
    """Production environments cut into waves of ``wave_size`` in the given order.

    >>> plan_waves([11, 12, 13, 14, 15], 2)
    [[11, 12], [13, 14], [15]]
    """
    if wave_size < 1:
        raise ValueError("wave_size must be at least 1")
    ids = list(production_ids)
    return [ids[i : i + wave_size] for i in range(0, len(ids), wave_size)]


def _pending(steps):
    return tuple(s.id for s in steps if s.state == "pending")


def decide(state, steps):
    """The next thing a campaign in ``state`` does, given all its ``steps``."""
    if state not in ("staging", "production"):
        return Decision("wait", (), state)
    staging = [s for s in steps if s.kind == "staging"]
    production = [s for s in steps if s.kind == "production"]
    if any(s.state in FAILED for s in staging):
        return Decision("finish", _pending(steps), "stopped")
    if state == "staging":
        if any(s.state == "running" for s in staging):
            return Decision("wait", (), state)
        pending = _pending(staging)
        if pending:
            return Decision("run", pending, state)
        # no staging step at all is no passed staging run: the gate refuses the move
        return Decision("advance", (), "production")
    failed = [s for s in production if s.state in FAILED]
    if failed:
        outcome = "rolled_back" if any(s.state == "rolled_back" for s in failed) else "stopped"
        return Decision("finish", _pending(steps), outcome)
    if any(s.state == "running" for s in production):
        return Decision("wait", (), state)
    for wave in sorted({s.wave for s in production}):
        pending = _pending(s for s in production if s.wave == wave)
        if pending:
            return Decision("run", pending, state)
    return Decision("finish", (), "done")


def staging_passed(steps):
    """The governance criterion: at least one staging step, and every one of them passed."""
    staging = [s for s in steps if s.kind == "staging"]
    return bool(staging) and all(s.state in DONE for s in staging)
