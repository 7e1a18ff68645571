"""Deal-registration conflicts: is this the same customer company as another partner's deal?

Two deals point at the same customer when their VAT numbers match, or their e-mail domains match
(public mail providers excluded), or their company names match once normalised (case, accents,
punctuation and legal-form suffixes removed).
"""

import re
import unicodedata

PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "web.de",
        "orange.fr",
        "free.fr",
        "example.com",
    }
)
LEGAL_FORMS = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "pty",
        "pvt",
        "kg",
        "ug",
    ]
)


def normalise_name(name):
    """Comparable company name.

    >>> normalise_name("  Acmé Distribution, Inc. ")
    'acme distribution'
    >>> normalise_name("ACME-Distribution GmbH & Co. KG")
    'acme distribution'
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(w for w in words if w != "and")


def normalise_vat(vat):
    """VAT without spaces, dots or dashes, upper case.

    >>> normalise_vat("be 0477.472.701")
    'BE0477472701'
    """
    return re.sub(r"[^0-9A-Za-z]", "", vat or "").upper()


def email_domain(email):
    """The company domain of an address, or '' for public mail providers.

    >>> email_domain("Jane <jane@Acme-Dist.com>"), email_domain("joe@gmail.com")
    ('acme-dist.com', '')
    """
    match = re.search(r"@([A-Za-z0-9.-]+)", email or "")
    if not match:
        return ""
    domain = match.group(1).lower().strip(".")
    return "" if domain in PUBLIC_MAIL_DOMAINS else domain


def customer_keys(name, vat, email):
    """The keys under which a deal's customer is compared: a set of (kind, value)."""
    keys = set()
    if normalise_vat(vat):
        keys.add(("vat", normalise_vat(vat)))
    if email_domain(email):
        keys.add(("domain", email_domain(email)))
    if normalise_name(name):
        keys.add(("name", normalise_name(name)))
    return keys
