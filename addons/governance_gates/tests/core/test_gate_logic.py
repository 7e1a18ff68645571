from datetime import date

from ...core import complexity as cx
from ...core import gate_logic as gl

TODAY = date(2026, 11, 23)


def crit(label, kind=gl.MUST, outcome=gl.TODO, weight=1.0, waived=False, expiry=None):
    return gl.Criterion(label, kind, outcome, weight, waived, expiry)


def test_all_must_pass_and_no_should_passes():
    result = gl.evaluate_gate([crit("a", outcome=gl.PASS)], [], 0, TODAY)
    assert result.passed
    assert result.should_score == 100.0


def test_one_must_failing_blocks_and_is_listed():
    result = gl.evaluate_gate(
        [crit("a", outcome=gl.PASS), crit("b", outcome=gl.FAIL)], [], 0, TODAY
    )
    assert not result.passed
    assert result.must_missing == ["b"]


def test_error_fails_closed():
    result = gl.evaluate_gate([crit("auto", outcome=gl.ERROR)], [], 0, TODAY)
    assert not result.passed
    assert result.must_missing == ["auto"]


def test_todo_checklist_blocks():
    assert not gl.evaluate_gate([crit("tick me")], [], 0, TODAY).passed


def test_should_score_weighted_against_pass_mark():
    criteria = [
        crit("m", outcome=gl.PASS),
        crit("s1", gl.SHOULD, gl.PASS, weight=3),
        crit("s2", gl.SHOULD, gl.FAIL, weight=1),
    ]
    result = gl.evaluate_gate(criteria, [], 75, TODAY)
    assert result.should_score == 75.0
    assert result.passed
    result = gl.evaluate_gate(criteria, [], 76, TODAY)
    assert not result.passed
    assert result.should_missing == ["s2"]
    assert result.must_missing == []


def test_valid_waiver_counts_and_is_reported():
    criteria = [crit("m", outcome=gl.FAIL, waived=True, expiry=date(2026, 12, 31))]
    result = gl.evaluate_gate(criteria, [], 0, TODAY)
    assert result.passed
    assert result.waivers_used == 1


def test_waiver_expiry_day_counts_next_day_does_not():
    criteria = [crit("m", outcome=gl.FAIL, waived=True, expiry=TODAY)]
    assert gl.evaluate_gate(criteria, [], 0, TODAY).passed
    assert not gl.evaluate_gate(criteria, [], 0, date(2026, 11, 24)).passed


def test_waiver_without_expiry_is_permanent():
    assert gl.waiver_valid(True, None, TODAY)
    assert not gl.waiver_valid(False, None, TODAY)


def test_waived_should_criterion_scores():
    criteria = [crit("s", gl.SHOULD, gl.FAIL, weight=2, waived=True)]
    assert gl.should_score(criteria, TODAY) == 100.0


def test_negative_weights_do_not_count():
    criteria = [crit("s", gl.SHOULD, gl.PASS, weight=-5), crit("t", gl.SHOULD, gl.FAIL, weight=1)]
    assert gl.should_score(criteria, TODAY) == 0.0


def test_approvals_missing_and_rejected_block():
    ok = [crit("m", outcome=gl.PASS)]
    result = gl.evaluate_gate(ok, [gl.Approval("CFO", gl.APPROVED)], 0, TODAY)
    assert result.passed
    result = gl.evaluate_gate(ok, [gl.Approval("CFO", gl.PENDING)], 0, TODAY)
    assert not result.passed and result.approvals_missing == ["CFO"]
    result = gl.evaluate_gate(ok, [gl.Approval("CFO", gl.REJECTED)], 0, TODAY)
    assert not result.passed and result.approvals_rejected == ["CFO"]


def test_sequential_approvals_one_step_at_a_time():
    seqs = [10, 20, 20, 30]
    assert gl.approval_states(seqs, set(), set(), "sequential") == [
        gl.PENDING,
        gl.WAITING,
        gl.WAITING,
        gl.WAITING,
    ]
    # both steps of sequence 20 become pending together once 10 is approved
    assert gl.approval_states(seqs, {0}, set(), "sequential") == [
        gl.APPROVED,
        gl.PENDING,
        gl.PENDING,
        gl.WAITING,
    ]
    assert gl.approval_states(seqs, {0, 1}, set(), "sequential")[2:] == [gl.PENDING, gl.WAITING]
    # a rejection stops the chain
    assert gl.approval_states(seqs, {0}, {1}, "sequential") == [
        gl.APPROVED,
        gl.REJECTED,
        gl.WAITING,
        gl.WAITING,
    ]


def test_parallel_approvals_all_pending():
    assert gl.approval_states([10, 20], {1}, set(), "parallel") == [gl.PENDING, gl.APPROVED]


def test_template_problems():
    assert gl.template_problems([], 0) == ["no_criteria"]
    assert gl.template_problems([(gl.MUST, 1)], 50) == ["pass_mark_unreachable"]
    assert gl.template_problems([(gl.SHOULD, 1)], 101) == ["pass_mark_range"]
    assert gl.template_problems([(gl.SHOULD, 1), (gl.MUST, 1)], 100) == []
    assert "negative_weight" in gl.template_problems([(gl.SHOULD, -1)], 0)


def test_next_and_previous_stage():
    order = ["a", "b", "c", "d"]
    assert gl.next_stage(order, "a", {"c", "d"}) == "c"
    assert gl.next_stage(order, "c", {"c", "d"}) == "d"
    assert gl.next_stage(order, "d", {"c"}) is None
    assert gl.next_stage(order, None, {"a"}) == "a"
    assert gl.previous_stage(order, "c") == "b"
    assert gl.previous_stage(order, "a") is None


def test_complexity_tier_rules():
    assert cx.complexity_tier([]) == 1
    assert cx.complexity_tier([], has_data=False) is False
    assert cx.complexity_tier(["2", 3, "1"]) == 3
    assert cx.complexity_tier(["2"]) == 2
    assert cx.recommendation(3) == ("senior_solution_lead", "dedicated")
    assert cx.recommendation(False) == (False, False)
    assert cx.ratio(1, 4) == 0.25
    assert cx.ratio(1, 0) is None


def test_permanent_waiver_counts_on_any_date():
    """A waiver without expiry (None) is valid for ever and meets its criterion."""
    waived = crit("backup", outcome=gl.FAIL, waived=True, expiry=None)
    for today in (TODAY, date(2040, 1, 1)):
        assert gl.waiver_valid(True, None, today)
        result = gl.evaluate_gate([waived], [], 0, today)
        assert result.passed
        assert result.waivers_used == 1
