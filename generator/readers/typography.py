"""Typographic quotes, apostrophes, dashes and ellipses for the text people type into specs.

smartypants does the work ("don't" becomes "don’t", "--" an en dash, "..." an ellipsis); the only
rule of our own is the British spaced dash (" - " becomes " – "). Quoted seed text never comes
here: it is printed exactly as the essay has it. The only smartypants importer."""

from __future__ import annotations

import re
from functools import lru_cache

import smartypants

# Quotes and apostrophes, "--" and "---" as en and em dashes, "..." as an ellipsis, written as
# characters (never as HTML entities).
_ATTRS = smartypants.Attr.q | smartypants.Attr.D | smartypants.Attr.e | smartypants.Attr.u
_SPACED_HYPHEN = re.compile(r"(?<=\s)-(?=\s)")


@lru_cache(maxsize=8192)  # the same text is printed, screened and compared: made typographic once
def typographic(text: str) -> str:
    """`text` with typographic quotes, apostrophes and dashes; everything else as typed (a
    backslash included: smartypants would turn '\\"' or '\\-' into an HTML entity such as '&#34;')."""
    if not any(c in text for c in "'\"-.`"):
        return text
    # Backslashes are kept out of smartypants' sight (it reads them as escapes) and put back after.
    hidden = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    educated = str(smartypants.smartypants(text.replace("\\", hidden), _ATTRS))
    return _SPACED_HYPHEN.sub("–", educated).replace(hidden, "\\")
