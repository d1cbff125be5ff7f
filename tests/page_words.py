"""What a page says, and what it must not say: code names and English.

`visible_text(html)` keeps what a person reads (text nodes, placeholders, titles, alt text,
button values), leaves out scripts, styles and the contents of <code>, <pre>, <kbd> and
<samp> (technical content shown on purpose: API examples, DSN block names), and form values
(what a user typed). `problems(text, msgids)` names what is wrong in it:

- a code name: a snake_case word ("payroll_month", "declared_revenue"), an UPPER_SNAKE one
  (two or more upper-case words joined by underscores: "SMIC_HOURLY", "RG_T_DELTA_LT50") or
  a dotted action name ("payroll.run"), once e-mail addresses, web addresses, domain names and
  file names are set aside;
- English: a line equal to an English msgid of the catalogue whose French differs (an
  untranslated label or sentence), or a line with two or more English-only words ("the",
  "with", "has"...).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIP_CONTENT = {"script", "style", "code", "pre", "kbd", "samp", "template", "textarea"}
VISIBLE_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self._skip:
            for name in VISIBLE_ATTRIBUTES:
                if attrs.get(name):
                    self.lines.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.lines.append(attrs["value"])
        if tag in SKIP_CONTENT and tag not in VOID:
            self._skip.append(tag)
        elif tag not in VOID and not self._skip:
            self.lines.append("\n")

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()
        elif not self._skip:
            self.lines.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.lines.append(data)


def visible_text(html: str) -> list[str]:
    """The page's readable lines (one per element's text, whitespace collapsed)."""
    parser = _Text()
    parser.feed(html)
    out = []
    for chunk in "".join(parser.lines).split("\n"):
        line = " ".join(chunk.split())
        if line:
            out.append(line)
    return out


# --- what is set aside before looking for code names -------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|(?<!\w)/[\w./?=&%-]*")
_FILE = re.compile(r"[\w.()-]+\.(?:xlsx|xls|csv|pdf|zip|txt|dsn|xml|json|svg|png|jpe?g|ods|odt|docx?)\b", re.I)
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|net|eu|io|test|gouv\.fr)\b", re.I)

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
UPPER_SNAKE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)+\b")
DOTTED = re.compile(r"\b[a-z][a-z_]+\.[a-z][a-z_]+\b")

# Words that are English and never French, so two of them in a line mean an English sentence.
ENGLISH_ONLY = frozenset("""
the and with this that these those your you will would been has have was were from for
is are not cannot must should which when there their they what yet into than then only
any each every here please by of to be it its can may no yes or an all our we
""".split())
# Words shared by French and English that must not count ("a", "on", "site", "date", …).
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def code_names(line: str) -> list[str]:
    rest = _EMAIL.sub(" ", line)
    rest = _URL.sub(" ", rest)
    rest = _FILE.sub(" ", rest)
    rest = _DOMAIN.sub(" ", rest)
    return SNAKE.findall(rest) + UPPER_SNAKE.findall(rest) + DOTTED.findall(rest)


def english_words(line: str) -> set[str]:
    return {w for w in (m.group(0) for m in WORD.finditer(line)) if w.lower() in ENGLISH_ONLY and w != "A"}


# A line's parts: "Stage: Computed → Approved by the partner" is read as three labels.
PARTS = re.compile(r"\s*(?:[:;→·|()]|\s[—–-]\s)\s*")


def problems(lines: list[str], english_msgids: frozenset[str]) -> list[str]:
    found = []
    for line in lines:
        for name in code_names(line):
            found.append(f"code name {name!r} in {line!r}")
        parts = [p for p in PARTS.split(line) if p]
        if line in english_msgids or any(p in english_msgids for p in parts):
            found.append(f"untranslated {line!r}")
        elif len(english_words(line)) >= 2:
            found.append(f"English {line!r}")
    return found
