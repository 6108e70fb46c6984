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
from generator.present import OFFLINE_CHANNELS, Words, contact_phone, online_only
from generator.render import lang_path
from generator.render.noticeboard import new_part, number_words

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
                lead = len(before) - len(before.lstrip()) + (2 if before.lstrip().startswith("- ") else 0)
                if len(after) - len(after.lstrip()) < lead:  # a line less indented than the item's text: a new one
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


def figures_cut_from_their_word(built: Built) -> list[str]:
    """A figure at the end of a line and its word at the start of the next ("The monthly amounts are 50" /
    "yuan for ages …"; "Qingshan Town Service Centre, 1" / "Qingshan Road"): a reader takes the line's end
    for the end of the thought."""
    found = []
    for _, _, path, _ in notices(built):
        for page in pages_of(path):
            for before, after in zip(page, page[1:]):
                words, tail = before.split(), after.lstrip()
                lead = len(before) - len(before.lstrip()) + (2 if before.lstrip().startswith("- ") else 0)
                goes_on = (len(after) - len(tail) == lead and not tail.startswith("- ") and not tail.endswith((":", "："))
                           and wcswidth(before) + 1 + wcswidth(first_word(tail)) > COLUMNS)  # a line wrapped there
                if (goes_on and words and re.fullmatch(r"[0-9]{1,4}(?:[.,][0-9]+)*", words[-1]) and tail[:1].isalpha()
                        and not re.fullmatch(r"(?:19|20)\d\d", words[-1])  # a year ends a date, or a line well
                        and not (len(words) > 1 and re.fullmatch(r"[\d()+-]+", words[-2]))):
                    found.append(f"{path}: {before!r} / {after!r}")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_no_figure_is_cut_from_its_word(builds: dict[str, Built], name: str) -> None:
    assert figures_cut_from_their_word(builds[name]) == []


def test_the_word_checks_can_fail() -> None:
    assert 4 not in _jieba_bounds("领高龄津贴")  # 领高龄津/贴
    assert 1 in _jieba_bounds("领高龄津贴")
    assert 3 not in set(line_break_boundaries("ཞིང་པར"))  # inside a Tibetan syllable
    assert 4 in set(line_break_boundaries("ཞིང་པར"))  # after the tsheg


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_no_word_or_number_is_split_across_noticeboard_lines(builds: dict[str, Built], name: str) -> None:
    assert split_words(builds[name]) == []
    assert split_numbers_and_dates(builds[name]) == []


def test_wrapping_keeps_chinese_words_whole() -> None:
    from generator.plaintext import wrap

    lines = wrap("本县户籍满80周岁的老人，每月可以领高龄津贴。", 40)
    assert lines == ["本县户籍满80周岁的老人，每月可以领", "高龄津贴。"]  # a public-service word kept whole
    assert all("社会保障卡" in line or "社" not in line for line in wrap("老人本人的社会保障卡或惠民惠农一卡通" * 2, 40))
    assert wrap("请找周六下午村代办员值班的时候去", 20)[0].endswith("村代办员")  # not 村代办|员 (plaintext.ZH_WORDS)
    assert wrap("中" * 30, 40) == ["中" * 20, "中" * 10]  # a "word" wider than a line is still broken


# Chinese punctuation and times --------------------------------------------------------------------------

HALF_WIDTH_NEAR_CHINESE = re.compile(rf"{HAN.pattern}\s*[()]|[()]\s*{HAN.pattern}|{HAN.pattern}\s*[:;,!?]|[;,!?]\s*{HAN.pattern}"
                                     r"|(?<=\S) +（|） +(?=\S)")  # a full-width bracket carries its own space: "¥400 （" is wrong


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


# What a clerk pins: the key fact, where each place is, nothing said twice, no sheet pinned for nothing ------

SENTENCES = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+")
PHONE_LIKE = re.compile(r"\d{5,}|\d[\d -]{6,}\d")


