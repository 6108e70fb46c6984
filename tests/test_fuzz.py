"""Property-based tests: whatever editors and importers send, validation, escaping, speech and wrapping hold."""
from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable

import jsonschema
import markdown
import phonenumbers
import pytest
import referencing
import yaml
from babel.numbers import format_currency
from hypothesis import assume, given, settings, strategies as st
from wcwidth import wcswidth, wcwidth

from generator.loader import load
from generator.plaintext import wrap
from generator.problems import Problem
from generator.render import md, unbroken
from generator.schemas import SCHEMA_DIR
from generator.spoken import Speech
from generator.validate import validate

from .conftest import MINIMAL, TODAY
from .test_scripts import spoken_numbers

# Reproducible in CI: the same examples on every run, and nothing written to a Hypothesis database. Its
# caches (and the patches it writes for failures) go to the temporary folder, not to .hypothesis/ here.
FUZZ = settings(database=None, derandomize=True, deadline=None, print_blob=False)
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      os.path.join(tempfile.gettempdir(), f"servicedir-hypothesis-{os.getuid()}"))
DAY = dt.date.fromisoformat(TODAY)
SERVICE = Path("services") / "register-birth.yml"
FILES = {"directory.yml": "directory", "audiences.yml": "audiences", "life-events.yml": "life-events",
         "providers.yml": "providers", "offices.yml": "offices", str(SERVICE): "service"}


# 1. Loader and validator ---------------------------------------------------------------------------

def editor_lines(text: str) -> list[str]:
    """The file's lines as an editor numbers them (a line ends at \\r\\n, \\r or \\n)."""
    return re.split(r"\r\n|\r|\n", text)


MINIMAL_FILES = {path.relative_to(MINIMAL): path.read_bytes() for path in MINIMAL.rglob("*.yml")}
# A fresh folder per example (function-scoped fixtures are shared by all of a test's examples); in memory
# where the system has it, as hundreds of small folders on disk would take most of the time.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def validated(relative: Path, content: bytes) -> list[Problem]:
    """The problems of a copy of the minimal catalogue with one file replaced, each checked (check_problems)."""
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        catalog = Path(tmp) / "catalog"
        (catalog / "services").mkdir(parents=True)
        for path, original in MINIMAL_FILES.items():
            (catalog / path).write_bytes(content if path == relative else original)
        problems, _ = validate(catalog, today=DAY)
        check_problems(problems, catalog)
    return problems


def check_problems(problems: list[Problem], catalog: Path) -> None:
    """Each problem: a Problem at a place that exists in a file of the catalogue, said in one plain sentence."""
    root = catalog.resolve()
    for p in problems:
        assert isinstance(p, Problem), p
        assert p.level in ("error", "warning", "notice"), p
        where = Path(p.path).resolve()
        assert where == root or root in where.parents, p
        assert isinstance(p.line, int) and isinstance(p.col, int) and p.line >= 1 and p.col >= 1, p
        if where.is_file():
            raw = where.read_bytes()
            text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
            lines = editor_lines(text)
            assert p.line <= len(lines) + 1, (p, len(lines))
            if p.line <= len(lines):
                assert p.col <= len(lines[p.line - 1]) + 1, (p, lines[p.line - 1])
        else:
            assert (p.line, p.col) == (1, 1), p
        message = p.message
        assert message and message == message.strip() and len(str(p).splitlines()) == 1, p
        assert message[0].isalnum() or message[0] in "'\"(", p
        assert message[-1] not in ":,;(-", p
        assert "Traceback" not in message and "object at 0x" not in message, p


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


@given(content=st.binary(max_size=400))
@settings(FUZZ, max_examples=200)
def test_any_bytes_as_a_service_file(content: bytes) -> None:
    problems = validated(SERVICE, content)
    if not errors(problems):  # only a real service entry passes
        data = yaml.safe_load(content)
        assert isinstance(data, dict) and data.get("id") == "register-birth", problems


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- \n\t'\"[]{},#&*!|>%@`?\\0123\r\x07\x85\u2028\ufeff中é")),
                  max_size=120)


@given(text=YAMLISH)
@settings(FUZZ, max_examples=400)
def test_yaml_like_text_as_a_service_file(text: str) -> None:
    problems = validated(SERVICE, text.encode("utf-8"))
    assert errors(problems), text  # none of these can be a whole service


