"""Bad input everywhere: every POST route, as every visitor who may use it (and signed
out; and, at a listening event's /join addresses, a participant who has joined), gets random
and hostile values (very long text, control characters, NUL bytes, HTML and script, SQL,
emoji, Welsh letters, wrong types, missing and repeated fields, files that are not files)
with a valid form token, as a form and as JSON, in English and in Welsh.

Whatever arrives: never a server error; never a script stored and then sent back as markup
(the pages that follow are read for it); every error message in the page's language, from
the catalogue (no technical English from a library).

The routes come from the URL map and their URL parts are filled with real ids made in a
demo world (a conversation, a mat, ratings, content, an open event), so the forms are really
read. A participant joins the event afresh for each example, and posts to their own
conversation and their own mat. A route added later is fuzzed too; a URL part this file
cannot fill falls back to the sample path in tests/test_access.py (and is then refused as
"not found", which is still checked).
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from flask import url_for
from flask_babel import force_locale, gettext
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from portal import create_app
from portal.content.store import load_content
from portal.core import messages as portal_messages
from portal.core.access import ACCESS_ATTR, ANY_SIGNED_IN, KEEP_ATTR, PUBLIC
from portal.core.config import PROJECT_ROOT
from portal.core.extensions import db
from portal.models import ContentItem, Conversation, MatSession, Person, User
from portal.ops.demo import seed_demo
from tests.conftest import DEMO_ROLES, sign_in
from tests.pages import csrf_token_in
from tests.test_access import ACCESS_MATRIX, POST_MATRIX
from tests.test_events import event_code, new_event

ORIGIN = {"Origin": "http://localhost"}  # what a browser sends with a form from our pages
# Public files: nothing typed is ever shown in them.
NOT_SWEPT = {"static", "pictures.picture", "uploads.picture", "speech.audio",
             "speech.recording", "main.set_language", "auth.logout", "main.healthz"}


# --- the routes and who may post to them -------------------------------------------------------


# Someone at a listening event: no account, a participant's token in their session.
PARTICIPANT = "participant"


def _routes() -> tuple[list[str], dict[str, frozenset], set[str]]:
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"ENVIRONMENT": "testing", "DATABASE_URL": "sqlite://", "INSTANCE_PATH": instance}
        )
        posts = sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods})
        rules = {e: getattr(app.view_functions[e], ACCESS_ATTR, frozenset()) for e in posts}
        at_events = {r.endpoint for r in app.url_map.iter_rules()
                     if r.endpoint in rules and r.rule.startswith("/join")}
    return posts, rules, at_events


POST_ENDPOINTS, RULES, PARTICIPANT_ENDPOINTS = _routes()


def visitors(endpoint: str) -> list[str | None]:
    """Every role that may post here, and a signed-out visitor; at an event's /join
    addresses, a participant too."""
    rule = RULES[endpoint]
    participant = [PARTICIPANT] if endpoint in PARTICIPANT_ENDPOINTS else []
    if PUBLIC in rule or ANY_SIGNED_IN in rule:
        return [None, *DEMO_ROLES, *participant]
    return [None, *(role for role in DEMO_ROLES if role in rule), *participant]


CASES = [(endpoint, role) for endpoint in POST_ENDPOINTS for role in visitors(endpoint)]


def examples(endpoint: str, role: str | None, keeps: bool = False) -> int:
    """Bounded: the whole file runs in about two minutes on two busy cores."""
    if role is None and RULES[endpoint] & {PUBLIC} == frozenset():
        return 8 if keeps else 3  # refused before the form is read (a kept answer is read)
    if len(visitors(endpoint)) > 4:
        return 6  # a form anyone may use: spread over all seven visitors
    return 20


# --- hostile values ----------------------------------------------------------------------------

HOSTILE = [
    "<script>alert('fuzz')</script>",
    '"><script>alert(1)</script><"',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    "'; DROP TABLE users; --",
    "' OR '1'='1",
    "1 UNION SELECT password_hash FROM users",
    "\x00",
    "a\x00b",
    "\x01\x02\x07\x08\x0b\x0c\x1b[31m\x7f",
    "\u202eevil\u202c",
    "\ufeff\u200b\u200d",
    "😀👍🏽👨‍👩‍👧 🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "ŵŷŴŶẁẃỳ Beth sy'n bwysig i mi? Dw i'n hoffi",
    "w\u0302y\u0302",  # ŵŷ written with combining accents
    "%s%n%x%d",
    "%(num)d {name} {{ 7*7 }} ${7*7} {% raw %}",
    "../../../etc/passwd",
    "NaN", "-1", "0", "1e309", "99999999999999999999999", "true", "null", "[]", "{}",
    "", " ", "\t\n\r\n",
    "x" * 81,
    "ŵ" * 2001,
    "a b " * 1500,
]

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
_VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    _TEXT,
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), _TEXT),
)
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    _VALUE)
_JSON = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(_TEXT, inner, max_size=4), max_leaves=8)
_FILE_BYTES = st.one_of(
    st.binary(max_size=2048),
    st.sampled_from([b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a<script>", b"RIFF\x00",
                     b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
                     b"OggS" + b"\x00" * 60, b"PK\x03\x04", b"\xff\xd8\xff\xe0" + b"\x00" * 32]),
)
_FILE_NAME = st.sampled_from(["picture.png", "../../x.png", "a\x00.png", "<script>.webp",
                              "recording.ogg", "", "ŵŷ.wav", "x" * 300 + ".mp3"])


@dataclass
class Field:
    file: bool = False
    choices: set[str] = field(default_factory=set)


@st.composite
def form_values(draw, fields: dict[str, Field], pool: list[str]) -> tuple[list, list]:
    """(name, value) pairs, some known fields missing, some repeated, some unknown added;
    and (name, file) pairs for file inputs."""
    pairs, files = [], []
    for name, known in fields.items():
        if draw(st.integers(0, 4)) == 0:
            continue  # missing
        if known.file and draw(st.booleans()):
            files.append((name, draw(_FILE_BYTES), draw(_FILE_NAME)))
            continue
        good = sorted(known.choices)
        for _ in range(draw(st.integers(1, 3 if draw(st.booleans()) else 1))):
            use_good = good and draw(st.booleans())
            pairs.append((name, draw(st.sampled_from(good)) if use_good else draw(_VALUE)))
    for _ in range(draw(st.integers(0, 2))):  # fields of other forms, or made up
        name = draw(st.sampled_from(pool)) if pool and draw(st.booleans()) else draw(_VALUE)
        pairs.append((name, draw(_VALUE)))
    return pairs, files


# --- the demo world ------------------------------------------------------------------------------


@dataclass
class World:
    app: object
    person_id: int
    conversation_id: int
    question_key: str
    mat_key: str
    content_key: str
    event_code: str = ""  # an open event with the conversation, a mat and ratings
    saved_mat_id: int | None = None
    saved_ratings_id: int | None = None
    fields: dict = field(default_factory=dict)  # role -> {endpoint: {name: Field}}
    pages: dict = field(default_factory=dict)  # role -> [GET paths]
    clients: dict = field(default_factory=dict)  # role -> the test client that found them

    def open_mat_session(self) -> int:
        with self.app.app_context():
            found = db.session.scalar(
                select(MatSession.id).where(MatSession.person_id == self.person_id,
                                            MatSession.mat_key == self.mat_key,
                                            MatSession.finished_at.is_(None))
                .order_by(MatSession.id.desc()))
            db.session.remove()
        if found is None:
            person = self.app.test_client()
            sign_in(person, "demo-person")
            person.post_form(f"/me/mats/{self.mat_key}/start")  # "Start": a GET opens nothing
            return self.open_mat_session()
        return found

    def spare_person(self) -> int:
        """A person on demo-practitioner's list, made for one erasure: erasing the world's
        own person would take every other form's person away."""
        from portal.models import CircleMember, Relationship

        with self.app.app_context():
            person = Person(display_name="Spare")
            db.session.add(person)
            db.session.flush()
            practitioner = db.session.scalar(select(User.id).where(
                User.username == "demo-practitioner"))
            db.session.add(CircleMember(person_id=person.id, user_id=practitioner,
                                        relation=Relationship.PROFESSIONAL))
            db.session.commit()
            found = person.id
            db.session.remove()
        return found

    def commissioner_id(self) -> int:
        with self.app.app_context():
            found = db.session.scalar(select(User.id).where(
                User.username == "demo-commissioner"))
            db.session.remove()
        return found

    def join(self) -> tuple[object, dict]:
        """A new tablet that joined the event, and the ids its own addresses need: its
        conversation, and a mat it has opened."""
        from portal.models import EventParticipant

        tablet = self.app.test_client()
        tablet.get(f"/language/en?next=/join/{self.event_code}/agree")
        assert tablet.post_form(f"/join/{self.event_code}/agree", {}).status_code == 302
        assert tablet.post_form(f"/join/mats/{self.mat_key}/start").status_code == 302
        with self.app.app_context():
            participant = db.session.scalar(
                select(EventParticipant).order_by(EventParticipant.id.desc()))
            mat_session = db.session.scalar(
                select(MatSession.id).where(MatSession.participant_id == participant.id))
            own = {"conversation_id": participant.conversation_id, "session_id": mat_session}
            db.session.remove()
        return tablet, own

    def value(self, endpoint: str, argument: str, own: dict | None = None):
        if own and argument in own:
            return own[argument]
        if argument == "code":
            return self.event_code
        if endpoint == "rights.erase" and argument == "person_id":
            return self.spare_person()
        if endpoint == "commissioner_areas.edit" and argument == "user_id":
            return self.commissioner_id()
        if argument == "session_id":
            if endpoint in ("mats.saved", "mats.picture"):
                return self.saved_mat_id
            if endpoint.startswith("mats."):
                return self.open_mat_session()
            if endpoint.startswith("ratings."):
                return self.saved_ratings_id
            return None
        return {
            "conversation_id": self.conversation_id, "question_key": self.question_key,
            "conversation_key": "what-matters", "person_id": self.person_id,
            "mat_key": self.mat_key, "number": 1, "key": self.content_key,
            "content_key": self.content_key,
        }.get(argument)

    def path(self, endpoint: str, method: str, own: dict | None = None) -> str | None:
        """The address to use; `own` holds a participant's own ids."""
        rule = next((r for r in self.app.url_map.iter_rules(endpoint) if method in r.methods),
                    None)
        if rule is None:
            return None
        values = {name: self.value(endpoint, name, own) for name in rule.arguments}
        if any(value is None for value in values.values()):
            sample = (POST_MATRIX if method == "POST" else ACCESS_MATRIX).get(endpoint)
            return sample[0] if sample else None
        with self.app.test_request_context():
            return url_for(endpoint, **values)