def figures(text: str) -> set[str]:
    """The figures of a text, years aside (2026 dates a rule; it is no fact to act on)."""
    return {f for f in re.findall(r"\d+(?:[.,]\d+)*", text) if not re.fullmatch(r"(?:19|20)\d\d", f)}


def missing_key_facts(built: Built) -> list[str]:
    """A service notice without its service's key fact: the description's first sentence with a figure (an amount,
    an age, a period) that nothing else on the notice gives (name, summary, who can apply, what to bring, cost),
    when that sentence has no phone number and takes three lines or less."""
    found = []
    for _, w, path, service in notices(built):
        if service is None or not w.translated(service.description):
            continue
        said = " ".join([w.text(service.name), w.text(service.summary), *w.items(service.eligibility),
                         *w.items(service.documents), w.cost(service), w.text(service.deadline) if service.deadline else ""])
        text = squeezed(path.read_text(encoding="utf-8"))
        plain = text.replace("（", "(").replace("）", ")")
        for paragraph in w.paragraphs(service.description):
            sentences = [sentence.strip() for sentence in SENTENCES.split(paragraph) if sentence.strip()]
            at = next((i for i, sentence in enumerate(sentences)
                       if not PHONE_LIKE.search(sentence) and figures(sentence) - figures(said)), None)
            if at is None:
                continue
            fact = sentences[at]
            if {word.strip(",.;:").lower() for word in fact.split()[:4]} & POINTING_BACK:
                # "In 2026 it is 160 yuan a month.": never alone; with the sentence it points to, if any
                if squeezed(fact) in plain and (at == 0 or squeezed(sentences[at - 1]) not in plain):
                    found.append(f"{path}: a key fact that points back, without the sentence before it ({fact!r})")
            elif wcswidth(fact) <= 3 * COLUMNS and squeezed(new_part(fact, figures(said))) not in plain:
                # the sentence, or its clauses that give a figure the notice does not (never one said again)
                found.append(f"{path}: no key fact ({fact!r})")
            break
    return found


POINTING_BACK = {"it", "they", "this", "these", "that", "those", "its", "their", "them"}


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_every_notice_gives_the_key_fact(builds: dict[str, Built], name: str) -> None:
    assert missing_key_facts(builds[name]) == []


def test_the_old_age_allowance_notice_gives_the_amounts(builds: dict[str, Built]) -> None:
    folder = builds["demo"].print_dir / "noticeboard"
    english = re.sub(r"\s+", " ", (folder / "en" / "elderly-allowance.txt").read_text(encoding="utf-8"))
    chinese = squeezed((folder / "zh-hans" / "elderly-allowance.txt").read_text(encoding="utf-8"))
    assert all(amount in english for amount in ("50 yuan", "200 yuan", "600 yuan")), english
    assert all(amount in chinese for amount in ("50元", "200元", "600元")), chinese


def places_without_address(built: Built) -> list[str]:
    """A place (office, village service point) on a service notice without its address: at least the address's
    first part that neither the place's name nor the issuer's says ("88 Renmin Road", "示例县城关镇人民路 88 号")."""
    directory, offices = built.catalogue.directory, built.catalogue.by_id["offices"]
    found = []
    for _, w, path, service in notices(built):
        if service is None:
            continue
        text = squeezed(path.read_text(encoding="utf-8")).replace("（", "(").replace("）", ")").lower()
        issuer = w.text(directory.publisher.name if directory.publisher else directory.name)
        for office_id in dict.fromkeys(c.office for c in service.channels if c.office and c.type in OFFLINE_CHANNELS):
            office = offices[office_id]
            parts = [part for part in w.text(office.address).split(", ") if part.split(" (")[0] not in issuer + w.text(office.name)]
            shown = squeezed(parts[0] if parts else w.text(office.address)).replace("（", "(").replace("）", ")").lower()
            if shown.split("(")[0] not in text:
                found.append(f"{path}: {w.text(office.name)!r} without its address ({w.text(office.address)!r})")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_every_place_has_its_address(builds: dict[str, Built], name: str) -> None:
    assert places_without_address(builds[name]) == []


