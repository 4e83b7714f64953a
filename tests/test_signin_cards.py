"""A person signs in with their card and their own three pictures (issue 15): the
practitioner makes and prints the card, the QR code in the PDF leads to the card's page,
and the card alone or the pictures alone are not enough. Both languages."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import AuditEntry, Person, SignInCard
from tests import rights_support as support
from tests.conftest import sign_in

THREE = ["bus", "heart", "wales"]
WORDS = {"en": ("Pick your 3 pictures", "Those pictures are not right. Please try again.",
                "Ask the person who helps you.", "This card does not work"),
         "cy": ("Dewiswch eich 3 llun",
                "Dydy'r lluniau yna ddim yn iawn. Ceisiwch eto, os gwelwch yn dda.",
                "Gofynnwch i'r person sy'n eich helpu chi.", "Dydy'r cerdyn yma ddim yn gweithio")}


@pytest.fixture()
def alex(app, demo):
    with app.app_context():
        found = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        db.session.remove()
    return found


def practitioner(app):
    client = app.test_client()
    assert sign_in(client, "demo-practitioner").status_code == 302
    return client


def make_card(client, person_id: int, pictures=THREE):
    response = client.post_form(f"/sign-in/people/{person_id}/card/new", {"pictures": pictures})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def card_address(app, client, person_id: int, tmp_path) -> str:
    """Print the card and read its QR code back, as a tablet's camera would."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    response = client.get(f"/sign-in/people/{person_id}/card.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(response.data)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    found = zxingcpp.read_barcodes(Image.open(page))
    assert len(found) == 1
    return found[0].text