def _first_choices(page: str, has_field) -> tuple[MultiDict, str]:
    """A filled-in copy of the form with a field named `has_field`: the first choice of
    each radio group, the hidden fields as they are; and where it posts to."""
    soup = BeautifulSoup(page, "html.parser")
    form = next(f for f in soup.find_all("form") if f.find(attrs={"name": has_field}))
    data = MultiDict()
    for field_tag in form.find_all("input"):
        name = field_tag.get("name")
        if not name or (field_tag.get("type") == "radio" and name in data):
            continue
        data.add(name, field_tag.get("value", ""))
    return data, form.get("action")


def _build_world(app) -> World:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        seed_demo()
        load_content()
        person_id = db.session.scalar(
            select(Person.id).join(User, Person.user_id == User.id)
            .where(User.username == "demo-person"))
        content_key = db.session.scalar(
            select(ContentItem.key).where(ContentItem.kind == "theme",
                                          ContentItem.is_current.is_(True))
            .order_by(ContentItem.key))
        mat_key = db.session.scalar(
            select(ContentItem.key).where(ContentItem.kind == "mat",
                                          ContentItem.is_current.is_(True))
            .order_by(ContentItem.key)).split(".", 1)[1]
        db.session.remove()
    person = app.test_client()
    assert sign_in(person, "demo-person").status_code == 302

    # A conversation with typed words on its first question (so it can be tagged).
    started = person.post_form("/conversations/start/what-matters")
    who = started.headers["Location"]
    person.post_form(who, {"who": "alone"})
    with app.app_context():
        conversation_id = db.session.scalar(select(Conversation.id))
        db.session.remove()
    question = person.get(f"/conversations/{conversation_id}/").headers["Location"]
    question_key = question.rstrip("/").rsplit("/", 1)[1]
    person.post_form(question, {"action": "next", "words": "My friends matter to me."})

    # A saved mat, and ratings saved once: their pages show what was given.
    world = World(app, person_id, conversation_id, question_key, mat_key, content_key)
    person.post_form(f"/me/mats/{mat_key}/start")  # "Start"
    mat_page = person.get(f"/me/mats/{mat_key}").get_data(as_text=True)
    data, action = _first_choices(mat_page, re.compile(r"^card-"))
    person.post(action, data=data)
    session_id = int(re.search(r"/session/(\d+)/", action).group(1))
    person.post_form(f"/me/mats/session/{session_id}/save")
    world.saved_mat_id = session_id
    rating_page = person.get("/me/how-true/1").get_data(as_text=True)
    data, _action = _first_choices(rating_page, "statement")
    data["action"] = "next"
    person.post("/me/how-true/1", data=data)
    saved = person.post_form("/me/how-true/save")
    found = re.search(r"/saved/(\d+)", saved.headers.get("Location", ""))
    world.saved_ratings_id = int(found.group(1)) if found else None

    # An open listening event with the conversation, the world's mat and the ratings.
    facilitator = app.test_client()
    assert sign_in(facilitator, "demo-facilitator").status_code == 302
    event_id = new_event(facilitator, mats=[mat_key], use_ratings="y")
    world.event_code = event_code(app, event_id)
    return world