LITTLE_WORDS = frozenset("a an the is are on at in of to and or for by with".split())
TIME_RANGE = re.compile(r"\d{1,2}:\d\d")


def _note_words(text: str, lang: str) -> list[str]:
    if lang.startswith("zh"):
        return [word for word in _jieba_words(text) if re.fullmatch(r"[^\W\d_]+", word)]
    return [word for word in re.findall(r"[^\W\d_]+", text.lower()) if word not in LITTLE_WORDS]


def said_twice(built: Built) -> list[str]:
    """Within one place of a service notice (a '- ' item and the lines under it): the same opening hours twice
    (two ways there with the same hours, each labelled), or a note that says only what the item's name and its
    hours say ("Saturday afternoon: the village agent is on duty" under "Village agent at …", "Sat, 14:00–17:00"):
    fewer than a third of its words are not day names, parts of the day or words of the item's name."""
    found = []
    for lang, w, path, service in notices(built):
        if service is None:
            continue
        locale = Locale.parse(lang, sep="-")
        days = {word.lower() for width in ("wide", "abbreviated", "short") for name in locale.days["format"][width].values()
                for word in _note_words(name, lang)}
        parts = {word for name in [*dict(locale.day_periods["format"]["wide"]).values(), "上午", "下午", "晚上", "中午",
                                   "早上", "凌晨"] for word in _note_words(name, lang)}
        labels = [w.channel(kind) + w.pgettext("after a label", ": ") for kind in sorted(OFFLINE_CHANNELS)]
        lines = [line for page in pages_of(path) for line in page]
        for i, line in enumerate(lines):
            if not line.lstrip().startswith("- "):
                continue
            depth = len(line) - len(line.lstrip()) + 2
            item = [line]
            for more in lines[i + 1:]:
                if len(more) - len(more.lstrip()) < depth or more.lstrip().startswith("- "):
                    break
                item.append(more)
            name = item[0] + (item[1] if len(item) > 1 and not TIME_RANGE.search(item[1]) else "")
            ways: list[tuple[str, ...]] = [()]  # the hours of each way there, a label starting each
            for text in item[1:]:
                body = text.strip()
                for label in labels:
                    if body.startswith(label):
                        body = body[len(label):]
                        ways.append(())
                if TIME_RANGE.search(body):
                    ways[-1] += (body,)
                else:
                    words = [word for word in _note_words(body, lang) if word not in days | parts]
                    known = set(_note_words(name, lang))
                    if words and len(days & set(_note_words(body, lang))) and 3 * len([x for x in words if x not in known]) < len(
                            _note_words(body, lang)):
                        found.append(f"{path}: {body!r} repeats {item[0].strip()!r}")
            found += [f"{path}: {item[0].strip()!r} gives {hours!r} twice" for hours in set(ways) if hours and ways.count(hours) > 1]
    return found


@pytest.mark.parametrize("name", ["demo", "riverside"])
def test_nothing_is_said_twice_about_a_place(builds: dict[str, Built], name: str) -> None:
    assert said_twice(builds[name]) == []


def pages_without_context(built: Built) -> list[str]:
    """A page after the first that does not begin by saying what it is a page of (the service's headline, or its
    first line as a running head ending in "…"; in an area notice a service point's title), and a last page with
    fewer than 8 lines of its own besides those and its page line ("Phone: 12345 / Information checked on … /
    Issued by …" alone on a sheet)."""
    found = []
    for _, w, path, service in notices(built):
        pages = pages_of(path)
        if len(pages) < 2:
            continue
        offices = [o for o in built.catalogue.offices if service is None and f"area-{o.area}" == path.stem]
        titles = [squeezed(w.text(service.name))] if service else [
            squeezed(w._("Services at {place}").format(place=w.text(o.name))) for o in offices]
        for number, page in enumerate(pages[1:], 2):
            head = 0
            while head < len(page) - 1 and any(title.startswith(squeezed("".join(page[:head + 1])).rstrip("…"))
                                               for title in titles):
                head += 1
            if not head:
                found.append(f"{path}: page {number} starts with {page[0]!r}, not saying what it is a page of")
            if number == len(pages) and len(page) - head - 1 < 8:
                found.append(f"{path}: the last page holds {len(page) - head - 1} lines")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_no_sheet_is_pinned_for_nothing_and_each_says_what_it_is(builds: dict[str, Built], name: str) -> None:
    assert pages_without_context(builds[name]) == []


