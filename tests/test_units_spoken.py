"""Unit tests of generator/spoken.py: text for the ear (written against mutation testing)."""
from __future__ import annotations

import pytest

from generator.spoken import Speech


ZH, EN = Speech("zh-Hans"), Speech("en")


def test_only_languages_whose_numbers_can_be_said_get_spoken_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.spoken import speaks

    monkeypatch.delenv("SERVICEDIR_LOCALE_DIRS", raising=False)
    assert speaks("zh-Hans") and speaks("EN") and speaks("es") and not speaks("ug") and not speaks("ja")
    with pytest.raises(ValueError, match=r"^no spoken rules for 'ug': numbers cannot be read aloud in that language"):
        Speech("ug")
    # num2words knows French, but no catalog gives the words said around its numbers: no radio in English words
    with pytest.raises(ValueError, match=r"^no spoken rules for 'fr': the words said around numbers are not "
                                         r"translated: add the 21 messages of context 'spoken' to .*/fr/LC_MESSAGES/servicedir.po$"):
        Speech("fr")


ES = Speech("es")


@pytest.mark.parametrize(("hours", "minutes", "said"), [
    (1, 0, "la una de la mañana"),  # the hour's plural form: la una, las dos
    (2, 0, "las dos de la mañana"),
    (9, 5, "las nueve y cinco de la mañana"),
    (13, 30, "la una y media de la tarde"),
    (17, 45, "las cinco y cuarenta y cinco de la tarde"),
    (20, 10, "las ocho y diez de la noche"),
    (12, 0, "mediodía"),
    (24, 0, "medianoche"),
])
def test_spanish_clock_times_from_the_catalog(hours: int, minutes: int, said: str) -> None:
    assert ES.time(hours, minutes) == said


def test_spanish_numbers_money_and_symbols_are_said_in_spanish() -> None:
    assert ES.number(21) == "veintiuno" and ES.number("2.05") == "dos coma cero cinco"
    assert ES.phone("(951) 555-0150") == "nueve cinco uno, cinco cinco cinco, cero uno cinco cero"
    assert ES.clean("Hasta $450.50 al año, o €3 y ¥110.") == (
        "Hasta cuatrocientos cincuenta dólares con cincuenta al año, o tres euros y ciento diez yuanes.")
    assert ES.clean("Hasta el 60% del ingreso, en 10-15 días, desde 2026.") == (
        "Hasta el sesenta por ciento del ingreso, en diez a quince días, desde dos mil veintiséis.")
    assert ES.clean("Documento de identidad/pasaporte & carta + copia.") == (
        "Documento de identidad o pasaporte y carta más copia.")
    assert ES.clean("Abierto de 8:00 a 17:30.") == "Abierto de las ocho de la mañana a las cinco y media de la tarde."
    assert EN.clean("Up to $450.50, or $7.00.") == "Up to four hundred and fifty dollars fifty, or seven dollars."


def test_spanish_joining_words_never_start_a_sentence() -> None:
    long = ("Lleve su documento de identidad y la carta del banco al ayuntamiento, "
            "pero no olvide la copia de la factura de la luz del mes pasado.")
    assert ES.sentences(long) == [long]  # "pero …" cannot stand alone: kept whole


@pytest.mark.parametrize(("hours", "minutes", "zh", "en"), [
    (0, 0, "上午零点", "midnight"),
    (0, 30, "上午零点半", "half past twelve in the morning"),
    (2, 0, "上午两点", "two o'clock in the morning"),  # 两, not 二, before 点
    (3, 0, "上午三点", "three o'clock in the morning"),
    (8, 5, "上午八点五分", "eight oh five in the morning"),
    (8, 30, "上午八点半", "half past eight in the morning"),
    (9, 1, "上午九点一分", "nine oh one in the morning"),
    (10, 10, "上午十点十分", "ten ten in the morning"),
    (11, 59, "上午十一点五十九分", "eleven fifty-nine in the morning"),
    (12, 0, "中午十二点", "midday"),
    (12, 30, "中午十二点半", "half past twelve in the afternoon"),
    (12, 45, "中午十二点四十五分", "twelve forty-five in the afternoon"),
    (13, 0, "下午一点", "one o'clock in the afternoon"),
    (13, 5, "下午一点五分", "one oh five in the afternoon"),
    (14, 30, "下午两点半", "half past two in the afternoon"),
    (17, 59, "下午五点五十九分", "five fifty-nine in the afternoon"),
    (18, 0, "晚上六点", "six o'clock in the evening"),
    (22, 15, "晚上十点十五分", "ten fifteen in the evening"),
    (24, 0, "晚上十二点", "midnight"),  # a closing time
])
def test_clock_times_as_said(hours: int, minutes: int, zh: str, en: str) -> None:
    assert (ZH.time(hours, minutes), EN.time(hours, minutes)) == (zh, en)


