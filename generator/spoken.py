"""Text for the ear: numbers, phone numbers and times spelled as spoken, symbols removed, reading time."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from .i18n import catalog_path, interface

# Reading speeds for rural and older listeners (newsreaders reach 250-270 characters a minute).
CHARACTERS_PER_MINUTE = 200  # Chinese
WORDS_PER_MINUTE = 160  # English and other languages written with spaces
LONGEST_SENTENCE = {"zh": 25, "en": 20}  # characters (Chinese) or words

# Broadcasters read 1 as 幺 in numbers said digit by digit, so that it is not heard as 7 (七).
_ZH_DIGITS = "零幺二三四五六七八九"
_ZH_PLAIN_DIGITS = "零一二三四五六七八九"  # after a decimal point, as amounts are read
URL_OR_EMAIL = _URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|gov|cn|net)(?:/\S*)?",
                  re.IGNORECASE)
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?!\d)|(?<!\d)(24):(00)(?!\d)")
_RANGE = re.compile(r"(\d)\s*[–-]\s*(\d)")
# Digit runs read digit by digit, not as quantities: phone-like groups (0579-8120-0001), international
# numbers after their "+" (+86 10 1234 5678), numbers with a leading zero, and runs too long to be an
# amount (account or ID numbers; cn2an stops at 16 digits).
_DIGIT_RUN = re.compile(r"(?<!\d)(?<!\d[.,:])(?:(?<=\+)\d{1,3}(?:[ -]\d{1,4}){2,5}|\d{3,4}(?:[ -]\d{3,4}){1,3}|0\d+|\d{9,})"
                        r"(?!\d|[.,:]\d)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CLAUSE_END = re.compile(r"(?<=[，；。！？])|(?<=[,;.!?])(?=\s|$)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ANY_DIGIT = re.compile(r"[^\D0-9]")  # a decimal digit of any script but 0-9
_LONG_NUMBER = re.compile(r"\d{17,}(?:\.\d+)?|\d+\.\d{17,}")  # cn2an stops at 16 digits either side of the point
_CURRENCY = re.compile(r"([¥￥$€])\s*(\d+(?:\.\d+)?)")
_CURRENCIES = {"¥": "元", "￥": "元", "$": "美元", "€": "欧元"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


# Chinese is read by cn2an's rules below. Every other language is read with num2words (its numbers, years
# and digits in words) and the words around them from the interface's gettext catalog (context "spoken":
# clock times, "point", "per cent", currencies, "or"/"and"): a translator who translates those gives the
# language its radio. Until both are there it gets no radio script, rather than one that reads its numbers
# in another language's words. Japanese and Thai are written without spaces between words, which the
# reading-time and sentence rules here count by: not yet.
CHINESE_NUMERALS = "cn2an"
UNSPACED = {"ja", "th"}
SPOKEN = "spoken"  # the gettext context of the words said around numbers (written out in each S_ for extraction)


def S_(context: str, message: str) -> str:
    """Marks a message with a context for `pybabel extract` (keyword S_:1c,2); translated where it is used."""
    return message


def NS_(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with plural forms and a context (keyword NS_:1c,2,3); translated where it is used."""
    return singular, plural


# Translators: these are read aloud on the radio, around numbers written in words by num2words.
TIME_PARTS = (S_("spoken", "in the morning"), S_("spoken", "in the afternoon"), S_("spoken", "in the evening"))
WORDS = {
    # Translators: a decimal number read aloud: {whole} and {digits} are already words ("two point zero five").
    "point": S_("spoken", "{whole} point {digits}"),
    # Translators: a percentage read aloud: {number} is the number, already in words.
    "per cent": S_("spoken", "{number} per cent"),
    # Translators: a range of numbers read aloud ("10-20"): both are already in words.
    "range": S_("spoken", "{first} to {last}"),
    # Translators: said for "/" between two words ("ID card/passport").
    "/": S_("spoken", "or"),
    # Translators: said for "&" ("tax & benefits").
    "&": S_("spoken", "and"),
    # Translators: said for "+" ("60+").
    "+": S_("spoken", "plus"),
    # Translators: said for "=".
    "=": S_("spoken", "is"),
    # Translators: a clock time at 12:00.
    "midday": S_("spoken", "midday"),
    # Translators: a clock time at 00:00 or 24:00.
    "midnight": S_("spoken", "midnight"),
    # Translators: an amount of money read aloud: {amount} is a number in digits, read in words afterwards.
    "¥": S_("spoken", "{amount} yuan"),
    "$": S_("spoken", "{amount} dollars"),
    "€": S_("spoken", "{amount} euros"),
    # Translators: an amount with cents: {money} is "25 dollars" said as above, {cents} the cents ("twenty-five
    # dollars fifty"; Spanish "{money} con {cents}").
    "cents": S_("spoken", "{money} {cents}"),
    # Translators: words that cannot start a sentence of their own when a long sentence is split at a comma,
    # separated by spaces ("and or but" in English). Keep it one line, lower case.
    "joining": S_("spoken", "and or but nor so then which who"),
}
# Clock times, with the hour's plural form (Spanish: "la una" / "las dos"). {hour} and {minutes} are words,
# {part} one of TIME_PARTS.
CLOCK = {
    # Translators: a time on the hour: {hour} is the hour (1-12) in words, {part} "in the morning" and the like.
    # The plural form follows the hour (Spanish: "la una {part}" / "las {hour} {part}").
    "o'clock": NS_("spoken", "{hour} o'clock {part}", "{hour} o'clock {part}"),
    # Translators: a time at half past the hour.
    "half": NS_("spoken", "half past {hour} {part}", "half past {hour} {part}"),
    # Translators: a time with minutes from 10 to 59: {minutes} in words ("ten forty-five in the morning").
    "minutes": NS_("spoken", "{hour} {minutes} {part}", "{hour} {minutes} {part}"),
    # Translators: a time with minutes from 1 to 9 ("nine oh five"); in most languages the same as above.
    "oh": NS_("spoken", "{hour} oh {minutes} {part}", "{hour} oh {minutes} {part}"),
}