def unclear_area_lines(built: Built) -> list[str]:
    """An area notice that gives the directory's help line as a bare "Phone: 12345" after the last service point
    (it reads as that point's number), or a service point's access note without its label (it reads as more
    opening hours)."""
    found = []
    feedback = built.catalogue.directory.feedback.get("phone")
    for _, w, path, service in notices(built):
        if service is not None:
            continue
        text = squeezed(path.read_text(encoding="utf-8"))
        if feedback and squeezed(w._("For help with any of these, call {phone}.").format(phone=w.phone(feedback).shown)) not in text:
            found.append(f"{path}: the help line does not say what it is for")
        for office in (o for o in built.catalogue.offices if f"area-{o.area}" == path.stem and o.accessibility):
            label = w.pgettext("accessibility", "Access") + w.pgettext("after a label", ": ")
            if squeezed(label + w.text(office.accessibility)) not in text:
                found.append(f"{path}: {w.text(office.name)!r}: access note without its label")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_area_notices_say_what_each_line_is(builds: dict[str, Built], name: str) -> None:
    assert unclear_area_lines(builds[name]) == []


def test_the_rules_behind_the_notices() -> None:
    from generator.build import load_catalogue
    from generator.model import Hours
    from generator.render.noticeboard import Layout, address, paged, running_head, says_only_when

    catalogue = load_catalogue(ROOT / "catalog")[0]
    en, zh = Words(catalogue, "en"), Words(catalogue, "zh-Hans")
    saturday = Hours(("sat",), "14:00", "17:00")
    agent = "Village agent at Baishui Village Service Point Through your village agent"
    assert says_only_when(en, "Saturday afternoon: the village agent is on duty", agent, saturday)
    assert not says_only_when(en, "Saturday afternoon: the village agent is on duty", "Open:", saturday)
    assert not says_only_when(en, "Saturday: household registration, social and health insurance only", agent, saturday)
    assert says_only_when(zh, "周六下午村代办员值班", "村代办员（白水村便民服务站） 村代办员帮办", saturday)
    assert not says_only_when(zh, "周六只办理户籍、社保和医保业务", "村代办员（白水村便民服务站） 村代办员帮办", saturday)
    offices = catalogue.by_id["offices"]
    assert address(catalogue, en, offices["county-service-centre"], brief=True) == "88 Renmin Road, Chengguan Town"
    assert address(catalogue, en, offices["qingshan-health-centre"], brief=True) == "3 Weisheng Road"
    assert address(catalogue, en, offices["qingshan-town-service-centre"], brief=True) == "1 Qingshan Road (ground floor of the town hall)"
    assert address(catalogue, en, offices["county-service-centre"], brief=False) == "88 Renmin Road, Chengguan Town, Example County"
    assert address(catalogue, zh, offices["county-service-centre"], brief=True) == "示例县城关镇人民路 88 号"  # no commas: whole
    assert running_head(["Old-age allowance for people aged 80 and", "over"]) == "Old-age allowance for people aged 80…"
    assert Layout().brief is False
    # 29 one-line items and a footer: two pages, the second not the footer alone
    blocks = [["Title"]] + [[f"- item {n}"] for n in range(29)] + [["Phone: 12345"], ["Issued by X"]]
    lines = paged(blocks, en, ["Title"])
    pages = "\n".join(lines).split("\n\f\n")
    assert len(pages) == 2 and len(pages[1].split("\n")) - 2 >= 8, pages


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


