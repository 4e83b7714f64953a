"""Each worker keeps the content it reads (portal/content/cache.py). These tests run two apps
on one database, as two gunicorn workers are, and change content through one of them: the
other must show the change on its very next request, never an old copy."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from portal.content import scales
from portal.content.store import load_content
from portal.conversations import flow, store
from portal.core.extensions import db
from portal.models import AudioRecording, ContentItem, PictureUpload
from portal.speech.store import active_recording_ids
from portal.uploads.store import active_picture_uploads, use_library_picture
from tests.conftest import sign_in
from tests.sql import statements_run

QUESTION = "question.wm-matters"
SCALE = "how-true"  # the statements' scale


@pytest.fixture()
def workers(app, demo, make_app):
    """(one, two): two apps on the same database, with the content loaded."""
    with app.app_context():
        load_content()
        db.session.remove()
    two = make_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]})
    return app, two


def in_request(worker, read):
    with worker.test_request_context():
        try:
            return read()
        finally:
            db.session.remove()


def change(worker, do) -> None:
    with worker.app_context():
        do()
        db.session.commit()
        db.session.remove()


def current_question(key: str = QUESTION) -> ContentItem:
    return db.session.scalar(select(ContentItem).where(ContentItem.key == key,
                                                       ContentItem.is_current))


def question_words(worker) -> str:
    return in_request(worker, lambda: store.question_items()["wm-matters"].words_en)


def content_queries(worker, read) -> list[str]:
    """The SQL statements that touch content_items while `read` runs in a request."""
    run = statements_run(worker, lambda: in_request(worker, read))
    return [statement for statement in run if "content_items" in statement]


def test_a_worker_reads_the_content_once_until_it_changes(workers):
    _one, two = workers
    question_words(two)  # fills this worker's store
    assert content_queries(two, store.question_items) == []
    assert content_queries(two, store.theme_items) != []  # another kind: read once
    assert content_queries(two, store.theme_items) == []


def test_words_changed_by_another_worker_show_on_the_next_request(workers):
    one, two = workers
    original = question_words(two)

    def reword():
        current_question().words_en = "What matters to you today?"

    change(one, reword)
    assert question_words(two) == "What matters to you today?"
    assert original != "What matters to you today?"


def test_the_question_page_shows_the_change_made_elsewhere(workers):
    one, two = workers
    client = two.test_client()
    sign_in(client, "demo-person")
    started = client.post_form("/conversations/start/what-matters")
    client.post_form(started.headers["Location"], {"who": "alone"})
    page = client.get(f"{started.headers['Location'].rsplit('/', 1)[0]}/q/wm-matters")
    assert page.status_code == 200
    assert "What matters to you today?" not in page.get_data(as_text=True)

    def reword():
        current_question().words_en = "What matters to you today?"

    change(one, reword)
    page = client.get(page.request.path)
    assert "What matters to you today?" in page.get_data(as_text=True)


def test_a_new_content_version_from_another_worker_is_seen(workers):
    one, two = workers
    before = in_request(two, lambda: store.question_items()["wm-matters"].id)

    def new_version():
        old = current_question()
        old.is_current = False
        db.session.add(ContentItem(
            key=old.key, kind=old.kind, version=old.version + 1, words_en="New words",
            words_cy="Geiriau newydd", alt_en=old.alt_en, alt_cy=old.alt_cy,
            picture=old.picture, data=dict(old.data), checksum="x" * 64,
            source_file=old.source_file,
        ))

    change(one, new_version)
    after = in_request(two, lambda: store.question_items()["wm-matters"])
    assert after.id != before
    assert after.words("cy") == "Geiriau newydd"


def test_picture_uploads_from_another_worker_are_seen_and_stopped(workers):
    one, two = workers
    assert in_request(two, active_picture_uploads) == {}
    change(one, lambda: db.session.add(PictureUpload(
        content_key="theme.friends", width=96, height=96, files={}, active=True)))
    assert set(in_request(two, active_picture_uploads)) == {"theme.friends"}

    # A bulk UPDATE (not a flush) changes the stamp too.
    with one.test_request_context():
        assert use_library_picture("theme.friends") == 1
        db.session.remove()
    assert in_request(two, active_picture_uploads) == {}


def test_recordings_from_another_worker_are_seen(workers):
    one, two = workers
    assert in_request(two, active_recording_ids) == {}
    change(one, lambda: db.session.add(AudioRecording(
        text_key="a" * 64, language="en", text="Hello", mime_type="audio/ogg",
        path="recordings/a.ogg",
        active=True)))
    assert list(in_request(two, active_recording_ids)) == ["a" * 64]


def test_a_change_that_was_rolled_back_is_never_kept(workers):
    one, two = workers
    original = question_words(two)
    with two.test_request_context():
        current_question().words_en = "Never saved"
        db.session.flush()  # the new stamp, in this transaction only
        assert store.question_items()["wm-matters"].words_en == "Never saved"
        db.session.rollback()
        db.session.remove()
    assert question_words(two) == original
    assert question_words(one) == original

    def reword():
        current_question().words_en = "Saved later"

    change(one, reword)  # a later real change is not mistaken for the rolled-back one
    assert question_words(two) == "Saved later"


def test_what_is_kept_is_in_no_session(workers):
    _one, two = workers

    def read():
        items = store.question_items()
        uploads = active_picture_uploads()
        return items, uploads

    items, _uploads = in_request(two, read)
    assert items and all(inspect(item).transient for item in items.values())


# --- Kept pieces of pages (portal/core/fragments.py) ---------------------------------------------


def first_question(client) -> str:
    started = client.post_form("/conversations/start/what-matters")
    where = started.headers["Location"]
    if where.endswith("/who"):
        client.post_form(where, {"who": "alone"})
    return f"{where.rsplit('/', 1)[0]}/q/wm-matters"


def test_kept_pieces_follow_the_language(workers):
    _one, two = workers
    client = two.test_client()
    sign_in(client, "demo-person")
    path = first_question(client)
    for language, word, other in (("en", "Next", "Nesaf"), ("cy", "Nesaf", ">Next<"),
                                  ("en", "Next", "Nesaf")):
        client.get(f"/language/{language}?next=/")
        page = client.get(path).get_data(as_text=True)
        assert word in page and other not in page, language


def test_nothing_of_a_person_is_kept(workers):
    """The page around the kept pieces is each person's own: their words, their token."""
    from portal.models import Person, User

    _one, two = workers
    with two.app_context():
        demo_person = db.session.scalar(select(Person).join(User).where(
            User.username == "demo-person"))
        other = User(username="second-person", role="person", display_name="Second")
        other.set_password("demo-password")
        db.session.add(other)
        db.session.flush()
        db.session.add(Person(user_id=other.id, display_name="Second",
                              local_authority_id=demo_person.local_authority_id))
        db.session.commit()
        db.session.remove()
    first, second = two.test_client(), two.test_client()
    sign_in(first, "demo-person")
    sign_in(second, "second-person")
    first_path, second_path = first_question(first), first_question(second)
    first.post_form(first_path, {"action": "stop", "words": "Only the first person's words"})
    mine = first.get(first_path).get_data(as_text=True)
    theirs = second.get(second_path).get_data(as_text=True)
    assert "Only the first person&#39;s words" in mine
    assert "Only the first person" not in theirs
    assert first.csrf_token() != second.csrf_token()
    assert first.csrf_token() not in theirs