@given(data=st.data())
@settings(FUZZ, max_examples=200)
def test_mutated_bytes_of_a_valid_file(data: st.DataObject) -> None:
    relative = Path(data.draw(st.sampled_from(sorted(FILES))))
    content = bytearray((MINIMAL / relative).read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(content)))
        cut = data.draw(st.integers(0, 4))
        content[at:at + cut] = data.draw(st.binary(max_size=4) | st.sampled_from(
            [b":", b"- ", b"\n", b"\t", b"'", b'"', b"[", b"}", b"  ", b"\n ", b"&a ", b"*a", b"!!int ", b"---\n",
             b"\xe4\xb8", b"\x00", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"# ", b"? ", b"<<: "]))
    validated(relative, bytes(content))


# Values as editors and importers write them, and as yaml.safe_dump writes anything Python holds.
SCALARS = (st.none() | st.booleans() | st.integers(-(10 ** 20), 10 ** 20) | st.floats(allow_nan=True)
           | st.text(max_size=30) | st.dates() | st.datetimes()
           | st.sampled_from(["", "TODO", "0579-8120-0001", "12345", "08:30", "24:00", "P20D", "PT", "CNY", "zh-Hans",
                              "https://x.example.org/", "javascript:x", "yes", "no", "~", "null", "2026-02-30",
                              "<b>x</b>", "**x**", "a: b", "- x", "{x}", "\t", "\u2028", "mon", "true", "1e3"]))
STRUCTURES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=10) | st.sampled_from(["zh-Hans", "en", "id", "type"]),
                                            inner, max_size=4),
                          max_leaves=12)


def dump(value: Any, flow: bool | None) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow, sort_keys=False).encode("utf-8")


@given(value=STRUCTURES, flow=st.sampled_from([None, False, True]), kind=st.sampled_from(sorted(FILES)))
@settings(FUZZ, max_examples=200)
def test_any_yaml_structure_as_a_catalogue_file(value: Any, flow: bool | None, kind: str) -> None:
    content = dump(value, flow)
    validated(Path(kind), content)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:  # what yaml wrote is read back, YAML 1.1 surprises as text
        path = Path(tmp) / "x.yml"
        path.write_bytes(content)
        doc, problems = load(path)
    if b"!!" in content:  # a tag PyYAML adds in flow style (!!timestamp) is refused
        assert doc is None and problems and "tags such as" in problems[0].message, problems
    elif not re.search("[\x85\u2028\u2029]", content.decode("utf-8")):  # PyYAML writes these raw: folded
        assert value is None or doc is not None and doc.data == plain(value), problems


def paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a structure, the structure itself first."""
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*at, i))
    return found


def replaced(value: Any, at: tuple[Any, ...], new: Any) -> Any:
    if not at:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[at[0]] = replaced(value[at[0]], at[1:], new)
    return copy


def plain(value: Any) -> Any:
    """As the catalogue reads what yaml.safe_dump wrote: dates stay text, .nan and .inf are text too."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, bool) else str(k).lower(): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)) or isinstance(value, float) and not math.isfinite(value):
        return yaml.safe_dump(value).split("\n")[0]  # 2026-01-02, 2026-01-02 10:00:00, .nan, .inf
    return value


SCHEMAS = referencing.Registry().with_resources(
    (p.name, referencing.Resource.from_contents(yaml.safe_load(p.read_text(encoding="utf-8"))))
    for p in sorted(SCHEMA_DIR.glob("*.schema.json")))


def schema_allows(kind: str, value: Any) -> bool:
    """An oracle independent of the validator: plain JSON Schema (Python's looser '$' in patterns)."""
    schema = SCHEMAS[f"{kind}.schema.json"].contents
    return jsonschema.Draft202012Validator(schema, registry=SCHEMAS).is_valid(value)


@given(data=st.data())
@settings(FUZZ, max_examples=300)
def test_one_field_of_a_valid_catalogue_replaced(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(FILES)))
    original = yaml.safe_load((MINIMAL / name).read_text(encoding="utf-8"))
    at = data.draw(st.sampled_from(paths(original)[1:]))
    new = data.draw(STRUCTURES)
    value = replaced(original, at, new)
    flow = data.draw(st.sampled_from([None, False, True]))
    problems = validated(Path(name), dump(value, flow))
    if not schema_allows(FILES[name], plain(value)):
        assert errors(problems), (at, new)


# 2. Text escaping for the site --------------------------------------------------------------------

