import doctest

import pytest

from ...core import evidence

LIMIT = 10_000


def test_doctests():
    assert doctest.testmod(evidence).failed == 0


@pytest.mark.parametrize(
    ("filename", "size", "content_type", "problem"),
    [
        ("report.PDF", 10, "application/pdf", None),
        ("signed.docx", 10, evidence._OOXML + "wordprocessingml.document", None),
        ("data.csv", 10, "text/plain", None),
        ("report.pdf", LIMIT, "application/pdf", None),
        ("report.pdf", LIMIT + 1, "application/pdf", "too_large"),
        ("report.pdf", 0, "application/pdf", "empty"),
        ("no_extension", 10, "text/plain", "type"),
        ("image.svg", 10, "image/svg+xml", "type"),
        ("page.htm", 10, "text/plain", "type"),
        ("report.pdf", 10, "text/plain", "content"),
        ("sheet.xlsx", 10, "application/zip", "content"),
    ],
)
def test_evidence_policy(filename, size, content_type, problem):
    assert evidence.check_evidence_file(filename, size, content_type, LIMIT) == problem
