"""Render stage, radio: spots per service and a segment per life event, written for the ear (docs/scripts.md).

One message per spot: the service's name and what it gives (its `radio` text, else its summary), the key fact
(the deadline, the fee or a number from the description) when the summary has none, then one call to action
with the number to act on said twice, in groups: a first step that already sends listeners somewhere is said in
place of "You can go to …" (said in no spot whose call names the village agent, nor after any first step: at most
two lines tell listeners where to act, the call last), and the call does not send them to the village agent twice.
A name restated by the line after it is not said, nor, in a segment, a step's first service's name after the step's
heading (_echoes). Numbers on air have no comma inside them (Speech.unbroken_numbers). Catalogue texts are said
whole or not at all: a list is named by its one or two documents everyone needs and "ask for the rest", never read
out item by item ("Bring …" where the first way in is a place, else "You need …"), and a sentence too long to
follow is split only where both halves stand as sentences (generator/spoken.py).

Words added to the interface after a language's catalog was written are used only once it has them: until then
the older message is said (`either`), so that a script never mixes two languages."""
from __future__ import annotations

import math
import re
from typing import Any

from ..i18n import N_, Phrase, catalog_path
from ..model import Catalogue, Channel, LifeEvent, Service
from ..present import Words, contact_phone
from ..problems import Problem
from ..spoken import Speech, _zh_tagged, why_silent
from ..write import Staging
from . import Options, environment, lang_path

SPOTS = (30, 60)  # seconds
FILLED = 0.8  # a 60-second spot uses at least 80 % of its time and says more than the 30-second one, or is not made
SEGMENT = 180  # seconds: "about three minutes"
SEGMENT_MOST = 210  # longer than this is no longer "about three minutes"
# What a segment adds while it fits, in this order (named in the presenter's note when left out).
SEGMENT_PARTS = (N_("what each service gives"), N_("the first step of each"), N_("what to bring"), N_("who can apply"),
                 N_("the key fact"), N_("where to go"))
# What a spot adds while it fits (the 30-second spot the first two only).
KEY_FACT, WHO, MORE, BRING, WHEN, COST, TIME, FIRST_STEP, WHERE = (
    N_("the key fact"), N_("who can apply"), N_("more about it"), N_("what to bring"), N_("when to apply"),
    N_("the cost"), N_("how long it takes"), N_("the first step"), N_("where to go"))
CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€"}  # amounts the spoken rules can say (spoken.WORDS)
# Ways in where people go somewhere with their papers ("Bring …"); for the others they need them ready ("You need …").
IN_PERSON = frozenset({"office", "village-agent", "kiosk"})
_BRACKETS = re.compile(r"\s*[（(][^）)]*[）)]")
# Chinese for what GRAMMAR's "places", "benefits", "issued" and "asking" say in other languages (jieba has no word
# classes for them): "到县殡仪馆", "在二楼窗口"; 津贴, 补贴; 证, 卡, 执照; a step that starts by asking or phoning.
_ZH_PLACE = re.compile(r"[在到去][^，。；、]{0,10}?(?:中心|殡仪馆|馆|站|医院|卫生院|卫生室|窗口|柜台|大厅|派出所|局|银行|网点|"
                       r"登记处|门诊|服务点|村委会)")
_ZH_BENEFIT = re.compile(r"津贴|补贴|补助|救助|抚恤|养老金|失业金|失业保险金|贷款|报销|减免|低保|生活费")
_ZH_ISSUED = re.compile(r"证|卡|执照|牌照|许可")
_ZH_ASKING = re.compile(r"^(?:先)?(?:打电话|电话咨询|咨询|问)")


def either(new: Phrase, old: Phrase | None) -> Phrase | None:
    """A message of this version in its language or, while the language's catalog does not have it yet, the
    older message it replaces (None: nothing is said), so that no script mixes two languages."""
    return new if not new.marked else old


class Untranslated(Exception):
    """Interface words for the air found only in another language (a fallback): no script rather than a mixed one."""


