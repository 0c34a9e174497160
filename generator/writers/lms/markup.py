"""Text into the markup learning platforms read: XML text and attributes, HTML inside XML, CDATA,
and identifiers XML accepts."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 cannot hold at all (validation refuses most of them in specs already).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def text(value: str) -> str:
    """Character data: & < > escaped."""
    return escape(clean(value))


def attr(value: str) -> str:
    """An attribute value with its quotes."""
    return quoteattr(clean(value))


def as_html(value: str) -> str:
    """Plain text as HTML that shows exactly that text (& < > " ' escaped; line breaks kept)."""
    out = clean(value).replace("&", "&amp;")
    for ch, entity in _HTML:
        out = out.replace(ch, entity)
    return out.replace("\n", "<br/>")


# What HTML escapes besides '&' (the standard library's `html` is the web edition's to import).
_HTML = (("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def cdata(value: str) -> str:
    """A CDATA section holding `value` ("]]>" split over two sections)."""
    return "<![CDATA[" + clean(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def ident(*parts: str) -> str:
    """An XML ID (an NCName) from parts: letters, digits, '-' and '_' kept, the rest as '_'."""
    joined = "_".join(re.sub(r"[^A-Za-z0-9_-]", "_", p) for p in parts)
    return joined if joined[:1].isalpha() or joined[:1] == "_" else f"i{joined}"
