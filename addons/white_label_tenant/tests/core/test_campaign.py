import doctest

import pytest

from ...core import campaign
from ...core.campaign import Decision, Step, decide, plan_waves, staging_passed


def test_docstring_examples():
    assert doctest.testmod(campaign).failed == 0


def test_staging_runs_first_then_the_gate_governs_the_move():
    steps = [Step(1, "staging", 0, "pending"), Step(2, "production", 1, "pending")]
    assert decide("staging", steps) == Decision("run", (1,), "staging")
    steps[0] = Step(1, "staging", 0, "passed")
    assert decide("staging", steps) == Decision("advance", (), "production")
    assert decide("production", steps) == Decision("run", (2,), "production")


def test_a_failed_staging_stops_everything_pending():
    steps = [Step(1, "staging", 0, "failed"), Step(2, "production", 1, "pending")]
    assert decide("staging", steps) == Decision("finish", (2,), "stopped")


def test_waves_run_one_after_the_other_and_a_failure_stops_the_rest():
    steps = [
        Step(1, "staging", 0, "passed"),
        Step(2, "production", 1, "passed"),
        Step(3, "production", 1, "pending"),
        Step(4, "production", 2, "pending"),
    ]
    assert decide("production", steps).step_ids == (3,)
    steps[2] = Step(3, "production", 1, "failed")
    assert decide("production", steps) == Decision("finish", (4,), "stopped")
    steps[2] = Step(3, "production", 1, "running")
    assert decide("production", steps).action == "wait"


def test_every_production_step_passed_is_done():
    steps = [Step(1, "staging", 0, "passed"), Step(2, "production", 1, "passed")]
    assert decide("production", steps) == Decision("finish", (), "done")
    assert decide("done", steps).action == "wait"


def test_staging_passed_needs_a_staging_step():
    assert not staging_passed([Step(2, "production", 1, "pending")])
    assert not staging_passed([Step(1, "staging", 0, "passed"), Step(2, "staging", 0, "failed")])
    assert staging_passed([Step(1, "staging", 0, "passed")])


def test_plan_waves_refuses_an_empty_wave():
    with pytest.raises(ValueError):
        plan_waves([1], 0)
    assert plan_waves([], 3) == []