class Air:
    """One language's ways of putting catalogue texts on air, each giving sentences (lines) or nothing."""

    def __init__(self, catalogue: Catalogue, w: Words, speech: Speech) -> None:
        self.catalogue, self.w, self.speech = catalogue, w, speech

    # texts to lines ------------------------------------------------------------------------------
    def said(self, text: str) -> list[str]:
        """Every sentence of a text, long ones split where both halves stand alone (kept whole, and warned
        about, where they cannot be)."""
        if isinstance(text, Phrase) and text.marked:
            raise Untranslated(str(text))
        return self.speech.sentences(self.speech.clean(text))

    def whole(self, text: str) -> list[str]:
        """An optional text: its sentences as written (split at full stops only), or nothing when one of them
        is too long to follow or cannot stand alone (a condition, a time, a list's tail, a noun alone)."""
        if isinstance(text, Phrase) and text.marked:
            raise Untranslated(str(text))
        lines = self.speech.sentences(self.speech.clean(text), split=False)
        if lines and all(not self.speech.too_long(line) and self.speech.stands_alone(line) for line in lines):
            return lines
        return []

    def text(self, value: Any) -> str:
        """A catalogue text in this language, or "" when it is not translated (never said in another language)."""
        return self.w.text(value) if value and self.w.translated(value) else ""

    def items(self, value: Any) -> list[str]:
        return self.w.items(value) if value and self.w.translated(value) else []

    def inside(self, text: str) -> str:
        """A text to put inside a sentence: without its end mark, first letter lower case (not in Chinese)."""
        return self.speech.lower_first(text.strip().rstrip("。.!！?？;；"))

    # what a script says of a service --------------------------------------------------------------
    def name(self, service: Service) -> list[str]:
        """The service's name said as a title. What a name says in brackets is left out but in Chinese, where a
        bracketed everyday word is said after a pause ("申请最低生活保障，低保。"): "Claim maternity pay (maternity
        allowance)" said as "Claim maternity pay, maternity allowance." sounds like a sentence gone wrong."""
        return self.said(self.w._("{name}.").format(name=self.title(self.w.text(service.name))))

    def title(self, name: str) -> str:
        if self.speech.zh:
            return name
        return _BRACKETS.sub("", name).strip() or name

    def named_in(self, service: Service, title: str) -> bool:
        """Whether a step's title names the service already: its name or, in Chinese, the everyday word in its
        brackets ("第四步：打疫苗，领生育津贴。" then not "儿童预防接种，打疫苗。")."""
        name = self.w.text(service.name)
        names = [_BRACKETS.sub("", name).strip()] + (re.findall(r"[（(]([^）)]*)[）)]", name) if self.speech.zh else [])
        return any(n and n.lower() in title.lower() for n in names)

    def own(self, service: Service) -> str:
        """The editor's text for radio in this language, or ""."""
        return (service.radio or {}).get(self.w.lang, "")

    def message(self, service: Service) -> list[str]:
        """What the service gives: the editor's radio text, else the summary (a summary that is surely no
        sentence, "A credit of up to …", is given a verb: "It offers a credit of up to …")."""
        own = self.own(service)
        if own:
            return self.said(own)
        lines: list[str] = []
        for sentence in self.speech.sentences(self.speech.clean(self.w.text(service.summary)), split=False):
            if self.speech.noun_phrase(sentence.rstrip("。.")):
                sentence = self.w._("It offers {text}.").format(text=self.inside(sentence))
            lines += self.said(sentence)
        return lines

    def has_number(self, service: Service) -> bool:
        """Whether what the spot says of the service already has a number in it (an amount, an age, a time)."""
        return bool(re.search(r"\d", self.own(service) or self.w.text(service.summary)))

    def deadline(self, service: Service) -> list[str]:
        """The deadline as a sentence: as written when it is one, else "Remember the deadline: within one month
        of the birth." ("请在孩子出生后一个月内办理。")."""
        text = self.text(service.deadline)
        if not text:
            return []
        if self.speech.has_verb(text):
            lines = self.whole(text)
            if lines:
                return lines
        text = self.inside(text)
        if not self.speech.zh:  # after "Remember the deadline:" a time or an order, one of them, never a list's
            # head ("claims by hand within one year …"): "during the application period in May; see this year's
            # notice for the dates" is said up to its semicolon
            text = re.split(r"\s*;\s*", text)[0]
            first = text.split()[0].strip(",").lower() if text.split() else ""
            if first not in self.speech.grammar("dependent") and (first.endswith("s") or not first.isalpha()):
                return []
        return self.whole(self.w._("Remember the deadline: {text}.").format(text=text))

    def fee(self, service: Service) -> list[str]:
        cost = service.cost
        if not cost or cost.free or not cost.amount or cost.currency not in CURRENCY_SIGNS:
            return []
        amount = f"{CURRENCY_SIGNS[cost.currency]}{cost.amount:g}"
        return self.whole(self.w._("It costs {amount}.").format(amount=amount))

    def key_fact(self, service: Service) -> tuple[list[str], str]:
        """The fact listeners remember, for a spot whose message has no number: the deadline, the fee, else
        the first sentence of the description with a number in it that can be said alone, away from the sentence
        before it (not "In 2026 it is 160 yuan a month."); with what it says as written, to compare with the rest."""
        deadline, fee = self.deadline(service), self.fee(service)
        if deadline:
            return deadline, self.speech.clean(self.text(service.deadline))
        if fee:
            return fee, " ".join(fee)
        said = " ".join(self.message(service))
        return next(((lines, " ".join(lines)) for lines, written, before in self.described(service)
                     if re.search(r"\d", written) and self._followed(before, said)), ([], ""))

    def described(self, service: Service) -> list[tuple[list[str], str, str | None]]:
        """The description's sentences that can be said alone as written (with no phone number of their own:
        one number per spot), each with the sentence as written and, when it points back in its first words ("In
        2026 it is …", "After that, …"), the sentence before it (None when it does not need one)."""
        out = []
        back = self.speech.grammar("back") if not self.speech.zh else frozenset()
        for paragraph in re.split(r"\n+", self.text(service.description)):
            before = ""
            for sentence in (s for s in re.split(r"(?<=[。！？!?])\s*|(?<=\.)\s+", paragraph) if s.strip()):
                if not re.search(r"\d{5,}|\d[\d -]{6,}\d", sentence):
                    lines = self.whole(sentence)
                    if len(lines) == 1:
                        points = {w.strip(",.;:").lower() for w in sentence.split()[:4]} & back
                        out.append((lines, sentence, before if points else None))
                before = sentence
        return out

    def _followed(self, before: str | None, said: str) -> bool:
        """Whether a sentence can be said after what was said: it needs no sentence before it, or what that one
        says was said (the paragraph's first sentence points to nothing: it is never said alone)."""
        return before is None or bool(before) and _repeats(self.speech, [self.speech.clean(before)], said)

    def more(self, service: Service, said: str) -> list[str]:
        """Up to two sentences of the description that say something not said yet."""
        out: list[str] = []
        said_before: list[str] = []  # as written, to tell whether a sentence that points back follows its own
        for lines, written, before in self.described(service):
            known = said + " " + " ".join(out)
            if len(out) < 2 and not _repeats(self.speech, lines, known) and (
                    before is None or before in said_before or self._followed(before, known)):
                out += lines
                said_before.append(written)
        return out

    def who(self, service: Service) -> list[str]:
        """The first condition, as a sentence about the listener: "You can apply if you are 80 or over.",
        "It is for households earning …", "年满八十周岁，就可以申请。"."""
        items = self.items(service.eligibility)
        if not items:
            return []
        item = items[0].strip().rstrip("。.；;")
        if not item:
            return []
        speech = self.speech
        if speech.zh:  # "找工作的人：年满16周岁" is said "找工作的人，年满十六周岁，就可以申请。"
            item = item.replace("：", "，")
            rule = self._rule(item)  # by words: 能 in 能力 is no "can"
            condition = (speech.has_verb(item) or bool(re.search(r"，|在", item))) and not speech.topic(item)
        else:  # a rule when its first clause has the modal ("Anyone who lives here can sign up, wherever …"),
            # not "Your household is registered here; people … can also apply"
            rule = self._rule(re.split(r"[,;]", item)[0])
            condition = speech.main_verb(item) or item.split()[0].lower() in speech.grammar("you") | speech.grammar("definite")
        if rule:  # a rule of its own: "Anyone who lives in the county can sign up"
            text = item
        elif condition:  # "You are 80 or over", "孩子在本县出生"
            text = self.w._("You can apply if {condition}.").format(condition=self.inside(item))
        else:  # who: "Job seekers aged 16 or over", "种粮农民"
            text = self.w._("It is for {text}.").format(text=self.inside(item))
        lines = self.standing(text)
        # split only into rules of their own ("You can apply if your household is registered in the county." |
        # "People registered in another province … can also apply."), never into a condition said as a fact
        # ("Your family is just above the low-income line, …", "孩子到当年八月三十一日满三周岁。")
        return lines if len(lines) == 1 or all(self._rule(line) for line in lines) else []

    def _rule(self, text: str) -> bool:
        """A sentence that says who may or must do something: it has a modal verb ("can", "可以")."""
        if self.speech.zh:
            return bool({word for word, _ in _zh_tagged(text)} & {"可以", "能", "能够", "必须", "申请", "要", "需要", "应当"})
        return bool({w.strip(",;.").lower() for w in text.split()} & self.speech.grammar("modals"))

    def standing(self, text: str) -> list[str]:
        """An optional text split where both halves stand alone ("You can apply if your household is registered
        in the county. | People registered in another province who live here can also apply."), or nothing when a
        sentence is still too long or cannot stand alone."""
        if isinstance(text, Phrase) and text.marked:
            raise Untranslated(str(text))
        lines = self.speech.sentences(self.speech.clean(text))
        return lines if lines and all(not self.speech.too_long(l) and self.speech.stands_alone(l) for l in lines) else []

    def free(self, service: Service) -> list[str]:
        """That it costs nothing, when the message does not say so already."""
        if not service.cost or not service.cost.free or self.benefit(service):
            return []
        return self.whole(self.w._("It is free."))

    def _named(self, service: Service) -> str:
        """What the spot says the service is: its name and its radio text or summary, as written."""
        return " ".join((self.w.text(service.name), self.own(service) or self.w.text(service.summary)))

    def _has_word(self, key: str, text: str) -> bool:
        words = self.speech.grammar(key)
        return bool(words) and bool({w.strip(",.;:()'’").lower() for w in text.split()} & words)

    def benefit(self, service: Service) -> bool:
        """Whether the service pays money to the listener (an allowance, a subsidy, a loan): then "It is free." says
        nothing they need, or sounds as if they were to pay."""
        text = self._named(service)
        return bool(_ZH_BENEFIT.search(text)) if self.speech.zh else self._has_word("benefits", text)

    def issues(self, service: Service) -> bool:
        """Whether the service gives the listener a thing to keep (a certificate, a card, a licence): only then is
        "You get it on the spot." said (not of a vaccination, nor of a registration as a job seeker)."""
        text = self._named(service)
        return bool(_ZH_ISSUED.search(text)) if self.speech.zh else self._has_word("issued", text)

    def asks(self, lines: list[str]) -> bool:
        """Whether a step is itself a call to ask or phone ("Ask at the counter or by phone, …"): a second call to
        action beside the spot's own."""
        text = " ".join(lines).strip()
        if self.speech.zh:
            return bool(_ZH_ASKING.search(text))
        return bool(text) and text.split()[0].strip(",.").lower() in self.speech.grammar("asking")

    def says_a_place(self, lines: list[str]) -> bool:
        """Whether lines send listeners to a place: one of the service's, the village agent, or any place named
        after a preposition ("at the human resources counter", "在县殡仪馆结账时")."""
        text = " ".join(lines)
        if self.speech.zh:
            return bool(_ZH_PLACE.search(text))
        places, before = self.speech.grammar("places"), self.speech.grammar("prepositions")
        for clause in re.split(r"[,.;:]", text.lower()):
            words = clause.split()
            if any(word in places and set(words[max(0, i - 5):i]) & before for i, word in enumerate(words)):
                return True
        return False

    def time(self, service: Service) -> list[str]:
        """How long until the result: "You get it on the spot.", "It usually takes 20 working days."."""
        if not service.processing_time:
            return []
        if not re.search(r"[1-9]", service.processing_time):  # P0D: said only of a thing to take home
            return self.whole(self.w._("You get it on the spot.")) if self.issues(service) else []
        return self.whole(self.w._("It usually takes {time}.").format(time=self.w.time(service)))

    def _conditional(self, item: str) -> bool:
        """A document only some people bring ("有单位的，由单位提供…", "Proof of transfer if you paid …",
        "For a child under 16, …")."""
        if self.speech.zh:  # "找工作的人：…" is for some people too
            return bool(re.search(r"的，|的,|有的话|如果|：|[（(][^）)]*的[^）)]*[）)]", item))
        words = [w.strip(",.;:()").lower() for w in item.split()]
        return bool(set(words) & self.speech.grammar("if")) or (bool(words) and words[0] in self.speech.grammar("dependent"))

    def _document(self, item: str) -> str:
        """A document's name alone: without what is said of it in brackets or after a semicolon."""
        name = re.sub(r"\s*[（(][^）)]*[）)]", "", item).strip()
        if self.speech.zh:
            name = re.split(r"[，；,;：:]", name)[0]
            return name if 0 < self.speech.length(name) <= 14 and not re.search(r"不|带|拍|填", name) else ""
        name = re.split(r"\s*[;:]\s*", name)[0]
        if self.speech.auxiliary(name):  # a remark, not a document: "No photo needed, as it is taken free …"
            return ""
        head, comma, rest = name.partition(", ")
        if comma and rest.split() and rest.split()[0].lower() in self.speech.grammar("dependent"):
            name = head
        return name if 0 < len(name.split()) <= 8 and not self.speech.has_verb(name) else ""

    def joined(self, name: str) -> bool:
        """Whether a name has the word that joins the last two of a list ("and", "和") in it already."""
        word = self.w.list(["\ue000", "\ue001"]).split("\ue000")[-1].split("\ue001")[0].strip(" ,、，")
        return bool(word) and (word in name if self.speech.zh else word in name.lower().split())

    def documents(self, service: Service) -> list[str]:
        """What to bring, summed up: the one or two documents everyone needs, then whom to ask for the rest
        (the village agent, else the number); all of them when they are few. Never the list item by item."""
        items = self.items(service.documents)
        if not items:
            return []
        first = items[0]
        if self.speech.zh:
            sentence = bool(re.search(r"不需要|不用|无需|就能|就可以", first))
        else:  # a sentence in its first clause: not "Your resident ID card, …; one is enough", "Your household
            # register (if you are registered in the county)"
            clause = re.split(r"\s*[;:]\s*", _BRACKETS.sub("", first))[0]
            sentence = self.speech.main_verb(clause) and first.split()[0].lower() in (
                self.speech.grammar("subjects") | self.speech.grammar("you"))
        if sentence and self.speech.stands_alone(first):
            return self.whole(first)  # "You do not need any documents, only a mobile phone."
        named = [name for name in (self._document(item) for item in items if not self._conditional(item)) if name]
        if not named:
            return []
        if any(self.joined(name) for name in named[:2]):  # "护照和签证" and "住宿登记表": no "和 … 和"
            named = named[:1]
        everything = len(named) == len(items) <= 3
        agent = any(c.type == "village-agent" for c in service.channels)
        # Going with them ("Bring …") only when the first way in is a place; for a service done on the phone or
        # online first ("by a face scan on your phone") they are what you need ready.
        w = self.w
        if service.channels and service.channels[0].type in IN_PERSON:
            all_of, with_agent, by_phone = (w._("Bring {documents}."),
                                            w._("Bring {documents}, and ask your village agent what else to bring."),
                                            w._("Bring {documents}, and call to ask what else to bring."))
        else:
            all_of = either(w._("You need {documents}."), w._("Bring {documents}."))
            with_agent = either(w._("You need {documents}; ask your village agent what else you need."),
                                w._("Bring {documents}, and ask your village agent what else to bring."))
            by_phone = either(w._("You need {documents}; call to ask what else you need."),
                              w._("Bring {documents}, and call to ask what else to bring."))
        for chosen in ([named] if everything else []) + [named[:2], named[:1]]:
            message = all_of if everything and chosen is named else with_agent if agent else by_phone
            lines = self.whole(message.format(documents=self.w.list([self.speech.lower_first(n) for n in chosen])))
            if lines:
                return lines
        return []

    def first_step(self, service: Service) -> list[str]:
        """The first thing to do, said as the catalogue has it ("Book a time online."), never "First, …"."""
        items = self.items(service.steps)
        if not items:
            return []
        # said whole or not at all: a step split in two leaves a half said alone ("做实名认证。", "填写申请表。")
        return self.whole(items[0])

    def listing(self, text: str) -> bool:
        """A text that lists or names things rather than saying something: a noun phrase ("A monthly payment when
        you retire"), a list first ("Claiming your pension, the yearly check that you still qualify, and …"), or
        in Chinese a list or what ends with a noun ("看病报销、大病救助和家庭医生", "驾驶证换证和机动车年检", "…，以及家庭
        困难学生的资助"), not a label of its own ("亲人去世后要办的事：…")."""
        text = text.strip().rstrip("。.")
        speech = self.speech
        if speech.zh:
            if re.search(r"[：。！？]", text):
                return False
            tagged = _zh_tagged(text)
            return "、" in text or bool(tagged) and tagged[-1][1].startswith(("n", "j"))
        if speech.noun_phrase(text):
            return True
        words = text.lower().split()
        if not words or words[0] in speech.grammar("subordinating"):
            return False
        comma = next((i for i, word in enumerate(words[:3]) if word.endswith(",")), None)
        return comma is not None and bool({w.strip(",.") for w in words[comma + 1:]} & speech.grammar("joining"))

    def points_to_a_place(self, service: Service, lines: list[str]) -> bool:
        """Whether lines say where to go or whom to ask: they name one of the service's places, by the last words
        of its name ("the town service centre", "到镇便民服务中心"), or the village agent."""
        said = " ".join(lines).lower()
        for channel in service.channels:
            if not channel.office:
                continue
            for part in re.split(r"[,，、]", _BRACKETS.sub("", self.w.name_of("offices", channel.office))):
                part = part.strip().lower()
                head = part[-3:] if self.speech.zh else " ".join(part.split()[-2:])
                if head and head in said:
                    return True
        return self.names_agent(lines)

    def names_agent(self, lines: list[str]) -> bool:
        """Whether lines name the village agent (as the language's catalog calls them on air; not known until it
        has the word)."""
        # Translators: the person who helps villagers with services, as said on air ("村代办员"); used to tell a
        # sentence that sends listeners to them, so that they are not sent twice.
        agent = self.w.pgettext("spoken", "village agent")
        return agent.lang is None and bool(str(agent).strip()) and str(agent).lower() in " ".join(lines).lower()

    @staticmethod
    def _office(service: Service) -> Channel | None:
        return next((c for c in service.channels if c.type == "office" and c.office), None)

    def place(self, service: Service) -> str:
        """The first office's name as said, or ""."""
        channel = self._office(service)
        return self.speech.clean(self.w.name_of("offices", channel.office)) if channel else ""

    def where(self, service: Service) -> list[str]:
        """Where to go (the first office) and, when it is said in one short sentence, when it is open."""
        channel = self._office(service)
        if channel is None or not channel.office:
            return []
        # Not every service is applied for (a vaccination, a family doctor): where to go, said as going there.
        place = either(self.w._("You can go to {place}."), self.w._("You can apply at {place}."))
        lines = self.whole(place.format(place=self.w.name_of("offices", channel.office)))
        hours = self.w.hours_at(channel)
        if lines and len(hours) == 1:
            lines += self.whole(self.w._("It is open {hours}.").format(hours=hours[0]))
        return lines

    # the call to action ---------------------------------------------------------------------------
    def sms_action(self, service: Service) -> Channel | None:
        """The service's first way in, when it is a text message with a keyword: that is what listeners do."""
        first = service.channels[0] if service.channels else None
        return first if first and first.type == "sms" and first.number and first.keyword else None

    def action(self, service: Service, phone: str | None, said_before: list[str], agent_named: bool = False) -> list[str]:
        """One call to action and the number to act on again at the very end: text the keyword to the SMS
        number, or ask the village agent (unless the spot has just named them) or call, or call. A number the
        message already says is only repeated."""
        sms = self.sms_action(service)
        if sms:
            number = self.speech.phone(sms.number)
            act = self.w._("Text {keyword} to {number}.").format(keyword=sms.keyword, number=number)
            again = self.said(self.w._("Again: text {keyword} to {number}.").format(keyword=sms.keyword, number=number))
        elif phone:
            number = self.speech.phone(phone)
            agent = any(c.type == "village-agent" for c in service.channels) and not agent_named
            act = (self.w._("Ask your village agent or call {phone}.") if agent
                   else self.w._("To find out more, call {phone}.")).format(phone=number)
            again = self.said(self.w._("That number again: {phone}.").format(phone=number))
        else:
            return []
        if any(number in line for line in said_before):
            return again
        return self.said(act) + again