def test_building_clips_changes_the_stamp(app, demo, monkeypatch):
    """Play buttons appear once clips are built: the build is a content change."""
    from types import SimpleNamespace

    from portal.content.cache import current_stamp
    from portal.speech import commands, render

    monkeypatch.setattr(commands, "sentences_to_render", lambda: ([], None))
    monkeypatch.setattr(render, "build_audio", lambda *a, **k: SimpleNamespace(
        rendered=0, cached=0, seconds=0.0, total_kb=0, voices={}, failed=[]))
    with app.app_context():
        before = current_stamp()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["easyread", "build"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert current_stamp() not in (None, before)
        db.session.remove()


def test_a_kept_piece_shows_nobody_another_role_s_links(workers):
    """A staff page rendered first in a worker must not leave its staff-only links in a kept
    piece that a person's page then reuses (CI caught the footer's second-step link so)."""
    _one, two = workers
    staff = two.test_client()
    sign_in(staff, "demo-practitioner")
    assert "/account/second-step" in staff.get("/", follow_redirects=True).get_data(as_text=True)
    person = two.test_client()
    sign_in(person, "demo-person")
    page = person.get("/", follow_redirects=True).get_data(as_text=True)
    assert "/account/second-step" not in page
    assert "/settings" in page or "My settings" in page


# --- Mats, scales and statements (portal/content/scales.py) --------------------------------------


def test_mats_and_statements_are_read_once_until_the_content_changes(workers):
    _one, two = workers
    in_request(two, lambda: (scales.load_mat("home"), scales.load_statements(),
                             scales.current_mats(), scales.load_scale("how-true")))
    assert content_queries(two, lambda: scales.load_mat("home")) == []
    assert content_queries(two, scales.load_statements) == []
    assert content_queries(two, scales.current_mats) == []
    assert content_queries(two, lambda: scales.load_scale("how-true")) == []


def test_a_mat_card_changed_by_another_worker_shows_on_the_next_request(workers):
    one, two = workers

    def card_words(worker):
        return in_request(worker, lambda: scales.load_mat("home").card("home.bedroom").words_en)

    assert card_words(two) != "My own room"

    def reword():
        current_question("card.home.bedroom").words_en = "My own room"

    change(one, reword)
    assert card_words(two) == "My own room"


def test_a_new_statement_version_from_another_worker_is_seen(workers):
    one, two = workers
    first = in_request(two, lambda: scales.load_statements().statements[0])
    key = first.key

    def new_version():
        old = current_question(key)
        old.is_current = False
        db.session.add(ContentItem(
            key=old.key, kind=old.kind, version=old.version + 1, words_en="New statement",
            words_cy="Datganiad newydd", alt_en=old.alt_en, alt_cy=old.alt_cy,
            picture=old.picture, data=dict(old.data), checksum="x" * 64,
            source_file=old.source_file,
        ))

    change(one, new_version)
    after = in_request(two, lambda: scales.load_statements().at(1))
    assert after.id != first.id
    assert after.words("cy") == "Datganiad newydd"


def test_a_scale_point_changed_by_another_worker_is_seen_by_mats_and_ratings(workers):
    one, two = workers

    def point_words(worker):
        def read():
            mat = scales.load_mat("home")
            return {scales.load_scale(mat.scale.key).points[0].words_en,
                    mat.scale.points[0].words_en}, {
                scales.load_scale(SCALE).points[0].words_en,
                scales.load_statements().scales[SCALE].points[0].words_en}
        return in_request(worker, read)

    assert "Changed point" not in set().union(*point_words(two))
    keys = in_request(two, lambda: (scales.load_mat("home").scale.points[0].key,
                                    scales.load_scale(SCALE).points[0].key))

    def reword():
        for key in keys:
            current_question(key).words_en = "Changed point"

    change(one, reword)
    assert point_words(two) == ({"Changed point"}, {"Changed point"})


def test_kept_mats_and_statements_are_in_no_session(workers):
    _one, two = workers

    def read():
        mat = scales.load_mat("home")
        statements = scales.load_statements()
        return [mat.item, *mat.cards, *mat.scale.points, *statements.statements,
                *scales.current_mats()]

    items = in_request(two, read)
    assert items and all(inspect(item).transient for item in items)


def test_a_question_s_cards_changed_by_another_worker_are_asked_at_once(workers):
    one, two = workers

    def cards(worker):
        return in_request(worker, lambda: flow.find(store.questions_for("what-matters"),
                                                    "wm-matters").cards)

    before = cards(two)
    assert content_queries(two, lambda: store.questions_for("what-matters")) == []

    def fewer_cards():
        item = current_question()
        item.data = {**item.data, "cards": list(before[:1])}

    change(one, fewer_cards)
    assert cards(two) == before[:1] != before