def unsigned(built: Built, w: Words, message: str) -> str:
    """A message without the signature before it."""
    signature = w.text(built.catalogue.directory.sms_signature) if built.catalogue.directory.sms_signature else ""
    return message[len(signature):].lstrip() if signature and message.startswith(signature) else message


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
        after = plain(unsigned(built, w, message))
        name = plain(w.text(service.name)) + plain(w.pgettext("after a label", ": "))
        after = after[len(name):] if after.startswith(name) else after  # the summary alone where it says the name
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
    writes none (unless the summary starts with a name or an abbreviation); the name said twice, before the colon
    and as the summary's first words ("Apply for a disability certificate: apply for a disability certificate to
    get …": 35 characters of a segment of 160 spent on saying it again)."""
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
        body, name = unsigned(built, w, message), w.text(service.name) + ": "
        after = body[len(name):] if body.startswith(name) else ""
        if after[:1].isupper() and not name_like and after.split()[0] == summary[0]:
            found.append(f"{service.id}: capital after the colon: {message!r}")
        if after.lower().startswith(w.text(service.name).lower()):
            found.append(f"{service.id}: the name said twice: {message!r}")
    return found


def test_sms_wording(builds: dict[str, Built]) -> None:
    assert sms_wording(builds["demo"], "en") == []
    assert sms_wording(builds["riverside"], "en") == []


def test_chinese_sms_say_the_name_once(builds: dict[str, Built]) -> None:
    built = builds["demo"]
    w = Words(built.catalogue, "zh-Hans")
    twice = []
    for service in active(built.catalogue):
        message = (built.print_dir / "sms" / "zh-hans" / f"{service.id}.txt").read_text(encoding="utf-8")
        if message.count(w.text(service.name)) > 1 and not (service.sms and service.sms.get("zh-Hans")):
            twice.append(message)
    assert twice == []  # 【示例县】领取出生医学证明：孩子出生后，在接生的医院或卫生院领取出生医学证明。…


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


# Review of 2026-12: deadlines, figures kept with their words, phone lines said as what they are -----------

def missing_deadlines(built: Built) -> list[str]:
    """A service notice without its service's deadline (the farm machinery board never said "Apply by 20
    December"; the unemployment benefit board left out its 60 days)."""
    found = []
    for _, w, path, service in notices(built):
        if service is None or not service.deadline or not w.translated(service.deadline):
            continue
        if squeezed(w.text(service.deadline)) not in squeezed(path.read_text(encoding="utf-8")):
            found.append(f"{path}: no deadline ({w.text(service.deadline)!r})")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_every_notice_gives_the_deadline(builds: dict[str, Built], name: str) -> None:
    assert missing_deadlines(builds[name]) == []


def chinese_figures_cut_from_their_word(built: Built) -> list[str]:
    """A Chinese line that ends with a figure and goes on with its word on the next ("每人最多30" / "万元"; "有效期从90"
    / "天到5年不等"; "不满16" / "周岁")."""
    found = []
    for lang, _, path, _ in notices(built):
        if not lang.startswith("zh"):
            continue
        for page in pages_of(path):
            for before, after in zip(page, page[1:]):
                tail = after.lstrip()
                lead = len(before) - len(before.lstrip()) + (2 if before.lstrip().startswith("- ") else 0)
                wrapped = wcswidth(before) + wcswidth(first_word(tail)) > COLUMNS  # its word did not fit there
                if (wrapped and len(after) - len(tail) == lead and not tail.startswith("- ") and re.search(r"\d$", before)
                        and HAN.match(tail) and not re.search(r"(?:19|20)\d\d$|\d{5,}$|\d{4} \d{4}$", before)):
                    found.append(f"{path}: {before!r} / {after!r}")
    return found


