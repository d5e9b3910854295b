"""Every word a template shows is marked for translation (a Welsh staff interface is only a
catalogue away): text outside `{% translate %}`/`{% blocktranslate %}` fails, naming the
template, the line and the words."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = sorted(
    path
    for pattern in ("*/templates/**/*.html", "*/templates/**/*.txt", "templates/**/*.html")
    for path in (Path(settings.BASE_DIR) / "babysteps").glob(pattern)
)
# Text left as it is: names and marks that read the same in every language.
UNTRANSLATED = {"Baby Steps", "NSPCC", "/enquire/", "GitHub"}
VAR, OPEN, CLOSE = "\x00", "\x01", "\x02"
ATTRIBUTE = re.compile(r'\s(?:title|aria-label|placeholder|alt|aria-description)="([^"]*)"')
SUBMIT_VALUE = re.compile(r'<input\b[^>]*type="(?:submit|button)"[^>]*\svalue="([^"]*)"')
ENTITY = re.compile(r"&#?\w+;")
SKIPPED = re.compile(
    rf"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|{OPEN}.*?{CLOSE}", re.S
)
TAG = re.compile(r"<[a-zA-Z/!][^<>]*>")
BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def _words(text: str) -> str:
    text = ENTITY.sub(" ", text.replace(VAR, " "))
    return " ".join(text.split()) if re.search(r"[A-Za-z]", text) else ""


def unmarked(source: str) -> list[tuple[int, str]]:
    """The words of a template not marked for translation, with their lines."""
    flat = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            flat.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in BLOCKS:
                flat.append(OPEN)
            elif name in BLOCKS.values():
                flat.append(CLOSE)
            else:
                flat.append(VAR)
        else:
            flat.append(VAR)
    text = "".join(flat)
    found = []

    def line_of(position: int) -> int:
        return text.count("\n", 0, position) + 1

    text = SKIPPED.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for pattern in (ATTRIBUTE, SUBMIT_VALUE):
        for match in pattern.finditer(text):
            if words := _words(match.group(1)):
                found.append((line_of(match.start()), words))
    text = TAG.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for match in re.finditer(rf"[^{VAR}\n]+", text):
        words = _words(match.group(0))
        if words and words.strip(" -.,:;|()") not in UNTRANSLATED:
            found.append((line_of(match.start()), words))
    return found


def test_the_check_finds_unmarked_text_and_accepts_marked_text():
    assert unmarked('<p title="Open">Hello {{ name }}</p>') == [(1, "Open"), (1, "Hello")]
    assert unmarked('{% if x %}\n<a href="{% url "a" %}">Next</a>{% endif %}') == [(2, "Next")]
    assert not unmarked(
        '{% load i18n %}<p title="{% translate "Open" %}">{% translate "Hello" %}'
        "{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>"
        "<script>let a = 1;</script><!-- a note --> &nbsp; {{ x }} Baby Steps"
    )


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_word_of_a_template_is_marked_for_translation(path):
    assert not unmarked(path.read_text(encoding="utf-8"))
