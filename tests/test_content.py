"""The easy-read content loader and the easy-read check over the real content files."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import func, select

from portal.content.easyread import long_sentences, sentences, word_count
from portal.content.schema import ContentError, parse_files
from portal.content.store import apply_specs, load_content, read_asset_files
from portal.core.config import PROJECT_ROOT
from portal.models import ContentItem
from portal.pictures import picture_exists

THEME = """
[[domain]]
key = "home"
picture = "home"
en = "My home"
cy = "Fy nghartref"
alt_en = "A house."
alt_cy = "Tŷ."
formal_en = "Suitability of living accommodation"
formal_cy = "Addasrwydd llety preswyl"

[[theme]]
key = "home"
domain = "home"
picture = "house-garden"
en = "Home"
cy = "Cartref"
alt_en = "A house with a garden."
alt_cy = "Tŷ gyda gardd."
"""


@pytest.fixture()
def content_db(app, clean_db):
    """These tests work on rows directly, so they hold one app context open."""
    with app.app_context():
        yield clean_db


def _problems(files: dict[str, str]) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_files(files, picture_exists)
    return [str(p) for p in caught.value.problems]


# --- pure rules -------------------------------------------------------------------


def test_sentences_split_on_full_stops_and_questions():
    assert sentences("Hello. How are you? Fine!") == ["Hello.", "How are you?", "Fine!"]


def test_word_count_keeps_welsh_apostrophe_forms_as_one_word():
    assert word_count("Mae'n bwysig i mi") == 4


def test_long_sentences_finds_only_the_long_one():
    long = " ".join(["word"] * 16) + "."
    assert long_sentences(f"Short one. {long}") == [long]


def test_good_content_parses_with_namespaced_keys():
    specs = parse_files({"t.toml": THEME}, picture_exists)
    assert [s.key for s in specs] == ["domain.home", "theme.home"]
    assert specs[1].data["domain"] == "home"


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ('cy = "Cartref"\n', "missing Welsh words (cy)"),
        ('en = "Home"\n', "missing English words (en)"),
        ('alt_cy = "Tŷ gyda gardd."\n', "missing Welsh alt text (alt_cy)"),
        ('picture = "house-garden"\n', "missing picture"),
    ],
)
def test_loader_refuses_a_missing_field_naming_file_and_item(broken, reason):
    text = THEME.replace(broken, "", 1) if broken.startswith(("cy", "alt")) else None
    if text is None:  # remove the field from the theme, not the domain
        head, theme = THEME.split("[[theme]]")
        text = head + "[[theme]]" + theme.replace(broken, "", 1)
    problems = _problems({"themes.toml": text})
    assert any(p.startswith("themes.toml: theme home: ") and reason in p for p in problems), (
        problems
    )


def test_loader_refuses_an_unknown_picture_name():
    problems = _problems({"x.toml": THEME.replace('"house-garden"', '"no-such-picture"')})
    assert problems == ["x.toml: theme home: unknown picture name 'no-such-picture'"]


def test_loader_refuses_a_sentence_over_fifteen_words():
    long = "This sentence is far too long for easy read because it has very many many words."
    problems = _problems({"x.toml": THEME.replace('en = "Home"', f'en = "{long}"')})
    assert len(problems) == 1 and "over 15 words" in problems[0] and "theme home" in problems[0]


def test_loader_refuses_an_unknown_domain_and_a_duplicate_key():
    problems = _problems(
        {"a.toml": THEME.replace('domain = "home"', 'domain = "space"'), "b.toml": THEME}
    )
    assert any("unknown domain 'space'" in p for p in problems)
    assert any("the key is used twice" in p for p in problems)


def test_loader_refuses_a_scale_with_one_point_or_equal_scores():
    scale = """
[[scale]]
key = "s"
picture = "thumbs-up"
en = "A scale"
cy = "Graddfa"
alt_en = "A thumb."
alt_cy = "Bawd."
  [[scale.point]]
  key = "a"
  score = 1
  picture = "thumbs-up"
  en = "Yes"
  cy = "Ie"
  alt_en = "A thumb up."
  alt_cy = "Bawd i fyny."
