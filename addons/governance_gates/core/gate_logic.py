"""The decision of a stage gate, in plain Python.

A gate passes when every must-meet criterion passes (or is validly waived), the should-meet score
reaches the pass mark and every approval is given. Automatic checks fail closed: an error is a
failure. Waivers count only until their expiry date (inclusive).
"""

from dataclasses import dataclass, field
from datetime import date

MUST = "must"
SHOULD = "should"

PASS = "pass"
FAIL = "fail"
ERROR = "error"
TODO = "todo"

APPROVED = "approved"
REJECTED = "rejected"
PENDING = "pending"
WAITING = "waiting"


@dataclass(frozen=True)
class Criterion:
    """One criterion of a gate instance, as the decision sees it."""

    label: str
    kind: str = MUST
    outcome: str = TODO
    weight: float = 1.0
    waived: bool = False
    waiver_expiry: date | None = None


@dataclass(frozen=True)
class Approval:
    label: str
    state: str = PENDING


@dataclass(frozen=True)
class CheckResult:
    """What an automatic check may return instead of a bare truth value: whether it passes and
    the evidence it found (or what is missing), shown on the criterion.

    >>> bool(CheckResult(True, "restore test of 1 Dec passed"))
    True
    >>> check_outcome(CheckResult(False, "no restore test"))
    ('fail', 'no restore test')
    >>> check_outcome(1)
    ('pass', '')
    """

    passed: bool
    evidence: str = ""

    def __bool__(self):
        return bool(self.passed)


def check_outcome(result):
    """(outcome, evidence) of what a check returned: a CheckResult or any truthy/falsy value."""
    if isinstance(result, CheckResult):
        return (PASS if result.passed else FAIL), result.evidence or ""
    return (PASS if result else FAIL), ""


@dataclass
class GateEvaluation:
    passed: bool
    must_missing: list = field(default_factory=list)
    should_missing: list = field(default_factory=list)
    approvals_missing: list = field(default_factory=list)
    approvals_rejected: list = field(default_factory=list)
    should_score: float = 100.0
    pass_mark: float = 0.0
    waivers_used: int = 0

    @property
    def score_reached(self):
        return self.should_score + 1e-9 >= self.pass_mark


def waiver_valid(waived, expiry, today):
    """A waiver counts when given and not expired (the expiry day itself still counts)."""
    if not waived:
        return False
    return expiry is None or expiry >= today


def criterion_met(criterion, today):
    """Return (met, by_waiver). Only an explicit pass meets a criterion: errors fail closed."""
    if criterion.outcome == PASS:
        return True, False
    if waiver_valid(criterion.waived, criterion.waiver_expiry, today):
        return True, True
    return False, False


def should_score(criteria, today):
    """Share (0-100) of the should-meet weight that is met; 100 when there is none."""
    total = met_weight = 0.0
    for criterion in criteria:
        if criterion.kind != SHOULD:
            continue
        weight = max(criterion.weight or 0.0, 0.0)
        total += weight
        if criterion_met(criterion, today)[0]:
            met_weight += weight
    if not total:
        return 100.0
    return round(100.0 * met_weight / total, 2)


def evaluate_gate(criteria, approvals, pass_mark, today):
    """Decide whether a gate passes. ``criteria`` and ``approvals`` are iterables of the
    dataclasses above; ``pass_mark`` is 0-100; ``today`` a date (waiver expiry)."""
    result = GateEvaluation(passed=False, pass_mark=pass_mark or 0.0)
    for criterion in criteria:
        met, by_waiver = criterion_met(criterion, today)
        if by_waiver:
            result.waivers_used += 1
        if not met:
            target = result.must_missing if criterion.kind == MUST else result.should_missing
            target.append(criterion.label)
    result.should_score = should_score(criteria, today)
    for approval in approvals:
        if approval.state == REJECTED:
            result.approvals_rejected.append(approval.label)
        elif approval.state != APPROVED:
            result.approvals_missing.append(approval.label)
    result.passed = (
        not result.must_missing
        and result.score_reached
        and not result.approvals_missing
        and not result.approvals_rejected
    )
    return result


def approval_states(sequences, approved, rejected, mode):
    """State of each approval step given which ones are decided.

    ``sequences``: list of sequence numbers (one per approval, in any order);
    ``approved`` / ``rejected``: sets of indexes into ``sequences``;
    ``mode``: ``parallel`` (everything undecided is pending) or ``sequential`` (only the undecided
    steps of the lowest undecided sequence are pending, later ones wait; nothing moves after a
    rejection). Returns a list of states aligned with ``sequences``.
    """
    states = []
    undecided = [i for i in range(len(sequences)) if i not in approved and i not in rejected]
    if mode == "sequential":
        current = min((sequences[i] for i in undecided), default=None)
        blocked = bool(rejected)
    for index, sequence in enumerate(sequences):
        if index in approved:
            states.append(APPROVED)
        elif index in rejected:
            states.append(REJECTED)
        elif mode == "parallel" or (not blocked and sequence == current):
            states.append(PENDING)
        else:
            states.append(WAITING)
    return states


def template_problems(criteria_kinds_weights, pass_mark):
    """Configuration errors of a template, as short codes.

    ``criteria_kinds_weights``: list of (kind, weight). Codes: ``no_criteria``,
    ``pass_mark_range``, ``pass_mark_unreachable`` (a pass mark with no should-meet weight),
    ``negative_weight``.
    """
    problems = []
    if not criteria_kinds_weights:
        problems.append("no_criteria")
    if pass_mark < 0 or pass_mark > 100:
        problems.append("pass_mark_range")
    should_weight = sum(w for k, w in criteria_kinds_weights if k == SHOULD and w > 0)
    if pass_mark > 0 and not should_weight:
        problems.append("pass_mark_unreachable")
    if any(w < 0 for _k, w in criteria_kinds_weights):
        problems.append("negative_weight")
    return problems


def next_stage(order, current, guarded):
    """First guarded stage after ``current`` in ``order`` (None if none). When ``current`` is not
    in ``order`` (no stage yet), the search starts at the beginning."""
    start = order.index(current) + 1 if current in order else 0
    for stage in order[start:]:
        if stage in guarded:
            return stage
    return None


def previous_stage(order, stage):
    """The stage before ``stage`` in ``order`` (None for the first one)."""
    if stage not in order:
        return None
    index = order.index(stage)
    return order[index - 1] if index else None