def _fit(speech: Speech, seconds: int, core: list[str], optional: list[tuple[str, list[str]]],
         closing: list[str]) -> tuple[list[str], list[str]]:
    """The core, then each optional part in order if it still fits, then the closing; and what was left out. The
    name is not said when the next line restates it, longer ("Renew your driving licence." then "Renew your driving
    licence in the ninety days …": _echoes)."""
    lines, left_out = list(core), []
    start = 1 if len(core) > 1 and len(core[1]) > len(core[0]) and _echoes(speech, core[0], core[1]) else 0
    for name, part in optional:
        # a line that says again what a line said already (but the name) is not said
        part = [line for line in part if not _overlaps(speech, line, lines[1:], core[0] if core else "")]
        if not part:
            continue
        if speech.seconds(" ".join(lines[start:] + part + closing)) <= seconds:
            lines += part
        else:
            left_out.append(name)
    return lines[start:] + closing, left_out


def _timing(w: Words, segment: bool, speech: Speech, seconds: int, lines: list[str]) -> dict[str, Any]:
    """The presenter's note on length: the target and the estimate, in seconds and in words (characters in Chinese)."""
    text = " ".join(lines)
    estimate, capacity, length = speech.seconds(text), speech.capacity(seconds), speech.length(text)
    # Translators: {count} is what the reading speed counts in your language: words (characters in Chinese).
    said = w.ngettext("{seconds} s ({count} word)", "{seconds} s ({count} words)", length).format(
        seconds=round(estimate), count=length)
    if segment:
        target = w.ngettext("{seconds} s (about {count} word)", "{seconds} s (about {count} words)", capacity)
        header = w._("Segment, about three minutes: target {target}; estimated {estimate}")
    else:
        target = w.ngettext("{seconds} s (at most {count} word)", "{seconds} s (at most {count} words)", capacity)
        header = w._("{seconds}-second spot: target {target}; estimated {estimate}")
    return {"header": header.format(seconds=seconds, target=target.format(seconds=seconds, count=capacity), estimate=said),
            "estimate": estimate, "lines": lines}


