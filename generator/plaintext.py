"""Text for boards and basic phones: display width, wrapping that keeps words and numbers whole, Chinese
punctuation, SMS segments."""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import deque
from dataclasses import dataclass
from pathlib import Path

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
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
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


@functools.lru_cache(maxsize=4096)
def _inside_chinese_words(text: str) -> frozenset[int]:
    """Offsets between two Chinese characters of one word, by jieba's segmentation: 领高龄|津贴 is never broken
    as 领高龄津|贴."""
    if not _HAN.search(text):
        return frozenset()
    at, inside = 0, set()
    for word in _jieba().cut(text):
        inside.update(i for i in range(at + 1, at + len(word)) if _HAN.match(text[i - 1]) and _HAN.match(text[i]))
        at += len(word)
    return frozenset(inside)


@functools.lru_cache(maxsize=4096)
def _may_break_between(before: str, after: str) -> bool:
    """UAX #14 between two pieces the older rule could break between (uniseg is slow on whole paragraphs; a
    break opportunity depends on the characters either side of it)."""
    from uniseg.linebreak import line_break_boundaries

    return len(before) in set(line_break_boundaries(before + after))


ZH_WORDS = Path(__file__).with_name("zh_words.txt")  # public-service words jieba's own dictionary splits


@functools.lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    """jieba, with the words of public services it would otherwise split (村代办|员, 社会保障|卡) added once."""
    import jieba  # Chinese word segmentation; quiet about loading its dictionary

    jieba.setLogLevel(logging.WARNING)
    with ZH_WORDS.open("rb") as words:  # given a path, jieba would leave the file open
        jieba.load_userdict(words)
    return jieba


def wrap(text: str, columns: int, *, keep: tuple[str, ...] = (), indent: str = "") -> list[str]:
    """Lines of at most `columns` display columns, broken between words: where Unicode's line breaking algorithm
    (UAX #14) allows a break, between Chinese words (jieba), not characters, after a Tibetan syllable's tsheg, at
    spaces elsewhere; never inside any of the `keep` strings (phone numbers, times, dates). No Chinese closing
    punctuation starts a line and no opening bracket ends one. Only a word wider than a whole line is broken, as a
    last resort, between its characters; a single unbreakable word wider than a line gets a line of its own."""
    return list(_wrap(text, columns, keep, indent))


@functools.lru_cache(maxsize=8192)  # a notice is laid out several ways: the same line is wrapped again
def _wrap(text: str, columns: int, keep: tuple[str, ...], indent: str) -> tuple[str, ...]:
    """wrap(), remembered."""
    protected = text
    for item in keep:  # a no-break space joins the item into one word
        protected = protected.replace(item, item.replace(" ", "\u00a0"))
    lines: list[str] = []
    line: list[str] = []  # the units of the line being filled, spaces included

    def fits(units: list[str], fresh: bool = False) -> bool:
        return width((indent if lines or fresh else "") + "".join(units).rstrip()) <= columns

    queue = deque(_units(protected, keep))
    while queue:
        unit, pieces = queue.popleft()
        if unit.isspace():
            if line and not line[-1].isspace():
                line.append(" ")
            continue
        if not line or fits(line + [unit]):
            if line or fits([unit]) or len(pieces) == 1:
                line.append(unit)
            else:  # a word wider than a line by itself: break it between its characters
                queue.extendleft((piece, (piece,)) for piece in reversed(pieces))
            continue
        cut = len(line)  # a closing mark never starts a line, an opening bracket never ends one
        while cut and not _breaks_well(line[:cut], line[cut:] + [unit]):
            cut -= 1
        carried = line[cut:]
        carried = carried[1:] if carried and carried[0].isspace() else carried
        if len(pieces) > 1 and (not cut or not fits(carried + [unit], fresh=True)):
            queue.extendleft((piece, (piece,)) for piece in reversed(pieces))  # it fits no line whole
            continue
        if not cut:  # nowhere to break: the word and the marks that stick to it overflow together
            line.append(unit)
            continue
        lines.append("".join(line[:cut]))
        line = carried + [unit]
    lines.append("".join(line))
    shown = [text_line.replace("\u00a0", " ").strip() for text_line in lines]
    return tuple((indent if i else "") + text_line for i, text_line in enumerate(t for t in shown if t))


