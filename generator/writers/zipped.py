"""Office Open XML packages (DOCX, PPTX) as zips that are the same bytes for the same parts: a fixed
entry order, fixed timestamps and attributes, and the creation time only from SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

# Word's cap on a core property (python-docx and python-pptx refuse longer values).
PROPERTY_MAX = 255


def keywords_property(keywords: Sequence[str]) -> str:
    """The keywords joined with commas, as many whole ones as the property holds."""
    out = ""
    for word in keywords:
        joined = f"{out}, {word}" if out else word
        if len(joined) > PROPERTY_MAX:
            break
        out = joined
    return out


def source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when it is unset or not a usable number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None


def normalise_zip(entries: dict[str, bytes], replace: dict[str, bytes], shared: Sequence[str] = ()) -> bytes:
    """Zip `entries` with a fixed entry order, fixed timestamps and fixed attributes: the bytes
    zipfile writes for them with ZipInfo(name, (1980, 1, 1, 0, 0, 0)) at deflate level 6, and no
    extras (a test checks). Entries whose names start with one of `shared` are the same in every
    document (embedded fonts, slide layouts): each is deflated once per process."""
    entries = {**entries, **replace}
    first = ("[Content_Types].xml", "_rels/.rels")
    names = [n for n in first if n in entries] + sorted(n for n in entries if n not in first)
    prefixes = tuple(shared)
    out = bytearray()
    central = bytearray()
    for name in names:
        data = entries[name]
        crc, packed = _deflated_once(data) if prefixes and name.startswith(prefixes) else _deflated(data)
        try:
            raw, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw, flags = name.encode(), 0x800  # the UTF-8 flag
        # Version 2.0, flags, deflate, time and date, CRC, sizes and the name's length; no extra field.
        common = (flags, 8, *_DOS_TIME, crc, len(packed), len(data), len(raw), 0)
        # The directory's entry: made by 2.0 (MS-DOS); no comment, disk 0, mode rw------- (as zipfile
        # writes it); where the entry starts.
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *common, 0, 0, 0, 0o600 << 16, len(out)) + raw
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *common) + raw + packed
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(names), len(names), len(central), len(out), 0)
    return bytes(out + central + end)


_DOS_TIME = (0, (1 << 5) | 1)  # 00:00:00 on 1980-01-01, as MS-DOS time and date


def _deflated(data: bytes) -> tuple[int, bytes]:
    """The CRC-32 of `data` and its raw deflate stream at level 6, as zipfile writes it."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), packer.compress(data) + packer.flush()


_deflated_once = lru_cache(maxsize=64)(_deflated)
