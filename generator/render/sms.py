"""Render stage, SMS: one message per service that fits one segment, shortened by rule when it does not."""
from __future__ import annotations

import re
from typing import Any

from ..model import Catalogue, Service
from ..plaintext import Segment, gsm_plain, segment, sms_text
from ..present import Words, contact_phone
from ..problems import Problem
from ..write import Staging
from . import Options, environment, lang_path

# Languages that write the word after a colon in lower case unless it is a name ("Help with energy bills: a
# credit of up to…"); German, which capitalises its nouns, is not one of them.
_LOWER_AFTER_COLON = frozenset({"en", "es", "fr", "it", "pt", "nl", "ca", "gl", "ro", "sv", "da", "nb", "nn", "pl"})
# Where a summary can be cut: after a sentence, at a semicolon between two clauses, and in the languages below
# at a comma or before a word that begins a phrase that only adds to the clause ("… a birth certificate | to get
# allowances"), as long as what comes before can stand alone: three words at least, and not a clause that
# begins "If …" or "When …" unless its main clause has begun after a comma.
_SENTENCE = re.compile(r"(?<=[。！？])|[；;](?=\s*\S)|(?<=[.!?])\s+(?=\S)")
_LEANS_ON_THE_REST = {  # words that begin a clause or a phrase that cannot stand alone
    "en": frozenset({"if", "when", "whenever", "after", "before", "once", "to", "although", "though", "while",
                     "because", "since", "unless", "until", "for", "from", "with", "without", "within", "in", "on",
                     "at", "by", "between", "during", "where"}),
    "es": frozenset({"si", "cuando", "después", "antes", "para", "aunque", "mientras", "porque", "desde", "hasta",
                     "con", "sin", "en", "por", "durante", "dentro", "donde"}),
}
_AND_OR = {"en": frozenset({"and", "or"}), "es": frozenset({"y", "e", "o", "u"})}
# Words that show a clause's verb is still to come: no cut before them ("students from families | on low
# incomes can get grants" would leave no verb)
_VERB_TO_COME = {
    "en": frozenset({"can", "could", "must", "may", "might", "will", "would", "should", "is", "are", "was", "were",
                     "has", "pays", "gets", "applies", "needs"}),
    "es": frozenset({"puede", "pueden", "debe", "deben", "es", "son", "tiene", "tienen", "recibe", "reciben",
                     "paga", "pagan", "solicita", "solicitan"}),
}
# Of the words above, those that begin a clause with its own verb ("… where your baby was born")
_SUBORDINATE = frozenset({"if", "when", "whenever", "after", "before", "once", "although", "though", "while",
                          "because", "since", "unless", "until", "where", "si", "cuando", "aunque", "mientras",
                          "porque", "donde"})
# Words a clause does not end with: what follows them is part of it ("up to 300,000", "can book on your phone")
_NO_END = {
    "en": frozenset({"a", "an", "the", "of", "up", "can", "could", "need", "needs", "must", "will", "able", "have",
                     "has", "want", "be", "is", "are", "was", "example", "only", "more", "less", "than", "your",
                     "their", "its", "this", "that", "to", "and", "or", "also", "not", "no", "you", "they", "based"}),
    "es": frozenset({"un", "una", "el", "la", "los", "las", "de", "del", "a", "al", "puede", "pueden", "debe", "deben",
                     "es", "son", "su", "sus", "que", "más", "menos", "y", "o", "no", "se", "lo", "le", "según"}),
}
# What a message leaves out, by the form it takes (message())
LEFT_OUT = {0: "", 1: "where to go", 2: "the end of the summary", 3: "the end of the summary and where to go",
            4: "the summary", 5: "the summary and where to go"}


_ONLINE = frozenset({"online", "mobile-app"})
# What a summary says of a service done online or on a phone ("apply online", "在网上报名", "手机上就能办")
_SAYS_ONLINE = re.compile(r"\bonline\b|\bon (?:your|the) phone\b|\ben l[ií]nea\b|\bpor internet\b|网上|手机上|线上")


