"""Radio scripts as a county presenter reads them cold, checked on real builds (radio only) of the demo county
(Chinese, English) and riverside (English, Spanish): every sentence said on air is a sentence (a verb, found here
with other tools than the generator's: jieba's parts of speech for Chinese, LemmInflect's English lexicon and
simplemma's Spanish lemmas, all from PyPI with their data inside), or a name said as a title; quantities are not
read as years; a 60-second spot says more than the 30-second one and fills 80 % of its time, or is not made and
a note says why; no sentence is said twice in a segment but the number; a text-message call to action gives its
number twice, in groups; and the demo builds its radio without a warning. Each check is a function returning
what is wrong, so that it can be run on any build (docs/scripts.md says how each failed on the scripts before)."""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import pytest

from generator.model import Catalogue
from generator.present import Words, contact_phone
from generator.render import lang_path
from generator.render.radio import Air, _echoes, _overlaps
from generator.spoken import Speech

from .conftest import ROOT, TODAY, Built

CATALOGUES = {"demo": ROOT / "catalog", "riverside": ROOT / "tests" / "examples" / "catalogues" / "riverside"}
ZH_END = "。！？"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    out = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        for name, root in CATALOGUES.items():
            target = tmp_path_factory.mktemp(name)
            out[name] = Built(root, target, ("radio",), "print/radio")
    return out


def said(path: Path) -> list[str]:
    """The lines read on air."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def pieces(path: Path) -> list[tuple[str, list[str]]]:
    """A radio file's pieces: each timing header with the lines read on air under it."""
    out: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"# .*(estimated|估计|cálculo)", line):
            out.append((line, []))
        elif line and not line.startswith("#"):
            out[-1][1].append(line)
    return out


def sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？])|(?<=[.!?])\s+", line) if s.strip()]


# is it a sentence? ---------------------------------------------------------------------------------------
# Chinese: jieba's parts of speech (v, vd, vi, vg, vq are verbs; vn, a verb used as a noun, is not one); a
# sentence that is only a condition or a time ("有单位的。", "有的话。", "孩子出生后一个月内。") or a list's tail
# ("和以前的病历…", "并按时交费。") is a fragment too.
ZH_VERBS = {"v", "vd", "vi", "vg", "vq"}
ZH_JOINING = ("及", "以及", "并", "并且", "或", "或者", "还有", "而")  # (和 and 与 also mean "with")


@lru_cache(maxsize=None)
def zh_tags(text: str) -> tuple[tuple[str, str], ...]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return tuple((w.word, w.flag) for w in jieba.posseg.cut(text))


def zh_fragment(sentence: str) -> str | None:
    body = sentence.rstrip(ZH_END)
    if not any(flag in ZH_VERBS for _, flag in zh_tags(body)):
        return "no verb"
    if body.endswith("的") and "是" not in body or body.endswith("的话"):
        return "only a condition ('…的', '…的话')"
    if body.startswith(ZH_JOINING):
        return "a list's tail"
    if re.search(r"(?:后|前|时|内|期间)$", body):
        return "only a time"
    return None


# English: LemmInflect tells which words can be verbs; a verb is finite where it follows a subject pronoun, where a
# command starts a clause ("Book a time online", "…, call 12345"), where an inflected form follows a noun ("the
# county pays its share"), or where it is an auxiliary. A sentence that starts with a subordinating word needs a
# main clause after a comma ("If you use the app." is no sentence).
EN_AUX = set("is are was were be been am isn't aren't can cannot can't could will won't would shall should may "
             "might must do does did don't doesn't didn't has have had need needs".split())
EN_SUBJECTS = set("i you we they he she it who that which there someone anyone everyone nobody one".split())
EN_ADVERBS = set("also still then only usually never always often just already not first".split())
EN_NOT_BEFORE_A_VERB = set("a an the your my our their his her its this these those to of other another any some each "
                           "every no all more most such many few several both either neither own".split())
EN_EXTRA_VERBS = {"text"}  # "Text QX to …": a verb LemmInflect's lexicon does not list
EN_OPENERS = set("first then please now also".split())  # "First register your address …": still a command
EN_SUBORDINATE = set("if when whenever because unless while although though such including which who whose and or "
                     "but nor for as once until after before since whether where with within".split())


def en_verb_forms(word: str) -> tuple[str, ...]:
    from lemminflect import getAllLemmas

    if word in EN_EXTRA_VERBS:
        return (word,)
    return tuple(getAllLemmas(word).get("VERB", ()))


def en_nouns(word: str) -> bool:
    """A word that can be a noun and not an adjective ("insurance", not "other")."""
    from lemminflect import getAllLemmas

    readings = getAllLemmas(word)
    return ("NOUN" in readings or "PROPN" in readings) and "ADJ" not in readings


EN_PREPOSITIONS = set("in on at by for from within during every".split())  # a sentence that starts with its subject
EN_CLAUSE = set("if when whenever because unless while although though once until since whether where before after".split())


def en_finite(tokens: list[str]) -> bool:
    words = [t.lower() for t in tokens]
    # a plural noun that starts the sentence is its subject: "Public nurseries in the county take …"
    plural_subject = any(w.endswith("s") and en_nouns(w) and not en_verb_forms(w) for w in words[:2])
    for i, word in enumerate(words):
        if word in (",", ";", ":") or i and tokens[i][:1].isupper() and word in EN_AUX:  # "from March to May"
            continue
        if word in EN_AUX:
            return True
        lemmas = en_verb_forms(word)
        if not lemmas or word.endswith("ing") and word not in lemmas:
            continue
        before = [w for w in words[max(0, i - 2):i]]
        if len(before) == 2 and before[1] in EN_ADVERBS:  # "you still qualify", "the government also pays"
            before = before[:1]
        previous = before[-1] if before else ""
        following = words[i + 1] if i + 1 < len(words) else ""
        after_that = words[i + 2] if i + 2 < len(words) else ""
        if previous in EN_SUBJECTS:
            return True
        starts = i == 0 or previous in (",", ";", ":") or (i == 1 and previous in EN_OPENERS)
        joined = following in ("and", "or") and after_that in en_verb_forms(after_that)  # "Renew or replace …"
        if starts and word in lemmas and (following not in ("and", "or", ",", "of", "") or joined):
            return True  # a command
        if i and previous not in EN_NOT_BEFORE_A_VERB | {",", ";", ":"} and word not in lemmas and en_nouns(previous):
            return True  # "the county pays …", "the village checks …", "your baby needs …"
        if i and previous not in EN_NOT_BEFORE_A_VERB and word in lemmas and en_nouns(previous) and \
                (previous.endswith("s") and not en_verb_forms(previous) or following in EN_NOT_BEFORE_A_VERB | EN_ADVERBS):
            return True  # "Farmers get …", "insurance pay first" (not "ID card", a noun after a noun)
        if plural_subject and i > 2 and word in lemmas and previous not in EN_NOT_BEFORE_A_VERB | {",", ";", ":"} \
                and following not in ("of", "and", "or", ""):
            return True
    return False


