"""Content true to its source (issue 19): the Act's own Welsh for the well-being areas, the
Welsh mistakes a careful reader found, meaning kept in easy read, and no one else's name.

The reference here is the Social Services and Well-being (Wales) Act 2014, section 2 (its
Welsh text), and the Commissioning Board's guidance (2017) sections 4, 5 and 7.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from portal.content.easyread import long_sentences
from portal.core.config import PROJECT_ROOT
from portal.ops.catalogues import read_catalogue

ASSETS = PROJECT_ROOT / "easyread_assets"
WELSH_PO = PROJECT_ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
ENGLISH_PO = PROJECT_ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"

# The Act, section 2: the well-being areas in its own Welsh, word for word.
ACT_WELSH = {
    "rights": "sicrhau hawliau a hawlogaethau",
    "control": "rheolaeth ar fywyd pob dydd",  # for adults
    "health": "iechyd corfforol, iechyd meddwl a llesiant emosiynol",
    "safety": "amddiffyn rhag camdriniaeth ac esgeulustod",
    "learning": "addysg, hyfforddiant a gweithgareddau hamdden",
    "relationships": "perthnasoedd domestig, teuluol a phersonol",
    "contribution": "cyfraniad a wneir at y gymdeithas",
    "social-economic": "llesiant cymdeithasol ac economaidd",
    "home": "addasrwydd llety preswyl",
    "work": "cymryd rhan mewn gwaith",  # for adults
}
# Each of our domains is one area of the Act, or (rights) two joined as the National
# Well-being Statement joins them: "Securing rights and entitlements, and control over
# day-to-day life".
DOMAIN_AREAS = {
    "rights": ("rights", "control"),
    "health": ("health",),
    "safety": ("safety",),
    "learning": ("learning",),
    "relationships": ("relationships",),
    "contribution": ("contribution",),
    "social-economic": ("social-economic",),
    "home": ("home",),
}


def _toml(name: str) -> dict:
    return tomllib.loads((ASSETS / name).read_text(encoding="utf-8"))


def act_wording_problems(domains: list[dict]) -> list[str]:
    """Domains whose formal Welsh is not the Act's, and domains the Act does not name."""
    problems = []
    for domain in domains:
        areas = DOMAIN_AREAS.get(domain["key"])
        if areas is None:
            problems.append(f"{domain['key']}: not one of the Act's well-being areas")
            continue
        expected = ", a ".join(ACT_WELSH[a] for a in areas)
        formal = domain["formal_cy"]
        if formal[:1].lower() + formal[1:] != expected:
            problems.append(f"{domain['key']}: {formal!r} is not the Act's {expected!r}")
    return problems


# --- 1. The Act's own Welsh -------------------------------------------------------------------


def test_every_domains_formal_welsh_is_the_acts():
    domains = _toml("domains.toml")["domain"]
    assert {d["key"] for d in domains} == set(DOMAIN_AREAS)
    assert act_wording_problems(domains) == []


@pytest.mark.parametrize("wrong", [
    "Sicrhau hawliau a hawliadau, a rheolaeth ar fywyd pob dydd",  # claims, not entitlements
    "Sicrhau hawliau a hawlogaethau, a rheolaeth dros fywyd o ddydd i ddydd",
    "Sicrhau hawliau a hawlogaethau",  # the adults' area left out
])
def test_the_act_wording_check_finds_a_wrong_word(wrong):
    assert act_wording_problems([{"key": "rights", "formal_cy": wrong}])


def test_the_act_wording_check_finds_each_old_wording():
    old = {"health": "Iechyd corfforol a meddyliol a llesiant emosiynol",
           "safety": "Diogelu rhag camdriniaeth ac esgeulustod",
           "learning": "Addysg, hyfforddiant a hamdden",
           "contribution": "Cyfraniad at y gymdeithas",
           "home": "Addasrwydd llety byw"}
    found = act_wording_problems([{"key": k, "formal_cy": v} for k, v in old.items()])
    assert len(found) == len(old)


