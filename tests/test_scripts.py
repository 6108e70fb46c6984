"""Radio scripts, noticeboard texts and SMS, checked file by file on a real build of the demo county: read
back and compared with the catalogue, with rules counted here independently of the code that wrote them."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import gsm0338  # noqa: F401  (the "gsm03.38" codec)
import pytest
from wcwidth import wcswidth

from generator.build import build, load_catalogue
from generator.model import Catalogue, Service
from generator.present import Words, contact_phone
from generator.render.sms import repeats_name

from .conftest import MINIMAL, ROOT, TODAY, servicedir

LANGS = {"zh-hans": "zh-Hans", "en": "en"}
ZH_DIGIT = {"零": "0", "幺": "1", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6",
            "七": "7", "八": "8", "九": "9"}
EN_DIGIT = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine".split())}
TIME_RANGE = re.compile(r"(\d\d:\d\d)–(\d\d:\d\d)")


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalogue, list[str]]:
    out = tmp_path_factory.mktemp("scripts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(ROOT / "catalog", out, parts=("radio", "noticeboard", "sms"))
        catalogue, _ = load_catalogue(ROOT / "catalog")
    return out / "print", catalogue, [str(p) for p in result.problems]


def services(catalogue: Catalogue) -> list[Service]:
    return [s for s in catalogue.services if s.status != "withdrawn"]


def spoken_numbers(line: str, lang: str) -> list[str]:
    """Every number said digit by digit in a line, as digits ('零五七九，八幺二零' -> '05798120')."""
    if lang == "zh-Hans":
        runs = re.findall(r"[零幺一二三四五六七八九](?:，?[零幺一二三四五六七八九])*", line)
        return ["".join(ZH_DIGIT[ch] for ch in run if ch in ZH_DIGIT) for run in runs]
    words = "|".join(EN_DIGIT)
    runs = re.findall(rf"\b(?:{words})(?:,? (?:{words}))*\b", line)
    return ["".join(EN_DIGIT[w] for w in re.findall(words, run)) for run in runs]


def pieces(text: str) -> list[tuple[str, list[str]]]:
    """A radio file's pieces: each timing header with the lines read on air under it."""
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if re.match(r"# .*(estimated|估计)", line):
            out.append((line, []))
        elif line and not line.startswith("#"):
            assert out, f"a line read on air before any timing header: {line}"
            out[-1][1].append(line)
    return out


