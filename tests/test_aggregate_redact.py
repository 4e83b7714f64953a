"""Taking names and places out of shared words (portal/domain/redact.py), pure."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portal.domain.redact import MARK, redact


def test_known_names_and_places_go_in_any_case():
    out = redact("i saw sarah jones and SARAH in cardiff", ["Sarah Jones", "Cardiff"])
    assert "sarah" not in out.lower() and "cardiff" not in out.lower() and "jones" not in out
    assert out.startswith("i saw " + MARK)


def test_capitalised_words_mid_sentence_go_but_sentence_starts_and_i_stay():
    out = redact("We went to Barry Island with Gareth. It was fun and I liked it.")
    assert "Barry" not in out and "Gareth" not in out
    assert out.startswith("We went to ") and "It was fun and I liked it." in out


def test_welsh_words_are_treated_the_same():
    out = redact("Dw i'n hoffi mynd i Abertawe gyda Siân. Mae'n braf.")
    assert "Abertawe" not in out and "Siân" not in out
    assert out.startswith("Dw i'n hoffi mynd i ") and out.endswith("Mae'n braf.")


def test_contact_details_go():
    out = redact("ring 07700 900123 or +44 29 2000 0000, email me at jo.b@example.org, "
                 "post to cf10 1aa, see www.example.org/me")
    for gone in ("07700", "2000", "jo.b", "example", "cf10"):
        assert gone not in out.lower(), out


def test_short_abbreviations_and_plain_words_stay():
    assert redact("my GP and the NHS help me") == "my GP and the NHS help me"


def test_neighbouring_marks_become_one():
    assert redact("with Ann, Bob and Cy", []) == f"with {MARK} and {MARK}"


@given(st.text(max_size=200), st.lists(st.text(min_size=2, max_size=12), max_size=4))
def test_never_fails_and_no_given_name_survives(text, names):
    out = redact(text, names)
    assert isinstance(out, str)
    for name in names:
        words = [w for w in name.split() if len(w) >= 2 and w.isalpha()]
        for word in words:
            assert f" {word.lower()} " not in f" {out.lower()} "