def test_the_loaded_domains_carry_the_acts_welsh(app, demo):
    from sqlalchemy import select

    from portal.content.store import load_content
    from portal.core.extensions import db
    from portal.models import ContentItem

    with app.app_context():
        load_content()
        loaded = [{"key": i.key.removeprefix("domain."), "formal_cy": i.data["formal_cy"]}
                  for i in db.session.scalars(select(ContentItem).where(
                      ContentItem.kind == "domain", ContentItem.is_current))]
        db.session.remove()
    assert len(loaded) == len(DOMAIN_AREAS) and act_wording_problems(loaded) == []


# --- 2. The Welsh mistakes found, and 5. the name that is not ours ---------------------------

# (what must not be there, why). Matched ignoring case, in every content file and in the
# Welsh catalogue (and, for the name, in the English catalogue and the templates too).
LISTED_MISTAKES = [
    (r"\bYdw, dw i eisiau cymryd rhan", "“Wnewch chi…?” is answered “Gwnaf”"),
    (r"tabled pan does neb yn ei gyffwrdd", "tabled is feminine: “ei chyffwrdd”"),
    (r"\bei gyffwrdd\b", "tabled is feminine: “ei chyffwrdd”"),
    (r"6 llythyren a rhif", "“6 o lythrennau a rhifau”"),
    (r"\bi Rhedeg\b", "soft mutation after “i”: “i Redeg”"),
    (r'^Llun ei hun$', "“Ei lun ei hun”"),
    (r"Wnaethoch chi hepgor", "a statement, not a question: “Rydych chi wedi hepgor”"),
    (r"dweud eich dweud a bod mewn rheolaeth", "the domain says “fy nweud”, as the mat"),
    (r"os na all y person ddewis", "lacking capacity is “heb alluedd meddyliol”"),
    (r"\bos dw i\b", "“os ydw i”"),
    (r"os yw 3 neu fwy wedi dewis rhywbeth", "lost “only” and “the same”"),
    (r"hawliadau", "“hawliadau” means claims; the Act says “hawlogaethau”"),
    (r"talking[ -]mats?", "another company's name: our mats are picture mats"),
    (r"mat(iau)? siarad", "another company's name: our mats are matiau lluniau"),
]


def _welsh_catalogue_texts() -> list[str]:
    texts = []
    for message in read_catalogue(WELSH_PO, "cy"):
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts += [s for s in strings if s]
    return texts


def _english_catalogue_texts() -> list[str]:
    texts = []
    for message in read_catalogue(ENGLISH_PO, "en"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts += [i for i in ids if i]
    return texts


def _content_texts() -> list[str]:
    texts = []
    for path in sorted(ASSETS.glob("*.toml")):
        if path.name == "pictures.toml":
            continue
        for entries in tomllib.loads(path.read_text(encoding="utf-8")).values():
            for entry in entries:
                for item in (entry, *entry.get("point", [])):
                    texts += [v for v in item.values() if isinstance(v, str)]
    return texts


@pytest.mark.parametrize(("pattern", "why"), LISTED_MISTAKES)
def test_no_listed_mistake_remains(pattern, why):
    regex = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    texts = _content_texts() + _welsh_catalogue_texts() + _english_catalogue_texts()
    found = [t for t in texts if regex.search(t)]
    assert not found, f"{why}: {found}"


def test_the_mistake_check_sees_the_catalogue_and_the_content():
    # The strings it reads are the real ones: one right form of each is there.
    texts = _content_texts() + _welsh_catalogue_texts()
    for right in ("Gwnaf, dw i eisiau cymryd rhan", "pan nad oes neb yn ei chyffwrdd",
                  "6 o lythrennau a rhifau", "Yn ôl i Redeg y porth", "Ei lun ei hun",
                  "Rydych chi wedi hepgor y cwestiwn hwn.", "Cael dweud fy nweud",
                  "heb alluedd meddyliol", "os ydw i eisiau", "dim ond os dewisodd 3",
                  "Fy matiau lluniau", "Mat lluniau:"):
        assert any(right in t for t in texts), right


def test_no_template_or_code_names_talking_mats():
    regex = re.compile(r"talking[ -]mats?", re.IGNORECASE)
    found = [str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "portal").rglob("*")
             if p.suffix in {".html", ".py", ".js", ".txt"}
             and regex.search(p.read_text(encoding="utf-8", errors="ignore"))]
    assert found == []