# Words that tell a sentence from a fragment, for a script said to people who cannot read it back. Like
# "joining" they come from the catalog (context "spoken"), but they are optional: a language without them
# (why_silent does not ask for them) is split only where the older rule allows and says its texts as written.
GRAMMAR = {
    # Translators: words that make a clause a sentence wherever they are (auxiliary and modal verbs, forms of
    # "to be" and "to have"), separated by spaces, lower case. Spanish: "es son está están ha han hay puede …".
    "verbs": S_("spoken", "is are was were be been am isn't aren't can cannot can't could will won't would shall "
                          "should may might must do does did don't doesn't didn't has have had need needs"),
    # Translators: modal verbs that make a condition a rule of its own ("Anyone who lives here can sign up" is
    # said as it is, not as "You can apply if …"), separated by spaces, lower case.
    "modals": S_("spoken", "can cannot can't may must should"),
    # Translators: words that, followed by a verb, are its subject (subject pronouns; in Spanish also the
    # pronouns that come before a verb: "se le les"), separated by spaces, lower case.
    "subjects": S_("spoken", "you we they he she it i anyone everyone someone nobody there"),
    # Translators: the words for "you" and "your" that start a condition about the listener ("You are 80 or
    # over" is said as "You can apply if you are 80 or over"), separated by spaces, lower case.
    "you": S_("spoken", "you your"),
    # Translators: indefinite articles ("a", "an"): a summary that starts with one and has no verb is said as
    # "It offers a …". Separated by spaces, lower case.
    "articles": S_("spoken", "a an"),
    # Translators: definite articles ("the"): a condition that starts with one is about someone ("The person who
    # died paid in …" is said as "You can apply if the person who died paid in …"). Separated by spaces, lower case.
    "definite": S_("spoken", "the"),
    # Translators: words that make a document or a condition apply only to some people ("if", "unless"),
    # separated by spaces, lower case.
    "if": S_("spoken", "if unless"),
    # Translators: conjunctions that make a clause depend on another ("If you are 80 or over." is not a
    # sentence), separated by spaces, lower case. Spanish: "si cuando porque aunque mientras …".
    "subordinating": S_("spoken", "if when whenever because unless while although though as once until since "
                                  "whether where before after"),
    # Translators: prepositions (a part that starts with one and has no verb cannot be a sentence: "For a child
    # under 16."), separated by spaces, lower case.
    "prepositions": S_("spoken", "for in into on at by with within between from during to of except than without "
                                 "such including like"),
    # Translators: words that point back to something said before ("In 2026 it is 160 yuan a month.", "After that,
    # …"): a sentence of a description with one in its first four words is not said away from the sentence before
    # it. Separated by spaces, lower case.
    "back": S_("spoken", "it they this these that those its their them"),
    # Translators: words after which a number such as 2026 is a year ("in 2026", "since 2025"); elsewhere a
    # number followed by a word is a quantity ("2000 yuan"). Separated by spaces, lower case.
    "years": S_("spoken", "in since from until by before after of during"),
    # Translators: nouns for places people go to ("the town service centre", "the funeral home"): a sentence that
    # names one after a preposition already says where to go, so "You can go to …" is not said as well. Separated
    # by spaces, lower case.
    "places": S_("spoken", "centre centres center office offices counter counters desk hall hospital clinic "
                           "station registry bank"),
    # Translators: words that name money paid to the listener (an allowance, a subsidy): for such a service
    # "It is free." is not said. Separated by spaces, lower case.
    "benefits": S_("spoken", "allowance allowances subsidy subsidies benefit benefits pension pensions grant grants "
                             "loan loans reimbursement"),
    # Translators: words that name a thing a service gives you to keep (a certificate, a card): only then is "You
    # get it on the spot." said. Separated by spaces, lower case.
    "issued": S_("spoken", "certificate certificates licence license licences permit permits card cards passport"),
    # Translators: verbs that start an order to ask or phone ("Ask at the counter or by phone, …"): such a first
    # step is a second call to action and is not said. Separated by spaces, lower case.
    "asking": S_("spoken", "ask call phone ring contact enquire"),
}
# A day of the month said aloud ("1 January", "January 1" -> "January first", never "one January"). Like GRAMMAR,
# optional: a language whose catalog lacks it says the day as a number ("uno de enero" is Spanish).
# Translators: a date said aloud: {month} is the month's name, {ordinal} the day as an ordinal in words ("first"),
# {number} the day in words ("one"). Spanish: "{number} de {month}".
DAY_OF_MONTH = S_("spoken", "{month} {ordinal}")
# Chinese: what a clause cannot end or start with to stand as a sentence, and the parts of speech (jieba)
# that are verbs ('vn', a verb used as a noun, is not one here).
_ZH_VERB_FLAGS = frozenset({"v", "vd", "vi", "vg", "vq"})
_ZH_NOT_AN_END = re.compile(r"(?:的|的话|时|时候|后|以后|之后|前|以前|之前|内|期间|起|等)$")
_ZH_NOT_A_START = re.compile(r"^(?:和|与|及|以及|并|并且|或|或者|还有|而|等|如果|要是|只要|因为|虽然|除了|凡是)")
_ZH_TIME_END = re.compile(r"(?:内|前|后|时|期间|起|日|月)$")