def done_online(service: Service, summary: str) -> bool:
    """Whether the service is done online: its first channel is a website or an app, or its summary says it is
    done online ("Apply online each May…", "在网上…报名") and it has such a channel."""
    channels = service.channels
    return bool(channels) and (channels[0].type in _ONLINE
                               or bool(_SAYS_ONLINE.search(summary)) and any(c.type in _ONLINE for c in channels))


def action(catalogue: Catalogue, service: Service, w: Words, phone: str) -> str:
    """What to do, by the way the service is reached: the village agent where there is one (who does online
    services for people who are not online, too); the phone for a service done online (done_online(): never an
    office for what is done on a website, "在网上…报名。请到…政务服务中心办理" was wrong); a place to go to (an office,
    a self-service machine at one) where the service has no online channel; else the phone. 'Apply' is never
    said: not every service is an application."""
    if any(c.type == "village-agent" for c in service.channels):
        return w._("Ask your village agent or call {phone}.").format(phone=phone)
    if done_online(service, w.text(service.summary)):
        return w._("Call {phone}.").format(phone=phone)
    office = next((c.office for c in service.channels if c.type in ("office", "kiosk") and c.office), None)
    if office and not any(c.type in _ONLINE for c in service.channels):
        # Translators: {place} is an office; not "apply": not every service is an application (请到{place}办理).
        return w._("Go to {place} or call {phone}.").format(place=w.text(catalogue.by_id["offices"][office].name), phone=phone)
    return w._("Call {phone}.").format(phone=phone)


def shorter(summary: str, lang: str) -> list[str]:
    """The summary cut where what comes before can stand alone, longest first, each with its full stop: after a
    sentence, at a semicolon, and in English or Spanish at a comma or before a word such as "to", "when" or
    "within" (_LEANS_ON_THE_REST) that ends a clause of three words or more. A clause that begins with such a
    word ("If you are 80 or over, …") is cut only after its comma; a comma that begins a list ("grants, free
    tuition and loans") is no cut."""
    sentences = {m.start() for m in _SENTENCE.finditer(summary)}
    cuts = set(sentences)
    language = lang.split("-")[0].lower()
    if language in _LEANS_ON_THE_REST:
        leaning, joining = _LEANS_ON_THE_REST[language], _AND_OR[language]
        for m in re.finditer(r"(,)?\s+([^\s,]+)", summary):
            start = max((cut for cut in sentences if cut < m.start()), default=0)
            clause, rest = summary[start:m.start()].split(), summary[m.end(2):].split()
            end = min((cut for cut in sentences if cut > m.start()), default=len(summary))
            verb_to_come = m.group(2).lower() not in _SUBORDINATE and any(word.strip(",.;").lower() in _VERB_TO_COME[language]
                               for word in summary[m.start():end].split())
            if (len(clause) < 3 or len(summary[:m.start()].split()) < 4 or verb_to_come
                    or clause[-1].lower().strip(",") in _NO_END[language] or "-" in clause[-1]
                    or clause[-2].lower() in ("to", "para", *joining)):
                continue
            if clause[0].lower() in leaning:  # the main clause comes after the first comma: cut after it only
                main = summary[start:m.start()].split(",", 1)
                if len(main) < 2 or len(main[1].split()) < 2:
                    continue
            if m.group(1):  # a comma: no cut inside a list
                if not any(word.strip(",.;") in joining for word in [m.group(2), *rest[:-1]][1:]):
                    cuts.add(m.start())
            elif m.group(2).lower() in leaning and not clause[-1].lower() in joining:
                cuts.add(m.start())
    out = []
    for cut in sorted(cuts, reverse=True):
        head = summary[:cut].rstrip().rstrip(",;；，")
        if head and head != summary.strip():
            stop = "。" if re.search(r"[\u3400-\u9fff]$", head) else "."
            out.append(head if head.endswith((".", "!", "?", "。", "！", "？")) else head + stop)
    return list(dict.fromkeys(out))