def on_air(w: Words, service: Service) -> bool:
    """A service said in this language: its name and summary are in it (other texts are left out when not)."""
    return service.status != "withdrawn" and w.translated(service.name) and w.translated(service.summary)


def on_air_event(w: Words, event: LifeEvent) -> bool:
    return w.translated(event.name) and all(w.translated(step.title) for step in event.steps)


def spots(catalogue: Catalogue, service: Service, w: Words, speech: Speech, phone: str | None
          ) -> tuple[list[dict[str, Any]], list[str]]:
    """The 30-second spot and, when there is enough to say for it, the 60-second one; and the file's notes."""
    air = Air(catalogue, w, speech)
    core = air.name(service) + air.message(service)
    own = bool(air.own(service))  # the editor's text says what the rules would choose (key fact, who it is for)
    message = " ".join(core)
    key, fact = ([], "") if own or air.has_number(service) else air.key_fact(service)
    key = [] if _repeats(speech, [fact], message) else key
    who = [] if own else air.who(service)
    deadline = [] if own else air.deadline(service)
    cost = air.free(service) or air.fee(service)
    more = air.more(service, " ".join([message] + key + who))
    sayable = air.first_step(service)
    place, where = air.place(service), air.where(service)
    # not when it says again what was said ("The village agent checks how much land you farm, …")
    # nor when it is a call to ask or phone of its own ("Ask at the counter or by phone, …"): one call to action
    first_step = [] if _repeats(speech, sayable, " ".join([message] + key + who + more)) or air.asks(sayable) else sayable
    # One call to action: a first step that sends listeners somewhere ("Apply at the town service centre, through
    # your village agent, or phone for a home visit.") is said in place of "You can apply at …", and the call then
    # does not send them to the village agent again ("To find out more, call …").
    # A first step said is a call to action of its own ("Find a course on …", "下载或到学校领取…申请表"): with the
    # closing call it makes two, and "You can go to …" would be a third.
    sends = bool(first_step)
    # "You can go to …" only for a service begun at a place, and not when a place was said already ("在县殡仪馆结账时
    # 当场减免。"): a service done online or on the phone first has its own way in ("the worker usually does not need
    # to go to a counter")
    if not service.channels or service.channels[0].type not in IN_PERSON or air.says_a_place(core + key + more):
        where = []
    parts = {KEY_FACT: key, WHO: who, MORE: more, BRING: air.documents(service),
             WHEN: [] if deadline == key or _repeats(speech, [speech.clean(air.text(service.deadline))], message) else deadline,
             COST: [] if cost == key or _repeats(speech, cost, message) else cost, TIME: air.time(service),
             FIRST_STEP: first_step, WHERE: [] if place and place in " ".join(first_step) else where}
    closing = air.action(service, phone, core)
    if air.names_agent(closing):  # the call already names a way in ("可找村代办员办理，或打…"): not a place before it
        parts[WHERE] = []
    out = []
    for seconds, names in ((30, (KEY_FACT, WHO)), (60, (KEY_FACT, WHO, MORE, BRING, WHEN, COST, TIME, FIRST_STEP, WHERE))):
        if seconds == 60 and sends:
            lines, left_out = _fit(speech, seconds, core, [(n, parts[n]) for n in names if parts[n] and n != WHERE],
                                   air.action(service, phone, core, agent_named=air.names_agent(first_step)))
            if FIRST_STEP in left_out:  # it did not fit: where to go, as the rules say it, and the usual call
                lines, left_out = _fit(speech, seconds, core, [(n, parts[n]) for n in names if parts[n] and n != FIRST_STEP],
                                       closing)
                left_out = [n for n in names if n in left_out or n == FIRST_STEP]
        else:
            lines, left_out = _fit(speech, seconds, core, [(name, parts[name]) for name in names if parts[name]], closing)
        piece = _timing(w, False, speech, seconds, lines)
        piece["notes"] = [w._("Left out to fit: {parts}").format(parts=w.list([w._(p) for p in left_out]))] if left_out else []
        if piece["estimate"] > seconds:
            piece["notes"].append(w._("TOO LONG: this spot needs {estimate} s even with only the name, the summary "
                                      "and the phone number").format(estimate=round(piece["estimate"])))
        piece["seconds"] = seconds
        out.append(piece)
    notes = []
    short, long = out
    # made when it fills its time and says more than the 30-second spot (or is the one spot that fits)
    # (the note's estimate is rounded down, so that it never reads "takes 48 s, … needs at least 48 s")
    if long["estimate"] < FILLED * 60 or long["estimate"] <= short["estimate"] <= 30:
        out = [short]
        notes.append(w._("No 60-second spot: all there is to say takes {estimate} s, and a 60-second spot needs "
                         "at least {least} s").format(estimate=math.floor(long["estimate"]), least=math.ceil(FILLED * 60)))
    # what the catalogue has but cannot be said as written (named so that an editor can rewrite it)
    written = {WHO: None if own else service.eligibility, BRING: service.documents, FIRST_STEP: service.steps,
               WHEN: None if own else service.deadline}
    unsaid = [name for name, field in written.items() if field and w.translated(field) and not parts[name]
              and not (name == WHEN and deadline) and not (name == FIRST_STEP and sayable)]
    if unsaid:
        notes.append(w._("Not said on air, as written too long or not a sentence: {parts}").format(
            parts=w.list([w._(p) for p in unsaid])))
    return out, notes