def en_fragment(sentence: str) -> str | None:
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*|[,;:]", sentence)
    if not tokens:
        return "no words"
    if not en_finite(tokens):
        return "no verb"
    if tokens[0].lower() in EN_SUBORDINATE:
        parts = [re.findall(r"[A-Za-z][A-Za-z'’-]*", part) for part in re.split(r"[,;:]", sentence)[1:]]
        if not any(part and part[0].lower() not in EN_SUBORDINATE and en_finite(part) for part in parts):
            return "only a subordinate clause"
    for clause in (c for c in sentence.split(";") if c.strip()):  # "Your resident ID card, …; one is enough."
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*|[,:]", clause)
        if not en_finite(words):
            return "a clause with no verb"
        if words and words[0].lower() in EN_NOT_BEFORE_A_VERB | EN_PREPOSITIONS:  # "A monthly payment | when you retire"
            end = next((i for i, w in enumerate(words) if i and w.lower() in EN_CLAUSE), len(words))
            if not en_finite(words[:end + 1]):  # (with the word after it: "…, apply before …" is a command)
                return "its verb only in a subordinate clause"
    return None


# Spanish: simplemma's lemmas; a finite verb is a word whose lemma is an infinitive (-ar, -er, -ir) that is not that
# infinitive, a participle, a gerund or a noun's plural, and not after an article or a possessive.
ES_AUX = set("es son está están era eran fue fueron será serán sea sean hay ha han he hemos puede pueden debe deben "
             "tiene tienen va van".split())
ES_DETERMINERS = set("un una unos unas el la los las su sus del al este esta estos estas mi cada otro otra".split())
ES_CLITICS = set("le les se me te nos".split())  # before a verb: "Le habla …", "cuando se jubila"
ES_SUBORDINATE = set("si cuando porque aunque mientras como y o pero que para según".split())


def es_finite(words: list[str]) -> bool:
    import simplemma

    for i, word in enumerate(w.lower() for w in words):
        if word in ES_AUX or i and words[i - 1].lower() in ES_CLITICS:
            return True
        if re.search(r"(?:ar|er|ir|ír)(?:lo|la|los|las|le|les|se|me|te|nos)?$|(?:ad|id)[oa]s?$|(?:ando|iendo|yendo)$", word):
            continue
        lemma = simplemma.lemmatize(word, lang="es")
        if lemma == word or not re.search(r"(?:ar|er|ir|ír)(?:se)?$", lemma) or word in (lemma + "s", lemma + "es"):
            continue
        if i and words[i - 1].lower() in ES_DETERMINERS:
            continue
        return True
    return False


ES_CLAUSE = set("si cuando porque aunque mientras".split())


def es_fragment(sentence: str) -> str | None:
    words = re.findall(r"[^\W\d_]+", sentence)
    if not words:
        return "no words"
    if not es_finite(words):
        return "no verb"
    if words[0].lower() not in ES_SUBORDINATE:  # "Un pago mensual | cuando se jubila, …"
        end = next((i for i, w in enumerate(words) if i and w.lower() in ES_CLAUSE), len(words))
        if not es_finite(words[:end]):
            return "its verb only in a subordinate clause"
    if words[0].lower() in ES_SUBORDINATE:
        parts = [re.findall(r"[^\W\d_]+", part) for part in re.split(r"[,;:]", sentence)[1:]]
        if not any(part and part[0].lower() not in ES_SUBORDINATE and es_finite(part) for part in parts):
            return "only a subordinate clause"
    return None


FRAGMENT = {"zh": zh_fragment, "en": en_fragment, "es": es_fragment}


def titles(catalogue: Catalogue, lang: str) -> set[str]:
    """The deliberate short phrases: names said as a title (services, life events, steps: "高龄津贴。", "Step
    four: Vaccinations and maternity pay."), in the words of the script."""
    w, speech = Words(catalogue, lang), Speech(lang)
    names = [w.text(s.name) for s in catalogue.services if w.translated(s.name)]
    names += [w.text(e.name) for e in catalogue.life_events if w.translated(e.name)]
    names += [re.sub(r"\s*\([^)]*\)", "", name) for name in names]  # said without their brackets but in Chinese
    out = {sentence for name in names for sentence in speech.sentences(speech.clean(w._("{name}.").format(name=name)))}
    for event in catalogue.life_events:
        for n, step in enumerate(event.steps, 1):
            if w.translated(step.title):
                out |= set(speech.sentences(speech.clean(w._("Step {number}: {title}.").format(
                    number=speech.number(n), title=w.text(step.title)))))
    return out


def repeat_prefixes(catalogue: Catalogue, lang: str) -> tuple[str, ...]:
    """The deliberate repeat of the number ("That number again: …"): what the line starts with."""
    w = Words(catalogue, lang)
    return tuple(str(w._(message)).split("{")[0] for message in ("That number again: {phone}.",
                                                                 "Again: text {keyword} to {number}."))


