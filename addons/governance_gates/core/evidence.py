"""Which evidence files a gate accepts: a short list of document and image types, checked on the
file's name *and* on its content, and a size limit.

>>> check_evidence_file("report.pdf", 2_000, "application/pdf", 10_000)
>>> check_evidence_file("report.pdf", 20_000, "application/pdf", 10_000)
'too_large'
>>> check_evidence_file("run.exe", 10, "application/octet-stream", 10_000)
'type'
>>> check_evidence_file("page.html", 10, "text/plain", 10_000)
'type'
>>> check_evidence_file("photo.png", 10, "text/plain", 10_000)  # a name that lies
'content'
"""

import os

_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

# extension -> the content types (as guessed from the bytes) a file of that name may have
ALLOWED_TYPES = {
    ".pdf": {"application/pdf"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".txt": {"text/plain"},
    ".csv": {"text/plain", "text/csv"},
    ".docx": {_OOXML + "wordprocessingml.document"},
    ".xlsx": {_OOXML + "spreadsheetml.sheet"},
    ".pptx": {_OOXML + "presentationml.presentation"},
    ".odt": {_ODF + "text"},
    ".ods": {_ODF + "spreadsheet"},
    ".odp": {_ODF + "presentation"},
}

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def allowed_extensions():
    """The accepted extensions, for messages and the file input's ``accept``."""
    return sorted(ALLOWED_TYPES)


def check_evidence_file(filename, size, content_type, max_bytes):
    """None when the file is accepted, else why not: ``too_large``, ``empty``, ``type`` (a name
    whose extension is not accepted) or ``content`` (the bytes are not what the name says)."""
    if size > max_bytes:
        return "too_large"
    if size <= 0:
        return "empty"
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in ALLOWED_TYPES:
        return "type"
    if content_type not in ALLOWED_TYPES[extension]:
        return "content"
    return None