def test_numbers_in_words_and_long_ones_digit_by_digit() -> None:
    assert ZH.number("1180") == "一千一百八十" and EN.number(21) == "twenty-one"
    assert ZH.number("2.05") == "二点零五" and EN.number("2.05") == "two point zero five"
    assert ZH.number("12345678901234567") == "幺二三四五六七八九零幺二三四五六七"  # no amount has 17 digits
    assert ZH.number("1234567890123456") == "一千二百三十四万五千六百七十八亿九千零一十二万三千四百五十六"  # 16 has
    assert EN.number("12345678901234567").startswith("one two three four five six seven eight nine zero one")
    assert EN.digits("a1b2") == "one two" and ZH.digits("0571") == "零五七幺"
    assert ZH.phone("0579\u00a08120-0111") == "零五七九，八幺二零，零幺幺幺"
    assert EN.phone("(0579) 8120") == "zero five seven nine, eight one two zero"


def test_years_are_read_as_years_only_between_1900_and_2099() -> None:
    assert EN.clean("In 1899, 1950 and 2100.") == (
        "In one thousand, eight hundred and ninety-nine, nineteen fifty and two thousand, one hundred.")
    assert EN.clean("Pay 12.5 yuan or ¥100 (5.5 %).") == (
        "Pay twelve point five yuan or one hundred yuan, five point five per cent.")


@pytest.mark.parametrize(("text", "said"), [
    ("甲（乙）丙", "甲，乙，丙"), ("甲(乙)丙", "甲，乙，丙"), ("甲/乙", "甲或乙"), ("甲、乙", "甲、乙"),
    ("甲%乙", "甲乙"), ("50%", "百分之五十"), ("￥100", "一百元"), ("¥100", "一百元"), ("甲¥乙￥丙", "甲乙丙"),
    ("“甲”《乙》【丙】[丁]", "甲乙丙丁"), ("甲&乙", "甲和乙"), ("甲+乙", "甲加乙"), ("费用3.5元", "费用三点五元"),
    ("甲 乙，，丙。", "甲乙，丙。"), ("，甲，。", "甲。"), ("甲；，乙", "甲；乙"),
    ("甲#乙*丙", "甲乙丙"), ("a=b", "a等于b"), ("甲<乙>丙", "甲乙丙"), ("$5", "五美元"), ("€5", "五欧元"),
    ("甲$乙€丙", "甲乙丙"), ("共３天", "共三天"), ("共٣天", "共三天"), ("08:00-24:00", "上午八点至晚上十二点"),
    ("圆周率3.14159265358979323846", "圆周率三点一四一五九二六五三五八九七九三二三八四六"),
])
def test_chinese_symbols_become_words_or_go(text: str, said: str) -> None:
    assert ZH.clean(text) == said


@pytest.mark.parametrize(("text", "said"), [
    ("a (b) c", "a, b, c"), ("a [b] c", "a, b, c"), ("a/b", "a or b"), ("a & b", "a and b"), ("a+b", "a plus b"),
    ("50%", "fifty per cent"), ("a % b", "a per cent b"), ("¥100", "one hundred yuan"), ("￥ 20", "twenty yuan"),
    ("a¥b￥c", "abc"), ("“a” \"b\"", "a b"), ("a – b", "a to b"), ("a — b", "a, b"), ("*a* #b", "a b"),
    ("a=b", "a is b"), ("<a>", "a"), ("wait…", "wait."), ("3–5 days", "three to five days"),
    ("A  b ,c .", "A b,c."), ("x , , y", "x, y"), (", a ,", "a"), ("a , .", "a."),
    ("a（b）c", "a, b, c"), ("a【b】c", "a, b, c"), ("《a》", "a"), ("$5 or €20", "five dollars or twenty euros"),
    ("a$b€c", "abc"), ("３ days", "three days"), ("Open 08:00-24:00.", "Open eight o'clock in the morning to midnight."),
])
def test_english_symbols_become_words_or_go(text: str, said: str) -> None:
    assert EN.clean(text) == said


def test_the_clause_with_a_web_or_mail_address_is_dropped() -> None:
    assert EN.clean("Call us, or e-mail help@test.example.org.") == "Call us."
    assert EN.clean("Call us, or see www.example.org") == "Call us"  # nothing to carry over
    assert EN.clean("See www.example.org. Call us.") == "Call us."
    assert EN.clean("Call us, see www.example.org.  ") == "Call us."
    assert EN.clean("Hello. Call us, see www.example.org.") == "Hello. Call us."
    assert EN.clean("Call MAX, see www.example.org.") == "Call MAX."
    assert EN.clean("Call us, or visit www.example.org!") == "Call us!"
    assert EN.clean("Call us, or visit www.example.org?") == "Call us?"
    assert ZH.clean("请来窗口，或访问www.example.org！") == "请来窗口！"
    assert ZH.clean("请来窗口，或访问www.example.org？") == "请来窗口？"
    assert EN.clean("Ask at the desk; see https://x.example.org/a?b=1.") == "Ask at the desk."
    assert ZH.clean("请到窗口办理，或登录www.example.org。带上身份证。") == "请到窗口办理。带上身份证。"


