"""Noticeboards and SMS as a village clerk and a phone user get them, checked on real builds of the demo county,
riverside (English, Spanish) and ug-bo (Chinese, Uyghur, Tibetan): no word split across lines (segmented here
with jieba and the UAX #14 library), full-width punctuation in Chinese, a checked-on line and the issuing body,
every place and way kept, pages that say how many they are, each number once, English items bulleted, no
warning, and text messages that say what the service is. Each check is a function returning what is wrong, so
it can be run on any build; the tests assert there is nothing."""
from __future__ import annotations

import dataclasses
import logging
import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import gsm0338  # noqa: F401  (the "gsm03.38" codec)
import pytest
from babel import Locale
from babel.messages.pofile import read_po
from uniseg.linebreak import line_break_boundaries
from wcwidth import wcswidth

from generator.model import Catalogue, Service
from generator.present import OFFLINE_CHANNELS, Words, contact_phone
from generator.render import lang_path

from .conftest import ROOT, TODAY, Built

RIVERSIDE = ROOT / "tests" / "examples" / "catalogues" / "riverside"
CATALOGUES = {"demo": ROOT / "catalog", "riverside": RIVERSIDE, "ug-bo": ROOT / "tests" / "examples" / "catalogues" / "ug-bo",
              "riverside-no-cost": RIVERSIDE}  # energy-bill-help without its cost: the notice says whom to ask
COLUMNS, LINES = 40, 30
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
PHONE_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    out: dict[str, Built] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        for name, root in CATALOGUES.items():
            target = tmp_path_factory.mktemp(name)
            if name == "riverside-no-cost":
                root = shutil.copytree(root, target / "catalog")
                service = root / "services" / "energy-bill-help.yml"
                service.write_text(service.read_text(encoding="utf-8").replace("cost:\n  free: true\n", ""), encoding="utf-8")
            out[name] = Built(root, target, ("noticeboard", "sms"))
    return out


def active(catalogue: Catalogue) -> list[Service]:
    return [s for s in catalogue.services if s.status != "withdrawn"]


def notices(built: Built) -> Iterator[tuple[str, Words, Path, Service | None]]:
    """Every noticeboard file: its language, words, path and service (None for an area notice)."""
    for lang in built.catalogue.directory.languages:
        w = Words(built.catalogue, lang)
        for path in sorted((built.print_dir / "noticeboard" / lang_path(lang)).glob("*.txt")):
            yield lang, w, path, None if path.stem.startswith("area-") else built.catalogue.by_id["services"][path.stem]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_of(path: Path) -> list[list[str]]:
    """A notice's pages: split at a line holding only a form feed."""
    return [page.strip("\n").split("\n") for page in path.read_text(encoding="utf-8").rstrip("\n").split("\n\f\n")]


# Words a language's notices may hold: a line break between two of them is a break at a space --------------

def _texts(value: Any, lang: str) -> Iterator[str]:
    """Every text of the catalogue in one language (and in the default language, where a fallback shows it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key == lang or len(key) <= 7):
                yield item
            elif isinstance(item, list):
                yield from (text for text in item if isinstance(text, str))
            else:
                yield from _texts(item, lang)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name != "by_id":
                yield from _texts(getattr(value, field.name), lang)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item, lang)


@lru_cache(maxsize=None)
def _source_words() -> frozenset[str]:
    """The interface's words: the message catalogs, the templates and the code that writes the notices."""
    text = []
    for po in [ROOT / "generator" / "locale" / "servicedir.pot", *sorted((ROOT / "generator" / "locale").glob("*/LC_MESSAGES/*.po"))]:
        with po.open("rb") as f:
            for message in read_po(f):
                text += [str(message.id), *(message.string if isinstance(message.string, tuple) else [message.string or ""])]
    for path in [*(ROOT / "templates" / "scripts").glob("*.txt"), *(ROOT / "generator").glob("*.py"),
                 *(ROOT / "generator" / "render").glob("*.py")]:
        text.append(path.read_text(encoding="utf-8"))
    return frozenset(word.lower() for word in PHONE_WORDS.findall(" ".join(text)))