@pytest.mark.parametrize("name", ["demo", "ug-bo"])
def test_no_chinese_figure_is_cut_from_its_word(builds: dict[str, Built], name: str) -> None:
    assert chinese_figures_cut_from_their_word(builds[name]) == []


def misleading_way_labels(built: Built) -> list[str]:
    """A phone line labelled as a way to get the service ("By phone: 12333", "电话办理：12333") on the notice of a
    service that has other ways: the catalogue cannot say a call does the service. An online-only service's notice
    saying "What to bring:" where there is nowhere to bring anything."""
    found = []
    for lang, w, path, service in notices(built):
        if service is None:
            continue
        text = path.read_text(encoding="utf-8")
        label = str(w.channel("phone")) + str(w.pgettext("after a label", ": "))
        if not all(c.type == "phone" for c in service.channels) and f"- {label}" in text:
            found.append(f"{path}: {label!r}")
        needs = w._("What you need:")
        if online_only(service.channels) and needs.lang is None and str(w._("What to bring:")) in text:
            found.append(f"{path}: 'What to bring:' with nowhere to go")
    return found


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_phone_lines_are_not_said_to_do_the_service(builds: dict[str, Built], name: str) -> None:
    assert misleading_way_labels(builds[name]) == []


def test_figures_keep_their_word_and_the_key_fact_only_what_is_new() -> None:
    assert "30万元" in number_words("每人最多30万元，总额可以更高")
    assert "16周岁" in number_words("不满16周岁的5年")
    assert not number_words("Apply by 20 December")
    assert new_part("个人创业最多可以贷30万元；几个人合伙创业的，每人最多30万元，总额可以更高；小微企业最多可以贷400万元。",
                    {"30"}) == "小微企业最多可以贷400万元。"
    assert new_part("每年6月统一网上报名，7月中旬公布结果。", {"6"}) == "7月中旬公布结果。"
    assert new_part("每月标准：80到89周岁50元，90到99周岁200元。", {"80"}) == "每月标准：80到89周岁50元，90到99周岁200元。"


def repeated_facts(built: Built) -> list[str]:
    """A Chinese notice whose first paragraph (the summary and the key fact) says a clause with figures again: each
    of the clause's figures was in an earlier sentence ("个人最高30万元。个人创业最多可以贷30万元"; "每年6月在网上报名…。
    每年6月统一网上报名")."""
    found = []
    for lang, w, path, service in notices(built):
        if service is None or not lang.startswith("zh"):
            continue
        labels = tuple(str(label).rstrip(": ：") for label in (w._("Deadline"), w._("Who can apply:"), w._("What to bring:"),
                                                                 w._("What you need:"), w._("Where and when:"), w._("Cost: ")))
        lines = path.read_text(encoding="utf-8").split("\n")[1:]
        end = next((i for i, line in enumerate(lines) if not line.strip() or line.startswith(labels)), len(lines))
        sentences = [s for s in re.split(r"(?<=[。！？])", "".join(lines[:end])) if s]
        for at, sentence in enumerate(sentences[1:], 1):
            earlier = figures("".join(sentences[:at]))
            for clause in re.split(r"[；，]", sentence):
                if figures(clause) and figures(clause) <= earlier:
                    found.append(f"{path}: {clause!r} says again what {''.join(sentences[:at])!r} says")
    return found


@pytest.mark.parametrize("name", ["demo", "ug-bo"])
def test_the_key_fact_does_not_say_the_summary_again(builds: dict[str, Built], name: str) -> None:
    assert repeated_facts(builds[name]) == []