def is_chinese(lang: str) -> bool:
    return lang.split("-")[0] == "zh"


def numeral_language(lang: str) -> str | None:
    """num2words' name for a language (pt-BR -> pt_BR, else pt), or None when it cannot say its numbers."""
    from num2words import CONVERTER_CLASSES

    parts = lang.replace("-", "_").split("_")
    for name in ("_".join(parts[:2]), parts[0].lower()):
        if name in CONVERTER_CLASSES:
            return name
    return None


def why_silent(lang: str) -> str | None:
    """Why numbers, money, dates, times and phone numbers cannot be read aloud in `lang`, or None when they can."""
    if is_chinese(lang):
        return None
    base = lang.split("-")[0].lower()
    if base in UNSPACED or numeral_language(lang) is None:
        return "numbers cannot be read aloud in that language yet (num2words does not know it)"
    words = interface(lang, lang)
    missing = [m for m in (*TIME_PARTS, *WORDS.values()) if words.pgettext(SPOKEN, m).lang] + [
        forms[0] for forms in CLOCK.values() if any(words.npgettext(SPOKEN, *forms, n).lang for n in (1, 2, 5))]
    if missing:
        return (f"the words said around numbers are not translated: add the {len(missing)} messages of context "
                f"'{SPOKEN}' to {catalog_path(lang)}")
    return None


def speaks(lang: str) -> bool:
    """Whether numbers, money, dates, times and phone numbers can be read aloud in this language."""
    return why_silent(lang) is None