SITE_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html"]  # MkDocs' built-ins and ours
MARKUP_TEXT = st.text(alphabet=st.sampled_from(list("\\`*_{}[]()#+-.!|<>&;\"'=~:^$%@/ ax1中é\t"))
                      | st.characters(exclude_categories=("Cs",)), max_size=60)
TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")


def visible(rendered: str) -> str:
    return html.unescape(TAG.sub(" ", rendered))


def same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


@given(text=MARKUP_TEXT)
@settings(FUZZ, max_examples=400)
def test_md_text_shows_literally_on_the_site(text: str) -> None:
    assume("\n" not in text and "\r" not in text)  # one line: texts are split at paragraphs before md()
    assume("\x02" not in text and "\x03" not in text)  # Python-Markdown's own placeholders, which md() lets through
    rendered = markdown.markdown(md(text), extensions=SITE_EXTENSIONS)
    assert {name for _, name in TAG.findall(rendered)} <= {"p"}, rendered
    assert same_words(visible(rendered), text), rendered


@given(text=MARKUP_TEXT)
@settings(FUZZ, max_examples=200)
def test_unbroken_escapes_html(text: str) -> None:
    out = str(unbroken(text))
    bare = out.replace('<span class="nobr">', "").replace("</span>", "")
    assert "<" not in bare and ">" not in bare and '"' not in bare
    assert html.unescape(bare) == text


# 3. Spoken numbers -------------------------------------------------------------------------------

ON_AIR_FORBIDDEN = re.compile(r"[0-9０-９%/¥￥$€()\[\]（）【】《》<>#*&+=]")  # as tests/test_scripts.py reads scripts
SPEECHES = (Speech("zh-Hans"), Speech("en"))


said_digits = spoken_numbers  # the reading of tests/test_scripts.py, so both suites hear alike


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch in "0123456789")


@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=30))
@settings(FUZZ, max_examples=100)
def test_digits_said_one_by_one_come_back(digits: str) -> None:
    for speech in SPEECHES:
        said = speech.digits(digits)
        assert not ON_AIR_FORBIDDEN.search(said), said
        assert said_digits(said, speech.lang) == [digits], said


REGIONS = ("CN", "HK", "TW", "US", "GB", "DE", "FR", "JP", "IN", "RU")
FORMATS = (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
           phonenumbers.PhoneNumberFormat.E164)
TYPES = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
         phonenumbers.PhoneNumberType.TOLL_FREE)


@st.composite
def phone_numbers(draw: st.DrawFn, regions: tuple[str, ...] = REGIONS) -> tuple[str, str]:
    """A valid phone number of some region as a catalogue prints it, and the region."""
    region = draw(st.sampled_from(regions))
    example = phonenumbers.example_number_for_type(region, draw(st.sampled_from(TYPES)))
    assume(example is not None)
    national = str(example.national_number)
    tail = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    number = phonenumbers.parse(national[:-4] + tail, region)
    assume(phonenumbers.is_valid_number(number))
    return phonenumbers.format_number(number, draw(st.sampled_from(FORMATS))), region


@given(phone=phone_numbers(), typed=st.sampled_from(["{}", "({})", "{} ext. 12", "{}转12"]))
@settings(FUZZ, max_examples=150)
def test_phone_numbers_are_read_digit_by_digit(phone: tuple[str, str], typed: str) -> None:
    number = typed.format(phone[0])
    for speech in SPEECHES:
        said = speech.phone(number)
        assert not ON_AIR_FORBIDDEN.search(said), said
        assert "".join(said_digits(said, speech.lang)) == digits_of(number), said


@given(phone=phone_numbers(("CN",)),
       lead=st.sampled_from([("请拨打", "Call "), ("电话：", "Phone: "), ("咨询电话（", "(")]))
@settings(FUZZ, max_examples=100)
def test_phone_numbers_in_texts_are_read_digit_by_digit(phone: tuple[str, str], lead: tuple[str, str]) -> None:
    shown, _ = phone
    for speech, words in zip(SPEECHES, lead):
        said = speech.clean(f"{words}{shown}。")
        assert not ON_AIR_FORBIDDEN.search(said), said
        assert digits_of(shown) in said_digits(said, speech.lang), said


AMOUNTS = st.decimals(min_value=0, max_value=1_000_000_000, places=2, allow_nan=False, allow_infinity=False)


