"""Dates as a pasted web page writes them: a banner ('Tuesday March 21, 2023', 'Last update: …')
to drop as page clutter, a line that is only a date to offer as the essay's date, and whether a
date given as YYYY[-MM[-DD]] is a real one."""

from __future__ import annotations

import datetime
import re

# Dates written out: "Tuesday March 21, 2023", "| Last update: Tuesday at 9:00 AM".
_WEEKDAYS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
}
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {
    **{name: n for n, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
_ZONES = {"gmt", "utc", "bst", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "cet", "cest", "et", "pt"}
_FILLER = {"at", "on", "of", "the", "-", "–", "—"}
_DATE_SPLIT = re.compile(r"[\s,|/·•]+")
_DATE_LABEL = re.compile(r"(?:last\s+)?(?:update[ds]?|published|posted|modified)(?:\s+on)?\s*[:|]?\s*", re.IGNORECASE)
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_TIME = re.compile(r"\d{1,2}[:.]\d{2}(?::\d{2})?")
_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
DATE_OPTION = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def real_date(text: str) -> bool:
    m = DATE_OPTION.fullmatch(text)
    if not m:
        return False
    try:
        datetime.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return False
    return True


def _date_tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, token) for each word of a written-out date or time, or None if some word is not one."""
    out: list[tuple[str, str]] = []
    for word in _DATE_SPLIT.split(text.strip()):
        if not word:
            continue
        token = word.lower().rstrip(".")
        kind = _date_kind(token)
        if kind is None:
            return None
        out.append((kind, token))
    return out


def _date_kind(token: str) -> str | None:
    if token in _WEEKDAYS:
        return "weekday"
    if token in _MONTHS:
        return "month"
    if token.isdigit() and len(token) == 4:
        return "year"
    if _DAY.fullmatch(token):
        return "day"
    if _TIME.fullmatch(token):
        return "time"
    if _ISO.fullmatch(token):
        return "iso"
    if token in ("am", "pm", "a.m", "p.m"):
        return "ampm"
    if token in ("today", "yesterday"):
        return "relative"
    if token in _ZONES:
        return "zone"
    return "filler" if token in _FILLER else None


def is_date_banner(text: str) -> bool:
    """'Tuesday March 21, 2023' (a weekday and a number) or a labelled 'Last update: …' line."""
    bare = text.strip("| \t")
    label = _DATE_LABEL.match(bare)
    if label:
        tokens = _date_tokens(bare[label.end() :])
        return any(kind not in ("filler", "ampm", "zone") for kind, _ in tokens or [])
    kinds = {kind for kind, _ in _date_tokens(bare) or []}
    return "weekday" in kinds and bool(kinds & {"day", "year", "time", "iso"})


def written_date(text: str) -> str | None:
    """A line that is only a date ('November 29, 2017', '29 Nov 2017', 'March 2020') as YYYY[-MM[-DD]]."""
    tokens = _date_tokens(text.strip("| \t"))
    if not tokens:
        return None
    kinds = [k for k, _ in tokens if k not in ("weekday", "filler", "time", "ampm", "zone")]
    values = [v for k, v in tokens if k not in ("weekday", "filler", "time", "ampm", "zone")]
    if kinds == ["iso"]:
        return values[0]
    if kinds == ["year"]:
        return values[0]
    if kinds == ["month", "year"]:
        return f"{values[1]}-{_MONTHS[values[0]]:02d}"
    if kinds in (["month", "day", "year"], ["day", "month", "year"]):
        month = _MONTHS[values[kinds.index("month")]]
        day = int(values[kinds.index("day")].rstrip("stndrh"))  # "29th" -> 29
        return f"{values[2]}-{month:02d}-{day:02d}"
    return None