def _echoes(speech: Speech, before: str, after: str) -> bool:
    """Whether one of two lines said one after the other restates the other ("Renew your driving licence." then
    "Renew your driving licence in the ninety days …"; "清税后办理注销登记。" then "企业注销登记。"): they start with the
    same three content words, or in Chinese the shorter, one clause, has most of its pairs of characters (three at
    least) in the line before it or, when it comes first, in the start of the next."""
    if speech.zh:
        def bigrams(text: str) -> list[str]:
            chars = re.findall(r"[\u3400-\u9fff]", text)
            return [a + b for a, b in zip(chars, chars[1:])]
        short, long = sorted((before, after), key=len)
        if re.search(r"[，：；、]", short.rstrip("。！？")):
            return False
        if short is after:  # said again after, anywhere in the line before ("企业注销登记。")
            known = set(bigrams(long))
        else:  # or restated by the start of the next line ("领取电子社保卡。" then "领取电子社保卡，…")
            known = set(bigrams("".join(re.findall(r"[\u3400-\u9fff]", long))[:len(bigrams(short)) + 3]))
        pairs = bigrams(short)
        shared = sum(pair in known for pair in pairs)
        return shared >= 3 and shared >= 0.6 * len(pairs)
    first, second = (_content_words(speech, line)[:3] for line in (before, after))
    return len(first) == 3 and first == second


