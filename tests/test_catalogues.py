"""Catalogue discipline: the real catalogues pass `flask translate check`, the checks catch
what they should on made-up catalogues, and the Welsh is spelt right."""

from __future__ import annotations

import gettext
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations
from bs4 import BeautifulSoup

from portal.core.config import PROJECT_ROOT
from portal.ops import cli
from portal.ops.catalogues import (
    PLACEHOLDER,
    WELSH_PLURAL_FORMS,
    read_catalogue,
    stale_template_problems,
    translation_problems,
)
from tests.conftest import IN_CI

TRANSLATIONS = PROJECT_ROOT / "translations"
WELSH_PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
ENGLISH_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
WORDLIST = Path(__file__).parent / "welsh_wordlist.txt"


WELSH_HEADER = """\
msgid ""
msgstr ""
"Language: cy\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"""


def _catalogue(locale: str | None, entries: list[tuple]) -> Catalog:
    """entries: (msgid, msgstr) or (msgid, msgstr, flags). A Welsh one has our header
    (Babel's own default for cy has 5 plural forms, not 6)."""
    catalogue = _po(WELSH_HEADER, "cy") if locale == "cy" else Catalog(locale=locale)
    for msgid, string, *flags in entries:
        catalogue.add(msgid, string, flags=flags[0] if flags else ())
    return catalogue


def _po(text: str, locale: str) -> Catalog:
    return read_po(io.BytesIO(text.encode()), locale=locale)


# --- the real catalogues ----------------------------------------------------------------


def test_translate_check_passes_on_the_real_catalogues(app):
    result = app.test_cli_runner().invoke(args=["translate", "check"])
    assert result.exit_code == 0, result.output
    assert "catalogues are complete" in result.output


def test_translate_check_fails_on_a_stale_template(app, tmp_path, monkeypatch):
    stale = tmp_path / "messages.pot"
    lines = WELSH_PO.read_text(encoding="utf-8")
    # Keep the header only: every message in the code is then missing from the template.
    stale.write_text(lines.split("\n\n")[0] + "\n", encoding="utf-8")
    monkeypatch.setattr(cli, "TEMPLATE", stale)
    result = app.test_cli_runner().invoke(args=["translate", "check"])
    assert result.exit_code == 1
    assert "not in messages.pot" in result.output
    assert "'Sign in'" in result.output


def test_welsh_header_has_six_plural_forms():
    catalogue = read_catalogue(WELSH_PO, "cy")
    assert catalogue.num_plurals == WELSH_PLURAL_FORMS == 6
    choose = gettext.c2py(catalogue.plural_expr)
    assert [choose(n) for n in (0, 1, 2, 3, 4, 5, 6, 7, 11, 100)] == [0, 1, 2, 3, 5, 5, 4, 5, 5, 5]


def test_compiled_welsh_catalogue_uses_the_same_rule():
    compiled = Translations.load(str(TRANSLATIONS), ["cy"])
    assert [compiled.plural(n) for n in (0, 1, 2, 3, 6, 7)] == [0, 1, 2, 3, 4, 5]


def test_english_header_has_two_plural_forms():
    assert read_catalogue(ENGLISH_PO, "en").num_plurals == 2


def test_every_welsh_plural_entry_has_six_forms():
    catalogue = read_catalogue(WELSH_PO, "cy")
    plurals = [m for m in catalogue if m.id and m.pluralizable]
    assert plurals, "the Welsh catalogue should have plural entries"
    for message in plurals:
        assert len(message.string) == 6, message.id


def test_msgids_carry_no_markup_or_urls():
    template = read_catalogue(TRANSLATIONS / "messages.pot")
    for message in template:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            assert not re.search(r"<[a-zA-Z/]|https?://|www\.", text), text


def test_compiled_catalogues_are_not_committed():
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "*.mo"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert listed.stdout.strip() == ""


# --- the checks, on made-up catalogues --------------------------------------------------


def test_stale_template_detection():
    committed = _catalogue(None, [("Hello", ""), ("Old words", "")])
    fresh = _catalogue(None, [("Hello", ""), ("New words", "")])
    problems = stale_template_problems(committed, fresh)
    assert problems == [
        "not in messages.pot (run `flask translate extract`): 'New words'",
        "in messages.pot but no longer used: 'Old words'",
    ]
    assert stale_template_problems(fresh, fresh) == []


def test_stale_template_detection_sees_plural_entries():
    committed = _catalogue(None, [])
    fresh = _catalogue(None, [(("%(num)d cat", "%(num)d cats"), ("", ""))])
    assert stale_template_problems(committed, fresh) == [
        "not in messages.pot (run `flask translate extract`): '%(num)d cat'"
    ]