def _units(text: str, keep: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The text as the wrapper fills lines with it: spaces, and words made of the pieces the older, finer rule
    could break between (Chinese characters, Tibetan syllables, runs of other letters), joined where
    UAX #14 (the `uniseg` library), jieba's segmentation or a `keep` string allows no break."""
    kept = {i for item in keep for m in re.finditer(re.escape(item.replace(" ", "\u00a0")), text)
            for i in range(m.start() + 1, m.end())}
    units: list[list[str]] = []
    at = 0
    for run in re.findall(r"[^\S\u00a0]+|(?:[^\s]|\u00a0)+", text):  # spaces, and what lies between them
        tokens = _TOKEN.findall(run)
        one_word = _inside_chinese_words(run) if len(tokens) > 1 else frozenset()
        inside = 0
        for i, token in enumerate(tokens):
            if inside and (inside in one_word or at + inside in kept or not _breakable(tokens[i - 1], token)):
                units[-1].append(token)
            else:
                units.append([token])
            inside += len(token)
        at += len(run)
    return [("".join(pieces), tuple(pieces)) for pieces in units]


def _breakable(before: str, after: str) -> bool:
    """UAX #14 between two pieces; between two Chinese characters or marks it always allows a break but before a
    closing mark or after an opening one, which _breaks_well keeps (quicker than asking uniseg every time)."""
    if _CJK_MARK.match(before[-1]) and _CJK_MARK.match(after[0]):
        return True
    return _may_break_between(before[-4:], after[:4])


def _breaks_well(head: list[str], tail: list[str]) -> bool:
    before, after = "".join(head).rstrip(), "".join(tail).lstrip()
    return bool(before) and before[-1] not in _NO_LINE_END and after[:1] not in _NO_LINE_START


# Chinese text takes full-width punctuation next to Chinese characters (GB/T 15834): "免费 (基础服务免费)" is
# "免费（基础服务免费）". A colon between digits (08:30) or a comma in a number (1,500) has no Chinese neighbour.
_FULL_WIDTH = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "!": "！", "?": "？"}
_CJK_MARK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_HALF_WIDTH = re.compile(r" *([():;,!?]) *")


def full_width(text: str) -> str:
    """Half-width brackets and punctuation next to a Chinese character (spaces between them aside) made
    full-width, without the spaces around them: "免费 (基础服务免费；…)" -> "免费（基础服务免费；…）". The other
    bracket of a pair follows: "户口簿 (hukou)" -> "户口簿（hukou）"."""
    def swap(match: re.Match[str]) -> str:
        before, after = text[:match.start()].rstrip()[-1:], text[match.end():].lstrip()[:1]
        if _CJK_MARK.match(before) or _CJK_MARK.match(after):
            return _FULL_WIDTH[match.group(1)]
        return match.group(0)

    chars, open_at = list(_HALF_WIDTH.sub(swap, text)), []
    for i, ch in enumerate(chars):
        if ch in "(（":
            open_at.append(i)
        elif ch in ")）" and open_at:
            start = open_at.pop()
            if "（" in (chars[start], ch) or "）" == ch:
                chars[start], chars[i] = "（", "）"
    return re.sub(r"(?<=\S)[ \t]+(?=（)|(?<=）)[ \t]+(?=\S)", "", "".join(chars))  # full-width brackets carry their own space


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


def gsm_plain(text: str) -> str:
    """The message in the GSM 03.38 alphabet where it only misses letters GSM has without their accent:
    Spanish "energía" and "jubilación" become "energia" and "jubilacion" (GSM has é, ñ, ü, ¿ and ¡, kept as
    they are, but not á, í, ó or ú), so the message fits 160 characters instead of 70. A text with anything
    else outside GSM (Chinese, say) is returned unchanged."""
    plain = sms_text(text)
    if _gsm_septets(plain) is not None:
        return plain
    out = []
    for ch in plain:
        if _gsm_septets(ch) is None and ch.isalpha():
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            ch = base if base.isascii() and base.isalpha() else ch
        out.append(ch)
    folded = "".join(out)
    return folded if _gsm_septets(folded) is not None else text


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