@pytest.fixture(scope="module")
def world(app):
    built = _build_world(app)
    yield built
    with app.app_context():
        db.session.remove()


def visitor(world: World, role: str | None) -> tuple[object, dict | None]:
    """A test client for this visitor, and a participant's own ids (None for others)."""
    if role == PARTICIPANT:
        return world.join()
    client = world.app.test_client()
    if role:
        assert sign_in(client, f"demo-{role}").status_code == 302
    return client, None


def _get_endpoints(app) -> list[str]:
    return sorted({r.endpoint for r in app.url_map.iter_rules()
                   if "GET" in r.methods and r.endpoint not in NOT_SWEPT})


def discover(world: World, role: str | None) -> tuple[dict, list[str]]:
    """The fields of every form this visitor is shown, by the endpoint it posts to, and the
    pages they may open. Read once per visitor."""
    if role in world.fields:
        return world.fields[role], world.pages[role]
    client, own = visitor(world, role)
    adapter = world.app.url_map.bind("localhost")
    fields: dict[str, dict[str, Field]] = {}
    pages = []
    for endpoint in _get_endpoints(world.app):
        path = world.path(endpoint, "GET", own)
        if path is None:
            continue
        response = client.get(path)
        if response.status_code != 200:
            continue
        pages.append(path)
        if response.mimetype != "text/html":
            continue
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for form in soup.find_all("form", method=re.compile("post", re.I)):
            action = urlsplit(urljoin(path, form.get("action") or path)).path
            try:
                target, _args = adapter.match(action, method="POST")
            except Exception:  # noqa: S112 - a form to nowhere is the page tests' business
                continue
            known = fields.setdefault(target, {})
            for tag in form.find_all(["input", "textarea", "select", "button"]):
                name = tag.get("name")
                if not name or name == "csrf_token":
                    continue
                entry = known.setdefault(name, Field())
                entry.file = entry.file or tag.get("type") == "file"
                if tag.name == "select":
                    entry.choices |= {o.get("value", "") for o in tag.find_all("option")}
                elif tag.get("value") is not None and tag.get("type") != "text":
                    entry.choices.add(tag["value"])
    world.fields[role], world.pages[role], world.clients[role] = fields, pages, client
    return fields, pages