TEMPLATE = _catalogue(None, [("Hello %(name)s", ""), ("Yes", ""), ("Back", "")])


def test_a_complete_catalogue_has_no_problems():
    welsh = _catalogue(
        "cy", [("Hello %(name)s", "Helo %(name)s"), ("Yes", "Ie"), ("Back", "Yn ôl")]
    )
    assert translation_problems(TEMPLATE, welsh, require_text=True) == []


def test_missing_entry_is_found():
    welsh = _catalogue("cy", [("Hello %(name)s", "Helo %(name)s"), ("Yes", "Ie")])
    problems = translation_problems(TEMPLATE, welsh, require_text=True)
    assert problems == ["cy: 'Back' is missing (run `flask translate update`)"]


def test_empty_welsh_entry_is_found():
    welsh = _catalogue("cy", [("Hello %(name)s", "Helo %(name)s"), ("Yes", ""), ("Back", "Yn ôl")])
    assert translation_problems(TEMPLATE, welsh, require_text=True) == [
        "cy: 'Yes' has an empty translation"
    ]


def test_empty_english_entries_are_allowed():
    english = _catalogue("en", [("Hello %(name)s", ""), ("Yes", ""), ("Back", "")])
    assert translation_problems(TEMPLATE, english, require_text=False) == []


def test_fuzzy_entry_is_found():
    welsh = _catalogue(
        "cy", [("Hello %(name)s", "Helo %(name)s"), ("Yes", "Ie", ("fuzzy",)), ("Back", "Yn ôl")]
    )
    assert translation_problems(TEMPLATE, welsh, require_text=True) == ["cy: 'Yes' is fuzzy"]


@pytest.mark.parametrize(
    ("welsh_text", "expected"),
    [
        ("Helo %(enw)s", ["uses unknown placeholders ['enw']", "placeholders differ"]),
        ("Helo", ["placeholders differ: [] != ['name']"]),
        ("Helo %(name)s %(name)s", []),
    ],
)
def test_placeholder_mismatch_is_found(welsh_text, expected):
    welsh = _catalogue("cy", [("Hello %(name)s", welsh_text), ("Yes", "Ie"), ("Back", "Yn ôl")])
    problems = translation_problems(TEMPLATE, welsh, require_text=True)
    assert len(problems) == len(expected)
    for problem, wanted in zip(problems, expected, strict=True):
        assert problem.startswith("cy: 'Hello %(name)s'")
        assert wanted in problem


PLURAL_PO = """\
msgid ""
msgstr ""
"Language: cy\\n"
"Plural-Forms: {header}\\n"
"Content-Type: text/plain; charset=utf-8\\n"

#, python-format
msgid "%(num)d cat"
msgid_plural "%(num)d cats"
{forms}
"""
SIX = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"


def _plural_catalogue(forms: list[str], header: str = SIX) -> Catalog:
    lines = "\n".join(f'msgstr[{i}] "{text}"' for i, text in enumerate(forms))
    return _po(PLURAL_PO.format(header=header, forms=lines), "cy")


PLURAL_TEMPLATE = _catalogue(None, [(("%(num)d cat", "%(num)d cats"), ("", ""))])
GOOD_FORMS = ["Dim cathod", "%(num)d gath", "%(num)d gath", "%(num)d chath", "%(num)d chath",
              "%(num)d o gathod"]


def test_welsh_plural_forms_need_not_repeat_the_number():
    welsh = _plural_catalogue(GOOD_FORMS)
    assert translation_problems(PLURAL_TEMPLATE, welsh, require_text=True) == []


def test_an_unknown_placeholder_in_a_plural_form_is_found():
    welsh = _plural_catalogue([*GOOD_FORMS[:5], "%(nifer)d o gathod"])
    problems = translation_problems(PLURAL_TEMPLATE, welsh, require_text=True)
    assert problems == ["cy: '%(num)d cat' uses unknown placeholders ['nifer']"]


def test_an_empty_plural_form_is_found():
    welsh = _plural_catalogue([*GOOD_FORMS[:4], "", GOOD_FORMS[5]])
    problems = translation_problems(PLURAL_TEMPLATE, welsh, require_text=True)
    assert problems == ["cy: '%(num)d cat' has an empty translation"]


def test_a_welsh_header_with_four_forms_is_found():
    four = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"
    welsh = _plural_catalogue(GOOD_FORMS[:4], header=four)
    problems = translation_problems(PLURAL_TEMPLATE, welsh, require_text=True)
    assert problems[0] == "cy: the Plural-Forms header must have 6 forms, not 4"