def sms_names_said_again(built: Built, lang: str) -> list[str]:
    """A message whose name before the colon is said again, in other words, by the summary after it: three in
    five of the name's words of four letters or more are in the summary ("Confirm you can still get your pension
    (yearly check): confirm once a year that you can still get your pension.")."""
    found = []
    w = Words(built.catalogue, lang)
    for service in active(built.catalogue):
        if service.sms and service.sms.get(lang):
            continue
        message = unsigned(built, w, (built.print_dir / "sms" / lang_path(lang) / f"{service.id}.txt").read_text(encoding="utf-8"))
        name = w.text(service.name) + ": "
        if not message.startswith(name):
            continue
        words = [word for word in re.findall(r"[a-z]+", name.lower())
                 if len(word) > 3 and word not in {"your", "their", "with", "from", "that", "this", "when", "have"}]
        after = set(re.findall(r"[a-z]+", message[len(name):].lower()))
        if len(words) >= 2 and 5 * sum(word in after or word.rstrip("s") in after for word in words) >= 3 * len(words):
            found.append(f"{service.id}: {message!r}")
    return found


def test_the_rule_for_a_name_said_again_in_other_words() -> None:
    """sms.repeats_name(), ready for the messages once tests/test_scripts.py accepts a message without the name
    (it asserts the name is in every message made by rule): see the report of the review of 2026-12."""
    from generator.render.sms import repeats_name

    assert repeats_name("Register a death and cancel the household registration",
                        "cancel the household registration of a person who has died.", "en")
    assert repeats_name("Confirm you can still get your pension (yearly check)",
                        "confirm once a year that you can still get your pension.", "en")
    assert not repeats_name("Old-age allowance for people aged 80 and over",
                            "if you are 80 or over and registered in the county, you can get a monthly allowance.", "en")
    assert not repeats_name("Register your marriage", "go to the marriage registry together with your ID cards.", "en")
    # Chinese: jieba's words, or three characters in a row ("驾驶证期满换证" and "驾驶证到期前90天内换证")
    assert repeats_name("驾驶证期满换证", "驾驶证到期前90天内换证，手机上就能办，新证寄到家。", "zh-Hans")
    assert not repeats_name("户口迁移", "搬家后把户口迁到新住址，从外省迁来只需在本县办一次。", "zh-Hans")
    # English: the bracketed part aside, unless the summary says it ("… on the County Jobs Platform")
    assert repeats_name("Find a job or staff online (County Jobs Platform)",
                        "search jobs and apply for free on the County Jobs Platform.", "en")
    assert not repeats_name("Vehicle inspection (annual check)", "get your vehicle checked on time.", "en")


def test_sms_use_spare_room_for_the_key_fact_or_the_deadline(builds: dict[str, Built]) -> None:
    """Where the whole summary leaves room, the key fact or the deadline goes after it, whole (never one the
    message already says: "家人去世后一个月内…" and the deadline "去世后一个月内"); where it does not, nothing else goes."""
    from generator.render import environment
    from generator.render.sms import facts, message

    catalogue = builds["demo"].catalogue
    template = environment("scripts", html=False).get_template("sms.txt")
    machinery = catalogue.by_id["services"]["agricultural-machinery-subsidy"]
    w = Words(catalogue, "en")
    assert "Deadline: Apply by 20 December of the year you buy the machine." in facts(catalogue, machinery, w, "")
    short = dataclasses.replace(machinery, summary={"en": "Get a subsidy for a farm machine.", "zh-Hans": "买农机可以领补贴。"})
    assert "Apply by 20 December" not in message(catalogue, short, w, template)[0]  # 181 characters: it does not fit
    food = catalogue.by_id["services"]["food-business-licence"]
    food = dataclasses.replace(food, summary={**food.summary, "en": "To sell food."})
    assert "The licence lasts 5 years." in message(catalogue, food, w, template)[0]
    assert "12月20日前申请" in message(catalogue, short, Words(catalogue, "zh-Hans"), template)[0]
    death = catalogue.by_id["services"]["death-registration"]
    zh = Words(catalogue, "zh-Hans")
    assert not any("办理期限" in fact for fact in facts(catalogue, death, zh, zh.text(death.name) + zh.text(death.summary)))
    for path in (builds["demo"].print_dir / "sms").glob("*/*.txt"):
        units_used, limit = units(path.read_text(encoding="utf-8").rstrip("\n"))
        assert units_used <= limit