def vocabulary(built: Built, lang: str) -> frozenset[str]:
    locale = Locale.parse(lang, sep="-")
    names = [*locale.days["format"]["wide"].values(), *locale.days["format"]["abbreviated"].values(),
             *locale.months["format"]["wide"].values()]
    words = {word.lower() for text in [*_texts(built.catalogue, lang), *names] for word in PHONE_WORDS.findall(text)}
    return frozenset(words) | _source_words()


def _edge_word(text: str, last: bool) -> str:
    words = PHONE_WORDS.findall(text)
    return (words[-1] if last else words[0]).lower() if words else ""


@lru_cache(maxsize=4096)
def _jieba_bounds(text: str) -> frozenset[int]:
    at, out = 0, set()
    for word in _jieba_words(text):
        at += len(word)
        out.add(at)
    return frozenset(out)


@lru_cache(maxsize=None)
def _uax14_break(before: str, after: str) -> bool:
    """UAX #14 allows a line break between the two (eight characters either side are context enough)."""
    return len(before) in set(line_break_boundaries(before + after))


def first_word(text: str) -> str:
    """What a line could not break inside at its start: the first Chinese word (jieba) with the marks that
    cannot start a line, a Tibetan syllable with its tsheg, else up to the first space."""
    if HAN.match(text):
        words = list(_jieba_words(text[:16]))
        head = words[0]
        for word in words[1:]:
            if not re.fullmatch(r"[，。、；：！？）》」』】]+", word):
                break
            head += word
        return head
    if TIBETAN.match(text):
        return re.match(r"[^\s\u0f0b]*\u0f0b?[\u0f0d-\u0f12]*", text).group(0)
    return text.split()[0] if text.split() else ""


@lru_cache(maxsize=4096)
def _jieba_words(text: str) -> tuple[str, ...]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return tuple(jieba.cut(text))


def split_words(built: Built) -> list[str]:
    """Every line break that falls inside a word. Only where a line was wrapped: where the next line's first
    word would have fitted on it, the line ended there (a heading, an item). Two lines are joined as the text
    was: with nothing between them where either side is Chinese or Tibetan (UAX #14 must allow a break there,
    and between two Chinese characters jieba must see two words), else with the space the break took (both
    words must be words of the language: of the catalogue, the interface, the calendar)."""
    found = []
    words_of = {lang: vocabulary(built, lang) for lang in built.catalogue.directory.languages}
    for lang, _, path, _ in notices(built):
        words = words_of[lang]
        for page in pages_of(path):
            for before, after in zip(page, page[1:]):
                head, tail = before.rstrip(), re.sub(r"^\s*(- )?", "", after)
                if not head.strip() or not tail or wcswidth(head) + 1 + wcswidth(first_word(tail)) <= COLUMNS:
                    continue
                x, y = head[-1], tail[0]
                if CJK.match(x) or CJK.match(y) or TIBETAN.match(x) or TIBETAN.match(y):
                    joined, at = head.lstrip() + tail, len(head.lstrip())
                    if not _uax14_break(head.lstrip()[-8:], tail[:8]):
                        found.append(f"{path}: {before!r} / {after!r} (UAX #14)")
                    elif HAN.match(x) and HAN.match(y) and at not in _jieba_bounds(joined):
                        found.append(f"{path}: {before!r} / {after!r} (jieba: one word)")
                elif x.isalpha() and y.isalpha():
                    for word in (_edge_word(head, True), _edge_word(tail, False)):
                        if word not in words and not any(ch.isdigit() for ch in word):
                            found.append(f"{path}: {before!r} / {after!r} ({word!r} is no word)")
    return found