"""
    assert any("at least two points" in p for p in _problems({"s.toml": scale}))
    second = scale.split("  [[scale.point]]")[1].replace('key = "a"', 'key = "b"')
    assert any(
        "same score" in p for p in _problems({"s.toml": scale + "  [[scale.point]]" + second})
    )


def test_broken_toml_names_the_file():
    problems = _problems({"broken.toml": "[[theme]\nkey="})
    assert problems[0].startswith("broken.toml: (file): not valid TOML")


# --- loading into the database ------------------------------------------------------


def test_load_is_idempotent(content_db):
    first = load_content()
    second = load_content()
    assert first.added > 30 and first.updated == 0
    assert second.added == 0 and second.updated == 0 and second.unchanged == first.added


def test_changed_wording_adds_a_version_and_keeps_the_old_one(content_db):
    apply_specs(parse_files({"t.toml": THEME}, picture_exists))
    old = content_db.session.scalar(select(ContentItem).where(ContentItem.key == "theme.home"))
    result = apply_specs(
        parse_files({"t.toml": THEME.replace('"Cartref"', '"Adref"')}, picture_exists)
    )
    assert (result.updated, result.unchanged) == (1, 1)
    versions = content_db.session.scalars(
        select(ContentItem).where(ContentItem.key == "theme.home").order_by(ContentItem.version)
    ).all()
    assert [(v.version, v.is_current, v.words_cy) for v in versions] == [
        (1, False, "Cartref"),
        (2, True, "Adref"),
    ]
    assert versions[0].id == old.id  # an answer pointing at version 1 still finds its words


def test_removed_item_is_retired_not_deleted(content_db):
    apply_specs(parse_files({"t.toml": THEME}, picture_exists))
    domain_only = THEME.split("[[theme]]")[0]
    result = apply_specs(parse_files({"t.toml": domain_only}, picture_exists))
    assert result.retired == 1
    item = content_db.session.scalar(select(ContentItem).where(ContentItem.key == "theme.home"))
    assert item is not None and item.is_current is False


def test_broken_files_load_nothing(content_db, tmp_path):
    (tmp_path / "good.toml").write_text(THEME, encoding="utf-8")
    (tmp_path / "bad.toml").write_text(
        THEME.replace('key = "home"', 'key = "x"', 1).replace('"house-garden"', '"nope"'),
        encoding="utf-8",
    )
    with pytest.raises(ContentError):
        load_content(tmp_path)
    assert content_db.session.scalar(select(func.count()).select_from(ContentItem)) == 0


def test_content_load_command_names_the_problem(app, content_db, tmp_path, monkeypatch):
    import portal.content.store as store

    (tmp_path / "themes.toml").write_text(THEME.replace('cy = "Cartref"\n', ""), encoding="utf-8")
    monkeypatch.setattr(store, "ASSETS", tmp_path)
    monkeypatch.setattr(store.load_content, "__defaults__", (tmp_path,))
    result = app.test_cli_runner().invoke(args=["content", "load"])
    assert result.exit_code != 0
    assert "themes.toml: theme home: missing Welsh words (cy)" in result.output
    assert "nothing was loaded" in result.output


# --- the easy-read check over the real content and catalogues ----------------------


def test_every_real_content_item_has_both_languages_alt_text_and_a_picture():
    specs = parse_files(read_asset_files(), picture_exists)  # raises with every problem
    kinds = {s.kind for s in specs}
    assert {"domain", "theme", "scale", "scale_point"} <= kinds
    assert len([s for s in specs if s.kind == "domain"]) == 8
    for spec in specs:
        assert spec.words_en and spec.words_cy and spec.alt_en and spec.alt_cy, spec.key
        assert picture_exists(spec.picture), spec.key


@pytest.mark.parametrize("locale", ["en", "cy"])
def test_every_catalogue_sentence_is_fifteen_words_or_fewer(locale):
    path = PROJECT_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    too_long = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in (*ids, *strings) if locale == "en" else strings:
            too_long += long_sentences(text or "")
    assert too_long == []