def _unechoed(speech: Speech, lines: list[str], keep: int = 0) -> list[str]:
    """Lines without the shorter of two following lines that say the same (_echoes); the last `keep` lines (the
    call to action and the number again) are kept as they are."""
    body, tail = (lines[:-keep], lines[-keep:]) if keep else (lines, [])
    out: list[str] = []
    for line in body:
        if out and _echoes(speech, out[-1], line):
            if len(line) > len(out[-1]):
                out[-1] = line
            continue
        out.append(line)
    return out + tail


def _repeats(speech: Speech, lines: list[str], said: str) -> bool:
    """Whether lines mostly say again what was said ("within one month of the birth" after "… within one
    month"): most of their words (in Chinese, pairs of characters) are in it already."""
    text = " ".join(lines)
    if not text:
        return False
    if speech.zh:
        def bigrams(words: str) -> set[str]:
            chars = re.findall(r"[\u3400-\u9fff]", words)
            return {a + b for a, b in zip(chars, chars[1:])}
        pairs, known = bigrams(text), bigrams(said)
    else:
        pairs = {w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) > 2}
        known = set(re.findall(r"[^\W\d_]+", said.lower()))
    return bool(pairs) and len(pairs & known) >= 0.6 * len(pairs)


_ZH_CONTENT = ("n", "v", "a", "m", "t", "q", "s", "j", "l", "i")  # jieba's word classes that carry content
_ZH_FILLER = frozenset({"一般", "可以", "要", "就", "都", "也", "还", "能", "会", "办", "办理", "您", "的"})


def _content(speech: Speech, line: str) -> tuple[set[str], set[str]]:
    """A line's content words and its figures: in Chinese jieba's words (numbers, 一个, are the figures); elsewhere
    the words that are not grammar words, by their first four letters ("nursery" and "nurseries", "apply" and
    "applications"), and the numbers said in words (but "one": "one parent", "one-stop")."""
    if speech.zh:
        words = {w for w, flag in _zh_tagged(line) if flag.startswith(_ZH_CONTENT) and w not in _ZH_FILLER}
        return words, {w for w, flag in _zh_tagged(line) if flag.startswith("m")}
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", line)]
    return set(_content_words(speech, line)), {w for w in words if w in _NUMBER_WORDS}


def _content_words(speech: Speech, line: str) -> list[str]:
    """A line's content words in order, not in Chinese (_content)."""
    grammar = set().union(*(speech.grammar(key) for key in ("verbs", "subjects", "you", "articles", "definite", "if",
                                                             "subordinating", "prepositions", "back", "joining")))
    written = re.findall(r"[^\W\d_]+", line)
    words = [w.lower() for w in written]
    # a capital inside a sentence is a name, not a grammar word: "May" the month is not "may"
    return [w[:4] for n, (w, as_written) in enumerate(zip(words, written)) if len(w) > 2 and w not in _NUMBER_WORDS
            and w != "one" and (w not in grammar or n and as_written[0].isupper())]