def after_colon(text: str, lang: str) -> str:
    """The summary as it reads after the name and a colon: 'A credit of up to…' -> 'a credit of up to…' in
    languages that write so, unless its first word is a name or an abbreviation ('Example County Radio…',
    'ID card…')."""
    if lang.split("-")[0].lower() not in _LOWER_AFTER_COLON:
        return text
    words = text.split(maxsplit=2)
    if not words or not words[0][:1].isupper() or not (words[0][1:].islower() or len(words[0]) == 1) or words[0] == "I":
        return text
    if len(words) > 1 and words[1][:1].isupper() and not words[1].isupper():  # a name (Example County…)
        return text
    return text[0].lower() + text[1:]


def says_name(name: str, summary: str) -> bool:
    """Whether the summary says the service's name as it is written ("Sign up with a family doctor at your health
    centre…", "孩子出生后，在接生的医院或卫生院领取出生医学证明。"), the first letter's case aside where it begins with it:
    then the message is the summary alone, not the same words twice ("Apply for a disability certificate: apply
    for a disability certificate to get…")."""
    if not name or not summary:
        return False
    return name in summary or summary[:1].upper() + summary[1:len(name)] == name[:1].upper() + name[1:]


_BRACKET = re.compile(r"\s*[(（]([^()（）]*)[)）]")
_HAN = re.compile(r"[\u3400-\u9fff]")


def repeats_name(name: str, summary: str, lang: str) -> bool:
    """Whether the summary says most of what the name says, in other words: three in five of the name's words
    (its little words aside: "a", "the", "you", "can"; its bracketed part aside) are in the summary ("Register a
    death and cancel the household registration" and "Cancel the household registration of a person who has
    died"; "Confirm you can still get your pension (yearly check)" and "Confirm once a year that you can still get
    your pension"), or the summary says the name's bracketed part, a name of its own ("Find a job or staff online
    (County Jobs Platform)" and "… on the County Jobs Platform"). Then the name before the colon only says it
    twice. In Chinese the words are jieba's of two characters or more, each said where the summary has it or three
    characters of it in a row ("驾驶证期满换证" and "驾驶证到期前90天内换证"); else only in the languages whose little
    words are listed here."""
    language = lang.split("-")[0].lower()
    bracketed = [part.strip() for part in _BRACKET.findall(name) if part.strip()]
    bare = _BRACKET.sub("", name).strip()
    if any(says_name(part, summary) or part.lower() in summary.lower() for part in bracketed if len(part) > 2):
        return True
    if _HAN.search(bare):
        from ..plaintext import _jieba

        words = list(dict.fromkeys(word for word in _jieba().cut(bare) if len(_HAN.findall(word)) >= 2))
        shared = [word for word in words
                  if word in summary or any(word[i:i + 3] in summary for i in range(len(word) - 2))]
        return len(words) >= 2 and 5 * len(shared) >= 3 * len(words)
    if language not in _NO_END:
        return False
    little = _NO_END[language] | _LEANS_ON_THE_REST[language] | _AND_OR[language]
    words = [word for word in re.findall(r"[^\W\d_]+", bare.lower()) if len(word) > 2 and word not in little]
    said = {word for word in re.findall(r"[^\W\d_]+", summary.lower())}
    shared = [word for word in words if word in said or word.rstrip("s") in said]
    return len(words) >= 2 and 5 * len(shared) >= 3 * len(words)


def facts(catalogue: Catalogue, service: Service, w: Words, said: str) -> list[str]:
    """What a message adds after the whole summary where there is room, most first: the key fact of the notices
    (the description's sentence with an amount, an age, a period the message does not give: "每月标准：80到89周岁
    50元，…") and the deadline ("Deadline: Apply by 20 December of the year you buy the machine."), both, then
    each alone. Each is whole or left out."""
    from .noticeboard import key_fact  # the notices' rule; noticeboard imports this module

    fact = key_fact(w, service, said)
    deadline = deadline_sentence(w, service, said)
    both = then(w, fact, deadline) if fact and deadline else ""
    return [text for text in dict.fromkeys((both, fact, deadline)) if text]


def deadline_sentence(w: Words, service: Service, said: str) -> str:
    """The deadline as the message says it ("Deadline: Apply by 20 December …" / "办理期限：买机当年12月20日前申请。"),
    or "" when the service has none in this language or `said` says most of it already (says_most_of())."""
    if not service.deadline or not w.translated(service.deadline) or says_most_of(w, w.text(service.deadline), said):
        return ""
    text = w.text(service.deadline).strip()
    chinese = bool(re.search(r"[\u3400-\u9fff]$", text))
    stop = "" if text.endswith((".", "!", "?", "。", "！", "？")) else "。" if chinese else "."
    return str(w._("Deadline")) + w.pgettext("after a label", ": ") + text + stop