def text(html: str) -> str:
    """The page's words, as read (entities decoded, spaces collapsed)."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def nine_on_page(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [box["value"] for box in soup.select("input[name=pictures]")]


def in_language(client, language: str):
    client.get(f"/language/{language}?next=/about")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_card_and_pictures_sign_the_person_in(app, alex, tmp_path, language):
    staff = practitioner(app)
    page = staff.get(f"/sign-in/people/{alex}").get_data(as_text=True)
    assert "Make a new card with their pictures" in page
    choose = staff.get(f"/sign-in/people/{alex}/card/new")
    assert choose.status_code == 200
    make_card(staff, alex)
    address = card_address(app, staff, alex, tmp_path)
    assert re.fullmatch(r"http://localhost:5000/card/[A-Za-z0-9_-]{40,}", address)
    path = address.removeprefix("http://localhost:5000")

    tablet = app.test_client()
    in_language(tablet, language)
    shown = tablet.get(path)
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    assert WORDS[language][0] in text(html)
    nine = nine_on_page(html)
    assert len(nine) == 9 and set(THREE) <= set(nine)
    assert ' checked' not in html  # nothing is picked for them
    signed_in = tablet.post_form(path, {"pictures": list(reversed(THREE))})
    assert (signed_in.status_code, signed_in.headers["Location"]) == (302, "/me/")
    assert tablet.get("/me/").status_code == 200


@pytest.mark.parametrize("language", ["en", "cy"])
def test_wrong_pictures_get_one_kind_message_and_five_lock_the_card(app, alex, tmp_path,
                                                                     language):
    staff = practitioner(app)
    make_card(staff, alex)
    path = card_address(app, staff, alex, tmp_path).removeprefix("http://localhost:5000")
    tablet = app.test_client()
    in_language(tablet, language)
    nine = nine_on_page(tablet.get(path).get_data(as_text=True))
    others = [name for name in nine if name not in THREE]
    tries = [[*THREE[:2], others[0]], others[:3], [THREE[0], *others[1:3]], others[3:6]]
    pages = []
    for picked in tries:
        response = tablet.post_form(path, {"pictures": picked})
        assert response.status_code == 401
        pages.append(response.get_data(as_text=True))
    for html in pages:
        assert WORDS[language][1] in text(html)
        assert ' checked' not in html
    # Two right of three says no more than none right: the same words, the same pictures.
    assert {frozenset(nine_on_page(html)) for html in pages} == {frozenset(nine)}
    locked = tablet.post_form(path, {"pictures": others[:3]})
    assert locked.status_code == 403
    assert WORDS[language][2] in text(locked.get_data(as_text=True))
    # Locked: even the right pictures do not sign in now.
    assert tablet.post_form(path, {"pictures": THREE}).status_code == 403
    assert tablet.get("/me/").status_code == 302

    assert staff.post_form(f"/sign-in/people/{alex}/card/unlock").status_code == 302
    assert "The card works again." in staff.get(f"/sign-in/people/{alex}?done=unlocked").get_data(
        as_text=True)
    assert tablet.post_form(path, {"pictures": THREE}).status_code == 302


def test_the_card_alone_or_the_pictures_alone_are_not_enough(app, alex, tmp_path):
    staff = practitioner(app)
    make_card(staff, alex)
    path = card_address(app, staff, alex, tmp_path).removeprefix("http://localhost:5000")
    tablet = app.test_client()
    assert tablet.post_form(path, {}).status_code == 400  # the card, no pictures
    assert tablet.post_form(path, {"pictures": THREE[:2]}).status_code == 400
    assert "Please pick 3 pictures." in tablet.post_form(path, {"pictures": THREE[:1]}).get_data(
        as_text=True)
    other_token = tablet.post_form("/card/" + "x" * 43, {"pictures": THREE})  # pictures alone
    assert other_token.status_code == 404
    assert tablet.get("/me/").status_code == 302


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_lost_card_is_revoked_and_a_new_one_printed(app, alex, tmp_path, language):
    staff = practitioner(app)
    make_card(staff, alex)
    old = card_address(app, staff, alex, tmp_path).removeprefix("http://localhost:5000")
    assert staff.post_form(f"/sign-in/people/{alex}/card/revoke").status_code == 302
    tablet = app.test_client()
    in_language(tablet, language)
    gone = tablet.get(old)
    assert gone.status_code == 404
    assert WORDS[language][3] in text(gone.get_data(as_text=True))
    assert tablet.post_form(old, {"pictures": THREE}).status_code == 404
    # The printed PDF is for a card just made: after revoking there is nothing to print.
    assert staff.get(f"/sign-in/people/{alex}/card.pdf").status_code == 404

    make_card(staff, alex, ["apple", "music", "bed"])
    for page in tmp_path.glob("page*.png"):
        page.unlink()
    new = card_address(app, staff, alex, tmp_path).removeprefix("http://localhost:5000")
    assert new != old
    assert tablet.get(old).status_code == 404
    assert tablet.post_form(new, {"pictures": ["apple", "music", "bed"]}).status_code == 302


def test_a_new_card_stops_the_old_one(app, alex, tmp_path):
    staff = practitioner(app)
    make_card(staff, alex)
    old = card_address(app, staff, alex, tmp_path).removeprefix("http://localhost:5000")
    make_card(staff, alex)
    assert app.test_client().get(old).status_code == 404


def test_the_choice_is_stored_hashed_and_never_shown_back(app, alex):
    staff = practitioner(app)
    make_card(staff, alex)
    with app.app_context():
        card = db.session.scalar(select(SignInCard).where(SignInCard.person_id == alex))
        assert all(name not in card.choice_hash for name in THREE)
        assert len(card.picture_names) == 9
        db.session.remove()
    for path in (f"/sign-in/people/{alex}", f"/sign-in/people/{alex}/card"):
        html = staff.get(path).get_data(as_text=True)
        assert not [name for name in THREE if f'value="{name}"' in html]


def test_choosing_pictures_needs_exactly_three(app, alex):
    staff = practitioner(app)
    wrong = ([], THREE[:2], [*THREE, "apple"], ["bus", "bus", "heart"], ["no-such", *THREE[:2]])
    for picked in wrong:
        response = staff.post_form(f"/sign-in/people/{alex}/card/new", {"pictures": picked})
        assert response.status_code == 400, picked
        assert "Please pick 3 pictures." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SignInCard).where(SignInCard.person_id == alex)) is None
        db.session.remove()


def test_ways_to_sign_in_in_welsh(app, alex):
    staff = practitioner(app)
    in_language(staff, "cy")
    html = staff.get(f"/sign-in/people/{alex}").get_data(as_text=True)
    assert "Ffyrdd o fewngofnodi i Alex" in html


def test_practitioner_actions_are_audited(app, alex):
    staff = practitioner(app)
    staff.get(f"/sign-in/people/{alex}")
    make_card(staff, alex)
    staff.post_form(f"/sign-in/people/{alex}/setup-code")
    with app.app_context():
        card = db.session.scalar(select(SignInCard).where(SignInCard.person_id == alex,
                                                          SignInCard.revoked_at.is_(None)))
        card.failures, card.locked_at = 5, card.created_at
        db.session.commit()
        db.session.remove()
    staff.post_form(f"/sign-in/people/{alex}/card/unlock")
    staff.post_form(f"/sign-in/people/{alex}/card/revoke")
    with app.app_context():
        practitioner_id = support.user_id("demo-practitioner")
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.person_id == alex)
                                  .order_by(AuditEntry.id)).all()
        done = [(r.action, r.endpoint, r.user_id) for r in rows]
        db.session.remove()
    for endpoint in ("signin.new_card", "signin.setup_code", "signin.unlock_card",
                     "signin.revoke_card"):
        assert ("change", endpoint, practitioner_id) in done
    assert ("view", "signin.ways", practitioner_id) in done


def test_someone_not_on_the_list_is_not_found(app, alex):
    with app.app_context():
        bea = support.add_person("Bea", "bea-person")
        db.session.commit()
        db.session.remove()
    staff = practitioner(app)
    assert staff.get(f"/sign-in/people/{bea}").status_code == 404
    assert staff.post_form(f"/sign-in/people/{bea}/card/new",
                           {"pictures": THREE}).status_code == 404
    assert staff.post_form(f"/sign-in/people/{bea}/setup-code").status_code == 404


def test_a_deactivated_persons_card_does_not_work(app, alex, tmp_path):
    from portal.models import User

    staff = practitioner(app)
    make_card(staff, alex)
    path = card_address(app, staff, alex, tmp_path).removeprefix("http://localhost:5000")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "demo-person")).active = False
        db.session.commit()
        db.session.remove()
    tablet = app.test_client()
    assert tablet.get(path).status_code == 404
    assert tablet.post_form(path, {"pictures": THREE}).status_code == 404


def test_erasing_the_person_erases_their_card_and_codes(app, alex):
    from portal.models import PasskeySetupCode
    from portal.rights.erase import erase_person

    staff = practitioner(app)
    make_card(staff, alex)
    staff.post_form(f"/sign-in/people/{alex}/setup-code")
    with app.app_context():
        erase_person(db.session.get(Person, alex))
        db.session.commit()
        assert db.session.scalars(select(SignInCard)).all() == []
        assert db.session.scalars(select(PasskeySetupCode)).all() == []
        db.session.remove()


def test_the_card_is_in_welsh_and_english_and_never_shows_the_pictures(app, alex):
    from io import BytesIO

    from pypdf import PdfReader

    staff = practitioner(app)
    make_card(staff, alex)
    reader = PdfReader(BytesIO(staff.get(f"/sign-in/people/{alex}/card.pdf").data))
    words = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Dyma gerdyn mewngofnodi Alex." in words
    assert "This is the sign-in card of Alex." in words
    assert "Fy ngherdyn mewngofnodi" in reader.metadata.title
    for word in ("Bus", "Bws", "Heart", "Calon", "Welsh flag", "Baner Cymru"):
        assert word not in words
