"""Unit tests of md() and unbroken(): catalogue text inert in Markdown and HTML (written against mutation testing)."""
from __future__ import annotations

import html

import markdown
from markupsafe import Markup

from generator.i18n import Phrase
from generator.render import md, unbroken


def test_md_makes_markup_inert_for_markdown_and_html() -> None:
    text = "<b>x</b> *y* _z_ [a](javascript:alert(1)) `c` {d} \\ + - . ! | & \" '"
    out = md(text)
    assert "<" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert r"\*y\*" in out and r"\_z\_" in out and r"\[a\]\(javascript:alert\(1\)\)" in out
    html = markdown.markdown(out)
    assert "<b>" not in html and "<em>" not in html and "<a " not in html and "<code>" not in html
    assert "*y*" in html and "[a](javascript:alert(1))" in html  # shown literally
    assert md("    four spaces make code") == "four spaces make code"  # an indent would start a code block
    assert "=" not in md("Title ===") and html_text(md("a = b")) == "a = b"  # a line of "=" would make a heading


def html_text(markdown_text: str) -> str:
    """What a reader sees of one Markdown paragraph."""
    rendered = markdown.markdown(markdown_text)
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    return html.unescape(rendered[3:-4])


def test_md_marks_fallback_words_and_keeps_markup_runs() -> None:
    fallback = Phrase.of([("Opening hours: ", None, False), ("营业时间", "zh-Hans", False), (" *x*", None, False)])
    assert md(fallback) == 'Opening hours: <span lang="zh-Hans">营业时间</span> \\*x\\*'
    built = Phrase.of([("See ", None, False), ("<b>kept</b>", None, True), (" a_b", None, False)])
    assert md(built) == "See <b>kept</b> a\\_b"
    assert md(Phrase("plain *x*")) == "plain \\*x\\*"


def test_md_of_nothing_is_nothing_and_markup_passes_through() -> None:
    assert md(None) == ""
    assert md(Markup("<i>built in code</i>")) == "<i>built in code</i>"
    assert md(12) == "12"


def test_unbroken_keeps_time_ranges_on_one_line_and_escapes_the_rest() -> None:
    out = unbroken("Mon 08:30–12:00 and 14:30 - 17:30 <b>&")
    assert isinstance(out, Markup)
    assert str(out) == ('Mon <span class="nobr">08:30–12:00</span> and <span class="nobr">14:30 - 17:30</span> '
                        "&lt;b&gt;&amp;")
    assert str(unbroken("8:30-9:00")) == '<span class="nobr">8:30-9:00</span>'