def printed_money(locale: str) -> Callable[[Any], str]:
    """An amount as the leaflets print it (babel): ¥1,180.50 in Chinese, CN¥1,180.50 in English."""
    return lambda amount: format_currency(amount, "CNY", locale=locale)


NUMBER_FORMS: list[Callable[[Any], str]] = [
    str, lambda a: f"{a:,}", lambda a: f"¥{a}", lambda a: f"￥{a:,}", lambda a: f"{a}元", lambda a: f"{a} yuan",
    lambda a: f"{a}%", lambda a: f"${a}", lambda a: f"€ {a}", printed_money("zh_Hans_CN"), printed_money("en")]


@st.composite
def numbers_in_text(draw: st.DrawFn) -> str:
    """One number as editors write it in a text: amounts, years, durations, ranges, times, dates, counts."""
    kind = draw(st.sampled_from(["amount", "year", "duration", "range", "time", "date", "integer", "phone"]))
    if kind == "amount":
        return draw(st.sampled_from(NUMBER_FORMS))(draw(AMOUNTS).normalize() if draw(st.booleans()) else draw(AMOUNTS))
    if kind == "year":
        return draw(st.sampled_from(["{}年", "in {}", "{}年度", "({})"])).format(draw(st.integers(1900, 2100)))
    if kind == "duration":
        n = draw(st.integers(0, 10_000))
        return draw(st.sampled_from(["{}天", "{}个工作日", "{} days", "{} working days", "{}小时", "P{}D"])).format(n)
    if kind == "range":
        a, b = draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000))
        return draw(st.sampled_from(["{}-{}天", "{}–{} days", "{} - {}", "{}至{}"])).format(a, b)
    if kind == "time":
        clock = draw(st.sampled_from(["{:02d}:{:02d}", "{}:{:02d}"]))
        hours = clock.format(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
        return draw(st.sampled_from([hours, "24:00", f"{hours}–24:00", f"{hours}-{hours}"]))
    if kind == "date":
        day = draw(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
        return draw(st.sampled_from([day.isoformat(), f"{day.year}年{day.month}月{day.day}日"]))
    if kind == "phone":
        return draw(phone_numbers(("CN",)))[0]
    return str(draw(st.integers(0, 10 ** 25)))


@given(parts=st.lists(numbers_in_text() | st.sampled_from(["每人", "元", " ", "，", "。", "for ", " each", "（", "）",
                                                           "(", ")", "/", "&", "+", "=", "《", "》", "第", "步"]),
                      min_size=1, max_size=6))
@settings(FUZZ, max_examples=300)
def test_numbers_in_texts_leave_no_digit_or_symbol_on_air(parts: list[str]) -> None:
    text = "".join(parts)
    for speech in SPEECHES:
        said = speech.clean(text)
        assert not ON_AIR_FORBIDDEN.search(said), (text, said)
        for sentence in speech.sentences(said):
            assert not ON_AIR_FORBIDDEN.search(sentence), (text, sentence)


@given(number=st.from_regex(r"0[0-9]{1,20}|[1-9][0-9]{8,30}", fullmatch=True),
       lead=st.sampled_from([("账号", "Account "), ("证件号码：", "ID number: "), ("编号", "No. ")]))
@settings(FUZZ, max_examples=100)
def test_account_and_leading_zero_numbers_in_texts_are_read_digit_by_digit(number: str, lead: tuple[str, str]) -> None:
    for speech, words in zip(SPEECHES, lead):
        said = speech.clean(f"{words}{number}。")
        assert not ON_AIR_FORBIDDEN.search(said), said
        assert number in said_digits(said, speech.lang), said


@given(year=st.integers(1900, 2100))
@settings(FUZZ, max_examples=30)
def test_years_are_read_digit_by_digit_in_chinese(year: int) -> None:
    said = SPEECHES[0].clean(f"{year}年起")
    assert said_digits(said, "zh-Hans") == [str(year)], said


@given(value=st.integers(0, 10 ** 8) | AMOUNTS.map(str))
@settings(FUZZ, max_examples=100)
def test_quantities_are_said_in_words(value: int | str) -> None:
    for speech in SPEECHES:
        said = speech.number(value)
        assert said and not ON_AIR_FORBIDDEN.search(said), said


@given(hours=st.integers(0, 24), minutes=st.integers(0, 59))
@settings(FUZZ, max_examples=50)
def test_clock_times_are_said_in_words(hours: int, minutes: int) -> None:
    assume(hours < 24 or minutes == 0)
    for speech in SPEECHES:
        said = speech.time(hours, minutes)
        assert said and not ON_AIR_FORBIDDEN.search(said) and ":" not in said, said
        assert "zero" not in said.split(), said  # 00:30 is half past twelve, not half past zero


# 4. Noticeboard wrapping -------------------------------------------------------------------------

NO_LINE_START = set("，。、；：！？）》」』】,.;:!?)")
NO_LINE_END = set("（《「『【(")
GLUED = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\u200d"
                   r"\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]")  # they sit on the character before
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
BOARD_TEXT = st.lists(
    st.text(alphabet=st.sampled_from(list("示例县城关镇派出所户籍窗口电话")), min_size=1, max_size=12)
    | st.text(alphabet=st.sampled_from(list("abcdefghij")), min_size=1, max_size=50)
    | st.sampled_from([" ", "  ", "\n", "\t", "\u3000", "\u00a0", "，", "。", "（", "）", "《", "》", "、", "：", ",", ".",
                       "(", ")", "08:30–12:00", "\x07", "\x1b", "😀", "👍🏽", "👨‍👩‍👧", "❤️", "e\u0301", "\u0301", "ＡＢ",
                       "x" * 45, "中" * 25, "https://example.org/a/very/long/path/that/will/not/fit"])
    | st.text(max_size=8), max_size=25).map("".join)
PHONE_KEPT = "0579 8120 0111"


def columns_of(text: str) -> int:
    """Display columns by wcwidth; a control character takes none."""
    width = wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth(ch), 0) for ch in text)