def split_numbers_and_dates(built: Built) -> list[str]:
    """A phone number or the checked-on date broken across two lines."""
    found = []
    for _, w, path, service in notices(built):
        if service is None:
            continue
        text = path.read_text(encoding="utf-8")
        for whole in {w.phone(contact_phone(built.catalogue, service)).shown, w.date(service.last_reviewed, "long")}:
            if squeezed(whole) in squeezed(text) and not any(whole in line for line in text.splitlines()):
                found.append(f"{path}: {whole!r} split")
    return found


def test_the_word_checks_can_fail() -> None:
    assert 4 not in _jieba_bounds("领高龄津贴")  # 领高龄津/贴
    assert 3 in _jieba_bounds("领高龄津贴")
    assert 3 not in set(line_break_boundaries("ཞིང་པར"))  # inside a Tibetan syllable
    assert 4 in set(line_break_boundaries("ཞིང་པར"))  # after the tsheg


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_no_word_or_number_is_split_across_noticeboard_lines(builds: dict[str, Built], name: str) -> None:
    assert split_words(builds[name]) == []
    assert split_numbers_and_dates(builds[name]) == []


def test_wrapping_keeps_chinese_words_whole() -> None:
    from generator.plaintext import wrap

    lines = wrap("本县户籍满80周岁的老人，每月可以领高龄津贴。", 40)
    assert lines == ["本县户籍满80周岁的老人，每月可以领高龄", "津贴。"]
    assert all("社会保障" in line or "社" not in line for line in wrap("老人本人的社会保障卡或惠民惠农一卡通" * 2, 40))
    assert wrap("中" * 30, 40) == ["中" * 20, "中" * 10]  # a "word" wider than a line is still broken


# Chinese punctuation and times --------------------------------------------------------------------------

HALF_WIDTH_NEAR_CHINESE = re.compile(rf"{HAN.pattern}\s*[()]|[()]\s*{HAN.pattern}|{HAN.pattern}\s*[:;,!?]|[;,!?]\s*{HAN.pattern}")


def half_width_next_to_chinese(built: Built) -> list[str]:
    return [f"{path}: {line}" for _, _, path, _ in notices(built)
            for line in path.read_text(encoding="utf-8").splitlines() if HALF_WIDTH_NEAR_CHINESE.search(line)]


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_no_half_width_brackets_or_punctuation_next_to_chinese(builds: dict[str, Built], name: str) -> None:
    assert half_width_next_to_chinese(builds[name]) == []


ZH_CLOCK = re.compile(r"(凌晨|早上|上午|中午|下午|晚上)?(\d{1,2}):(\d\d)")


def zh_times(text: str) -> set[tuple[str, str]]:
    """Opening periods as a Chinese board writes them (上午8:30-12:00, 上午8:30-下午5:00), in 24 hours."""
    def hhmm(part: str | None, hours: str, minutes: str, after: str | None = None) -> str:
        part = part or after
        hour = int(hours) + (12 if part in ("下午", "晚上") and int(hours) < 12 else 0)
        return f"{hour:02d}:{minutes}"

    out = set()
    for m in re.finditer(rf"{ZH_CLOCK.pattern}-{ZH_CLOCK.pattern}", text):
        start = hhmm(m.group(1), m.group(2), m.group(3))
        end = hhmm(m.group(4), m.group(5), m.group(6), after=m.group(1))
        out.add((start, "24:00" if end == "12:00" and m.group(4) == "晚上" else end))
    return out