# --- what every answer must be --------------------------------------------------------------------


def _catalogue_patterns(language: str) -> list[re.Pattern]:
    path = (PROJECT_ROOT / "translations" / "messages.pot" if language == "en"
            else PROJECT_ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po")
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    texts = []
    for message in catalogue:
        if not message.id:
            continue
        found = message.id if language == "en" else message.string
        texts += list(found) if isinstance(found, tuple | list) else [found]
    return [re.compile(r"\s*" + re.sub(r"\\%\\\(\w+\\\)[sdif]|\\\{\w+\\\}", ".+?",
                                       re.escape(" ".join(t.split()))) + r"\s*\Z")
            for t in texts if t]


PATTERNS = {language: _catalogue_patterns(language) for language in ("en", "cy")}


def _messages_in_code(app) -> set[str]:
    """English of every message in portal/core/messages.py (new ones may not be extracted yet)."""
    with app.test_request_context(), force_locale("en"):
        return {str(v) for k, v in vars(portal_messages).items() if k.isupper()}


def from_catalogue(text: str, language: str, code_messages: set[str]) -> bool:
    text = " ".join(text.split())
    if language == "en" and text in code_messages:
        return True
    return any(pattern.match(text) for pattern in PATTERNS[language])


def error_messages(soup: BeautifulSoup) -> list[str]:
    found = [a.get_text(" ", strip=True) for a in soup.select(".error-summary__list a")]
    for tag in soup.select(".field-error"):
        if tag.has_attr("hidden"):
            continue  # a place kept for the page's script to fill
        for hidden in tag.select(".visually-hidden"):
            hidden.extract()
        lines = tag.select(".field-error__message") or [tag]
        found += [line.get_text(" ", strip=True) for line in lines]
    return found


def check_answer(response, language: str, code_messages: set[str], what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if response.mimetype == "application/json":
        body = response.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            assert from_catalogue(body["message"], language, code_messages), (
                f"{what}: JSON message {body['message']!r} is not {language} from the catalogue")
        return
    if response.mimetype != "text/html" or 300 <= response.status_code < 400:
        return
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src") and not script.get_text(strip=True), f"{what}: inline script"
    for tag in soup.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"{what}: <{tag.name} {handlers}> sent back as markup"
        for attribute in ("href", "src", "action", "formaction"):
            value = str(tag.get(attribute) or "").strip().lower()
            assert not value.startswith("javascript:"), f"{what}: {attribute}={value!r}"
    assert soup.html.get("lang") == language, f"{what}: page in {soup.html.get('lang')}"
    for text in error_messages(soup):
        assert from_catalogue(text, language, code_messages), (
            f"{what}: error message {text!r} is not {language} from the catalogue")


# --- the property ---------------------------------------------------------------------------------


@dataclass
class Session:
    """One visitor's test client, its form token and the language it is set to (and a
    participant's own ids)."""

    world: World
    role: str | None
    client: object = None
    own: dict | None = None
    token: str | None = None
    language: str | None = None
    clean: bool = False  # False after an example that stopped half way

    def start(self) -> None:
        self.client, self.own = visitor(self.world, self.role)
        self.token = csrf_token_in(self.client.get("/settings").get_data(as_text=True))
        self.language = None
        self.clean = True

    def speak(self, language: str) -> None:
        if language != self.language:
            assert self.client.get(f"/language/{language}?next=/about").status_code == 302
            self.language = language


@pytest.mark.parametrize(("endpoint", "role"), CASES,
                         ids=[f"{e}-{r or 'anonymous'}" for e, r in CASES])
def test_hostile_input_never_breaks_a_form(world, endpoint, role):
    app = world.app
    fields, _pages = discover(world, role)
    known = fields.get(endpoint, {})
    pool = sorted({name for form in fields.values() for name in form})
    code_messages = _messages_in_code(app)
    keeps = getattr(app.view_functions[endpoint], KEEP_ATTR, None) is not None
    if world.path(endpoint, "POST") is None:
        pytest.fail(f"{endpoint}: no way to fill its URL; give it a row in POST_MATRIX")
    visit = Session(world, role)
    visit.start()

    @settings(max_examples=examples(endpoint, role, keeps), deadline=None, database=None,
              suppress_health_check=list(HealthCheck), print_blob=True,
              # No shrinking: a failure is reported as found, within the time budget.
              phases=(Phase.explicit, Phase.reuse, Phase.generate))
    @given(data=st.data())
    def post_anything(data):
        if not visit.clean or role == PARTICIPANT:
            visit.start()  # a participant joins afresh: the last example may have finished

        visit.clean = False
        language = data.draw(st.sampled_from(["en", "cy"]), label="language")
        visit.speak(language)
        path = world.path(endpoint, "POST", visit.own)
        headers = {**ORIGIN}
        if data.draw(st.booleans(), label="as JSON"):
            headers["X-CSRFToken"] = visit.token
            if data.draw(st.booleans(), label="asks for JSON"):
                headers["Accept"] = "application/json"
            body = data.draw(st.one_of(
                _JSON,
                st.dictionaries(st.sampled_from(sorted(known) or ["card", "point"]),
                                _SCALAR, max_size=4),
            ), label="JSON")
            if data.draw(st.integers(0, 9), label="broken JSON") == 0:
                response = visit.client.post(path, data=b'{"card": "', headers=headers,
                                             content_type="application/json")
            else:
                response = visit.client.post(path, json=body, headers=headers)
        else:
            pairs, files = data.draw(form_values(known, pool), label="form")
            sent = MultiDict([("csrf_token", visit.token), *pairs])
            for name, content, filename in files:
                sent.add(name, (io.BytesIO(content), filename))
            response = visit.client.post(path, data=sent, headers=headers)
        check_answer(response, language, code_messages, f"POST {path}")

        where = response.headers.get("Location", "")
        if 300 <= response.status_code < 400 and where.startswith("/"):
            if keeps and role is None and urlsplit(where).path == "/login":
                # Signed out: the answer is kept; sign in and see it stored or shown again.
                signed = visit.client.post(where, data={
                    "csrf_token": csrf_token_in(visit.client.get(where).get_data(as_text=True)),
                    "username": "demo-person", "password": "demo-password"})
                where = signed.headers.get("Location", "/")
                # The person's own saved language wins over the visitor's: ask for this one.
                visit.client.get(f"/language/{language}?next=/about")
            if endpoint == "tablet.give" and urlsplit(where).path == "/me/":
                # Handed over: the tablet is the person's, in their own saved language.
                visit.client.get(f"/language/{language}?next=/about")
            followed = visit.client.get(where)
            check_answer(followed, language, code_messages, f"GET {where} after POST {path}")
        if endpoint in ("auth.logout", "tablet.give") or (keeps and role is None):
            visit.start()  # signed out (or in as someone else): begin again as this visitor
        visit.clean = True

    post_anything()


# --- inputs that once gave a server error or a message from nowhere ---------------------------

BROKE_ONCE = [
    # JSON that is not an object of texts, sent to a form (Flask-WTF handed it on as it was)
    ("conversations.question", "person", "json", ["null", True, "{{ 7*7 }}"], 400),
    ("conversations.question", "person", "json", {"words": True, "action": None,
                                                  "shown_item": 6.1e-05}, 302),
    ("conversations.question", "person", "json", "<script>alert('fuzz')</script>", 400),
    ("conversations.question", "person", "broken json", b'{"card": "', 400),
    # a value the radio group does not offer (WTForms' own English message)
    ("settings.preferences", "person", "form", {"pictures": "maybe", "text_size": "huge",
                                                "speech_rate": "slow", "high_contrast": "no"},
     400),
    # the empty prompt of a list chosen (stored, then refused by the database)
    ("circle.invite", "practitioner", "form", {"name": "Bea", "relation": ""}, 400),
    # a number that is not a number, a date that is not a date (two errors, one id)
    ("circle.best_interests", "practitioner", "form",
     {"consulted": "Mum", "decided_on": "not a date", "reason": "r", "raters": "x"}, 400),
    # a language that is not offered (the bare Werkzeug page, in English)
    ("speech.recording_upload", "admin", "form", {"language": "xx"}, 400),
    # a shown version id too big for the database's integer (OverflowError in SQLite)
    ("conversations.question", "practitioner", "form",
     {"shown_item": "99999999999999999999999", "words": "hello"}, 302),
]


@pytest.mark.parametrize(("endpoint", "role", "kind", "body", "status"), BROKE_ONCE,
                         ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(BROKE_ONCE)])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_inputs_that_once_broke_a_form(world, endpoint, role, kind, body, status, language):
    if endpoint not in world.app.view_functions:
        pytest.skip(f"{endpoint} is not in this portal")
    visit = Session(world, role)
    visit.start()
    visit.speak(language)
    path = world.path(endpoint, "POST")
    headers = {**ORIGIN, "X-CSRFToken": visit.token}
    if kind == "json":
        response = visit.client.post(path, json=body, headers=headers)
    elif kind == "broken json":
        response = visit.client.post(path, data=body, headers=headers,
                                     content_type="application/json")
    else:
        response = visit.client.post(path, data={"csrf_token": visit.token, **body},
                                     headers=ORIGIN)
    assert response.status_code == status
    check_answer(response, language, _messages_in_code(world.app), f"POST {path}")


# --- upload limits ------------------------------------------------------------------------------


def _said(app, msgid: str, language: str) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(msgid)


def _too_large_page(app, response, language: str) -> None:
    assert response.status_code == 413
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == language
    assert soup.h1.get_text(strip=True) == _said(app, "That file is too big", language)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_upload_over_the_limit_gets_the_friendly_page(world, language):
    admin, _ = visitor(world, "admin")
    admin.get(f"/language/{language}?next=/about")
    path = f"/admin/content/{world.content_key}/picture"
    token = csrf_token_in(admin.get(path).get_data(as_text=True))
    too_big = io.BytesIO(b"\x89PNG" + b"\x00" * world.app.config["MAX_CONTENT_LENGTH"])
    response = admin.post(path, data={"csrf_token": token, "picture": (too_big, "big.png")})
    _too_large_page(world.app, response, language)


@pytest.mark.parametrize("role", ["person", None], ids=["person", "anonymous"])
def test_words_over_the_limit_get_the_friendly_page(world, role):
    """Typed words are refused kindly when too long for an answer (the form says so);
    a request bigger than the portal takes at all gets the friendly 413 page."""
    client, _ = visitor(world, role)
    client.get("/language/cy?next=/about")
    path = world.path("conversations.question", "POST")
    token = csrf_token_in(client.get("/settings").get_data(as_text=True))
    limit = world.app.config["MAX_CONTENT_LENGTH"]
    response = client.post(path, data={"csrf_token": token, "action": "next",
                                       "words": "ŵ" * (limit // 2 + 1)}, headers=ORIGIN)
    _too_large_page(world.app, response, "cy")
    # Sent as multipart, one field over the form memory limit is refused the same way.
    field_limit = world.app.config["MAX_FORM_MEMORY_SIZE"]
    response = client.post(path, data={"csrf_token": token, "action": "next",
                                       "words": "w" * (field_limit + 1)},
                           content_type="multipart/form-data", headers=ORIGIN)
    _too_large_page(world.app, response, "cy")


@pytest.mark.parametrize("role", [None, *DEMO_ROLES, PARTICIPANT],
                         ids=lambda r: r or "anonymous")
def test_nothing_typed_comes_back_as_script(world, role):
    """After all of the above: every page each visitor may open shows what was stored as
    text, never as markup (the practitioner reads what the person typed, for one)."""
    _fields, pages = discover(world, role)
    client = world.clients[role]  # a participant's pages are their own: the same tablet
    code_messages = _messages_in_code(world.app)
    for language in ("en", "cy"):
        client.get(f"/language/{language}?next=/about")
        for path in pages:
            check_answer(client.get(path), language, code_messages, f"{role} GET {path}")


def test_nul_and_control_characters_never_reach_the_database():
    """PostgreSQL refuses NUL in text; a form must drop control characters first."""
    from portal.core.forms import _strip

    assert _strip("  a\x00b\x07c\td\ne\r  ") == "abc\td\ne"
    assert _strip(5) == 5