def words(segment: str) -> list[str]:
    """The pieces a board line may break between: spaces, a Chinese character with its marks, other runs
    (a no-break space, as in the kept phone number, is part of its word)."""
    return re.findall(rf"[^\S\u00a0]+|{CJK.pattern}{GLUED.pattern}*|(?:(?!{CJK.pattern})[^\s]|\u00a0)+", segment)


def can_break(segment: str) -> bool:
    """Whether a line break is allowed somewhere inside this piece of text."""
    pieces = words(segment.replace(PHONE_KEPT, PHONE_KEPT.replace(" ", "\u00a0")))
    for i in range(1, len(pieces)):
        before, after = "".join(pieces[:i]).rstrip(), "".join(pieces[i:]).lstrip()
        if before and after and before[-1] not in NO_LINE_END and after[0] not in NO_LINE_START:
            return True
    return False


def spans(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """Where each line's text is in the input: (first, last) index of its first and last visible character."""
    visible = [i for i, ch in enumerate(text) if not ch.isspace()]
    out, at = [], 0
    for line in lines:
        count = sum(not ch.isspace() for ch in line)
        out.append((visible[at], visible[at + count - 1]))
        at += count
    return out


@given(text=BOARD_TEXT, columns=st.sampled_from([40, 40, 38, 20, 12]), with_phone=st.booleans())
@settings(FUZZ, max_examples=400)
def test_wrapping_keeps_every_character_within_the_width(text: str, columns: int, with_phone: bool) -> None:
    if with_phone:
        text = text[:len(text) // 2] + PHONE_KEPT + text[len(text) // 2:]
    lines = wrap(text, columns, keep=(PHONE_KEPT,) if with_phone else ())
    assert all(line and line == line.strip() for line in lines), lines
    assert [ch for ch in "".join(lines) if not ch.isspace()] == [ch for ch in text if not ch.isspace()], lines
    places = spans(text, lines)
    for line, (first, last) in zip(lines, places):  # wider only when it is one word that cannot be broken
        assert columns_of(line) <= columns or not can_break(text[first:last + 1]), (line, columns_of(line))
    for (_, end), (start, _) in zip(places, places[1:]):  # each break at a place where a break is allowed
        base = end
        while base and GLUED.match(text[base]):  # from the character the marks before the break sit on
            base -= 1
        assert can_break(text[base:start + 1]), (text[base:start + 1], lines)
        assert start > end + 1 or not GLUED.match(text[start]), (text[end:start + 1], lines)  # no mark torn off
        assert text[start] not in NO_LINE_START and text[end] not in NO_LINE_END, lines
    if with_phone:
        assert sum(line.count(PHONE_KEPT) for line in lines) >= text.count(PHONE_KEPT), lines


# What the properties found, kept as plain examples -----------------------------------------------

def service_problems(catalogue: Path, content: str | bytes) -> list[str]:
    path = catalogue / SERVICE
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    problems, _ = validate(Path("catalog"), today=DAY)
    return [str(p) for p in problems]


def test_a_bad_byte_after_a_carriage_return_is_on_the_next_line(catalogue: Path) -> None:
    assert service_problems(catalogue, b"id: register-birth\r\x00") == [
        f"catalog/{SERVICE}:2:1: error: the file contains binary data (a NUL byte), not text"]
    assert service_problems(catalogue, b"id: register-birth\rname: x\x07\n") == [
        f"catalog/{SERVICE}:2:8: error: the file contains the control character U+0007, which YAML does not allow; "
        "remove it"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_yaml_only_line_breaks_in_a_text_do_not_move_later_problems(catalogue: Path, separator: str) -> None:
    """YAML also ends a line at U+2028, U+2029 and U+0085 (pasted from web pages; PyYAML writes them raw)."""
    text = (MINIMAL / SERVICE).read_text(encoding="utf-8")
    text = text.replace("en: Register a birth}", f"en: 'Register{separator}a birth'}}")
    text = text.replace("online_stage: 2", "online_stage: 6")
    assert service_problems(catalogue, text) == [
        f"catalog/{SERVICE}:16:15: error: 6 is out of range; use a number from 1 to 5"]
    broken = text.replace("online_stage: 6", "online_stage: [")
    assert service_problems(catalogue, broken) == [
        f"catalog/{SERVICE}:18:3: error: YAML syntax error: did not find expected node content"]


def test_a_problem_is_one_line_even_when_it_quotes_a_line_break(catalogue: Path) -> None:
    text = (MINIMAL / SERVICE).read_text(encoding="utf-8") + '"\\nname": x\n'
    assert service_problems(catalogue, text) == [
        f"catalog/{SERVICE}:28:1: error: unknown field '\\nname' (did you mean 'name'?)"]


def test_wrapping_keeps_phone_numbers_marks_and_punctuation_with_their_words() -> None:
    assert wrap("例例例例0579 8120 0111例例例例", 20, keep=(PHONE_KEPT,)) == ["例例例例", "0579 8120 0111例例", "例例"]  # jieba: 例例 is a word
    assert wrap("中" * 19 + "\u0301abc", 40) == ["中" * 19 + "\u0301", "abc"]  # the accent stays on its character
    assert wrap("a" * 39 + "，b", 40) == ["a" * 39 + "，", "b"]  # a comma never starts a line, even past the width
    assert wrap("（" + "x" * 45, 40) == ["（" + "x" * 45]  # a bracket never ends one
    assert wrap("a" * 35 + " 12\u00a0345", 40) == ["a" * 35, "12 345"]  # a no-break space does not break


def test_numbers_no_reader_could_say_before() -> None:
    zh, en = SPEECHES
    # past 16 digits with separators: cn2an raised (and warned); digits of other scripts raised too
    assert zh.clean("共1,234,567,890,123,456,789元") == "共幺二三四五六七八九零幺二三四五六七八九元"
    assert zh.clean("٣天") == "三天" and en.clean("١٢ days") == "twelve days"
    assert zh.number("3.14159265358979323846") == "三点一四一五九二六五三五八九七九三二三八四六"  # no digit dropped
    # 24:00 is a closing time the schema allows; 00:30 is not "half past zero"
    assert zh.clean("08:30–24:00") == "上午八点半至晚上十二点"
    assert en.clean("08:30–24:00") == "half past eight in the morning to midnight"
    assert en.time(0, 30) == "half past twelve in the morning"
    # an international number is read digit by digit, the country code too
    assert zh.clean("请拨打+86 10 1234 5678") == "请拨打加八六，幺零，幺二三四，五六七八"
    assert en.clean("Call +86 10 1234 5678") == "Call plus eight six, one zero, one two three four, five six seven eight"
    # currency signs are said, and no bracket of the other language is left on air
    assert zh.clean("¥12.5，$5，€5.5") == "十二点五元，五美元，五点五欧元"
    assert en.clean("¥12.5, $5 or €5.5") == "twelve yuan fifty, five dollars or five euros fifty"  # cents as said
    assert en.clean("见《办事指南》（第3页）【注意】") == "见办事指南, 第three页, 注意"