def test_chinese_boards_say_the_part_of_the_day_and_agree_with_the_catalogue(builds: dict[str, Built]) -> None:
    built = builds["demo"]
    offices = built.catalogue.by_id["offices"]
    for service in active(built.catalogue):
        text = (built.print_dir / "noticeboard" / "zh-hans" / f"{service.id}.txt").read_text(encoding="utf-8")
        assert not re.search(r"(?<![午上晚晨\d-])\d{1,2}:\d\d", text), text  # every time says its part of the day
        shown = zh_times(re.sub(r"\s+", "", text))
        main = contact_phone(built.catalogue, service)
        expected = {(h.opens, h.closes) for c in service.channels if c.type in OFFLINE_CHANNELS and c.phone != main
                    for h in (c.hours or (offices[c.office].hours if c.office else ())) if (h.opens, h.closes) != ("00:00", "24:00")}
        assert expected <= shown, (service.id, expected - shown)
    assert zh_times("上午8:30-12:00，下午2:00-5:30，上午8:00-下午5:00，晚上7:35-7:45") == {
        ("08:30", "12:00"), ("14:00", "17:30"), ("08:00", "17:00"), ("19:35", "19:45")}


# What every notice carries ------------------------------------------------------------------------------

def missing_checked_or_issuer(built: Built) -> list[str]:
    directory = built.catalogue.directory
    found = []
    for _, w, path, service in notices(built):
        text = squeezed(path.read_text(encoding="utf-8"))
        issuer = w.text(directory.publisher.name if directory.publisher else directory.name)
        if squeezed(w._("Issued by {publisher}").format(publisher=issuer)) not in text:
            found.append(f"{path}: no issuing body")
        if service is not None:
            checked = w._("Information checked on {date}").format(date=w.date(service.last_reviewed, "long"))
            if squeezed(checked) not in text:
                found.append(f"{path}: no line saying when it was checked ({checked})")
        elif squeezed(w._("Information checked on {date}").format(date="")) not in text:
            found.append(f"{path}: no line saying when it was checked")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_every_notice_says_when_it_was_checked_and_who_issued_it(builds: dict[str, Built], name: str) -> None:
    assert missing_checked_or_issuer(builds[name]) == []


def dropped_ways(built: Built) -> list[str]:
    """A place (office, village service point) or an offline way (a visit to your home, post, text message,
    radio, TV, another phone line) of the service that its notice does not show."""
    offices = built.catalogue.by_id["offices"]
    found = []
    for _, w, path, service in notices(built):
        if service is None:
            continue
        text = squeezed(path.read_text(encoding="utf-8")).replace("（", "(").replace("）", ")")
        main = w.phone(number).shown if (number := contact_phone(built.catalogue, service)) else ""
        for c in service.channels:
            if c.type not in OFFLINE_CHANNELS:
                continue
            if c.office:
                shown = w.text(offices[c.office].name)
            elif c.type in ("phone", "fax") and (c.phone or c.fax):
                shown = w.phone(c.phone or c.fax).shown
            elif c.type == "sms" and c.number:
                shown = c.number
            elif c.type == "post" and c.address and not c.note:
                shown = w.text(c.address)
            else:
                shown = first_part(w.text(c.note)) or w.channel(c.type)
            if squeezed(shown).replace("（", "(").replace("）", ")") not in text and not (c.type == "phone" and shown == main):
                found.append(f"{path}: {c.type} {shown!r} left out")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_no_place_or_way_is_dropped(builds: dict[str, Built], name: str) -> None:
    assert dropped_ways(builds[name]) == []


def pages_not_honest(built: Built) -> list[str]:
    """A page longer than LINES lines or wider than COLUMNS; a notice of several pages whose pages do not each
    end with 'Page n of N'; a service notice of several pages the build did not report."""
    found = []
    for _, w, path, service in notices(built):
        pages = pages_of(path)
        for number, page in enumerate(pages, 1):
            if len(page) > LINES or any(wcswidth(line) > COLUMNS for line in page):
                found.append(f"{path}: page {number} has {len(page)} lines, {max(map(wcswidth, page))} columns")
            marker = w._("Page {page} of {pages}").format(page=number, pages=len(pages))
            if len(pages) > 1 and page[-1] != marker:
                found.append(f"{path}: page {number} does not end with {marker!r}")
        if len(pages) == 1 and re.search(squeezed(w._("Page {page} of {pages}")).replace("{page}", r"\d+").replace("{pages}", r"\d+"),
                                         squeezed(path.read_text(encoding="utf-8"))):
            found.append(f"{path}: one page that says it is one of several")
        if service is not None and len(pages) > 1:
            relative = path.relative_to(built.print_dir.parent).as_posix()
            if not any(f"notice: noticeboard {relative}: {len(pages)} pages" in p for p in built.problems):
                found.append(f"{path}: {len(pages)} pages and the build did not say so")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_every_notice_fits_its_pages_and_says_how_many_it_has(builds: dict[str, Built], name: str) -> None:
    assert pages_not_honest(builds[name]) == []