_NUMBER_WORDS = frozenset("zero two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                          "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
                          "ninety hundred thousand million".split())


def _overlaps(speech: Speech, line: str, said: list[str], topic: str = "") -> bool:
    """Whether a line says again what one line already said, in other words ("住宾馆的，由宾馆帮您登记。" and "外国人住
    在宾馆、酒店的，由宾馆帮您登记，不用自己办。"; "Apply online each May …" and "… take applications online every
    May."): most of the content words of the shorter of the two, three at least, are in the other (half of them, two
    at least, when they give the same figures), or they start with the same condition ("If you are out of work and want a job, …" and "If you
    have no job and want one, …"). The words of the topic (a spot's name: "driving licence") do not count."""
    named = _content(speech, topic)[0] if topic else set()
    words, figures = _content(speech, line)
    words -= named
    for before in said:
        known, known_figures = _content(speech, before)
        known -= named
        if speech.zh:  # a word inside another is the same word: 工作日 and 工作日内
            shared = sum(any(len(b) > 1 and (a in b or b in a) for b in known) for a in words if len(a) > 1) + len(
                {a for a in words if len(a) == 1} & known)
        else:
            shared = len(words & known)
        least = min(len(words), len(known))
        same_figures = bool(figures) and figures <= known_figures
        if shared >= (2 if same_figures else 3) and shared >= (0.5 if same_figures else 0.6) * least:
            return True
        if not speech.zh:  # the same condition first
            head, head_before = (re.split(r",", text)[0] for text in (line, before))
            first = {head.split()[0].lower() if head.split() else "", head_before.split()[0].lower() if head_before.split() else ""}
            if len(first) == 1 and first <= speech.grammar("subordinating") and head != line and head_before != before:
                a, b = _content(speech, head)[0], _content(speech, head_before)[0]
                if len(a & b) >= 2 and len(a & b) >= 0.6 * min(len(a), len(b)):
                    return True
    return False


def intro(catalogue: Catalogue, event: LifeEvent, air: Air) -> list[str]:
    """"This is the … programme. Today we talk about having a child." and the life event's description: said
    alone when it is a sentence, after a colon when it is a list or a title ("Today we talk about driving: renewing
    your driving licence and the annual vehicle inspection."), or not at all when neither fits."""
    w, speech = air.w, air.speech
    directory = w.text(catalogue.directory.name)
    first, _, rest = directory.partition(" ")
    if rest and first.lower() in speech.grammar("definite"):  # "The Riverside Guide": "the … programme" once
        directory = rest
    name = speech.lower_first(w.text(event.name))
    # The programme's name is a name whatever it is ("Example County Public Services Guide", "Test County"): said
    # as "the … programme", it needs no article of its own.
    plain = either(w._("This is the {directory} programme. Today we talk about {name}."),
                   w._("This is {directory}. Today we talk about {name}."))
    colon = either(w._("This is the {directory} programme. Today we talk about {name}: {text}."),
                   w._("This is {directory}. Today we talk about {name}: {text}."))
    said = air.said(plain.format(directory=directory, name=name))
    description = air.text(event.description)
    if not description:
        return said
    merged = air.whole(colon.format(directory=directory, name=name, text=air.inside(description)))
    if air.listing(description):  # never said alone: "Claiming your pension, the yearly check …."
        return merged or said
    alone = air.whole(description)
    if alone and all(speech.has_verb(line) for line in alone):
        return said + alone
    return merged or said