def test_the_readme_credits_the_method():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    credits = readme[readme.index("## Credits"):]
    assert "Talking Mats Ltd" in credits and "picture mats" in credits


# --- 3. and 4. Meaning kept in easy read, and questions that can be answered ----------------


def _items(name: str, kind: str) -> dict[str, dict]:
    return {item["key"]: item for item in _toml(name)[kind]}


def test_easy_read_statements_keep_the_statements_meaning():
    statements = _items("statements.toml", "statement")
    assert "someone who can do it for me" in statements["decisions"]["en"]
    assert "rywun sy'n gallu gwneud hyn ar fy rhan" in statements["decisions"]["cy"]
    assert statements["protect-others"]["en"].startswith("I am supported to")
    assert statements["protect-others"]["cy"].startswith("Dw i'n cael cymorth i")
    assert "dignity" in statements["respect"]["en"] and "urddas" in statements["respect"]["cy"]


def test_questions_say_what_they_mean_without_the_screen_before():
    questions = _items("conversations.toml", "question")
    pointing_back = r"these things|pethau hyn|did that change|newidiodd hynny"
    for key in ("wm-risks", "jn-impact"):
        for language in ("en", "cy"):
            text = questions[key][language]
            assert not re.search(pointing_back, text), text
    assert "matters to you" in questions["wm-risks"]["en"]
    assert "got in the way" in questions["jn-impact"]["en"]
    # Section 5, question 6 asks whether support could help; section 7, question 10 asks
    # about help in the person's community.
    assert questions["wm-support"]["en"].startswith("Could support help you")
    assert questions["wm-support"]["cy"].startswith("Allai cymorth eich helpu")
    assert "in your community" in questions["jn-enough"]["en"]
    assert "yn eich cymuned" in questions["jn-enough"]["cy"]


def test_yes_or_no_questions_have_a_yes_not_sure_no_scale_that_echoes_the_verb():
    questions = _items("conversations.toml", "question")
    scales = _items("scales.toml", "scale")
    for key, verb in (("wm-enough", "Oes"), ("jn-easy-to-get", "Oedd"), ("jn-enough", "Oedd")):
        question = questions[key]
        assert question["cy"].startswith(verb), question["cy"]
        points = {p["key"]: p for p in scales[question["scale"]]["point"]}
        assert set(points) == {"yes", "not-sure", "no"}
        assert (points["yes"]["en"], points["no"]["en"]) == ("Yes", "No")
        # A Welsh yes or no echoes the question's verb.
        assert (points["yes"]["cy"], points["no"]["cy"]) == (verb, f"Nac {verb.lower()}")


def test_every_sentence_people_see_has_15_words_or_fewer():
    # formal_en / formal_cy are the statutory wording for commissioners, kept whole.
    seen = ("en", "cy", "alt_en", "alt_cy", "hint_en", "hint_cy")
    for path in sorted(ASSETS.glob("*.toml")):
        if path.name == "pictures.toml":
            continue
        for entries in tomllib.loads(path.read_text(encoding="utf-8")).values():
            for entry in entries:
                for item in (entry, *entry.get("point", [])):
                    for name in seen:
                        if isinstance(item.get(name), str):
                            assert long_sentences(item[name]) == [], item[name]


def test_content_welsh_is_spelt_right():
    """The catalogue is checked in test_catalogues.py; the content files' Welsh here."""
    import subprocess

    from tests.test_catalogues import _allowed_words, _aspell_welsh, _words

    aspell = _aspell_welsh()
    welsh = []
    for path in sorted(ASSETS.glob("*.toml")):
        if path.name == "pictures.toml":
            continue
        for entries in tomllib.loads(path.read_text(encoding="utf-8")).values():
            for entry in entries:
                for item in (entry, *entry.get("point", [])):
                    welsh += [v for k, v in item.items() if k.endswith("cy") and
                              isinstance(v, str)]
    words = sorted({w for text in welsh for w in _words(text)})
    unknown = subprocess.run([aspell, "-l", "cy", "--encoding=utf-8", "list"],
                             input="\n".join(words), capture_output=True, text=True).stdout
    allowed = _allowed_words()
    assert sorted({w for w in unknown.split() if w.lower() not in allowed}) == []