# An older farmer's reading: online services, the figure that matters, the name said once ---------------------

def rule_made(built: Built, lang: str) -> Iterator[tuple[Service, str]]:
    """Each active service whose message is made by rule (no editor's `sms` in this language), with the message."""
    for service in active(built.catalogue):
        if not (service.sms and service.sms.get(lang)):
            yield service, (built.print_dir / "sms" / lang_path(lang) / f"{service.id}.txt").read_text(encoding="utf-8")


def test_sms_send_no_one_to_an_office_for_what_is_done_online(builds: dict[str, Built]) -> None:
    """A service done online (its first channel a website or an app, or its summary saying "online" / 网上 / 手机上
    with such a channel) gives the village agent or the phone, never a visit: not "每年5月在网上…报名…。请到示例县政务服务中心
    办理"; the visit stays only where there is no online channel."""
    from generator.render.sms import done_online

    found = []
    for lang in ("en", "zh-Hans"):
        w = Words(builds["demo"].catalogue, lang)
        go = str(w._("Go to {place} or call {phone}.")).split("{place}")[0]
        for service, text in rule_made(builds["demo"], lang):
            online = any(c.type in ("online", "mobile-app") for c in service.channels)
            if online and go in text:
                found.append(f"{service.id} {lang}: {text!r}")
            # the village agent stays: an agent also does online services for people who are not online
            if done_online(service, w.text(service.summary)) and go in text:
                found.append(f"{service.id} {lang}: {text!r}")
    assert found == []
    minimum = (builds["demo"].print_dir / "sms" / "zh-hans" / "minimum-living-allowance.txt").read_text(encoding="utf-8")
    assert "可找村代办员办理" in minimum or "请到" in minimum or "请打" in minimum  # no online channel: unchanged rule


def test_sms_say_a_short_deadline_instead_of_a_clause_without_a_figure(builds: dict[str, Built]) -> None:
    """A summary without a figure gives way, a clause at a time, to a short deadline that has one: "买了补贴目录里的农机，
    可以申请补贴。办理期限：买机当年12月20日前申请。" rather than "…，钱直接打到您的账户。"."""
    from generator.render.sms import clause_cuts

    permit = (builds["demo"].print_dir / "sms" / "zh-hans" / "foreign-work-permit.txt").read_text(encoding="utf-8")
    assert "办理期限：外国人入境后15天内申请工作许可证" in permit, permit
    assert clause_cuts("买了补贴目录里的农机，可以申请补贴，钱直接打到您的账户。", "zh-Hans") == ["买了补贴目录里的农机，可以申请补贴。"]
    assert clause_cuts("交过失业保险、不是自己辞职而失业的，可以按月领失业保险金。", "zh-Hans") == []  # one clause would stay
    assert clause_cuts("每亩约110元，打到一卡通，每年一次。", "zh-Hans") == ["每亩约110元，打到一卡通。"]
    assert clause_cuts("打到一卡通，一卡通，每亩约110元。", "zh-Hans") == []  # the last clause has the figure


def test_sms_say_the_name_once_in_other_words(builds: dict[str, Built]) -> None:
    """The name before the colon is not said again by the summary after it: not "驾驶证期满换证：驾驶证到期前90天内换证",
    not "Find a job or staff online (County Jobs Platform): … on the County Jobs Platform"."""
    assert sms_names_said_again(builds["demo"], "en") == []
    driving = (builds["demo"].print_dir / "sms" / "zh-hans" / "driving-licence-renewal.txt").read_text(encoding="utf-8")
    assert "驾驶证期满换证" not in driving and "驾驶证到期前90天内换证" in driving
    jobs = (builds["demo"].print_dir / "sms" / "en" / "online-job-matching.txt").read_text(encoding="utf-8")
    assert jobs.count("County Jobs Platform") == 1, jobs