def test_long_sentences_split_at_the_clause_break_nearest_the_middle() -> None:
    english = ("Bring your identity card and your household book, the form is at the counter of the town hall, "
               "the staff there will check every paper for you today, and then you wait.")
    assert EN.sentences(english) == [
        "Bring your identity card and your household book, the form is at the counter of the town hall.",
        "The staff there will check every paper for you today, and then you wait."]
    chinese = "请带上身份证和户口本，到镇政府一楼的窗口填写申请表，工作人员会当场审核你的材料，审核通过后十天内发证。"
    assert ZH.sentences(chinese) == ["请带上身份证和户口本，到镇政府一楼的窗口填写申请表。",
                                     "工作人员会当场审核你的材料，审核通过后十天内发证。"]
    twenty = "One two three four five six seven eight nine ten, eleven twelve thirteen fourteen fifteen sixteen " \
             "seventeen eighteen nineteen twenty!"
    assert EN.sentences(twenty) == [twenty]  # 20 words is not too long
    assert EN.sentences("no break here at all " * 5) == ["No break here at all no break here at all no break here "
                                                        "at all no break here at all no break here at all."]
    assert ZH.sentences("你好！谢谢") == ["你好！", "谢谢。"]
    assert ZH.sentences("app里可以办理") == ["app里可以办理。"] and EN.sentences("Call MAX") == ["Call MAX."]


def test_the_break_nearest_the_middle_counts_every_clause_before_it() -> None:
    tie = ("Fill in the form today, the clerk ticks the BOX, the office stamps the form, "
           "you collect the new card at the counter next week.")  # clauses of 5, 5, 5 and 10 words
    assert EN.sentences(tie) == ["Fill in the form today, the clerk ticks the BOX.",  # the first of two equal breaks
                                 "The office stamps the form, you collect the new card at the counter next week."]
    nearer = ("Bring your card and household book to the town hall, the clerk checks them, "
              "you get the new card at the counter two weeks later.")  # 10, 4 and 11 words: 14 is nearer 12.5
    assert EN.sentences(nearer) == ["Bring your card and household book to the town hall, the clerk checks them.",
                                    "You get the new card at the counter two weeks later."]


def test_lower_first_keeps_acronyms_and_chinese() -> None:
    assert [EN.lower_first(x) for x in ("Your ID card", "ID card", "A", "A recent bill", "Ab", "ab", "Éclair x")] == [
        "your ID card", "ID card", "a", "a recent bill", "ab", "ab", "éclair x"]
    assert ZH.lower_first("Your ID") == "Your ID"


def test_length_timing_and_capacity_at_listeners_speed() -> None:
    assert ZH.length("你好world 世界 it's") == 8  # four characters, two Latin words counting two each
    assert EN.length("a b  c") == 3
    assert ZH.seconds("字" * 200) == 60 and EN.seconds(" ".join(["word"] * 160)) == 60
    assert ZH.seconds("字" * 10 + " word") == 3.6 and EN.seconds("a b") == 0.75
    assert (ZH.capacity(30), EN.capacity(30), ZH.capacity(60), EN.capacity(90)) == (100, 80, 200, 240)
    assert not ZH.too_long("字" * 25) and ZH.too_long("字" * 26)
    assert not EN.too_long(" ".join(["w"] * 20)) and EN.too_long(" ".join(["w"] * 21))


@pytest.mark.parametrize("word", ["and", "or", "but", "nor", "so", "then", "which", "who", "Or", "AND"])
def test_a_tail_clause_cannot_stand_as_a_sentence(word: str) -> None:
    assert not EN._starts_sentence(f"{word} the business closed")
    assert EN._starts_sentence("the business closed today")
    assert not EN._starts_sentence("the business closed")  # three words: too short to stand alone
    assert ZH._starts_sentence("五个字的话") and not ZH._starts_sentence("四个字啊")


def test_a_sentence_dropped_for_its_web_address_leaves_one_end_mark() -> None:
    """Found by mutation testing: the end mark of a dropped sentence was added to one that had its own."""
    from generator.spoken import Speech

    assert Speech("en").clean("Apply online. See www.example.org for forms. Bring your ID.") == "Apply online. Bring your ID."
    assert Speech("zh-Hans").clean("网上申请。详见www.example.org。带上身份证。") == "网上申请。带上身份证。"
    assert Speech("en").clean("Apply online, see www.example.org. Bring your ID.") == "Apply online. Bring your ID."