@dataclass(frozen=True)
class Speech:
    """Spoken forms in one language: Chinese, or a language written with spaces (num2words and the catalog)."""

    lang: str
    # Numbers in words without the commas num2words puts inside them ("one thousand one hundred and eighty"): what
    # is read on air, where a presenter pauses at a comma and one amount sounds like two.
    unbroken_numbers: bool = False

    def __post_init__(self) -> None:
        reason = why_silent(self.lang)
        if reason:
            raise ValueError(f"no spoken rules for {self.lang!r}: {reason}")

    @property
    def zh(self) -> bool:
        return is_chinese(self.lang)

    @cached_property
    def _numerals(self) -> str:
        return numeral_language(self.lang) or "en"

    @cached_property
    def _words(self) -> Any:
        return interface(self.lang, self.lang)

    def say(self, key: str, **values: str) -> str:
        """One of WORDS in this language, filled in."""
        return str(self._words.pgettext(SPOKEN, WORDS.get(key, key))).format(**values)

    def _clock(self, key: str, n: int, **values: str) -> str:
        return str(self._words.npgettext(SPOKEN, *CLOCK[key], n)).format(**values)

    def _unbroken(self, words: str) -> str:
        """A number said in words, without the commas inside it when `unbroken_numbers`."""
        return re.sub(r"\s*,\s*", " ", words).strip() if self.unbroken_numbers else words

    def _word(self, n: int) -> str:
        from num2words import num2words

        return self._unbroken(num2words(n, lang=self._numerals))

    # numbers ------------------------------------------------------------------------------------
    def number(self, value: int | str) -> str:
        """A quantity in words: 1180 -> 一千一百八十 / one thousand, one hundred and eighty (on air without
        the comma: `unbroken_numbers`); 2.05 -> 二点零五 /
        two point zero five. More than 16 digits is no amount anyone says: read digit by digit."""
        whole, point, fraction = str(value).partition(".")
        if len(whole) > 16:
            said = self.digits(whole)
        elif self.zh:
            import cn2an
            said = cn2an.an2cn(whole, "low")
        else:
            said = self._word(int(whole))
        if not point:
            return said
        if self.zh:
            return f"{said}点{''.join(_ZH_PLAIN_DIGITS[int(d)] for d in fraction)}"
        return self.say("point", whole=said, digits=self.digits(fraction))

    def digits(self, digits: str) -> str:
        """Digit by digit, as a phone number is read: 0571 -> 零五七幺 / zero five seven one."""
        if self.zh:
            return "".join(_ZH_DIGITS[int(d)] for d in digits if d.isdigit())
        return " ".join(self._word(int(d)) for d in digits if d.isdigit())

    def phone(self, shown: str) -> str:
        """A phone number as printed ('0579 8120 0111') read in its printed groups, with a pause between."""
        groups = [g for g in re.split(r"[\s\u00a0-]+", shown) if any(ch.isdigit() for ch in g)]
        if len(groups) == 1:
            groups = _ear_groups("".join(ch for ch in groups[0] if ch.isdigit()))
        return ("，" if self.zh else ", ").join(self.digits(g) for g in groups)

    def time(self, hours: int, minutes: int) -> str:
        """24-hour clock time as said: 14:30 -> 下午两点半 / half past two in the afternoon."""
        if self.zh:  # 24:00, a closing time, is 晚上十二点
            part = "上午" if hours < 12 else "中午" if hours < 13 else "下午" if hours < 18 else "晚上"
            hour = hours if hours <= 12 else hours - 12
            said = "两" if hour == 2 else self.number(hour)
            rest = "" if minutes == 0 else "半" if minutes == 30 else f"{self.number(minutes)}分"
            return f"{part}{said}点{rest}"
        if hours == 12 and minutes == 0:
            return self.say("midday")
        if hours % 24 == 0 and minutes == 0:
            return self.say("midnight")
        part = self.say(TIME_PARTS[0 if hours < 12 else 1 if hours < 18 else 2])
        hour = hours % 12 or 12
        if minutes == 0:
            return self._clock("o'clock", hour, hour=self.number(hour), part=part)
        if minutes == 30:
            return self._clock("half", hour, hour=self.number(hour), part=part)
        return self._clock("minutes" if minutes >= 10 else "oh", hour, hour=self.number(hour),
                           minutes=self.number(minutes), part=part)

    # sentences ----------------------------------------------------------------------------------
    def clean(self, text: str) -> str:
        """A catalogue text made fit to read aloud: no URL or e-mail, no digits, no symbols or brackets."""
        if not text.isascii():  # digits of other scripts (full-width ３, Arabic-Indic ٣) as 0-9
            text = _ANY_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)
        text = _without_links(text)
        text = _DIGIT_RUN.sub(lambda m: self.phone(m.group(0)), text)
        text = _RANGE.sub(lambda m: f"{m.group(1)}至{m.group(2)}" if self.zh
                          else self.say("range", first=m.group(1), last=m.group(2)), text)
        text = _TIME.sub(lambda m: self.time(int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))), text)
        text = _THOUSANDS.sub("", text)
        text = _CURRENCY.sub(lambda m: m.group(2) + _CURRENCIES[m.group(1)] if self.zh
                             else self._money(m.group(1).replace("￥", "¥"), m.group(2)), text)
        if self.zh:
            import cn2an
            text = _LONG_NUMBER.sub(lambda m: self.number(m.group(0)), text)  # beyond what cn2an reads
            # cn2an reads every number before 年 as a year, digit by digit: 满15年 is fifteen years (十五年), and
            # only 1000-2999 is a year (二零二六年); 2 before a measure word is 两 (两年, 两个月, 两张).
            text = re.sub(r"(?<![\d.])2(?![\d.])(?=[个年张寸天次种本件位名周份岁])", "两", text)
            text = re.sub(r"(?<![\d.])(?![12]\d{3}(?!\d))(\d+)(?=年)", lambda m: self.number(m.group(1)), text)
            text = cn2an.transform(text, "an2cn")  # years digit by digit, percentages, quantities
            text = _NUMBER.sub(lambda m: self.number(m.group(0)), text)
            table = {"（": "，", "）": "，", "(": "，", ")": "，", "/": "或", "、": "、", "%": "", "¥": "", "￥": "",
                     "“": "", "”": "", "《": "", "》": "", "【": "", "】": "", "[": "", "]": "", "&": "和", "+": "加",
                     "$": "", "€": "", "#": "", "*": "", "=": "等于", "<": "", ">": ""}
        else:
            text = re.sub(r"(\d+(?:\.\d+)?)\s*%", lambda m: self.say("per cent", number=m.group(1)), text)
            text = self._days_of_month(text)
            text = _NUMBER.sub(self._number_in, text)
            word = {key: f" {self.say(key, number='', first='', last='').strip()} " for key in ("/", "&", "+", "=", "per cent", "range")}
            table = {"(": ", ", ")": ", ", "[": ", ", "]": ", ", "/": word["/"], "&": word["&"], "+": word["+"],
                     "%": word["per cent"], "¥": "", "￥": "", "“": "", "”": "", '"': "", "–": word["range"], "—": ", ",
                     "*": "", "#": "", "=": word["="], "<": "", ">": "", "…": ".", "$": "", "€": "",
                     "（": ", ", "）": ", ", "【": ", ", "】": ", ", "《": "", "》": ""}
        for symbol, said in table.items():
            text = text.replace(symbol, said)
        return _tidy(text, self.zh)

    def _money(self, symbol: str, amount: str) -> str:
        """$25.50 -> "twenty-five dollars fifty" (an amount is never read as a year); no cents when there are none."""
        whole, _, fraction = amount.partition(".")
        money = self.say(symbol, amount=self.number(whole))
        cents = int(fraction.ljust(2, "0")[:2]) if fraction else 0
        return self.say("cents", money=money, cents=self.number(cents)) if cents else money

    @cached_property
    def _months(self) -> tuple[str, ...]:
        """The language's month names (CLDR), longest first; none when it has no way to say a date of its own."""
        import babel
        from babel.dates import get_month_names

        said = self._words.pgettext(SPOKEN, DAY_OF_MONTH)
        if said.lang is not None:
            return ()
        try:
            names = get_month_names("wide", locale=babel.Locale.parse(self.lang, sep="-")).values()
        except (ValueError, babel.UnknownLocaleError):
            return ()
        return tuple(sorted(names, key=len, reverse=True))

    def _days_of_month(self, text: str) -> str:
        """"1 January", "January 30" as dates are said ("January first"), not as quantities ("one January")."""
        if not self._months:
            return text
        from num2words import num2words

        months = "|".join(re.escape(m) for m in self._months)

        def said(day: str, month: str) -> str:
            try:
                ordinal = self._unbroken(num2words(int(day), lang=self._numerals, to="ordinal"))
            except NotImplementedError:
                ordinal = self.number(day)
            return str(self._words.pgettext(SPOKEN, DAY_OF_MONTH)).format(
                ordinal=ordinal, number=self.number(day), month=month)

        day = r"(?<![\d.,:])(3[01]|[12]\d|[1-9])(?!\d|[.,:]\d)"
        text = re.sub(rf"{day}\s+({months})\b", lambda m: said(m.group(1), m.group(2)), text, flags=re.IGNORECASE)
        return re.sub(rf"\b({months})\s+{day}(?!\d)", lambda m: said(m.group(2), m.group(1)), text,
                      flags=re.IGNORECASE)

    def _number_in(self, match: re.Match[str]) -> str:
        """A number in a text, told apart by what is around it: 1999 is a year after "in" or "since" and where no
        word follows it ("1950 and 2100."), a quantity before a word ("2000 yuan")."""
        digits, before, after = match.group(0), match.string[:match.start()], match.string[match.end():]
        years = self.grammar("years")
        if years and re.fullmatch(r"(19|20)\d\d", digits):
            previous = re.findall(r"[^\W\d_]+", before[-20:].lower())[-1:]
            following = re.match(r"\s*([^\W\d_]+)", after)
            after_month = bool(previous) and previous[0] in {m.lower() for m in self._months}  # "June 30, 2026"
            if not (previous and previous[0] in years) and not after_month and following and \
                    following.group(1).lower() not in self.grammar("joining"):
                return self.number(digits)
        return self._number_words(digits)

    def _number_words(self, digits: str) -> str:
        """A number in a text: a year as years are said (2026 -> twenty twenty-six), else a quantity."""
        if re.fullmatch(r"(19|20)\d\d", digits):
            from num2words import num2words
            try:
                return self._unbroken(num2words(int(digits), lang=self._numerals, to="year"))
            except NotImplementedError:
                pass
        return self.number(digits)

    def sentences(self, text: str, split: bool = True) -> list[str]:
        """Short sentences from a text: split at full stops, then (unless `split` is false) long ones at the
        clause break nearest their middle, again and again, where both sides can stand as sentences."""
        out: list[str] = []
        for sentence in re.split(r"(?<=[。！？!?])\s*|(?<=\.)\s+", text):
            sentence = sentence.strip()
            if sentence:
                body = sentence.rstrip("。.!?！？")
                parts = self._halves(body) if split else [body]
                out += [_end(part, self.zh) for part in parts[:-1]] + [_end(parts[-1] + sentence[len(body):], self.zh)]
        return out

    def lower_first(self, item: str) -> str:
        """A list item inside a sentence: 'Your ID card' -> 'your ID card', 'A bill' -> 'a bill' ('ID card' kept)."""
        first = item.split(" ", 1)[0]
        if self.zh or not first or (len(first) > 1 and not first[1:].islower()):
            return item
        return item[0].lower() + item[1:]

    def _halves(self, sentence: str) -> list[str]:
        limit = LONGEST_SENTENCE["zh" if self.zh else "en"]
        if self.length(sentence) <= limit:
            return [sentence]
        clauses = [c for c in re.split(r"(?<=[，；：,;:])\s*", sentence) if c]
        middle = self.length(sentence) / 2
        best, best_distance, before = None, None, 0
        for i in range(1, len(clauses)):
            before += self.length(clauses[i - 1])
            if self._starts_sentence(clauses[i]) and self._may_break(clauses[i - 1], clauses[i]) and \
                    (best_distance is None or abs(before - middle) < best_distance):
                best, best_distance = i, abs(before - middle)
        if best is None:
            return [sentence]  # no clean break: kept whole, and the renderer warns
        joiner = "" if self.zh else " "
        head = joiner.join(clauses[:best]).rstrip("，；：,;: ")
        return self._halves(head) + self._halves(joiner.join(clauses[best:]))

    def too_long(self, sentence: str) -> bool:
        return self.length(sentence) > LONGEST_SENTENCE["zh" if self.zh else "en"]

    def _starts_sentence(self, clause: str) -> bool:
        """A clause that can stand as a sentence of its own: not a tail such as 'or the business closed'."""
        if self.zh:
            return self.length(clause) >= 5
        words = clause.split()
        return len(words) >= 4 and words[0].lower() not in self.say("joining").split()

    def _may_break(self, before: str, after: str) -> bool:
        """Whether a long sentence may end after the clause `before` and start again at `after`: `before` is
        no condition or time that needs the rest ("If you are 80 or over", "孩子出生后", "有单位的"), `after`
        no list's tail ("frost and other farm weather", "和以前的病历") and neither is inside a number."""
        before, after = before.rstrip("，；：,;: "), after.strip()
        if not before or not after or self._digit_word(after) or self._digit_word(before[::-1] if self.zh else
                                                                                    before.split()[-1]):
            return False
        if self.zh:
            return not (_ZH_NOT_AN_END.search(before) or _ZH_NOT_A_START.search(before)
                        or _ZH_NOT_A_START.search(after) or _ZH_TIME_END.search(before)
                        or not self.has_verb(after) or _zh_topic(before))
        dependent = self.grammar("dependent") | self.grammar("joining")
        if not self.grammar("dependent"):
            return True  # no words to tell by: the older rule alone (_starts_sentence)
        first_before, first_after = before.split()[0].lower(), after.split()[0].lower()
        if first_before in self.grammar("prepositions") and self.has_verb(before):
            first_before = ""  # "…, for example your contract ended, …" ends a sentence; "For a child under 16," not
        # the rest starts a clause of its own: a verb is seen in it, or it starts with a subject ("you …", "the
        # office stamps …"); not "paid into their card" nor "frost and other farm weather"
        subject = self.grammar("subjects") | self.grammar("definite") | self.grammar("articles")
        tail_of_a_list = not self.has_verb(after) and bool(set(after.lower().split()) & self.grammar("joining"))
        clause = self.has_verb(after) or first_after in subject and not tail_of_a_list
        return first_before not in dependent and first_after not in dependent and clause

    def _digit_word(self, text: str) -> bool:
        """Whether a text starts with a digit said as a word (inside a number said digit by digit)."""
        if self.zh:
            return bool(text) and text[0] in _ZH_DIGITS + "一两"
        word = text.split()[0].lower().strip(",.;:") if text.split() else ""
        return word in {self._word(d) for d in range(10)}

    # sentence or fragment -----------------------------------------------------------------------
    def grammar(self, key: str) -> frozenset[str]:
        """One of GRAMMAR (or WORDS["joining"]) as a set of lower-case words; empty when not translated."""
        return self._grammar.get(key, frozenset())

    @cached_property
    def _grammar(self) -> dict[str, frozenset[str]]:
        out = {}
        for key, message in (*GRAMMAR.items(), ("joining", WORDS["joining"])):
            said = self._words.pgettext(SPOKEN, message)
            if said.lang is None:  # translated (or the source language)
                out[key] = frozenset(str(said).lower().split())
        if "subordinating" in out or "prepositions" in out:  # what cannot start a sentence
            out["dependent"] = out.get("subordinating", frozenset()) | out.get("prepositions", frozenset())
        return out

    def has_verb(self, text: str) -> bool:
        """Whether a text has a verb to make it a sentence, as far as can be told without a dictionary: in
        Chinese a verb by jieba's parts of speech; elsewhere an auxiliary or modal verb or a subject pronoun
        followed by a word (an imperative such as "Book a time online" is not seen: see noun_phrase)."""
        if self.zh:
            return any(flag in _ZH_VERB_FLAGS for _, flag in _zh_tagged(text))
        written = [w.strip(",.;:!?¿¡\"'") for w in text.split()]
        words = [w.lower() for w in written]
        verbs, subjects = self.grammar("verbs"), self.grammar("subjects")
        not_a_verb = self.grammar("joining") | self.grammar("dependent")  # "anyone who", "everyone in"
        # a capital inside a sentence is a name, not a verb: "from March to May", "in May"
        named = [i > 0 and w[:1].isupper() for i, w in enumerate(written)]
        return any(w in verbs and before not in self.grammar("prepositions") and not name  # not "what to do"
                   for before, w, name in zip([""] + words, words, named)) or any(
            w in subjects and following not in not_a_verb for w, following in zip(words, words[1:]))

    def main_verb(self, text: str) -> bool:
        """Whether a text has a verb before its first subordinate part: "The baby was born in the county" has,
        "Children aged 0 to 6 who live in the county" has not (its verb is in "who live …")."""
        if self.zh:
            return self.has_verb(text)
        words = text.split()
        end = next((i for i, w in enumerate(words) if i and w.strip(",;").lower() in self.grammar("dependent")),
                   len(words))
        return self.has_verb(" ".join(words[:end]))

    def noun_phrase(self, text: str) -> bool:
        """A text that is surely no sentence, so that it can be given a verb ("It offers …"): Chinese with no
        verb at all; elsewhere an indefinite article first and no verb before its first subordinate clause ("A
        monthly payment when you retire, …"), or a list first and no verb at all ("Healthy food, advice and
        support for …"). An imperative is never taken for one."""
        text = text.strip()
        if not text or (not self.zh and not self.grammar("verbs")) or self.has_verb(self.main_part(text)):
            return False  # (with no words to tell by, nothing is sure)
        if self.zh:  # a list of nouns; jieba misses too many verbs (给孩子上户口) to say more
            return "、" in text
        words = [w.lower() for w in text.split()]
        if words[0] in self.grammar("articles"):  # its verb only in a clause of its own: "A payment when you retire"
            return True
        if self.has_verb(text):
            return False
        comma = next((i for i, w in enumerate(words[:3]) if w.endswith(",")), None)
        return comma is not None and bool(set(w.strip(",.") for w in words[comma + 1:]) & self.grammar("joining"))

    def main_part(self, text: str) -> str:
        """A text up to its first subordinate clause ("A monthly payment | when you retire, …"): the part that
        needs the verb (Chinese: the whole text)."""
        if self.zh:
            return text
        words = text.split()
        end = next((i for i, w in enumerate(words) if i and w.strip(",;").lower() in self.grammar("subordinating")),
                   len(words))
        return " ".join(words[:end])

    def auxiliary(self, text: str) -> bool:
        """Whether a text has one of the catalog's auxiliary or modal verbs (not a name: "in May")."""
        written = [w.strip(",.;:!?¿¡\"'") for w in text.split()]
        return any(w.lower() in self.grammar("verbs") and not (i and w[:1].isupper()) for i, w in enumerate(written))

    def stands_alone(self, sentence: str) -> bool:
        """A sentence that can be said on its own: not a condition or a time alone ("If you use the app.",
        "有单位的。", "孩子出生后一个月内。"), not a list's tail, and (in Chinese) with a verb. A sentence that starts
        with a preposition stands alone when a verb of the catalog's is in it ("In 2026 the allowance is 1,180
        yuan a month.", not "Such as payslips or proof you lost your job."); one that starts with a condition,
        when a clause of its own follows it after a comma ("If you are 80 or over, you get …")."""
        body = sentence.rstrip("。.!?！？ ")
        if not body:
            return False
        if self.zh:
            return self.has_verb(body) and not (_ZH_NOT_AN_END.search(body) or _ZH_NOT_A_START.search(body))
        first = body.split()[0].lower().strip(",")
        if first in self.grammar("joining") or self.noun_phrase(body):
            return False
        if first in self.grammar("subordinating"):
            dependent = self.grammar("dependent") | self.grammar("joining")
            return any(self.has_verb(part) and part.split()[0].lower() not in dependent
                       for part in (p.strip() for p in re.split(r"[,;]", body)[1:]) if part)
        if first in self.grammar("prepositions"):  # the verb in the main part: not "In the three months before
            return self.auxiliary(self.main_part(body))  # the inspection is due."
        return True

    def topic(self, clause: str) -> bool:
        """A clause that only names what the rest of its sentence is about ("不用上线检测的私家车"): Chinese only."""
        return self.zh and _zh_topic(clause)

    def length(self, sentence: str) -> int:
        """Characters (Chinese, a Latin word counting as two) or words."""
        if self.zh:
            return len(_CJK.findall(sentence)) + 2 * len(_LATIN_WORD.findall(sentence))
        return len(sentence.split())

    def seconds(self, text: str) -> float:
        """Estimated reading time at the slower speeds rural and older listeners need."""
        if self.zh:
            return self.length(text) * 60 / CHARACTERS_PER_MINUTE
        return len(text.split()) * 60 / WORDS_PER_MINUTE

    def capacity(self, seconds: float) -> int:
        """How many characters or words fit in a number of seconds."""
        return int(seconds * (CHARACTERS_PER_MINUTE if self.zh else WORDS_PER_MINUTE) / 60)


