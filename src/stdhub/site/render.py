"""Turning model values into safe page text: Jinja2 with autoescape, Markdown without HTML.

Everything a standard's YAML says reaches the page through one of three doors:

- `{{ value }}` in a template: HTML-escaped by autoescape;
- `{{ value | md }}`: a Markdown field rendered by markdown-it with raw HTML, images
  and unsafe link schemes off (HTML in the text shows as text, headings are demoted
  below the page's own);
- `{{ value | heading }}`: text placed in a Markdown heading of the generated page,
  HTML-escaped and with Markdown's punctuation backslash-escaped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import json
import re
from functools import cache
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from stdhub.site.mdext import mark_html_blocks

# Python-Markdown's backslash escapes (with `|` from the tables extension); `<>&` are
# HTML-escaped first.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").disable("image")
    return md


def markdown(text: str | None, shift: int = 2) -> Markup:
    """Render a Markdown field with no raw HTML; `#` headings become h{1+shift}."""
    if not text:
        return Markup("")
    md = _markdown()
    tokens = md.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
    html_ = md.renderer.render(tokens, md.options, {})
    # no blank lines inside the HTML block the page puts this in
    return Markup(re.sub(r"\n\s*\n", "\n", html_))


def heading(text: str) -> Markup:
    """Text that is safe inside a Markdown heading (or any Markdown inline context)."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)))


def inline_diff(before: str, after: str) -> Markup:
    """The change from one wording to another, character by character (Chinese has no
    spaces to split words on), as escaped text with <del> and <ins>. Runs of one or two
    unchanged characters between changes are folded into them, so a rewritten phrase
    reads as one deletion and one insertion rather than confetti."""
    segments: list[tuple[bool, str, str]] = []  # (unchanged, old text, new text)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        segments.append((op == "equal", before[a1:a2], after[b1:b2]))
    for i in range(1, len(segments) - 1):
        same, old, _ = segments[i]
        if same and len(old) <= 2 and not segments[i - 1][0] and not segments[i + 1][0]:
            segments[i] = (False, old, old)
    merged: list[tuple[bool, str, str]] = []
    for seg in segments:
        if merged and not seg[0] and not merged[-1][0]:
            merged[-1] = (False, merged[-1][1] + seg[1], merged[-1][2] + seg[2])
        else:
            merged.append(seg)
    out = []
    for same, old, new in merged:
        if same:
            out.append(html.escape(old))
            continue
        if old:
            out.append(f"<del>{html.escape(old)}</del>")
        if new:
            out.append(f"<ins>{html.escape(new)}</ins>")
    return Markup("".join(out))


def safe_url(value: str | None) -> str:
    """An address from YAML used as a link: only http(s) and mailto, anything else is dropped."""
    if value and re.match(r"(?i)^(https?://|mailto:)", value.strip()):
        return value.strip()
    return "#"


def date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def front_matter(**meta: Any) -> Markup:
    """YAML front matter; titles and descriptions are HTML-escaped because the theme prints
    them without escaping (`<title>`, the header, the navigation). Values are written as
    JSON, which is YAML too, and many times faster to write than with a YAML emitter."""
    lines = [
        f"{k}: {json.dumps(html.escape(v) if k in ('title', 'description') else v, ensure_ascii=False)}"
        for k, v in meta.items()
        if v not in (None, "")
    ]
    return Markup("---\n" + "".join(line + "\n" for line in lines) + "---\n")


def lines(text: str) -> Markup:
    """Plain text HTML-escaped with its line breaks kept as `<br>` (and no newline, which
    would end the HTML block in Markdown) and its tabs as `&#9;` (Markdown would expand
    them): a comment shown as it was written."""
    return Markup("<br>").join(
        Markup(str(escape(line)).replace("\t", "&#9;")) for line in text.split("\n")
    )


def _one_line(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup) and "\n" in value:
        return " ".join(value.split("\n"))
    return value


# a Chinese telephone number: area code and number, a mobile number, a service hotline
_PHONE = re.compile(r"(?<![\d-])(0\d{2,3}-\d{3,4}[ -]?\d{3,4}|1[3-9]\d{9}|12345|96\d{3})(?![\d-])")


def tel(text: str) -> Markup:
    """`text` HTML-escaped, each telephone number in it a `tel:` link (tap to call):
    "电话 0731-8000 2202" -> 电话 <a href="tel:0731-80002202">0731-8000 2202</a>."""
    parts, last = [], 0
    for m in _PHONE.finditer(text):
        number = re.sub(r"[^\d-]", "", m.group(1))
        parts += [
            escape(text[last : m.start()]),
            Markup('<a href="tel:{}">{}</a>').format(number, m.group(1)),
        ]
        last = m.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def page_environment(package: str, folder: str, **options: Any) -> jinja2.Environment:
    """The Jinja environment of generated Markdown pages, templates from `package/folder`:
    autoescaped, strict about undefined names, `{## ##}` comments (`{#id}` is Markdown's
    heading-anchor syntax here, not a Jinja comment); `options` add to jinja2's."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        comment_start_string="{##",
        comment_end_string="##}",
        **options,
    )


@cache
def environment() -> jinja2.Environment:
    # a blank line would end an HTML block in Markdown: plain text loses its line breaks
    env = page_environment("stdhub.site", "templates", finalize=_one_line)
    env.filters.update(md=markdown, heading=heading, date=date, url=safe_url, tel=tel, lines=lines)
    env.globals.update(front_matter=front_matter, inline_diff=inline_diff)
    return env


def render(template: str, **context: Any) -> str:
    """A generated page; its HTML blocks marked for `mdext` (see there why)."""
    return mark_html_blocks(environment().get_template(template).render(**context))
