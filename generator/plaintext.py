"""Text for boards and basic phones: display width, wrapping that keeps words and numbers whole, SMS segments."""
from __future__ import annotations

import re
from dataclasses import dataclass

from wcwidth import wcswidth, wcwidth

GSM_SINGLE_SEGMENT = 160  # septets, when every character is in the GSM 03.38 alphabet
UCS2_SINGLE_SEGMENT = 70  # UTF-16 code units otherwise (one Chinese character makes the whole message UCS-2)
# Typographic characters outside GSM 03.38 that have a plain equivalent inside it: without this an English
# message with one curly apostrophe would be sent as UCS-2 and fit 70 characters instead of 160.
_GSM_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "…": "..."})
# Chinese punctuation (and Tibetan shads) that must not begin a line, and brackets that must not end one.
_NO_LINE_START = set("，。、；：！？）》」』】,.;:!?)\u0f0d\u0f0e\u0f0f\u0f10\u0f11\u0f12")
_NO_LINE_END = set("（《「『【(")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# What belongs to the character before it: combining marks, variation selectors, joiner, emoji modifiers, tags.
_GLUED = ("\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\u200d"
          "\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef")
# Tibetan writes no spaces between words: a line may break after a tsheg (U+0F0B, the syllable mark; UAX #14
# class BA, "break after"), never before the shad that ends a clause (U+0F0D-U+0F12, class EX or GL).
_TSHEG = "\u0f0b"
# Spaces (a no-break space is part of its word); a Chinese character with the marks on it; a Tibetan syllable
# with its tsheg; a word.
_TOKEN = re.compile(rf"[^\S\u00a0]+|[{_CJK}][{_GLUED}]*|[^\s{_CJK}{_TSHEG}]*{_TSHEG}+|(?:[^\s{_CJK}]|\u00a0)+")


def width(text: str) -> int:
    """Display columns: a Chinese character counts two (wcwidth), never len()."""
    columns = wcswidth(text)
    if columns < 0:  # a control character (a YAML escape such as "\a") takes no column on a board
        columns = sum(max(wcwidth(ch), 0) for ch in text)
    return columns


def wrap(text: str, columns: int, *, keep: tuple[str, ...] = (), indent: str = "") -> list[str]:
    """Lines of at most `columns` display columns. Breaks between words, between Chinese characters or after
    a Tibetan syllable's tsheg, never inside a word or any of the `keep` strings (phone numbers, times); no Chinese closing punctuation
    starts a line and no opening bracket ends one. A single word wider than a line gets a line of its own."""
    protected = text
    for item in keep:  # a no-break space joins the item into one word
        protected = protected.replace(item, item.replace(" ", "\u00a0"))
    lines: list[str] = []
    line: list[str] = []  # the tokens of the line being filled, spaces included

    def fits(tokens: list[str]) -> bool:
        return width((indent if lines else "") + "".join(tokens).rstrip()) <= columns

    for token in _TOKEN.findall(protected):
        if token.isspace():
            if line and not line[-1].isspace():
                line.append(" ")
            continue
        if not line or fits(line + [token]):
            line.append(token)
            continue
        cut = len(line)  # a closing mark never starts a line, an opening bracket never ends one
        while cut and not _breaks_well(line[:cut], line[cut:] + [token]):
            cut -= 1
        if not cut:  # nowhere to break: the word and the marks that stick to it overflow together
            line.append(token)
            continue
        lines.append("".join(line[:cut]))
        carried = line[cut:]
        line = (carried[1:] if carried and carried[0].isspace() else carried) + [token]
    lines.append("".join(line))
    shown = [text_line.replace("\u00a0", " ").strip() for text_line in lines]
    return [(indent if i else "") + text_line for i, text_line in enumerate(t for t in shown if t)]


def _breaks_well(head: list[str], tail: list[str]) -> bool:
    before, after = "".join(head).rstrip(), "".join(tail).lstrip()
    return bool(before) and before[-1] not in _NO_LINE_END and after[:1] not in _NO_LINE_START


@dataclass(frozen=True)
class Segment:
    """How a message is sent: its encoding, its length in that encoding's units, and one segment's limit."""

    encoding: str  # "GSM 03.38" or "UCS-2"
    units: int
    limit: int

    @property
    def fits(self) -> bool:
        return self.units <= self.limit


def sms_text(text: str) -> str:
    """The message as it will be sent: typographic quotes and dashes made plain where that keeps it GSM."""
    plain = text.translate(_GSM_PLAIN)
    return plain if _gsm_septets(plain) is not None else text


def segment(text: str) -> Segment:
    """GSM 03.38 when every character is in its alphabet (^ { } [ ] ~ \\ | € count two), else UCS-2."""
    septets = _gsm_septets(text)
    if septets is not None:
        return Segment("GSM 03.38", septets, GSM_SINGLE_SEGMENT)
    return Segment("UCS-2", len(text.encode("utf-16-le")) // 2, UCS2_SINGLE_SEGMENT)


def _gsm_septets(text: str) -> int | None:
    import gsm0338  # noqa: F401  # pyflakes: ignore (importing registers the "gsm03.38" codec)

    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None