def repeated_numbers(built: Built) -> list[str]:
    """A phone number printed more than once on a service's notice."""
    found = []
    for _, w, path, service in notices(built):
        if service is None:
            continue
        text = squeezed(path.read_text(encoding="utf-8"))
        numbers = {w.phone(n).shown for n in [contact_phone(built.catalogue, service), *(c.phone for c in service.channels)] if n}
        found += [f"{path}: {number} {text.count(squeezed(number))} times" for number in numbers
                  if text.count(squeezed(number)) > 1]
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_no_number_is_repeated_on_a_notice(builds: dict[str, Built], name: str) -> None:
    assert repeated_numbers(builds[name]) == []


def first_part(text: str) -> str:
    """A text's first sentence, or its first clause before a semicolon: what a notice that shortens keeps."""
    return re.split(r"(?<=[。！？])|(?<=[.!?])\s|[；;]", text)[0].strip()


def unbulleted_items(built: Built) -> list[str]:
    """An English item of who can apply or what to bring that does not start a line of its own with '- '."""
    found = []
    for lang, w, path, service in notices(built):
        if service is None or not lang.startswith("en"):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        items = []
        for i, line in enumerate(lines):
            if line.startswith("- "):
                rest = [line[2:]]
                for more in lines[i + 1:]:
                    if not more.startswith("  "):
                        break
                    rest.append(more)
                items.append(squeezed(" ".join(rest)))
        for item in w.items(service.eligibility) + w.items(service.documents):
            if not any(candidate.startswith(squeezed(first_part(item))) for candidate in items):
                found.append(f"{path}: {item!r} is not an item of its own")
    return found


@pytest.mark.parametrize("name", ["demo", "riverside"])
def test_english_items_are_bulleted(builds: dict[str, Built], name: str) -> None:
    assert unbulleted_items(builds[name]) == []


def test_the_demo_noticeboards_and_sms_build_without_a_warning(builds: dict[str, Built]) -> None:
    assert [p for p in builds["demo"].problems if ": warning: " in p] == []


# Text messages ------------------------------------------------------------------------------------------

def units(message: str) -> tuple[int, int]:
    try:
        return len(message.encode("gsm03.38")), 160
    except UnicodeEncodeError:
        return len(message.encode("utf-16-le")) // 2, 70