def test_placeholder_pattern_reads_both_styles():
    found = {a or b for a, b in PLACEHOLDER.findall("%(num)d and {name} and %(x)s but not %%")}
    assert found == {"num", "name", "x"}


# --- Welsh spelling ---------------------------------------------------------------------

# What follows an apostrophe in sy'n, o'r, a'ch, wedi'i, i'w, ei'm, a'th.
CLITICS = {"n", "r", "i", "w", "m", "th", "ch", "u", "s"}


def _aspell_welsh() -> str:
    if shutil.which("aspell") is None:
        reason = "aspell is not installed (apt-get install aspell aspell-cy)"
    else:
        dicts = subprocess.run(["aspell", "dicts"], capture_output=True, text=True).stdout.split()
        if "cy" in dicts:
            return "aspell"
        reason = "aspell has no Welsh dictionary (apt-get install aspell-cy)"
    if IN_CI:
        pytest.fail(f"{reason}; under CI=true the Welsh spelling check must run")
    pytest.skip(reason)


def _allowed_words() -> set[str]:
    lines = WORDLIST.read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def _words(text: str) -> list[str]:
    text = PLACEHOLDER.sub(" ", text)
    words = []
    for token in re.findall(r"[\w'’-]+", text):
        first, *rest = re.split(r"['’]", token)
        words += [first, *(piece for piece in rest if piece.lower() not in CLITICS)]
    # Words with digits (MP3, 4.0) are names or numbers, not Welsh.
    return [w.strip("-") for w in words if w and not re.search(r"[\d_]", w)]


def _welsh_texts() -> dict[str, list[str]]:
    """Every Welsh text we ship: the catalogue's msgstrs and lang="cy" template text."""
    texts: dict[str, list[str]] = {}
    for message in read_catalogue(WELSH_PO, "cy"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        texts[f"messages.po: {key!r}"] = [s for s in strings if s]
    for template in sorted((PROJECT_ROOT / "portal").rglob("templates/**/*.html")):
        soup = BeautifulSoup(template.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(attrs={"lang": "cy"}):
            text = re.sub(r"\{[{%#].*?[}%#]\}", " ", element.get_text(" "))
            if text.strip():
                texts.setdefault(str(template.relative_to(PROJECT_ROOT)), []).append(text)
    return texts


def test_words_are_split_on_apostrophes_and_placeholders():
    assert _words("Mae'r wefan hon yn eich helpu chi'n dda, %(name)s") == [
        "Mae", "wefan", "hon", "yn", "eich", "helpu", "chi", "dda"
    ]
    assert _words("Daw’r lluniau a'ch 4.0 Attribution-ShareAlike") == [
        "Daw", "lluniau", "a", "Attribution-ShareAlike"
    ]


def test_aspell_finds_a_misspelt_welsh_word():
    aspell = _aspell_welsh()
    result = subprocess.run(
        [aspell, "-l", "cy", "--encoding=utf-8", "list"],
        input="\n".join(_words("Mae'r bobl yn hapus iawn. Mae'r bbobl yn hapuss.")),
        capture_output=True, text=True, check=True,
    )
    assert set(result.stdout.split()) == {"bbobl", "hapuss"}


def test_welsh_is_spelt_right():
    aspell = _aspell_welsh()
    texts = _welsh_texts()
    words = {w for strings in texts.values() for s in strings for w in _words(s)}
    result = subprocess.run(
        [aspell, "-l", "cy", "--encoding=utf-8", "list"],
        input="\n".join(sorted(words)), capture_output=True, text=True, check=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    allowed = _allowed_words()
    unknown = {w for w in result.stdout.split() if w.lower() not in allowed}
    where = {
        word: [place for place, strings in texts.items() if any(word in _words(s) for s in strings)]
        for word in sorted(unknown)
    }
    assert not unknown, (
        "aspell -l cy does not know these words. Fix a misspelling in the catalogue; add a "
        f"proper noun or a right word the dictionary lacks to {WORDLIST.name}: {where}"
    )


def test_the_wordlist_holds_no_word_aspell_already_knows():
    """Keeps the allow-list short: a word aspell accepts does not need to be there."""
    aspell = _aspell_welsh()
    allowed = sorted(_allowed_words())
    result = subprocess.run(
        [aspell, "-l", "cy", "--encoding=utf-8", "list"],
        input="\n".join(allowed), capture_output=True, text=True, check=True,
    )
    flagged = {w.lower() for w in result.stdout.split()}
    known = [w for w in allowed if w not in flagged and "-" not in w]
    assert known == [], f"remove from {WORDLIST.name}: aspell accepts {known}"
