"""Text as a reader sees it: look-alike letters read as the Latin letters they show, marks and invisibles dropped.

"Rаpe" with a Cyrillic а, "𝐑𝐚𝐩𝐞", "Ｒａｐｅ", "R̲a̲p̲e̲" and "Ra\u00adpe" all print as the word
"Rape"; a search for the policy's terms runs over the folded text as well as over the text, and
every place found in the folded text maps back to the characters that print it. The look-alikes
come from Unicode's compatibility forms (NFKC: fullwidth, mathematical and circled letters) and its
confusables data (UTS #39), as the confusable-homoglyphs package ships it: only characters that
Unicode says look like Latin letters are folded, never the reverse.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Characters that print as nothing although they are not format characters: the combining
# grapheme joiner, Hangul fillers, the Mongolian vowel separator and variation selectors.
_BLANK = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFFA0}
_BLANK_RANGES = ((0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


@cache
def prints_nothing(ch: str) -> bool:
    """A character that draws nothing on its own: a format character (soft hyphen, zero-width
    space and joiners, bidi controls, invisible operators, tags), a control or a line or paragraph
    separator (tab and line feed aside), a character no
    Unicode version assigns, a private-use one, or one of the invisible letters and selectors."""
    code = ord(ch)
    if unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp"):
        return ch not in "\n\t"
    return code in _BLANK or any(lo <= code <= hi for lo, hi in _BLANK_RANGES)


@cache
def _latin() -> dict[str, str]:
    """Each non-ASCII character Unicode's confusables data says looks like Latin letters, to those
    letters (lower case): 'а' (Cyrillic) -> 'a', '𝐑' -> 'r', 'ﬀ' -> 'ff'."""
    data = json.loads((resources.files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for ch, homoglyphs in data.items():
        if len(ch) != 1 or ch.isascii():
            continue
        for glyph in homoglyphs:
            target = glyph["c"]
            if target.isascii() and target.isalpha():
                out[ch] = target
                break
    return out


class _Fold(dict[int, str]):
    """A str.translate table, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if prints_nothing(ch):
        return ""
    if unicodedata.category(ch) in ("Mn", "Me"):
        return ""
    # Compatibility forms of Latin letters: fullwidth, mathematical, circled, ligatures.
    compatible = unicodedata.normalize("NFKC", ch)
    if compatible.isascii() and compatible.isalpha():
        return compatible.lower()
    latin = _latin()
    # The lower-case letter first: Cyrillic 'І' is listed as looking like 'l', its 'і' like 'i'.
    for form in (ch.lower(), ch):
        if len(form) == 1 and form in latin:
            return latin[form].lower()
    # A Latin letter with marks (á, ŕ) reads as the letter; marks over other letters are dropped.
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) not in ("Mn", "Me"))
    if base and base != ch:
        return "".join(_fold_char(c) for c in base).lower()
    return ch


_TABLE = _Fold()


@dataclass(frozen=True)
class Folded:
    """A text folded, and where each of its characters comes from in the text."""

    text: str
    origin: tuple[int, ...]  # origin[k]: the text's index of folded character k; one more: len(text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The text's characters that print the folded text's [start, end) (with any marks after them)."""
        lo = self.origin[start]
        hi = self.origin[end]
        if hi <= lo:  # ends inside one character's expansion ('ﬀ' -> 'ff')
            hi = self.origin[end - 1] + 1
        return lo, hi


def fold(text: str) -> Folded | None:
    """`text` folded as it reads, or None when folding changes nothing but case."""
    if text.isascii():
        return None
    folded = text.translate(_TABLE)
    if folded == text or folded == text.lower():
        return None
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = _TABLE[ord(ch)]
        chars.append(f)
        origin += [i] * len(f)
    origin.append(len(text))
    return Folded("".join(chars), tuple(origin))


def reads_as(text: str) -> str:
    """`text` as it reads: look-alikes as Latin letters, invisible characters and marks dropped."""
    return text.translate(_TABLE) if not text.isascii() else text


def lookalikes(word: str) -> list[str]:
    """What in `word` reads as another character than it is, by name: ['Cyrillic а'],
    ['the invisible U+00AD (SOFT HYPHEN)'], ['the mark U+0332 (COMBINING LOW LINE)']."""
    out: list[str] = []
    for ch in dict.fromkeys(word):
        if ch.isascii() and not prints_nothing(ch):
            continue
        folded = _TABLE[ord(ch)]
        if folded == ch or folded == ch.lower():
            continue
        name = unicodedata.name(ch, "")
        if prints_nothing(ch):
            out.append(f"the invisible U+{ord(ch):04X} ({name or 'unnamed'})")
        elif unicodedata.category(ch) in ("Mn", "Me"):
            out.append(f"the mark U+{ord(ch):04X} ({name})")
        elif name.startswith("LATIN "):
            out.append(f"{ch} (U+{ord(ch):04X}, read as {folded})")
        else:
            script = name.split(" ")[0].title() if name else f"U+{ord(ch):04X}"
            out.append(f"{script} {ch}")
    return out