def segment(catalogue: Catalogue, event: LifeEvent, w: Words, speech: Speech) -> dict[str, Any]:
    """A walk through a life event's journey, step by step (or its services in turn), then the help line.
    No sentence is said twice (but the help line's number, on purpose)."""
    air = Air(catalogue, w, speech)
    services = catalogue.by_id["services"]
    opening = intro(catalogue, event, air)
    if event.steps:
        groups = [(air.said(w._("Step {number}: {title}.").format(number=speech.number(n), title=w.text(step.title))),
                   w.text(step.title), list(step.services)) for n, step in enumerate(event.steps, 1)]
    else:
        groups = [([], "", [s.id for s in catalogue.services if event.id in s.life_events and s.status != "withdrawn"])]
    groups = [(head, title, [sid for sid in ids if on_air(w, services[sid])]) for head, title, ids in groups]

    def about(sid: str, level: int, title: str, alone: bool) -> list[str]:
        """What the segment says of one service, from its name alone (0) to where to go (6; SEGMENT_PARTS), in the
        order a listener needs it: what it gives, the key fact, who it is for, what to bring, the first step, where.
        A step's first service is introduced by the step's title: its name is not said after it (\"Step four:
        Vaccinations and maternity pay.\" then not \"Vaccinations for your child.\"); the next ones are named."""
        service = services[sid]
        lines = [] if alone and title or title and air.named_in(service, title) else air.name(service)
        said = air.message(service) if level >= 1 else []
        lines += said
        own = bool(air.own(service))  # an editor's radio text says the key fact and who it is for
        if level >= 5 and not own and not air.has_number(service):
            key, fact = air.key_fact(service)
            if key and not _repeats(speech, [fact], " ".join(said)):
                lines += key
        if level >= 4 and not own:
            lines += air.who(service)
        if level >= 3:
            lines += air.documents(service)
        if level >= 2:
            first = air.first_step(service)
            if first and not _repeats(speech, first, " ".join(lines)):
                lines += first
        if level >= 6 and not air.points_to_a_place(service, lines):
            lines += air.where(service)
        # what the service's part says again in other words is not said ("Both of you go to the marriage registry
        # together …" then "Go to the marriage registry together with your ID cards …"); the name is not compared
        named = 0 if alone and title or title and air.named_in(service, title) else len(air.name(service))
        out = lines[:named]
        for line in lines[named:]:
            if not _overlaps(speech, line, out[named:]):
                out.append(line)
        return out

    agent = [any(any(c.type == "village-agent" for c in services[sid].channels) for sid in ids) for _, _, ids in groups]
    helped: list[str] = []
    phone = catalogue.directory.feedback.get("phone")
    spoken_phone = speech.phone(phone) if phone else ""
    call = w._("For help with any of these, call {phone}.")
    if any(agent):
        if all(agent) and event.steps or not event.steps and all(
                any(c.type == "village-agent" for c in services[sid].channels) for sid in groups[0][2]):
            helped = air.said(w._("Your village agent can help you with all of this."))
        elif event.steps:
            things = w.list([speech.lower_first(w._("Step {number}").format(number=speech.number(n)))
                             for n, has in enumerate(agent, 1) if has])
            helped = air.whole(w._("Your village agent can help you with {things}.").format(things=things))
        else:  # some of the services: the agent in the call to action, not a list of names said as sentences
            # ("… help you with Move your household registration and Apply for land …")
            call = either(w._("For help with any of these, ask your village agent or call {phone}."), call)
    closing = (air.said(call.format(phone=spoken_phone)) +
               air.said(w._("That number again: {phone}.").format(phone=spoken_phone))) if phone else []

    def body(level: int) -> list[str]:
        lines = [line for head, title, ids in groups
                 for line in head + [x for n, sid in enumerate(ids) for x in about(sid, level, title, n == 0)]] + helped
        seen: set[str] = set(opening)
        out = []
        for line in lines:  # a sentence already said is not said again
            if line not in seen:
                seen.add(line)
                out.append(line)
        return out

    bodies = [body(level) for level in range(len(SEGMENT_PARTS) + 1)]
    fitting = [level for level, lines in enumerate(bodies)
               if speech.seconds(" ".join(opening + lines + closing)) <= SEGMENT_MOST] or [0]
    level = max(fitting)
    piece = _timing(w, True, speech, SEGMENT, _unechoed(speech, opening + bodies[level] + closing, len(closing)))
    missing = [w._(part) for part in SEGMENT_PARTS[level:]]
    piece["notes"] = [w._("Left out to fit: {parts}").format(parts=w.list(missing))] if missing else []
    return piece


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/radio/<lang>/<id>.txt (spots) and print/radio/<lang>/life-event-<id>.txt (a segment)."""
    env = environment("scripts", html=False)
    spot_template, segment_template = env.get_template("radio-spot.txt"), env.get_template("radio-segment.txt")
    problems: list[Problem] = []
    for lang in catalogue.directory.languages:
        silent = why_silent(lang)
        if silent:  # a script in another language's numbers would be worse than none
            problems.append(Problem(f"{catalogue.root}/directory.yml", 1, 1, "warning",
                                    f"no radio scripts in {lang!r}: {silent}"))
            continue
        try:
            files, found = _language(catalogue, lang, spot_template, segment_template)
        except Untranslated as words:
            problems.append(Problem(f"{catalogue.root}/directory.yml", 1, 1, "warning", f"no radio scripts in "
                                    f"{lang!r}: words said on air are not translated ({words}); translate them in "
                                    f"{catalog_path(lang)}"))
            continue
        for path, text in files.items():
            stage.write(path, text)
        problems += found
    return problems


def _language(catalogue: Catalogue, lang: str, spot_template: Any, segment_template: Any
              ) -> tuple[dict[str, str], list[Problem]]:
    """One language's scripts (path -> text) and problems; raises Untranslated before anything is written."""
    w, speech = Words(catalogue, lang), Speech(lang, unbroken_numbers=True)
    air = Air(catalogue, w, speech)
    folder = f"print/radio/{lang_path(lang)}"
    files: dict[str, str] = {}
    problems: list[Problem] = []
    silent = [s.id for s in catalogue.services if s.status != "withdrawn" and not on_air(w, s)]
    if silent:
        problems.append(Problem(f"{catalogue.root}/directory.yml", 1, 1, "notice", f"no radio script in {lang!r} "
                                f"for {len(silent)} services whose name or summary is not in that language: "
                                f"{', '.join(silent[:5])}{' …' if len(silent) > 5 else ''}"))
    for service in catalogue.services:
        if not on_air(w, service):
            continue
        phone = contact_phone(catalogue, service)
        pieces, notes = spots(catalogue, service, w, speech, phone)
        sms = air.sms_action(service)
        number = (w._("Number to text, as printed: {number}").format(number=sms.number) if sms else
                  w._("Phone number as printed: {phone}").format(phone=w.phone(phone).shown) if phone else "")
        path = f"{folder}/{service.id}.txt"
        files[path] = spot_template.render(**w.jinja(), name=w.text(service.name), spots=pieces, notes=notes,
                                           number=number)
        where = f"{catalogue.root}/{service.source}"
        problems += [Problem(where, 1, 1, "warning", f"radio {path}: the {p['seconds']}-second spot needs about "
                             f"{round(p['estimate'])} s; shorten the service's name or summary")
                     for p in pieces if p["estimate"] > p["seconds"]]
        if not phone and not sms:
            problems.append(Problem(where, 1, 1, "warning", f"radio {path}: no phone number to give on air"))
        problems += [Problem(where, 1, 1, "warning", f"radio {path}: a sentence too long to follow on air, "
                             f"with no clause break to split it at: {line!r}; shorten the name or summary, "
                             f"or write the service's radio text")
                     for line in dict.fromkeys(l for p in pieces for l in p["lines"]) if speech.too_long(line)]
    for event in catalogue.life_events:
        if not on_air_event(w, event):
            problems.append(Problem(f"{catalogue.root}/life-events.yml", 1, 1, "notice", f"no radio segment in "
                                    f"{lang!r} for life event {event.id!r}: its name or steps are not in that language"))
            continue
        piece = segment(catalogue, event, w, speech)
        path = f"{folder}/life-event-{event.id}.txt"
        files[path] = segment_template.render(**w.jinja(), name=w.text(event.name), segment=piece,
                                              phone=w.phone(catalogue.directory.feedback["phone"]).shown
                                              if catalogue.directory.feedback.get("phone") else "")
        if piece["estimate"] > SEGMENT_MOST:
            problems.append(Problem(f"{catalogue.root}/life-events.yml", 1, 1, "warning",
                                    f"radio {path}: the segment needs about {round(piece['estimate'])} s, "
                                    f"more than about three minutes"))
    return files, problems
