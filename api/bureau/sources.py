"""The source key of a credited record (records.Record.source) and what it says."""

import re

BUREAU_PREFIX = "bureau:"
# The key holds 60 characters; the prefix takes 7.
EXTERNAL_ID_MAX = 53
EXTERNAL_ID_PATTERN = re.compile(r"^[0-9A-Za-z._:\-]+$")
KINDS = {"training-session": "register", "bureau": "bureau"}


def bureau_source(external_id: str) -> str:
    return BUREAU_PREFIX + external_id


def source_kind(source: str) -> str:
    """ "" for what the teacher logged and the school verified, "register" for attendance at
    a session, "bureau" for hours from the continuing-education platform."""
    if not source:
        return ""
    return KINDS.get(source.split(":", 1)[0], "other")


def external_id_of(source: str) -> str | None:
    return source[len(BUREAU_PREFIX) :] if source.startswith(BUREAU_PREFIX) else None