_ENDS = ("。", "！", "？", ".", "!", "?")


def _ear_groups(digits: str) -> list[str]:
    """A number printed with no groups, in groups of three or four to be said (10690579770 -> 106 9057 9770);
    9 to 12 digits only: a shorter one is said as it is, a longer one (an account) is no number to dial."""
    if not 9 <= len(digits) <= 12:
        return [digits]
    count = -(-len(digits) // 4)
    sizes = [len(digits) // count + (1 if i >= count - len(digits) % count else 0) for i in range(count)]
    out, start = [], 0
    for size in sizes:
        out.append(digits[start:start + size])
        start += size
    return out


def _zh_topic(clause: str) -> bool:
    """A Chinese clause that only names what the rest is about: a noun after a relative clause with no subject
    of its own ("不用上线检测的私家车", "来本县工作的外国人"), not "外国人住在宾馆以外的地方"."""
    head = re.search(r"的([\u4e00-\u9fff]{1,4})$", clause)
    if not head:
        return False
    tagged = _zh_tagged(clause)
    noun = all(flag.startswith("n") for _, flag in _zh_tagged(head.group(1)))
    return noun and bool(tagged) and not tagged[0][1].startswith(("n", "r"))


@lru_cache(maxsize=4096)
def _zh_tagged(text: str) -> tuple[tuple[str, str], ...]:
    """Chinese words with their parts of speech (jieba, with the public-service words of plaintext.ZH_WORDS)."""
    import jieba.posseg

    from .plaintext import _jieba

    _jieba()
    return tuple((w.word, w.flag) for w in jieba.posseg.cut(text))


def _without_links(text: str) -> str:
    """Drop each clause with a URL or e-mail address ("see www…" goes as a whole), keeping the sentence's end."""
    kept: list[str] = []
    for clause in _CLAUSE_END.split(text):
        if not _URL.search(clause):
            kept.append(clause)
            continue
        end = clause.rstrip()[-1:] if clause.rstrip()[-1:] in _ENDS else ""
        if end and kept:
            before = kept[-1].rstrip().rstrip(",;，；")
            kept[-1] = (before if before[-1:] in _ENDS else before + end) + " "  # one end mark, never two
    return "".join(kept)


def _tidy(text: str, zh: bool) -> str:
    if zh:
        text = re.sub(r"\s+", "", text)
        text = re.sub(r"([，、；：])[，、；：]+", r"\1", text)
        text = re.sub(r"^[，、；：]+|[，、；：]+(?=[。！？]|$)", "", text)
        return text
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"^[\s,;:]+|[\s,;:]+$", "", text)
    text = re.sub(r",\s*\.", ".", text)
    return text.strip()


def _end(sentence: str, zh: bool) -> str:
    sentence = sentence.strip()
    if not zh and sentence:
        sentence = sentence[0].upper() + sentence[1:]
    if not sentence or sentence[-1] in "。！？.!?":
        return sentence
    return sentence + ("。" if zh else ".")