def plain(text: str) -> str:
    """Accents and case aside, for comparing a message folded to GSM with the catalogue's text."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch))


def sms_without_summary(built: Built, lang: str) -> list[str]:
    """A message that does not say what the service is (its summary, or the summary's first four words or
    more, cut at a word), or that leaves more than 40 % of its segment unused. An editor's own `sms` text is
    theirs."""
    found = []
    w = Words(built.catalogue, lang)
    for service in active(built.catalogue):
        if service.sms and service.sms.get(lang):
            continue
        message = (built.print_dir / "sms" / lang_path(lang) / f"{service.id}.txt").read_text(encoding="utf-8").rstrip("\n")
        summary = w.text(service.summary)
        after = plain(message.split(w.pgettext("after a label", ": "), 1)[-1])
        words = plain(summary).split()
        if not any(after.startswith(" ".join(words[:n]).rstrip(",;.")) for n in range(4, len(words) + 1)):
            found.append(f"{service.id}: {message!r} does not say what the service is")
        used, limit = units(message)
        if used < 0.6 * limit:
            found.append(f"{service.id}: {message!r} uses {used} of {limit}")
    return found


def test_english_sms_say_what_the_service_is_and_use_the_segment(builds: dict[str, Built]) -> None:
    assert sms_without_summary(builds["demo"], "en") == []
    assert sms_without_summary(builds["riverside"], "en") == []


def test_spanish_sms_keep_their_summary(builds: dict[str, Built]) -> None:
    built = builds["riverside"]
    assert sms_without_summary(built, "es") == []
    for path in (built.print_dir / "sms" / "es").glob("*.txt"):
        assert units(path.read_text(encoding="utf-8").rstrip("\n"))[1] == 160  # GSM: one segment of 160


def sms_wording(built: Built, lang: str) -> list[str]:
    """'Apply at' said of a service that is not an application; a capital after the colon where the language
    writes none (unless the summary starts with a name or an abbreviation)."""
    found = []
    w = Words(built.catalogue, lang)
    for service in active(built.catalogue):
        if service.sms and service.sms.get(lang):
            continue
        message = (built.print_dir / "sms" / lang_path(lang) / f"{service.id}.txt").read_text(encoding="utf-8")
        if "Apply at " in message:
            found.append(f"{service.id}: {message!r}")
        summary = w.text(service.summary).split()
        name_like = len(summary) > 1 and summary[1][:1].isupper() or summary[0].isupper()
        after = message.split(": ", 1)[-1]
        if after[:1].isupper() and not name_like and after.split()[0] == summary[0]:
            found.append(f"{service.id}: capital after the colon: {message!r}")
    return found


def test_sms_wording(builds: dict[str, Built]) -> None:
    assert sms_wording(builds["demo"], "en") == []
    assert sms_wording(builds["riverside"], "en") == []


def test_chinese_sms_keep_the_whole_summary_when_it_fits(builds: dict[str, Built]) -> None:
    built = builds["demo"]
    w = Words(built.catalogue, "zh-Hans")
    service = built.catalogue.by_id["services"]["farmland-protection-subsidy"]
    message = (built.print_dir / "sms" / "zh-hans" / f"{service.id}.txt").read_text(encoding="utf-8")
    assert w.text(service.summary) in message and units(message.rstrip("\n")) <= (70, 70)


def test_an_editors_own_sms_is_sent_as_written(tmp_path: Path) -> None:
    from generator.build import build as build_catalogue

    from .conftest import MINIMAL

    shutil.copytree(MINIMAL, tmp_path / "catalog")
    service = tmp_path / "catalog" / "services" / "farm-subsidy.yml"
    own = "Grain farmers: a yearly grant. Ask at the town hall, Mon-Fri."
    service.write_text(service.read_text(encoding="utf-8") + f"sms:\n  zh-Hans: 种粮农民每年领补贴。\n  en: \"{own}\"\n",
                       encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        build_catalogue(tmp_path / "catalog", tmp_path / "out", parts=("sms",))
    message = (tmp_path / "out" / "print" / "sms" / "en" / "farm-subsidy.txt").read_text(encoding="utf-8")
    assert message.rstrip("\n").endswith(own)


def test_gsm_plain_keeps_the_letters_gsm_has() -> None:
    from generator.plaintext import gsm_plain

    assert gsm_plain("Ayuda con las facturas de energía: según lo que ganó") == "Ayuda con las facturas de energia: segun lo que gano"
    assert gsm_plain("¿Qué? Niños, café") == "¿Qué? Niños, café"  # é, ñ, ¿ are in GSM 03.38: kept
    assert gsm_plain("种粮补贴 energía") == "种粮补贴 energía"  # Chinese: UCS-2 anyway, nothing changed