def fragments(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """Every sentence said on air that is neither a sentence nor a name said as a title."""
    wrong = []
    for lang in catalogue.directory.languages:
        folder = print_dir / lang_path(lang)
        if not folder.is_dir():
            continue
        fixed, again = titles(catalogue, lang), repeat_prefixes(catalogue, lang)
        check = FRAGMENT[lang.split("-")[0]]
        for path in sorted(folder.glob("*.txt")):
            for line in said(path):
                if line.startswith(again):
                    continue
                for sentence in sentences(line):
                    why = None if sentence in fixed else check(sentence)
                    if why:
                        wrong.append(f"{path.parent.name}/{path.name}: {sentence!r}: {why}")
    return wrong


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_sentence_said_on_air_is_a_sentence_not_a_fragment_of_a_list(builds: dict[str, Built], name: str) -> None:
    built = builds[name]
    assert fragments(built.print_dir, built.catalogue) == []


def test_the_fragment_checks_find_what_the_presenter_found() -> None:
    """The sentences quoted in the issue (scripts before the fix) are fragments by these checks; whole ones are not."""
    for bad in ("有单位的。", "由单位提供人事档案和在外地交过养老保险的。", "带一种就可以和以前的病历和检查单，有的话。",
                "并按时交费。", "孩子出生后一个月内。", "或者到县政务服务中心社保窗口提出申请。"):
        assert zh_fragment(bad), bad
    for good in ("要带本人居民身份证和本人社会保障卡，其他材料打电话问。", "年满八十周岁，就可以申请。",
                 "这里是示例县政务服务指南。", "再说一遍：发短信QX到幺零六，九零五七，九七七零。"):
        assert zh_fragment(good) is None, good
    for bad in ("Allowing checks on your household's income and property, proof of income.",
                "Such as payslips or proof you lost your job, and papers that show your hardship.", "If you use the app.",
                "Frost and other farm weather.", "Households earning up to sixty per cent of the state median income.",
                "Who can apply?", "What to bring: your resident ID card and a smartphone.",
                # a list cut off by "; one is enough", a verb only in the "if" or the "when" (review of 2026-11)
                "Your resident ID card, social security card or electronic health insurance code; one is enough.",
                "Your household register, if you are registered in the county.", "Every year from March to May.",
                "A monthly payment when you retire, based on what you earned while you worked.",
                "In the three months before the inspection is due."):
        assert en_fragment(bad), bad
    for good in ("Sign up with a family doctor at your health centre or village clinic.", "Book a time online.",
                 "Text QX to one zero six, nine zero five seven, nine seven seven zero.", "Farmers get a yearly subsidy.",
                 "If your household income is very low, you can apply for a monthly allowance.",
                 "The county social insurance centre checks your claim.", "It is for job seekers aged sixteen or over.",
                 "In twenty twenty-six the county's allowance level is one thousand one hundred and eighty yuan per person "
                 "per month.", "Anyone who lives in the county can sign up, wherever their household is registered.",
                 "It offers a monthly payment when you retire, based on what you earned while you worked.",
                 "You need your resident ID card or social security card; ask your village agent what else you need.",
                 "Apply in the month before you turn sixty."):
        assert en_fragment(good) is None, good
    for bad in ("Alimentos sanos, consejos y apoyo para embarazadas.", "Hogares con ingresos de hasta el sesenta por ciento.",
                "Un crédito de hasta cuatrocientos dólares al año en su factura de calefacción.",
                "Un pago mensual cuando se jubila, según lo que ganó mientras trabajaba."):  # its verb is the "when"'s
        assert es_fragment(bad), bad
    for good in ("Ofrece alimentos sanos.", "Llame a la línea de energía para pedir un formulario.",
                 "Ofrece un pago mensual cuando se jubila, según lo que ganó mientras trabajaba.",
                 "Es para hogares con ingresos bajos."):
        assert es_fragment(good) is None, good


# quantities, years ---------------------------------------------------------------------------------------
def years_read_digit_by_digit(print_dir: Path) -> list[str]:
    """A number of years said digit by digit ("满一五年", "一零年内"): only a calendar year has four digits."""
    wrong = []
    for path in sorted((print_dir / "zh-hans").glob("*.txt")):
        for line in said(path):
            for run in re.finditer(r"(?<![零幺一二三四五六七八九十百千万两])[零一二三四五六七八九]{1,3}年", line):
                if len(run.group(0)) > 2 or run.group(0)[0] == "零":
                    wrong.append(f"{path.name}: {run.group(0)!r} in {line!r}")
    return wrong


def test_a_number_of_years_is_said_as_a_quantity_and_a_year_as_a_year(builds: dict[str, Built]) -> None:
    assert years_read_digit_by_digit(builds["demo"].print_dir) == []
    text = " ".join(said(builds["demo"].print_dir / "zh-hans" / "pension-claim-employees.txt"))
    assert "满十五年" in text and "一五年" not in text
    zh, en = Speech("zh-Hans"), Speech("en")
    assert zh.clean("职工养老保险交费满15年的") == "职工养老保险交费满十五年的"
    assert zh.clean("10年内的私家车，2026年起，1年，2年") == "十年内的私家车，二零二六年起，一年，两年"
    assert en.clean("Since 2025, up to 2010 yuan, or $1999.") == \
        "Since twenty twenty-five, up to two thousand and ten yuan, or one thousand, nine hundred and ninety-nine dollars."


# the 60-second spot ----------------------------------------------------------------------------------------
def reading_seconds(lines: list[str], lang: str) -> float:
    text = " ".join(lines)
    if lang.startswith("zh"):
        return (len(re.findall(r"[\u4e00-\u9fff]", text)) + 2 * len(re.findall(r"[A-Za-z]+", text))) * 60 / 200
    return len(text.split()) * 60 / 160


def sixty_second_spots(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """A 60-second spot that is the 30-second one again, says no more, or uses less than 80 % of its time; or a
    file without one that does not say why."""
    wrong = []
    for lang in catalogue.directory.languages:
        folder = print_dir / lang_path(lang)
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            if path.name.startswith("life-event-"):
                continue
            found = pieces(path)
            seconds = [int(re.search(r"(\d+)", header).group(1)) for header, _ in found]
            if seconds == [30]:
                notes = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
                if not any("60" in note and re.search(r"\d+ ?(s|秒)", note) for note in notes[2:]):
                    wrong.append(f"{path.name}: no 60-second spot, and no note saying why")
                continue
            if seconds != [30, 60]:
                wrong.append(f"{path.name}: spots {seconds}")
                continue
            (_, short), (_, long) = found
            if reading_seconds(long, lang) < 0.8 * 60:
                wrong.append(f"{path.name}: the 60-second spot lasts {reading_seconds(long, lang):.0f} s")
            if reading_seconds(long, lang) <= reading_seconds(short, lang) or set(long) <= set(short):
                wrong.append(f"{path.name}: the 60-second spot says no more than the 30-second one")
    return wrong


@pytest.mark.parametrize("name", CATALOGUES)
def test_a_60_second_spot_says_more_and_fills_its_time_or_is_not_made(builds: dict[str, Built], name: str) -> None:
    built = builds[name]
    assert sixty_second_spots(built.print_dir, built.catalogue) == []
    made = [p for p in (built.print_dir / "zh-hans").glob("*.txt") if len(pieces(p)) == 2] if name == "demo" else []
    assert name != "demo" or len(made) > 20  # most services have enough to say for one


# segments ----------------------------------------------------------------------------------------------------
def repeated_in_segments(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """A sentence said twice in a segment, but the number's deliberate repeat."""
    wrong = []
    for lang in catalogue.directory.languages:
        folder = print_dir / lang_path(lang)
        again = repeat_prefixes(catalogue, lang)
        for path in sorted(folder.glob("life-event-*.txt")) if folder.is_dir() else ():
            seen: set[str] = set()
            for line in said(path):
                for sentence in sentences(line):
                    if sentence in seen and not line.startswith(again):
                        wrong.append(f"{path.name}: {sentence!r} twice")
                    seen.add(sentence)
    return wrong


@pytest.mark.parametrize("name", CATALOGUES)
def test_no_sentence_is_said_twice_in_a_segment_but_the_number(builds: dict[str, Built], name: str) -> None:
    built = builds[name]
    assert repeated_in_segments(built.print_dir, built.catalogue) == []
    for path in built.print_dir.rglob("life-event-*.txt"):  # and the step's title is not read again as a name
        lines = said(path)
        assert not [b for a, b in zip(lines, lines[1:]) if re.match(r"(Step \w+|第.步|Paso \w+): ", a)
                    and a.split(": ", 1)[-1].split("：", 1)[-1] == b], path


# the number to act on --------------------------------------------------------------------------------------
def spoken_digits(text: str, lang: str) -> list[tuple[str, int]]:
    """Each number said digit by digit in a text: its digits and how many groups it is said in."""
    if lang.startswith("zh"):
        digit = {c: str(i) for i, c in enumerate("零幺二三四五六七八九")} | {"一": "1"}
        runs = re.findall(r"[零幺一二三四五六七八九](?:，?[零幺一二三四五六七八九])*", text)
        return [("".join(digit[c] for c in run if c in digit), run.count("，") + 1) for run in runs]
    words = "zero one two three four five six seven eight nine".split()
    pattern = "|".join(words)
    runs = re.findall(rf"\b(?:{pattern})(?:,? (?:{pattern}))*\b", text)
    return [("".join(str(words.index(w)) for w in re.findall(pattern, run)), run.count(",") + 1) for run in runs]


def text_message_numbers(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """A spot whose call to action is a text message (the service's first way in) that does not say its number
    twice, in groups, the second time at the very end; or that gives another number as well."""
    wrong = []
    for lang in catalogue.directory.languages:
        folder = print_dir / lang_path(lang)
        w = Words(catalogue, lang)
        for service in catalogue.services:
            sms = service.channels[0] if service.channels else None
            path = folder / f"{service.id}.txt"
            if not (sms and sms.type == "sms" and sms.number and sms.keyword and path.is_file()):
                continue
            phone = w.phone(contact_phone(catalogue, service)).digits
            for header, lines in pieces(path):
                said_numbers = [n for line in lines for n in spoken_digits(line, lang)]
                text_number = [groups for digits, groups in said_numbers if digits == sms.number]
                if len(text_number) != 2 or min(text_number) < 2:
                    wrong.append(f"{path.name} ({header}): {sms.number} said {len(text_number)} times in {text_number} groups")
                if spoken_digits(lines[-1], lang)[-1:] != [(sms.number, max(text_number or [0]))]:
                    wrong.append(f"{path.name} ({header}): the last line does not give {sms.number}")
                if any(digits == phone for digits, _ in said_numbers):
                    wrong.append(f"{path.name} ({header}): a second number ({phone}) to act on")
    return wrong


def test_a_text_message_call_to_action_says_its_number_twice_in_groups(builds: dict[str, Built]) -> None:
    built = builds["demo"]
    assert any(s.channels[0].type == "sms" for s in built.catalogue.services)  # the check has something to check
    assert text_message_numbers(built.print_dir, built.catalogue) == []
    assert Speech("zh-Hans").phone("10690579770") == "幺零六，九零五七，九七七零"
    assert Speech("en").phone("10690579770") == "one zero six, nine zero five seven, nine seven seven zero"


def test_phone_numbers_keep_their_printed_groups_and_1_is_yao(builds: dict[str, Built]) -> None:
    text = " ".join(said(builds["demo"].print_dir / "zh-hans" / "family-doctor-signup.txt"))
    assert text.count("零五七九，八二三零，幺二零零") == 2 * len(pieces(builds["demo"].print_dir / "zh-hans" / "family-doctor-signup.txt"))


# warnings ----------------------------------------------------------------------------------------------------
def test_the_demo_county_builds_its_radio_without_a_warning(builds: dict[str, Built]) -> None:
    assert [p for p in builds["demo"].problems if ": warning: " in p] == []


def test_a_too_long_summary_is_still_warned_about_in_another_catalogue(builds: dict[str, Built]) -> None:
    """Not hiding real problems: riverside's energy summary said with a verb runs to 21 words and is warned about."""
    assert any("warning: radio print/radio/en/energy-bill-help.txt: a sentence too long" in p
               for p in builds["riverside"].problems)


# the key fact, lists summed up, an editor's radio text -------------------------------------------------------
def test_the_spots_give_the_key_fact_and_sum_up_what_to_bring(builds: dict[str, Built]) -> None:
    radio = builds["demo"].print_dir
    elderly = " ".join(said(radio / "zh-hans" / "elderly-allowance.txt"))
    for amount in ("五十元", "两百元", "六百元"):  # the amounts are the one fact listeners remember
        assert amount in elderly
    english = " ".join(said(radio / "en" / "elderly-allowance.txt"))
    assert "fifty yuan" in english and "two hundred yuan" in english and "six hundred yuan" in english
    pension = said(radio / "zh-hans" / "pension-claim-employees.txt")
    # (its 60-second spot, the one with what to bring, is no longer made: what the rules say of it takes 45 s)
    catalogue = builds["demo"].catalogue
    air = Air(catalogue, Words(catalogue, "zh-Hans"), Speech("zh-Hans"))
    assert air.documents(catalogue.by_id["services"]["pension-claim-employees"]) in (
        ["要带本人居民身份证和本人社会保障卡，其他材料打电话问。"], ["备好本人居民身份证和本人社会保障卡，其他材料打电话问。"])  # two, then whom to ask
    assert not [line for line in pension if line in ("有单位的。", "提供转移接续凭证。") or line.startswith("由单位提供")]
    segment = said(radio / "zh-hans" / "life-event-having-a-child.txt")
    assert not [line for line in segment if line.startswith("第一步，")]  # no "step one" inside a step one
    assert sum("村代办员可以帮您办" in line for line in segment) <= 1  # said once, not after every service


# what a reader review of the scripts found (2026-11) --------------------------------------------------------
# Each check returns what is wrong in a build; the test runs it on this build and docs/scripts.md says what it
# found in the scripts before.
AGENT = {"en": "village agent", "zh": "村代办员", "es": "agente comunitario"}  # as the scripts call them
MONTHS = "January February March April May June July August September October November December".split()
MONEY = re.compile(r"\d[\d,.]*\s*(?:元|yuan|dollars?|euros?)|[¥$€]\s*\d")
SAID_MONEY = re.compile(r"元|\b(?:yuan|dollars?|euros?|dólares|euros)\b")


def opening_names(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """An English segment that opens with the programme's name used as a bare noun ("This is Example County Public
    Services Guide."): whatever the name, it is said with an article ("the … programme")."""
    name = Words(catalogue, "en").text(catalogue.directory.name) if "en" in catalogue.directory.languages else ""
    wrong = []
    for path in sorted((print_dir / "en").glob("life-event-*.txt")) if name else ():
        first = said(path)[0]
        if name in first and not re.search(rf"\b(?:the|The) {re.escape(name)}", first) and not name.startswith("The "):
            wrong.append(f"{path.name}: {first!r}")
    return wrong


def spots(path: Path) -> list[list[str]]:
    return [lines for header, lines in pieces(path) if re.search(r"(\d+)-second|(\d+)秒稿|segundos", header)]


def missing_key_facts(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """A 30-second spot that gives no amount of money while its message has no number and the description opens a
    paragraph with the amount ("In 2026 the county's allowance level is 1,180 yuan per person per month.")."""
    wrong = []
    for lang in catalogue.directory.languages:
        w, folder = Words(catalogue, lang), print_dir / lang_path(lang)
        for service in catalogue.services:
            path = folder / f"{service.id}.txt"
            message = (service.radio or {}).get(lang) or (w.text(service.summary) if w.translated(service.summary) else "")
            if not path.is_file() or re.search(r"\d", message) or not w.translated(service.description):
                continue
            speech = Speech(lang)  # (an opening too long to be said as written is for the service's radio text)
            openings = [re.split(r"(?<=[。！？!?])|(?<=\.)\s", p.strip())[0] for p in w.paragraphs(service.description)]
            if any(MONEY.search(sentence) and not speech.too_long(speech.clean(sentence)) for sentence in openings):
                short = spots(path)[0]
                if not any(SAID_MONEY.search(line) for line in short):
                    wrong.append(f"{lang_path(lang)}/{path.name}: no amount in the 30-second spot")
    return wrong


CALLS = {  # words that send listeners somewhere: where to go, whom to ask, what to dial
    "en": re.compile(r"\b(?:apply at|apply through|go to|ask your village agent|through your village agent|ask at|"
                     r"bring (?:the documents|them) to|take (?:the documents|them) to|call)\b", re.I),
    "zh": re.compile(r"到[^，。]{1,14}(?:办理|申请|提出)|[找请]村代办员|打电话|或打"),
    "es": re.compile(r"\b(?:vaya a|pregunte a su agente|llame)\b", re.I),
}


def calls_to_action(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """A spot that sends listeners somewhere more than it needs: three sentences that send them to a place of the
    service (named by the last words of its name: "…Service Centre", "…服务中心") or to the village agent, the call
    with the number included ("Apply at the town service centre, through your village agent, …" / "You can apply at
    Qingshan Town Service Centre." / "Ask your village agent or call …"), or the place or the agent in two of them.
    What to bring ("…, and ask your village agent what else to bring.") is not a call. The agent is counted where
    the language's catalog names them."""
    wrong = []
    for lang in catalogue.directory.languages:
        w, folder, zh = Words(catalogue, lang), print_dir / lang_path(lang), lang.startswith("zh")
        calling = CALLS[lang.split("-")[0]]
        agent = AGENT.get(lang.split("-")[0]) if w.pgettext("spoken", "village agent").lang is None else None
        tails = tuple(str(w._(m)).split("{documents}")[-1] for m in (
            "Bring {documents}, and ask your village agent what else to bring.", "Bring {documents}, and call to ask what else to bring.",
            "You need {documents}; ask your village agent what else you need.", "You need {documents}; call to ask what else you need."))
        for service in catalogue.services:
            path = folder / f"{service.id}.txt"
            if not path.is_file():
                continue
            heads = set()
            for channel in service.channels:
                for part in re.split(r"[,，]", re.sub(r"\s*[（(][^）)]*[）)]", "", w.name_of("offices", channel.office))
                                      if channel.office else ""):
                    part = part.strip().lower()
                    heads.add(part[-3:] if zh else " ".join(part.split()[-2:]))
            heads.discard("")
            for lines in spots(path):
                closing = lines[-2] if len(lines) > 1 else ""  # before the number's repeat
                calls = [s for line in lines for s in sentences(line) if s == closing or calling.search(s) and not
                         s.endswith(tails) and (any(h in s.lower() for h in heads) or agent and agent in s.lower())]
                for word in sorted(heads) + ([agent] if agent else []):
                    if sum(word in s.lower() for s in calls) > 1:
                        wrong.append(f"{lang_path(lang)}/{path.name}: {word!r} in {calls}")
                if len(calls) > 2:
                    wrong.append(f"{lang_path(lang)}/{path.name}: {len(calls)} calls to action: {calls}")
    return wrong


IN_PERSON = {"office", "village-agent", "kiosk"}


def bring_for_what_is_done_from_home(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """"Bring …" in a spot for a service whose first way in is not a place ("Confirm once a year … by a face scan on
    your phone." then "Bring your resident ID card …"): what is needed is said as needed ("You need …"), in every
    language whose catalog has those words."""
    wrong = []
    for lang in catalogue.directory.languages:
        w, folder = Words(catalogue, lang), print_dir / lang_path(lang)
        if w._("You need {documents}.").marked:
            continue
        bring = str(w._("Bring {documents}.")).split("{")[0]
        for service in catalogue.services:
            path = folder / f"{service.id}.txt"
            if path.is_file() and service.channels and service.channels[0].type not in IN_PERSON:
                speech = Speech(lang)  # (the catalogue's own first step may say "Bring the documents to …")
                steps = set(speech.sentences(speech.clean(w.items(service.steps)[0]))) if service.steps else set()
                wrong += [f"{lang_path(lang)}/{path.name}: {line!r}" for line in said(path)
                          if line.startswith(bring) and line not in steps]
    return wrong


def names_said_as_sentences(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """A name with brackets said with its brackets as commas ("Confirm you can still get your pension, yearly
    check.", "Claim maternity pay, maternity allowance."): in languages written with spaces the bracketed part is
    not said (Chinese says it after a pause: "申请最低生活保障，低保。")."""
    wrong = []
    for lang in catalogue.directory.languages:
        if lang.startswith("zh"):
            continue
        w, speech, folder = Words(catalogue, lang), Speech(lang), print_dir / lang_path(lang)
        for service in catalogue.services:
            name = w.text(service.name)
            if "(" not in name or not w.translated(service.name):
                continue
            comma = speech.sentences(speech.clean(name + "."))[0]
            wrong += [f"{lang_path(lang)}/{p.name}: {comma!r}" for p in sorted(folder.glob("*.txt")) if comma in said(p)]
    return wrong


def days_said_as_numbers(print_dir: Path) -> list[str]:
    """A day of the month said as a number ("between one January and thirty June"), not as dates are said."""
    from num2words import num2words

    days = "|".join(sorted((num2words(n) for n in range(1, 32)), key=len, reverse=True))
    months = "|".join(MONTHS)
    pattern = re.compile(rf"(?<![\w-])(?:(?:{days}) (?:{months})|(?:{months}) (?:{days}))(?![\w-])")
    return [f"{path.name}: {m.group(0)!r}" for path in sorted((print_dir / "en").glob("*.txt"))
            for line in said(path) for m in pattern.finditer(line)]


@pytest.mark.parametrize("name", CATALOGUES)
def test_what_the_reader_review_found_is_gone(builds: dict[str, Built], name: str) -> None:
    built = builds[name]
    assert opening_names(built.print_dir, built.catalogue) == []
    assert missing_key_facts(built.print_dir, built.catalogue) == []
    assert calls_to_action(built.print_dir, built.catalogue) == []
    assert bring_for_what_is_done_from_home(built.print_dir, built.catalogue) == []
    assert names_said_as_sentences(built.print_dir, built.catalogue) == []
    assert days_said_as_numbers(built.print_dir) == []


def test_the_review_checks_can_fail() -> None:
    """Scripts as they were written before the review, in miniature: each check finds its problem."""
    import tempfile

    from generator.build import load_catalogue

    catalogue = load_catalogue(ROOT / "catalog")[0]
    before = {
        "life-event-retiring.txt": ["This is Example County Public Services Guide.", "Today we talk about retiring."],
        "minimum-living-allowance.txt": [
            "# 30-second spot: target 30 s", "Apply for the minimum living allowance.",
            "If your household income is very low, you can apply for a monthly minimum living allowance.",
            "Ask your village agent or call zero five seven nine.", "That number again: zero five seven nine.",
            "# 60-second spot: target 60 s", "Apply at the town service centre, through your village agent, or phone for a home visit.",
            "You can apply at Qingshan Town Service Centre.", "Ask your village agent or call zero five seven nine.",
            "That number again: zero five seven nine."],
        "pension-eligibility-certification.txt": ["# 30-second spot: target 30 s",
                                                  "Bring your resident ID card or social security card, and ask your village agent what else to bring."],
        "maternity-allowance.txt": ["# 30-second spot: target 30 s", "Claim maternity pay, maternity allowance."],
        "business-annual-report.txt": ["# 30-second spot: target 30 s",
                                       "Send your business's annual report online between one January and thirty June each year."],
    }
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "en").mkdir()
        for file, lines in before.items():
            (Path(folder) / "en" / file).write_text("\n".join(l.replace("target", "estimated") if l.startswith("#") else l
                                                              for l in lines) + "\n", encoding="utf-8")
        print_dir = Path(folder)
        assert opening_names(print_dir, catalogue) == ["life-event-retiring.txt: 'This is Example County Public Services Guide.'"]
        assert missing_key_facts(print_dir, catalogue) == ["en/minimum-living-allowance.txt: no amount in the 30-second spot"]
        assert len(calls_to_action(print_dir, catalogue)) >= 2  # the agent twice, the town service centre twice, 3 calls
        assert bring_for_what_is_done_from_home(print_dir, catalogue) == [
            "en/pension-eligibility-certification.txt: 'Bring your resident ID card or social security card, and ask your "
            "village agent what else to bring.'"]
        assert names_said_as_sentences(print_dir, catalogue) == ["en/maternity-allowance.txt: 'Claim maternity pay, maternity allowance.'"]
        assert days_said_as_numbers(print_dir) == ["business-annual-report.txt: 'one January'",
                                                   "business-annual-report.txt: 'thirty June'"]


def test_the_retiring_segment_reads_as_a_presenter_would_read_it(builds: dict[str, Built]) -> None:
    """Point 1 of the review: no service name said as a sentence after its step, no list said as a sentence, no
    "Bring …" for what is done by a face scan on the phone; the amounts and where to go said in the time there is."""
    lines = said(builds["demo"].print_dir / "en" / "life-event-retiring.txt")
    text = " ".join(lines)
    assert lines[0] == "This is the Example County Public Services Guide programme."
    assert "Confirm you can still get your pension, yearly check." not in lines
    assert not [line for line in lines if line.startswith("Claiming your pension")]  # the description, a list
    step_two = lines[lines.index("Step two: Confirm once a year that you still qualify."):
                     lines.index("Step three: Claim the old-age allowance at eighty.")]
    assert "face scan on your phone" in " ".join(step_two) and not [l for l in step_two if l.startswith("Bring")]
    assert "fifty yuan" in text and "You can go to" in text
    assert said(builds["demo"].print_dir / "zh-hans" / "life-event-retiring.txt")[0] == "这里是示例县政务服务指南。"


def test_the_minimum_living_allowance_spots_give_the_amount_and_one_call_to_action(builds: dict[str, Built]) -> None:
    """Point 3: the 30-second spot says 1,180 yuan; the 60-second spot says where to apply once."""
    path = builds["demo"].print_dir / "en" / "minimum-living-allowance.txt"
    short, long = spots(path)
    assert any("one thousand one hundred and eighty yuan per person per month" in line for line in short)
    where = [line for line in long if re.search(r"apply at|service centre|village agent or call", line, re.I)]
    assert len(where) == 1, where
    zh_short = spots(builds["demo"].print_dir / "zh-hans" / "minimum-living-allowance.txt")[0]
    assert any("每人每月一千一百八十元" in line for line in zh_short)


def test_the_rules_behind_the_review_fixes() -> None:
    """Dates as dates, a month is no verb, a sentence that starts with "In 2026" or with its condition can be said
    alone, a noun phrase whose only verb is in its "when" is given one, and a bracketed alias is not said."""
    en = Speech("en")
    assert en.clean("between 1 January and 30 June, by 31 August 2026") == \
        "between January first and June thirtieth, by August thirty-first twenty twenty-six"
    assert not en.has_verb("Every year from March to May.") and en.has_verb("You may apply in May.")
    assert en.stands_alone(en.clean("In 2026 the county's allowance level is 1,180 yuan per person per month."))
    assert not en.stands_alone(en.clean("In the three months before the inspection is due."))
    assert not en.stands_alone("Such as payslips or proof you lost your job.")
    assert en.stands_alone("If you are 80 or over, you get a monthly allowance.") and not en.stands_alone("If you are 80.")
    assert en.noun_phrase("A monthly payment when you retire, based on what you earned while you worked.")
    assert not en.noun_phrase("A family doctor team is made up of doctors and nurses.")
    assert Speech("zh-Hans").clean("2026年1月1日") == "二零二六年一月一日"  # Chinese dates as before


# what the second reader review found (2026-12) ---------------------------------------------------------------
# Each check returns what is wrong in a build of the demo; test_the_second_review_checks_can_fail runs it on the
# lines the review quoted.
WHERE = {"en": "You can go to ", "zh": "可以到"}


def _air(catalogue: Catalogue, lang: str) -> Air:
    return Air(catalogue, Words(catalogue, lang), Speech(lang))


def several_calls_to_action(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """Point 1: "You can go to <centre>" for a service begun online or on the phone, or after a line that already
    sent listeners to a place ("在县殡仪馆结账时当场减免。"); a first step that is a call of its own ("Ask at the …
    counter or by phone, …") beside the spot's call."""
    wrong = []
    for lang in catalogue.directory.languages:
        air, folder, prefix = _air(catalogue, lang), print_dir / lang_path(lang), WHERE[lang[:2]]
        for service in catalogue.services:
            path = folder / f"{service.id}.txt"
            if not path.is_file():
                continue
            online = bool(service.channels) and service.channels[0].type not in IN_PERSON
            for header, lines in pieces(path):
                for n, line in enumerate(lines[:-2]):
                    if line.startswith(prefix) and (online or air.says_a_place(lines[1:n])):
                        wrong.append(f"{lang_path(lang)}/{path.name}: {line!r} after {lines[1:n]}")
                    if n and air.asks([line]):
                        wrong.append(f"{lang_path(lang)}/{path.name}: a second call to action {line!r}")
    return wrong


def said_twice_in_other_words(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """Point 2: a line of a spot that says again what an earlier one said (the name aside, and its words); a
    segment that says a service's name after a step's title that names it ("第四步：打疫苗，领生育津贴。" then
    "儿童预防接种，打疫苗。")."""
    wrong = []
    for lang in catalogue.directory.languages:
        speech, folder = Speech(lang), print_dir / lang_path(lang)
        for path in sorted(folder.glob("*.txt")):
            if path.name.startswith("life-event-"):
                lines = said(path)
                wrong += [f"{lang_path(lang)}/{path.name}: {b!r} after {a!r}" for a, b in zip(lines, lines[1:])
                          if re.match(r"(Step \w+|第.步)[:：]", a) and "，" in b and b.rstrip("。").split("，")[-1] in a]
                continue
            service = catalogue.by_id["services"].get(path.stem)
            own = (service.radio or {}).get(lang) if service else None  # the editor's text is said as written
            written = set(speech.sentences(speech.clean(own))) if own else set()
            for header, lines in pieces(path):
                body = lines[1:-2]
                wrong += [f"{lang_path(lang)}/{path.name}: {line!r}" for n, line in enumerate(body)
                          if line not in written and _overlaps(speech, line, body[:n], lines[0])]
    return wrong


def steps_split_or_deadlines_cut(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """Point 3: a piece of a step said alone ("做实名认证。", "填写申请表。"), and "Remember the deadline:" before
    what is no time and no order ("claims by hand within …") or before two of them ("during the application
    period in May; see …")."""
    wrong = []
    for lang in catalogue.directory.languages:
        w, speech, folder = Words(catalogue, lang), Speech(lang), print_dir / lang_path(lang)
        pieces_of_steps = set()
        for service in catalogue.services:
            for step in (w.items(service.steps) if service.steps and w.translated(service.steps) else []):
                parts = speech.sentences(speech.clean(step))
                if len(parts) > 1:
                    pieces_of_steps.update(parts)
        for path in sorted(folder.glob("*.txt")):
            lines = said(path)
            wrong += [f"{lang_path(lang)}/{path.name}: {line!r}" for line in lines if line in pieces_of_steps]
            for line in lines:
                if line.startswith("Remember the deadline: "):
                    first = line.split(": ", 1)[1].split()[0]
                    if ";" in line or first.endswith("s") and first not in speech.grammar("dependent"):
                        wrong.append(f"{lang_path(lang)}/{path.name}: {line!r}")
    return wrong


def stock_lines_that_do_not_fit(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """Point 4: "It is free." of money paid to the listener (an allowance, a subsidy, a benefit); "You get it on
    the spot." of what gives nothing to take home (a vaccination, a registration as a job seeker)."""
    paid = re.compile(r"\b(allowance|subsidy|benefit|pension|loan)\b", re.I)
    things = re.compile(r"\b(certificate|licen[cs]e|permit|card|passport)\b", re.I)
    wrong = []
    w, folder = Words(catalogue, "en"), print_dir / "en"
    for service in catalogue.services:
        path = folder / f"{service.id}.txt"
        if not path.is_file():
            continue
        named = " ".join((w.text(service.name), (service.radio or {}).get("en") or w.text(service.summary)))
        lines = said(path)
        if "It is free." in lines and paid.search(named):
            wrong.append(f"en/{path.name}: 'It is free.'")
        if "You get it on the spot." in lines and not things.search(named):
            wrong.append(f"en/{path.name}: 'You get it on the spot.'")
    return wrong


def notes_that_contradict_themselves(print_dir: Path) -> list[str]:
    """Point 5: "takes 48 s, and a 60-second spot needs at least 48 s"."""
    wrong = []
    for path in sorted(print_dir.rglob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"# (?:No 60-second spot|没有60秒稿)\D*(\d+)\D+60\D+(\d+)", line)
            if m and int(m.group(1)) >= int(m.group(2)):
                wrong.append(f"{path.name}: {line!r}")
    return wrong


def test_what_the_second_review_found_is_gone(builds: dict[str, Built]) -> None:
    built = builds["demo"]
    assert several_calls_to_action(built.print_dir, built.catalogue) == []
    assert said_twice_in_other_words(built.print_dir, built.catalogue) == []
    assert steps_split_or_deadlines_cut(built.print_dir, built.catalogue) == []
    assert stock_lines_that_do_not_fit(built.print_dir, built.catalogue) == []
    assert notes_that_contradict_themselves(built.print_dir) == []
    for name in CATALOGUES:  # and in the other catalogue, which has a language without the new words
        assert notes_that_contradict_themselves(builds[name].print_dir) == []


def test_the_second_review_checks_can_fail() -> None:
    """The lines the review quoted, as the scripts said them before: each check finds its problem."""
    import tempfile

    from generator.build import load_catalogue

    catalogue = load_catalogue(ROOT / "catalog")[0]
    head = "# 60-second spot: estimated 54 s"
    zh_head = "# 60秒稿：目标60秒；估计49秒"
    call = ["To find out more, call one two three.", "That number again: one two three."]
    zh_call = ["想了解更多，请打电话幺二三。", "再说一遍电话：幺二三。"]
    before = {
        "en/foreign-work-permit.txt": [head, "Work permit for foreign nationals.",
                                       "The employer applies online, and the worker usually does not need to go to a counter.",
                                       "You can go to Example County Government Service Centre.", *call],
        "zh-hans/funeral-subsidy.txt": [zh_head, "惠民殡葬补助，基本殡葬费用减免。", "在县殡仪馆结账时当场减免。",
                                        "一般十五个工作日办好。", "可以到青山镇便民服务中心办理。", *zh_call],
        "en/business-start-up-loan.txt": [head, "Government-backed business start-up loan.", "It is free.",
                                          "Ask at the human resources counter or by phone, and download or pick up the application form.",
                                          *call],
        "zh-hans/foreigner-accommodation-registration.txt": [
            zh_head, "境外人员住宿登记。", "住宾馆的，由宾馆帮您登记。", "外国人住在宾馆、酒店的，由宾馆帮您登记，不用自己办。", *zh_call],
        "zh-hans/business-licence.txt": [zh_head, "开办企业，营业执照一件事。", "材料齐全的，一个工作日内办完。",
                                         "一般一个工作日办好。", *zh_call],
        "en/kindergarten-enrolment.txt": [
            head, "Kindergarten enrolment.", "Apply online each May for a public nursery place for your child aged three.",
            "Public nurseries in the county take applications online every May.",
            "Remember the deadline: during the application period in May; see this year's admissions notice for the dates.",
            *call],
        "en/job-seeker-registration.txt": [
            head, "Register as unemployed and looking for work.",
            "If you are out of work and want a job, register for free to get help finding work.",
            "If you have no job and want one, you can register as unemployed, also called registering as a job seeker.",
            "You get it on the spot.", *call],
        "zh-hans/life-event-having-a-child.txt": ["第四步：打疫苗，领生育津贴。", "儿童预防接种，打疫苗。"],
        "zh-hans/tax-registration-and-invoices.txt": [zh_head, "新办纳税人涉税事项和发票。", "做实名认证。", *zh_call],
        "en/medical-expense-reimbursement.txt": [
            head, "Claim medical costs.", "Remember the deadline: claims by hand within one year of treatment or leaving hospital.",
            *call],
        "en/elderly-allowance.txt": [head, "Old-age allowance for people aged 80 and over.", "It is free.", *call],
        "en/childhood-vaccination.txt": [head, "Vaccinations for your child.", "You get it on the spot.", *call],
        "en/basic-pension-urban-rural.txt": [
            "# No 60-second spot: all there is to say takes 48 s, and a 60-second spot needs at least 48 s"],
    }
    with tempfile.TemporaryDirectory() as folder:
        print_dir = Path(folder)
        for file, lines in before.items():
            (print_dir / file).parent.mkdir(exist_ok=True)
            (print_dir / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
        calls = several_calls_to_action(print_dir, catalogue)
        assert sorted(c.split(":")[0] for c in calls) == [
            "en/business-start-up-loan.txt", "en/foreign-work-permit.txt", "zh-hans/funeral-subsidy.txt"], calls
        twice = said_twice_in_other_words(print_dir, catalogue)
        assert sorted(c.split(":")[0] for c in twice) == [
            "en/job-seeker-registration.txt", "en/kindergarten-enrolment.txt", "zh-hans/business-licence.txt",
            "zh-hans/foreigner-accommodation-registration.txt", "zh-hans/life-event-having-a-child.txt"], twice
        cut = steps_split_or_deadlines_cut(print_dir, catalogue)
        assert sorted(c.split(":")[0] for c in cut) == [
            "en/kindergarten-enrolment.txt", "en/medical-expense-reimbursement.txt",
            "zh-hans/tax-registration-and-invoices.txt"], cut
        assert stock_lines_that_do_not_fit(print_dir, catalogue) == [
            "en/business-start-up-loan.txt: 'It is free.'", "en/childhood-vaccination.txt: 'You get it on the spot.'", "en/elderly-allowance.txt: 'It is free.'",
            "en/job-seeker-registration.txt: 'You get it on the spot.'"]
        assert len(notes_that_contradict_themselves(print_dir)) == 1


def test_the_rules_behind_the_second_review() -> None:
    """The overlap rule on the pairs the review quoted, and what it must not join (two services' own words)."""
    en, zh = Speech("en"), Speech("zh-Hans")
    assert _overlaps(zh, "外国人住在宾馆、酒店的，由宾馆帮您登记，不用自己办。", ["住宾馆的，由宾馆帮您登记。"], "境外人员住宿登记。")
    assert _overlaps(zh, "一般一个工作日办好。", ["材料齐全的，一个工作日内办完。"])
    assert _overlaps(en, "Public nurseries in the county take applications online every May.",
                     ["Apply online each May for a public nursery place for your child aged three."])
    assert _overlaps(en, "If you have no job and want one, you can register as unemployed.",
                     ["If you are out of work and want a job, register for free to get help finding work."])
    assert _overlaps(en, "Go to the marriage registry together with your ID cards and get your marriage certificate.",
                     ["Both of you go to the marriage registry together to register your marriage."])
    assert not _overlaps(en, "A driving licence lasts six years, ten years or has no expiry date.",
                         ["Renew your driving licence in the ninety days before it expires."], "Renew your driving licence.")
    assert not _overlaps(en, "You can apply if the baby was born in the county, or one parent's household registration "
                             "is in the county.", ["Register your baby's birth and add them to your household register "
                                                   "within one month."], "Register a birth.")


# what the third reader review found (2026-12) ----------------------------------------------------------------
# A title echoed by the next line, a number with a pause inside it, and three calls to action in a 60-second spot.
STEP = re.compile(r"^(?:Step \w+|第.步)[:：]")


def echoed_lines(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """Point 1: a line whose start restates the line just before it ("Renew your driving licence." then "Renew your
    driving licence in the ninety days …"; "清税后办理注销登记。" then "企业注销登记。"), the call and the number
    aside; in a segment, a service's name said as its own line right after its step's heading ("Step four:
    Vaccinations and maternity pay." then "Vaccinations for your child.")."""
    wrong = []
    for lang in catalogue.directory.languages:
        w, speech, folder = Words(catalogue, lang), Speech(lang), print_dir / lang_path(lang)
        names = {str(w._("{name}.")).format(name=w.text(s.name)) for s in catalogue.services if w.translated(s.name)}
        names |= {re.sub(r"\s*[（(][^）)]*[）)]", "", name).replace(" .", ".") for name in names}
        for path in sorted(folder.glob("*.txt")):
            groups = [said(path)] if path.name.startswith("life-event-") else [lines for _, lines in pieces(path)]
            for lines in groups:
                body = lines[:-2]
                wrong += [f"{lang_path(lang)}/{path.name}: {a!r} then {b!r}" for a, b in zip(body, body[1:])
                          if _echoes(speech, a, b) or STEP.match(a) and b in names]
    return wrong


def numbers_with_a_pause(print_dir: Path) -> list[str]:
    """Point 2: a comma inside a number said in words ("one thousand, one hundred and eighty yuan")."""
    inside = re.compile(r"\b(?:thousand|million|billion|hundred), (?:one|two|three|four|five|six|seven|eight|nine|ten|"
                        r"eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b")
    return [f"{path.name}: {line!r}" for path in sorted(print_dir.rglob("*.txt")) for line in said(path)
            if inside.search(line)]


def stacked_calls(print_dir: Path, catalogue: Catalogue) -> list[str]:
    """Point 3: in a 60-second spot, "You can go to …" beside a closing call that names a way in of its own (the
    village agent), or after a first step said (where or how to apply): three lines that tell listeners where to
    act ("Find a course on …", "You can go to …", "Ask your village agent or call …")."""
    wrong = []
    for lang in catalogue.directory.languages:
        air, folder, prefix = _air(catalogue, lang), print_dir / lang_path(lang), WHERE[lang[:2]]
        for service in catalogue.services:
            path = folder / f"{service.id}.txt"
            if not path.is_file():
                continue
            steps = set(air.first_step(service))
            for header, lines in pieces(path)[1:]:  # the 60-second spot
                for n, line in enumerate(lines[:-2]):
                    if line.startswith(prefix) and (air.names_agent(lines[-2:-1]) or steps & set(lines[:n])):
                        wrong.append(f"{lang_path(lang)}/{path.name}: {line!r} with {lines[-2]!r}")
    return wrong


def test_what_the_third_review_found_is_gone(builds: dict[str, Built]) -> None:
    built = builds["demo"]
    assert echoed_lines(built.print_dir, built.catalogue) == []
    assert numbers_with_a_pause(built.print_dir) == []
    assert stacked_calls(built.print_dir, built.catalogue) == []
    text = " ".join(said(built.print_dir / "en" / "minimum-living-allowance.txt"))
    assert "one thousand one hundred and eighty yuan" in text
    retiring = said(built.print_dir / "zh-hans" / "life-event-retiring.txt")
    assert retiring[retiring.index("第一步：申领养老金。") + 1] != "职工退休申请和养老金申领。"
    for name in CATALOGUES:
        assert numbers_with_a_pause(builds[name].print_dir) == []


def test_the_third_review_checks_can_fail() -> None:
    """The lines the review quoted, as the scripts said them before: each check finds its problem."""
    import tempfile

    from generator.build import load_catalogue

    catalogue = load_catalogue(ROOT / "catalog")[0]
    head, zh_head = "# 30-second spot: estimated 20 s", "# 30秒稿：目标30秒；估计21秒"
    call = ["To find out more, call one two three.", "That number again: one two three."]
    zh_call = ["想了解更多，请打电话幺二三。", "再说一遍电话：幺二三。"]
    agent = ["Ask your village agent or call one two three.", "That number again: one two three."]
    zh_agent = ["可找村代办员办理，或打幺二三。", "再说一遍电话：幺二三。"]
    before = {
        "en/driving-licence-renewal.txt": [head, "Renew your driving licence.",
                                           "Renew your driving licence in the ninety days before it expires.", *call],
        "en/life-event-moving-house.txt": ["Today we talk about moving house.", "Move your household registration.",
                                           "Move your household registration to your new home.", *call],
        "zh-hans/life-event-closing-a-business.txt": ["今天说说注销企业。", "清税后办理注销登记。", "企业注销登记。", *zh_call],
        "zh-hans/life-event-retiring.txt": ["第一步：申领养老金。", "职工退休申请和养老金申领。", *zh_call],
        "en/life-event-having-a-child.txt": ["Step four: Vaccinations and maternity pay.", "Vaccinations for your child.",
                                             *call],
        "en/minimum-living-allowance.txt": [head, "Apply for the minimum living allowance.",
                                            "In twenty twenty-six the county's allowance level is one thousand, one "
                                            "hundred and eighty yuan per person per month.", *call],
        "en/vocational-training-subsidy.txt": [head, "Free job skills training and training grants.", "# 60-second spot",
                                               "Free job skills training and training grants.",
                                               "Find a course on county radio, the village noticeboard or the bureau website.",
                                               "You can go to Example County Government Service Centre.", *agent],
        "zh-hans/elderly-allowance.txt": [zh_head, "高龄津贴。", "# 60秒稿：目标60秒；估计51秒", "高龄津贴。",
                                          "一般二十个工作日办好。", "可以到青山镇便民服务中心办理。", *zh_agent],
    }
    before["en/vocational-training-subsidy.txt"][2] = "# 60-second spot: estimated 57 s"
    with tempfile.TemporaryDirectory() as folder:
        print_dir = Path(folder)
        for file, lines in before.items():
            (print_dir / file).parent.mkdir(exist_ok=True)
            (print_dir / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
        echoed = echoed_lines(print_dir, catalogue)
        assert sorted(c.split(":")[0] for c in echoed) == [
            "en/driving-licence-renewal.txt", "en/life-event-having-a-child.txt", "en/life-event-moving-house.txt",
            "zh-hans/life-event-closing-a-business.txt", "zh-hans/life-event-retiring.txt"], echoed
        assert [c.split(":")[0] for c in numbers_with_a_pause(print_dir)] == ["minimum-living-allowance.txt"]
        stacked = stacked_calls(print_dir, catalogue)
        assert sorted(c.split(":")[0] for c in stacked) == [
            "en/vocational-training-subsidy.txt", "zh-hans/elderly-allowance.txt"], stacked


def test_the_rules_behind_the_third_review() -> None:
    """Echoes are the same start (or in Chinese a one-clause line inside the other's first clause), not a shared
    word; numbers on air have no comma inside, and the spoken rules elsewhere keep num2words' form."""
    en, zh = Speech("en"), Speech("zh-Hans")
    assert _echoes(en, "Renew your driving licence.", "Renew your driving licence in the ninety days before it expires.")
    assert not _echoes(en, "Renew your driving licence.", "A driving licence lasts six years, ten years or has no expiry date.")
    assert _echoes(zh, "清税后办理注销登记。", "企业注销登记。")
    assert not _echoes(zh, "高龄津贴。", "满八十周岁的本县老人，每月都能领高龄津贴。")
    assert not _echoes(zh, "想了解更多，请打电话零五七九，八二三零，幺零零零。", "再说一遍电话：零五七九，八二三零，幺零零零。")
    on_air = Speech("en", unbroken_numbers=True)
    assert on_air.clean("In 2026 the level is 1,180 yuan; in 1899, 1950 and 2100.") == \
        "In twenty twenty-six the level is one thousand one hundred and eighty yuan; in one thousand eight hundred " \
        "and ninety-nine, nineteen fifty and two thousand one hundred."
    assert en.clean("1,180 yuan") == "one thousand, one hundred and eighty yuan"