def short_deadline(w: Words, service: Service, summary: str, said: str) -> str:
    """The deadline that takes the place of a clause of a summary without a figure (deadline_instead()): one
    with a figure (a date, a number of days: "买机当年12月20日前申请", "Apply by 20 December …"), in one clause (no
    semicolon), of a third of a segment at most (23 Chinese characters, 53 letters); else ""."""
    if re.search(r"\d", summary) or not service.deadline or not w.translated(service.deadline):
        return ""
    text = w.text(service.deadline).strip()
    if not re.search(r"\d", text) or re.search(r"[;；]", text) or len(text) > (23 if _HAN.search(text) else 53):
        return ""
    return deadline_sentence(w, service, said)


def clause_cuts(summary: str, lang: str) -> list[str]:
    """The shorter summaries a deadline can follow, longest first: shorter()'s, and in Chinese the summary without
    its last clause after a comma when that clause has no figure and two clauses stay ("买了补贴目录里的农机，可以申请
    补贴，钱直接打到您的账户。" -> "买了补贴目录里的农机，可以申请补贴。")."""
    out = shorter(summary, lang)
    body = summary.rstrip().rstrip("。！？")
    if _HAN.search(body) and not re.search(r"[。！？；]", body):
        head, _, last = body.rpartition("，")
        if head and "，" in head and not re.search(r"\d", last):
            out.append(head + "。")
    return sorted(dict.fromkeys(out), key=len, reverse=True)


def says_most_of(w: Words, text: str, said: str) -> bool:
    """Whether `said` already has three in five of the words of `text` ("家人去世后一个月内…" and the deadline
    "去世后一个月内"): by jieba in Chinese, else the runs of letters and digits."""
    if re.search(r"[\u3400-\u9fff]", text):
        from ..plaintext import _jieba

        words = [word for word in _jieba().cut(text) if re.fullmatch(r"[^\W_]+", word)]
        return bool(words) and 5 * sum(word in said for word in words) >= 3 * len(words)
    words = [word for word in re.findall(r"[^\W_]+", text.lower()) if len(word) > 2]
    known = set(re.findall(r"[^\W_]+", said.lower()))
    return bool(words) and 5 * sum(word in known for word in words) >= 3 * len(words)


def then(w: Words, first: str, second: str) -> str:
    """Two sentences in a row: with a space, none after a Chinese full stop."""
    return first + ("" if re.search(r"[。！？]$", first) else " ") + second