def test_every_file_is_utf8_with_unix_lines_and_a_final_newline(scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, catalogue, _ = scripts
    files = sorted(p for family in ("radio", "noticeboard", "sms") for p in (print_dir / family).rglob("*.txt"))
    per_lang = len(services(catalogue))
    assert len(files) == 2 * (per_lang + len(catalogue.life_events)) + 2 * (per_lang + len({o.area for o in catalogue.offices})) + 2 * per_lang
    for path in files:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n") and not raw.endswith(b"\n\n"), path
        text = raw.decode("utf-8")
        assert all(line == line.rstrip() for line in text.splitlines()), path


def test_radio_lines_read_on_air_have_no_digit_url_email_or_symbol(scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, _, _ = scripts
    files = sorted((print_dir / "radio").rglob("*.txt"))
    assert files
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line:
                continue
            assert not re.search(r"[0-9０-９]", line), f"{path}: {line}"
            assert not re.search(r"https?://|www\.|@|\.(org|com|cn)\b", line), f"{path}: {line}"
            assert not re.search(r"[%/¥￥$€()\[\]（）【】《》<>#*&+=]", line), f"{path}: {line}"


def test_radio_sentences_are_short(scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, _, _ = scripts
    for folder, lang in LANGS.items():
        for path in sorted((print_dir / "radio" / folder).glob("*.txt")):
            for line in (l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")):
                for sentence in re.split(r"(?<=[。！？.!?])\s*", line):
                    if lang == "zh-Hans":
                        assert len(re.findall(r"[\u4e00-\u9fff]", sentence)) <= 25, f"{path}: {sentence}"
                    else:
                        assert len(sentence.split()) <= 20, f"{path}: {sentence}"


def reading_seconds(lines: list[str], lang: str) -> float:
    text = " ".join(lines)
    if lang == "zh-Hans":
        return len(re.findall(r"[\u4e00-\u9fff]", text)) * 60 / 200
    return len(text.split()) * 60 / 160


def test_each_service_has_a_30_second_spot_and_a_60_second_one_where_there_is_enough_to_say_with_the_number_twice(
        scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, catalogue, _ = scripts
    for folder, lang in LANGS.items():
        w = Words(catalogue, lang)
        for service in services(catalogue):
            text = (print_dir / "radio" / folder / f"{service.id}.txt").read_text(encoding="utf-8")
            found = pieces(text)
            seconds = [re.search(r"(\d+)(?:-second| s|秒)", header).group(1) for header, _ in found]
            assert seconds in (["30", "60"], ["30"]), text
            if seconds == ["30"]:  # a 60-second spot that would not fill 80 % of its time is not made, and the file says so
                assert re.search(r"^# .*(60-second|60秒)", text, re.M), text
            first = service.channels[0] if service.channels else None
            sms = first if first and first.type == "sms" and first.number and first.keyword else None
            number = sms.number if sms else w.phone(contact_phone(catalogue, service)).digits  # the number to act on
            for header, lines in found:
                target = int(re.search(r"(\d+)", header).group(1))
                estimate = reading_seconds(lines, lang)
                assert estimate <= target, f"{service.id} {lang}: {estimate:.0f} s for a {target} s spot"
                assert target == 30 or estimate >= 0.8 * target, f"{service.id} {lang}: {estimate:.0f} s for a {target} s spot"
                printed = int(re.search(r"(?:estimated|估计)\s*(\d+)", header).group(1))
                assert abs(printed - estimate) <= 1.5, (header, estimate)
                said = [n for line in lines for n in spoken_numbers(line, lang) if n == number]
                assert len(said) == 2, f"{service.id} {lang}: the number to act on said {len(said)} times"
                assert spoken_numbers(lines[-1], lang)[-1] == number  # the second time at the very end


def test_each_life_event_has_a_segment_of_about_three_minutes_at_most(scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, catalogue, _ = scripts
    for folder, lang in LANGS.items():
        hotline = Words(catalogue, lang).phone(catalogue.directory.feedback["phone"]).digits
        for event in catalogue.life_events:
            found = pieces((print_dir / "radio" / folder / f"life-event-{event.id}.txt").read_text(encoding="utf-8"))
            assert len(found) == 1
            _, lines = found[0]
            assert reading_seconds(lines, lang) <= 210
            said = [n for line in lines for n in spoken_numbers(line, lang) if n == hotline]
            assert len(said) == 2 and spoken_numbers(lines[-1], lang)[-1] == hotline
            steps = [line for line in lines if re.match(r"(Step \w+:|第.步：)", line)]
            assert len(steps) == len(event.steps), (event.id, steps)  # the journey's steps, in order
            for line, step in zip(steps, event.steps):
                title = Words(catalogue, lang).text(step.title)
                for words in re.split(r"\d+", title.rstrip("。.")):  # digits are said in words on air
                    assert words.strip() in line, (event.id, title)


def hours_of(catalogue: Catalogue, service: Service) -> dict[str, set[tuple[str, str]]]:
    """Each office the service is offered at (by id), with the opening periods of its ways there."""
    out: dict[str, set[tuple[str, str]]] = {}
    for c in service.channels:
        if c.office:
            office = catalogue.by_id["offices"][c.office]
            out.setdefault(c.office, set()).update((h.opens, h.closes) for h in (c.hours or office.hours))
    return out


ZH_CLOCK = r"(凌晨|早上|上午|中午|下午|晚上)?(\d{1,2}):(\d\d)"


def board_times(text: str, lang: str) -> set[tuple[str, str]]:
    """Opening periods as a board writes them, in 24 hours: 08:30–12:00; in Chinese 上午8:30-12:00 or
    上午8:30-下午5:00 (the end takes the start's part of the day when it has none of its own)."""
    if not lang.startswith("zh"):
        return set(TIME_RANGE.findall(text))

    def hhmm(part: str, hours: str, minutes: str) -> str:
        return f"{int(hours) + (12 if part in ('下午', '晚上') and int(hours) < 12 else 0):02d}:{minutes}"

    out = set()
    for m in re.finditer(rf"{ZH_CLOCK}-{ZH_CLOCK}", re.sub(r"\s+", "", text)):
        start = hhmm(m.group(1) or "", m.group(2), m.group(3))
        end = hhmm(m.group(4) or m.group(1) or "", m.group(5), m.group(6))
        out.add((start, "24:00" if (m.group(4), end) == ("晚上", "12:00") else end))
    return out


def test_noticeboards_fit_40_columns_and_agree_with_the_catalogue(scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, catalogue, problems = scripts
    for folder, lang in LANGS.items():
        w = Words(catalogue, lang)
        for service in services(catalogue):
            path = print_dir / "noticeboard" / folder / f"{service.id}.txt"
            text = path.read_text(encoding="utf-8")
            pages = text.rstrip("\n").split("\n\f\n")  # a form feed on its own line between pages
            lines = [line for page in pages for line in page.split("\n")]
            assert all(wcswidth(line) <= 40 for line in lines), [l for l in lines if wcswidth(l) > 40]
            squeezed = re.sub(r"\s+", "", text)
            assert squeezed.startswith(re.sub(r"\s+", "", w.text(service.name)))  # headline first
            for number, page in enumerate(pages, 1):  # each page fits; several pages say so, and the build too
                assert len(page.split("\n")) <= 30, (path, number)
                if len(pages) > 1:
                    assert page.split("\n")[-1] == w._("Page {page} of {pages}").format(page=number, pages=len(pages))
            if len(pages) > 1:
                assert any(f"notice: noticeboard print/noticeboard/{folder}/{service.id}.txt: {len(pages)} pages" in p
                           for p in problems), f"{path}: {len(pages)} pages and no notice"
            assert w.phone(contact_phone(catalogue, service)).shown in text
            checked = w._("Information checked on {date}").format(date=w.date(service.last_reviewed, "long"))
            assert re.sub(r"\s+", "", checked) in squeezed
            shown = board_times(text, lang)
            expected = hours_of(catalogue, service)
            assert shown <= set().union(*expected.values()) | {
                (h.opens, h.closes) for c in service.channels if not c.office for h in c.hours}, path
            for office_id, periods in expected.items():  # every place is on the notice, with all its hours
                name = w.text(catalogue.by_id["offices"][office_id].name)
                assert re.sub(r"\s+", "", name) in squeezed, (path, name)
                assert periods - {("00:00", "24:00")} <= shown, (path, name)


def test_area_notices_list_what_each_service_point_offers(scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, catalogue, _ = scripts
    for folder, lang in LANGS.items():
        w = Words(catalogue, lang)
        for area in {o.area for o in catalogue.offices}:
            text = (print_dir / "noticeboard" / folder / f"area-{area}.txt").read_text(encoding="utf-8")
            lines = text.splitlines()
            assert all(wcswidth(line) <= 40 for line in lines)
            joined = re.sub(r"\s+", " ", " ".join(lines))
            squeezed = re.sub(r"\s+", "", text)
            for office in (o for o in catalogue.offices if o.area == area):
                assert re.sub(r"\s+", "", w.text(office.name)) in squeezed
                assert {(h.opens, h.closes) for h in office.hours} <= board_times(text, lang)
                for service in services(catalogue):
                    if any(c.office == office.id for c in service.channels):
                        assert w.text(service.name) in joined or re.sub(r"\s+", "", w.text(service.name)) in squeezed, (area, service.id)


def one_segment(text: str) -> bool:
    """GSM 03.38 (160 septets, extension characters two) if every character is in it, else UCS-2 (70)."""
    try:
        return len(text.encode("gsm03.38")) <= 160
    except UnicodeEncodeError:
        return len(text.encode("utf-16-le")) // 2 <= 70


def test_every_sms_fits_one_segment_and_gives_the_phone(scripts: tuple[Path, Catalogue, list[str]]) -> None:
    print_dir, catalogue, _ = scripts
    for folder, lang in LANGS.items():
        w = Words(catalogue, lang)
        for service in services(catalogue):
            text = (print_dir / "sms" / folder / f"{service.id}.txt").read_text(encoding="utf-8")
            assert text.count("\n") == 1
            message = text.rstrip("\n")
            assert one_segment(message), f"{service.id} {lang}: {message}"
            assert message.startswith(w.text(catalogue.directory.sms_signature))
            if service.sms and lang in service.sms:  # the editor's own text, sent as written after the signature
                assert message.endswith(service.sms[lang])
            else:
                # the name, unless the summary says most of its words (then the summary alone is sent)
                assert w.text(service.name) in message or repeats_name(w.text(service.name), w.text(service.summary), lang)
            assert w.phone(contact_phone(catalogue, service)).shown in message


def test_the_sms_rule_counts_extension_characters_twice_and_chinese_as_ucs2() -> None:
    from generator.plaintext import segment, sms_text

    assert segment("a" * 160).fits and not segment("a" * 161).fits
    assert segment("[" + "a" * 157 + "]").units == 161  # [ and ] are GSM extension characters: two septets each
    assert segment("€" * 80).units == 160
    assert segment("种" + "a" * 69).encoding == "UCS-2" and segment("种" + "a" * 69).fits
    assert not segment("种" + "a" * 70).fits
    assert sms_text("It’s – here") == "It's - here"  # plain equivalents keep an English message GSM
    assert sms_text("种’") == "种’"


def test_spoken_forms() -> None:
    from generator.spoken import Speech

    zh, en = Speech("zh-Hans"), Speech("en")
    assert zh.phone("0579 8120 0111") == "零五七九，八幺二零，零幺幺幺"
    assert en.phone("0579 8120 0111") == "zero five seven nine, eight one two zero, zero one one one"
    assert zh.clean("每人每月1,180元（2026年）") == "每人每月一千一百八十元，二零二六年"
    assert en.clean("below 1,180 yuan (in 2026), 5% off") == "below one thousand, one hundred and eighty yuan, in twenty twenty-six, five per cent off"
    assert en.clean("Open 08:30–12:00, see https://example.org/x for more.") == "Open half past eight in the morning to midday."
    assert zh.clean("开放时间08:30-17:30") == "开放时间上午八点半至下午五点半"
    long = ("You did not choose to leave, for example your contract ended and was not renewed, "
            "you were made redundant, or the business closed.")
    assert all(len(s.split()) <= 20 for s in en.sentences(long)) and len(en.sentences(long)) == 2
    assert en.sentences("Who can apply? Anyone.") == ["Who can apply?", "Anyone."]


def test_wrapping_keeps_words_and_phone_numbers_whole() -> None:
    from generator.plaintext import width, wrap

    text = "城关派出所户籍窗口：示例县城关镇解放街12号。电话0579 8120 0111，星期一至星期五08:30–12:00（节假日除外）。"
    lines = wrap(text, 40, keep=("0579 8120 0111",))
    assert all(width(line) <= 40 for line in lines) and len(lines) > 2
    assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")  # nothing lost or added
    assert any("0579 8120 0111" in line for line in lines)
    assert not any(line[0] in "，。）" for line in lines)
    english = wrap("Call 0579 8120 0111 between 08:30–12:00 on weekdays, or visit the counter.", 20, keep=("0579 8120 0111",))
    assert "0579 8120 0111" in " ".join(english) and any("0579 8120 0111" in l for l in english)
    assert all(len(line) <= 20 for line in english)
    assert " ".join(english).split() == "Call 0579 8120 0111 between 08:30–12:00 on weekdays, or visit the counter.".split()


def test_warnings_name_the_service_when_a_spot_cannot_fit_and_notices_when_an_sms_is_shortened(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    service = tmp_path / "catalog" / "services" / "farm-subsidy.yml"
    long = " ".join(["Grain farmers get a yearly grant for every field they sow with wheat or rice."] * 8)
    service.write_text(service.read_text(encoding="utf-8").replace("A yearly grant for grain farmers.", long),
                       encoding="utf-8")
    result = servicedir("build", "--only", "radio,sms,noticeboard", "--output", "out", "--verbose", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ("catalog/services/farm-subsidy.yml:1:1: warning: radio print/radio/en/farm-subsidy.txt: the 30-second spot "
            "needs about") in out
    assert "catalog/services/farm-subsidy.yml:1:1: notice: sms print/sms/en/farm-subsidy.txt: shortened" in out
    spot = (tmp_path / "out" / "print" / "radio" / "en" / "farm-subsidy.txt").read_text(encoding="utf-8")
    assert spot.count("Grain farmers get a yearly grant") >= 8 * 2  # never cut: the whole summary is there, twice
    assert "TOO LONG" in spot
    strict = servicedir("build", "--only", "sms", "--output", "out2", "--strict", cwd=tmp_path)
    assert strict.returncode == 0 and "notice" not in strict.stdout, strict.stderr  # a notice never fails --strict
    assert strict.stderr.rstrip().endswith("no problems (1 notice); --verbose lists the notices")


def test_phone_account_and_long_numbers_in_texts_are_read_digit_by_digit() -> None:
    from generator.plaintext import width
    from generator.spoken import Speech

    zh, en = Speech("zh-Hans"), Speech("en")
    # more than 16 digits used to stop the build (cn2an's limit); phones in texts were read as amounts
    assert zh.clean("汇入账号6222021234567890123。") == "汇入账号六二二二零二幺二三四五六七八九零幺二三。"
    assert zh.clean("请拨打0579-8120-0001预约") == "请拨打零五七九，八幺二零，零零零幺预约"
    assert en.clean("Call 0579 8120 0001.") == "Call zero five seven nine, eight one two zero, zero zero zero one."
    assert zh.clean("每人1,180元，08:30-12:00，3-5天") == "每人一千一百八十元，上午八点半至中午十二点，三至五天"
    assert width("a\x07b") == 2  # a control character from a YAML escape takes no column, and no traceback
