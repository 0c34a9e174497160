"""The whole page: head (title, language, a policy that forbids any request), inline fonts, styles
and script, the banner with the reader's tools, the contents, the lesson, and the footer."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from html import escape
from typing import Any

from ... import DATA
from ...model import PAPER, Document, TitleBlock
from . import webfonts
from .body import Body, Entry, render_body


@cache
def _asset(name: str) -> str:
    """A file of the web edition's own (data/web: its styles, script and wording; the build's cache
    fingerprints the data folder, so a change to one rebuilds every web edition)."""
    return (DATA / "web" / name).read_text(encoding="utf-8")


@cache
def _interface() -> dict[str, Any]:
    return dict(json.loads(_asset("interface.json")))


def wording(lang: str) -> dict[str, Any]:
    """The interface's wording for a language ('en-GB' reads 'en'; English where there is none)."""
    table = _interface()
    return dict(table.get(lang.split("-")[0].lower(), table["en"]))


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _select(body: Body, name: str, label: str, options: list[str], values: list[str]) -> str:
    opts = "".join(f'<option value="{v}">{body.text(o)}</option>' for o, v in zip(options, values, strict=True))
    return f'<div><label for="set-{name}">{body.text(label)}</label><select id="set-{name}">{opts}</select></div>'


def _tools(body: Body, w: dict[str, Any]) -> str:
    """The reader's tools, hidden until the script runs (without it they could do nothing)."""
    settings = "".join(
        [
            _select(body, "size", w["text_size"], w["sizes"], ["0", "1", "2", "3"]),
            _select(body, "line", w["line_spacing"], w["line_options"], ["0", "1", "2"]),
            _select(body, "letter", w["letter_spacing"], w["letter_options"], ["0", "1", "2"]),
            _select(body, "theme", w["background"], w["backgrounds"], ["auto", "white", "cream", "dark"]),
            _select(body, "font", w["font"], w["fonts"], ["0", "system"]),
        ]
    )
    return (
        f'<div class="tools" id="tools" role="group" aria-label="{body.text(w["tools"])}" hidden>'
        f'<details><summary>{body.text(w["settings"])}</summary><div class="settings">{settings}'
        f'<div><button type="button" id="reset">{body.text(w["reset"])}</button></div></div></details>'
        f'<button type="button" id="save">{body.text(w["save"])}</button>'
        f'<button type="button" id="clear">{body.text(w["clear"])}</button>'
        f'<button type="button" id="print">{body.text(w["print"])}</button>'
        f'<p class="status" id="status" role="status"></p></div>'
    )


def _contents(body: Body, entries: list[Entry], title: str) -> str:
    """The contents: chapters, each with its sections as a nested list."""
    if not entries:
        return ""
    out = [f'<nav class="contents" aria-labelledby="contents"><h2 id="contents">{body.text(title)}</h2><ol>']
    open_sub = False
    for i, e in enumerate(entries):
        link = f'<a href="#{e.anchor}">{body.text(e.text)}</a>'
        if e.level == 2 or i == 0:
            if open_sub:
                out.append("</ol></li>")
                open_sub = False
            elif i:
                out.append("</li>")
            out.append(f"<li>{link}")
        else:
            if not open_sub:
                out.append("<ol>")
                open_sub = True
            out.append(f"<li>{link}</li>")
    out.append("</ol></li></ol></nav>\n" if open_sub else "</li></ol></nav>\n")
    return "".join(out)


def page(document: Document) -> str:
    """The web edition of `document` as one HTML text."""
    w = wording(document.lang)
    body = render_body(document, w)
    blocks = document.blocks
    if not any(isinstance(b, TitleBlock) for b in blocks):
        blocks = (TitleBlock(document.title, "", ""), *blocks)
    # The cover first (its h1 opens the page), then the contents, then the rest of the lesson.
    first = next(i for i, b in enumerate(blocks) if isinstance(b, TitleBlock))
    cover = body.blocks(blocks[: first + 1])
    lesson = body.blocks(blocks[first + 1 :])
    contents = _contents(body, body.contents, w["contents"])
    tools = _tools(body, w)
    noscript = f'<noscript><p class="noscript">{body.text(w["not_kept"])}</p></noscript>'
    footer = f'<footer><div class="page"><p>{body.text(w["made_with"])}</p></div></footer>'
    script_words = {k: w[k] for k in ("right", "wrong", "saved", "kept", "no_answer", "answers_file", "clear_confirm")}
    for value in script_words.values():
        body.text(value)
    words_json = json.dumps(script_words, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c")
    header_text = body.text(document.header)
    body.chars.update("\u25b8\u25be\u2014")  # the settings' disclosure triangles, the citation's dash
    faces = webfonts.faces(body.chars, body.has_italic, body.has_bold_italic)
    paper = f"@page{{size:{PAPER[document.paper].media}}}\n"  # printing gives the print edition's paper
    style = "\n".join(f.css() for f in faces) + "\n" + paper + _asset("style.css")
    script = _asset("script.js")
    policy = (
        "default-src 'none'; img-src data:; font-src data:; "
        f"style-src {_hash(style)}; script-src {_hash(script)}; base-uri 'none'; form-action 'none'"
    )
    pack = hashlib.sha256(f"{document.title}\n{document.subject}".encode()).hexdigest()[:16]
    variant = ' data-variant="large"' if document.large_print else ""
    keywords = escape(", ".join(document.keywords), quote=True)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(document.lang, quote=True)}" data-pack="{pack}"{variant}>\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        f"<title>{escape(document.header)}</title>\n"
        f'<meta name="description" content="{escape(document.subject, quote=True)}">\n'
        f'<meta name="keywords" content="{keywords}">\n'
        f'<meta name="generator" content="{escape(document.author, quote=True)}">\n'
        f"<style>{style}</style>\n"
        "</head>\n"
        "<body>\n"
        f'<a class="skip" href="#main">{body.text(w["skip"])}</a>\n'
        f'<header class="banner"><div class="page"><p>{header_text}</p>{tools}{noscript}</div></header>\n'
        f'<main id="main" class="page">\n{cover}{contents}{lesson}</main>\n'
        f"{footer}\n"
        f'<script type="application/json" id="lp-words">{words_json}</script>\n'
        f"<script>{script}</script>\n"
        "</body>\n"
        "</html>\n"
    )
