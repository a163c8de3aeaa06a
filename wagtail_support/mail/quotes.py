"""Separating what a reply says from what it quotes: the new part is shown, the quoted history
and the signature stay available, folded."""

import re

# Lines that start the quoted history or the signature, in the languages the desk speaks.
_CUT = [
    re.compile(p, re.I)
    for p in (
        r"^-- ?$",  # the signature delimiter
        r"^_{10,}\s*$",  # Outlook's rule above the quoted message
        r"^-{3,}\s*(original message|oryginalna wiadomo|исходное сообщение|пересылаемое).*$",
        r"^(on|le|am|w dniu|dnia)\b.{0,200}(wrote|écrit|schrieb|napisał|napisała)\s*:?\s*$",
        r"^.{0,200}(написал|пишет)\S*\s*:\s*$",  # and its feminine forms
        r"^(from|od|от|de|von)\s*:\s.+$",  # a forwarded or Outlook-quoted header block
        r"^#+-.*(reply above|odpowiedz nad|ответьте над).*-#+$",
    )
]


def split_reply(text):
    """(new part, folded rest) of a plain-text body; the rest is '' when nothing is quoted. If
    the cut would leave nothing new (inline answers, a bare forward), everything is new."""
    lines = (text or "").splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if any(pattern.match(stripped) for pattern in _CUT) or _quote_block_starts(lines, index):
            new = "\n".join(lines[:index]).strip()
            if new:
                return new, "\n".join(lines[index:]).strip()
            break
    return (text or "").strip(), ""


def _quote_block_starts(lines, index):
    """A run of '>' lines that lasts to the end (blank lines aside): top-posting over a quote.
    Quotes answered inline (text after them) are part of the answer and stay."""
    if not lines[index].lstrip().startswith(">"):
        return False
    return all(line.lstrip().startswith(">") or not line.strip() for line in lines[index:])