def message(catalogue: Catalogue, service: Service, w: Words, template: Any) -> tuple[str, Segment, int]:
    """The message with the most that fits one segment. An editor's own SMS text (`sms`, in this language) is
    sent as it is. Otherwise the name and summary with what to do and the phone, in this order of forms until one
    fits: the whole summary with what to do (action()), then with 'Call …'; each shorter summary, longest first
    (shorter(), then truncated()), with what to do, then with 'Call …'; no summary with what to do, then with
    'Call …'. Each form is tried as written, then with the letters GSM 03.38 lacks written without their accents
    (gsm_plain(): í -> i, one segment of 160 characters instead of 70). Returns the text, its segment, and which
    form it is (0 the fullest; LEFT_OUT says what each leaves out)."""
    phone = w.phone(number).shown if (number := contact_phone(catalogue, service)) else ""
    signature = w.text(catalogue.directory.sms_signature) if catalogue.directory.sms_signature else ""
    if service.sms and service.sms.get(w.lang):
        text = sms_text(template.render(**w.jinja(), signature=signature, own=service.sms[w.lang], name="",
                                        summary="", action="").strip())
        return text, segment(text), 0
    name, written_summary = w.text(service.name), w.text(service.summary)
    # the summary alone says what the service is, its name included (or most of its words)
    alone = says_name(name, written_summary) or repeats_name(name, written_summary, w.lang)
    summary = written_summary[:1].upper() + written_summary[1:] if alone else after_colon(written_summary, w.lang)
    go, call = action(catalogue, service, w, phone), w._("Call {phone}.").format(phone=phone)
    forms = [(0, summary, go), (1, summary, call)]
    numbers = re.findall(r"\d+", summary)
    for head in shorter(summary, w.lang):  # whole clauses only: a sentence cut off ("you can get...") misleads
        if re.findall(r"\d+", head) != numbers:  # a shorter summary keeps every number: "15 years", "50 yuan"
            continue
        forms += [(2, head, go), (3, head, call)]
    forms += [(4, "", go), (5, "", call)]

    def written(said: str, act: str) -> tuple[str, Segment]:
        # the name, unless the summary says it (a shorter summary still has to)
        named = not (said and alone and (says_name(name, said) or repeats_name(name, said, w.lang)))
        out = sms_text(template.render(**w.jinja(), signature=signature, own="", name=name if named else "",
                                       summary=said if named else said[:1].upper() + said[1:], action=act).strip())
        for text in dict.fromkeys((out, gsm_plain(out))):
            if (fit := segment(text)).fits:
                return text, fit
        return text, fit

    text, fit, tried = "", segment(""), set()
    for form, said, act in forms:
        if (said, act) in tried or (form in (2, 3) and not said):
            continue
        tried.add((said, act))
        text, fit = written(said, act)
        if fit.fits:
            if form < 2:  # the room the whole summary leaves: the key fact or the deadline, whole, if it fits
                for extra in facts(catalogue, service, w, f"{name} {said}"):
                    more, more_fit = written(then(w, said, extra), act)
                    if more_fit.fits and more_fit.encoding == fit.encoding:
                        return more, more_fit, form
            # a summary without a figure: a short deadline instead of its least clause ("…可以申请补贴。办理期限：
            # 买机当年12月20日前申请。" rather than "…，钱直接打到您的账户。"), with the same what to do
            if deadline := short_deadline(w, service, summary, f"{name} {said}"):
                for head in clause_cuts(said, w.lang):
                    if len(head) < len(said):
                        more, more_fit = written(then(w, head, deadline), act)
                        if more_fit.fits and more_fit.encoding == fit.encoding:
                            return more, more_fit, 2 if form in (0, 2) else 3
            return text, fit, form
    return text, fit, form


def truncated(summary: str, lang: str) -> list[str]:
    """The summary cut after each of its words, longest first, with an ellipsis: the last resort before leaving
    it out ("if your family is on a low income and medical bills are still high…"). Four words at least; never
    after a word that needs what follows ("a", "of", "can"); none in Chinese, Uyghur or Tibetan (whole
    sentences or nothing)."""
    language = lang.split("-")[0].lower()
    if language not in _NO_END:
        return []
    words = summary.rstrip(".!?").split()
    return [" ".join(words[:n]).rstrip(",;:") + "…" for n in range(len(words) - 1, 3, -1)
            if words[n - 1].lower().strip(",;:") not in _NO_END[language] | _LEANS_ON_THE_REST[language]]


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/sms/<lang>/<id>.txt: the message alone, ready to paste into a bulk-SMS tool."""
    template = environment("scripts", html=False).get_template("sms.txt")
    problems: list[Problem] = []
    for lang in catalogue.directory.languages:
        w = Words(catalogue, lang)
        for service in catalogue.services:
            if service.status == "withdrawn":
                continue
            text, fit, form = message(catalogue, service, w, template)
            path = f"print/sms/{lang_path(lang)}/{service.id}.txt"
            stage.write(path, text + "\n")
            where = f"{catalogue.root}/{service.source}"
            if not fit.fits:
                problems.append(Problem(where, 1, 1, "warning", f"sms {path}: {fit.units} of {fit.limit} {fit.encoding} "
                                        f"characters even with only the name and phone; shorten the service's name"))
            elif form:
                problems.append(Problem(where, 1, 1, "notice", f"sms {path}: shortened to fit one {fit.encoding} "
                                        f"message of {fit.limit} characters: {LEFT_OUT[form]} left out"))
    return problems
