"""Deny by default: every route states who may use it, and the ACCESS MATRIX says what
each kind of visitor gets on every GET route. A new route without an entry fails here."""

from __future__ import annotations

import tempfile
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Blueprint
from flask_login import current_user

from portal import create_app
from portal.core.access import PUBLIC, access_rule, allow, public, signed_in
from portal.models import Role
from tests.conftest import DEMO_ROLES, seeded, sign_in

ROLES = (None, *DEMO_ROLES)  # None: not signed in
STAFF = tuple(role for role in DEMO_ROLES if role != "person")

HOMES = {
    "person": "/me/",
    "supporter": "/supporter",
    "practitioner": "/practitioner",
    "facilitator": "/facilitator",
    "commissioner": "/commissioner",
    "admin": "/admin",
}

OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
LOGIN = "302 to the sign-in page"
HOME = "302 to the visitor's own home"


def redirect_to(path: str) -> tuple[str, str]:
    return ("302 to", path)


def everyone(expected) -> dict:
    return dict.fromkeys(ROLES, expected)


def only(*allowed: str, status: int = OK) -> dict:
    """Signed-out visitors are sent to sign in, other roles refused; `status` is what an
    allowed role gets (404 when the sample names something the demo data lacks)."""
    return {None: LOGIN, **{role: status if role in allowed else FORBIDDEN for role in DEMO_ROLES}}


def signed_out_only() -> dict:
    return {None: OK, **dict.fromkeys(DEMO_ROLES, HOME)}


# endpoint: (sample path, {visitor: expected answer to GET})
ACCESS_MATRIX: dict[str, tuple[str, dict]] = {
    "static": ("/static/css/portal.css", everyone(OK)),
    "pictures.picture": ("/pictures/openmoji/1F3E0.svg", everyone(OK)),
    "main.start": ("/", signed_out_only()),
    "main.set_language": ("/language/cy?next=/about", everyone(redirect_to("/about"))),
    "main.healthz": ("/healthz", everyone(OK)),
    "main.about": ("/about", everyone(OK)),
    "auth.login": ("/login", signed_out_only()),
    "auth.logout": ("/logout", everyone(NOT_ALLOWED)),  # POST only
    "auth.keep_alive": ("/session/keep-alive", everyone(NOT_ALLOWED)),  # POST only
    "person.home": ("/me/", only("person")),
    "person.circle": ("/me/circle", only("person")),
    "staff.supporter_home": ("/supporter", only("supporter")),
    "staff.practitioner_home": ("/practitioner", only("practitioner")),
    "staff.facilitator_home": ("/facilitator", only("facilitator")),
    "staff.commissioner_home": ("/commissioner", only("commissioner")),
    "commissioning.results": ("/commissioner/results", only("commissioner")),
    "commissioning.results_csv": ("/commissioner/results.csv", only("commissioner")),
    "commissioning.results_xlsx": ("/commissioner/results.xlsx", only("commissioner")),
    "commissioning.trends": ("/commissioner/trends", only("commissioner")),
    "commissioning.trends_csv": ("/commissioner/trends.csv", only("commissioner")),
    "commissioning.trends_xlsx": ("/commissioner/trends.xlsx", only("commissioner")),
    "commissioning.you_said": ("/commissioner/you-said", only("commissioner")),
    "commissioning.you_said_new": ("/commissioner/you-said/new", only("commissioner")),
    "commissioner_areas.commissioners": ("/admin/commissioner-areas/", only("admin")),
    "commissioner_areas.edit": ("/admin/commissioner-areas/999999",
                                only("admin", status=NOT_FOUND)),
    "staff.admin_home": ("/admin", only("admin")),
    # A participant at a listening event has no account but has preferences too.
    "settings.preferences": ("/settings", everyone(OK)),
    # Content pictures and sound are public: people at an event have no account.
    "uploads.picture": ("/uploads/pictures/999/256.webp", everyone(NOT_FOUND)),
    "speech.audio": ("/audio/no-such-sentence.ogg", everyone(NOT_FOUND)),
    "speech.recording": ("/audio/recordings/999", everyone(NOT_FOUND)),
    "content_admin.content_list": ("/admin/content", only("admin")),
    "content_admin.change_picture": ("/admin/content/no.such.item/picture",
                                     only("admin", status=NOT_FOUND)),
    "content_admin.use_library": ("/admin/content/no.such.item/picture/library",
                                  everyone(NOT_ALLOWED)),  # POST only
    "speech.recording_upload": ("/admin/audio/no.such.item", only("admin", status=NOT_FOUND)),
    "speech.recording_remove": ("/admin/audio/no.such.item/remove", everyone(NOT_ALLOWED)),
    # Conversations: the person's own, or a practitioner's who is a professional in the
    # person's circle; the sample ids do not exist, so allowed roles get "not found".
    "conversations.index": ("/conversations/", only("person")),
    "conversations.start": ("/conversations/start/what-matters", everyone(NOT_ALLOWED)),
    "conversations.who": ("/conversations/999999/who", only("person", status=NOT_FOUND)),
    "conversations.resume": (
        "/conversations/999999/", only("person", "practitioner", status=NOT_FOUND)),
    "conversations.question": (
        "/conversations/999999/q/wm-matters", only("person", "practitioner", status=NOT_FOUND)),
    "conversations.share": (
        "/conversations/999999/share", only("person", "practitioner", status=NOT_FOUND)),
    "conversations.summary": (
        "/conversations/999999/summary", only("person", "practitioner", status=NOT_FOUND)),
    "conversations.summary_pdf": (
        "/conversations/999999/summary.pdf", only("person", "practitioner", status=NOT_FOUND)),
    "conversations.person_page": (
        "/conversations/people/999999", only("practitioner", status=NOT_FOUND)),
    "conversations.start_with": (
        "/conversations/people/999999/start/what-matters", everyone(NOT_ALLOWED)),
    "conversations.tag": (
        "/conversations/999999/tag/wm-matters", only("practitioner", status=NOT_FOUND)),
    # Mats and outcome ratings: a person's own only. This database has no content
    # loaded and the sample sessions do not exist, so the person gets "not found".
    "mats.index": ("/me/mats/", only("person")),
    "mats.mat": ("/me/mats/home", only("person", status=NOT_FOUND)),
    "mats.start": ("/me/mats/home/start", everyone(NOT_ALLOWED)),
    "mats.answers": ("/me/mats/session/999999/answers", everyone(NOT_ALLOWED)),
    "mats.place": ("/me/mats/session/999999/place", everyone(NOT_ALLOWED)),
    "mats.own_card": ("/me/mats/session/999999/own-card", everyone(NOT_ALLOWED)),
    "mats.check": ("/me/mats/session/999999/check", only("person", status=NOT_FOUND)),
    "mats.save": ("/me/mats/session/999999/save", everyone(NOT_ALLOWED)),
    "mats.saved": ("/me/mats/saved/999999", only("person", status=NOT_FOUND)),
    "mats.picture": ("/me/mats/saved/999999/mat.png", only("person", status=NOT_FOUND)),
    "mats.over_time": ("/me/mats/home/over-time", only("person", status=NOT_FOUND)),
    "ratings.index": ("/me/how-true/", only("person")),
    "ratings.statement": ("/me/how-true/1", only("person", status=NOT_FOUND)),
    "ratings.check": ("/me/how-true/check",
                      {**only("person"), "person": redirect_to("/me/how-true/")}),
    "ratings.save": ("/me/how-true/save", everyone(NOT_ALLOWED)),
    "ratings.saved": ("/me/how-true/saved/999999", only("person", status=NOT_FOUND)),
    "ratings.over_time": ("/me/how-true/over-time", only("person")),
    # Listening events (issue 7): a facilitator's own events (the sample does not exist);
    # joining and answering are public, each answer screen only for its participant's session.
    "events.index": ("/facilitator/events/", only("facilitator")),
    "events.new": ("/facilitator/events/new", only("facilitator")),
    "events.event": ("/facilitator/events/999999", only("facilitator", status=NOT_FOUND)),
    "events.qr": ("/facilitator/events/999999/qr.svg", only("facilitator", status=NOT_FOUND)),
    "events.invite": ("/facilitator/events/999999/invite",
                      only("facilitator", status=NOT_FOUND)),
    "events.live": ("/facilitator/events/999999/live", only("facilitator", status=NOT_FOUND)),
    "events.live_json": ("/facilitator/events/999999/live.json",
                         only("facilitator", status=NOT_FOUND)),
    "events.group": ("/facilitator/events/999999/group", only("facilitator", status=NOT_FOUND)),
    "events.close": ("/facilitator/events/999999/close", everyone(NOT_ALLOWED)),
    "events.report": ("/facilitator/events/999999/report",
                      only("facilitator", status=NOT_FOUND)),
    "events.report_pdf": ("/facilitator/events/999999/report.pdf",
                          only("facilitator", status=NOT_FOUND)),
    "events.join": ("/join", everyone(OK)),
    "events.join_code": ("/join/NOPE00", everyone(NOT_FOUND)),
    "events.agree": ("/join/NOPE00/agree", everyone(NOT_FOUND)),
    "events.answer_start": ("/join/answer/999999/", everyone(NOT_FOUND)),
    "events.answer": ("/join/answer/999999/q/wm-matters", everyone(NOT_FOUND)),
    "events.share": ("/join/answer/999999/share", everyone(NOT_FOUND)),
    "events.reset": ("/join/NOPE00/reset", everyone(NOT_ALLOWED)),
    "events.thanks": ("/join/NOPE00/thanks", everyone(NOT_FOUND)),
    # A participant's menu, mats and ratings: only with a participant's token (none here).
    "events.menu": ("/join/menu", everyone(NOT_FOUND)),
    "events.mat": ("/join/mats/home", everyone(NOT_FOUND)),
    "events.mat_start": ("/join/mats/home/start", everyone(NOT_ALLOWED)),
    "events.mat_answers": ("/join/mats/session/999999/answers", everyone(NOT_ALLOWED)),
    "events.mat_place": ("/join/mats/session/999999/place", everyone(NOT_ALLOWED)),
    "events.mat_own_card": ("/join/mats/session/999999/own-card", everyone(NOT_ALLOWED)),
    "events.mat_check": ("/join/mats/session/999999/check", everyone(NOT_FOUND)),
    "events.mat_save": ("/join/mats/session/999999/save", everyone(NOT_ALLOWED)),
    "events.rating": ("/join/how-true/1", everyone(NOT_FOUND)),
    "events.rating_check": ("/join/how-true/check", everyone(NOT_FOUND)),
    "events.rating_save": ("/join/how-true/save", everyone(NOT_ALLOWED)),
    "events.invite_pdf": ("/facilitator/events/999999/invite.pdf",
                          only("facilitator", status=NOT_FOUND)),
    "events.group_follow": ("/join/answer/999999/group", everyone(NOT_FOUND)),
    "events.group_json": ("/join/answer/999999/group.json", everyone(NOT_FOUND)),
    # Moving group mode on: a POST; a GET of the same address is the group page.
    "events.group_move": ("/facilitator/events/999999/group",
                          only("facilitator", status=NOT_FOUND)),
    # Circle of support (issue 6): a practitioner manages circles they are a professional
    # in; members rate and compare only for people whose circle they are in. The sample
    # ids and token do not exist, so allowed roles get "not found".
    "circle.manage": ("/circle/people/999999", only("practitioner", status=NOT_FOUND)),
    "circle.invite": ("/circle/people/999999/invite", only("practitioner", status=NOT_FOUND)),
    "circle.best_interests": ("/circle/people/999999/best-interests",
                              only("practitioner", status=NOT_FOUND)),
    "circle.follow_up": ("/circle/follow-ups/999999", only("practitioner", status=NOT_FOUND)),
    "circle.join": ("/circle/join/no-such-token", everyone(NOT_FOUND)),
    "circle.agree": ("/me/circle/agree", only("person")),
    "circle.my_views": ("/me/circle/views", only("person")),
    "circle.proxy_index": ("/circle/people/999999/rate",
                           only("supporter", "practitioner", status=NOT_FOUND)),
    "circle.proxy_statement": ("/circle/people/999999/rate/what-i-think/1",
                               only("supporter", "practitioner", status=NOT_FOUND)),
    "circle.proxy_check": ("/circle/people/999999/rate/what-i-think/check",
                           only("supporter", "practitioner", status=NOT_FOUND)),
    "circle.proxy_save": ("/circle/people/999999/rate/what-i-think/save", everyone(NOT_ALLOWED)),
    "circle.side_by_side": ("/circle/people/999999/side-by-side",
                            only("supporter", "practitioner", status=NOT_FOUND)),
    # A person's rights and the audit log (issue 9): an admin for anyone, a practitioner
    # for the people on their list; the sample person does not exist.
    "rights.people": ("/admin/people", only("admin")),
    "rights.audit_log": ("/admin/audit", only("admin")),
    "rights.person": ("/rights/people/999999", only("admin", "practitioner", status=NOT_FOUND)),
    "rights.export_json": ("/rights/people/999999/export.json",
                           only("admin", "practitioner", status=NOT_FOUND)),
    "rights.export_pdf": ("/rights/people/999999/export.pdf",
                          only("admin", "practitioner", status=NOT_FOUND)),
    "rights.erase": ("/rights/people/999999/erase",
                     only("admin", "practitioner", status=NOT_FOUND)),
    "rights.erased": ("/rights/erased", only("admin", "practitioner")),
    # A person's ways to sign in (issue 15): the practitioner's pages for people on their
    # list (the sample person does not exist); the card and set-up code pages are public,
    # and an unknown token is "not found".
    "signin.ways": ("/sign-in/people/999999", only("practitioner", status=NOT_FOUND)),
    "signin.setup_code": ("/sign-in/people/999999/setup-code", everyone(NOT_ALLOWED)),
    "signin.remove_passkeys": ("/sign-in/people/999999/passkeys/remove",
                               everyone(NOT_ALLOWED)),
    "signin.new_card": ("/sign-in/people/999999/card/new",
                        only("practitioner", status=NOT_FOUND)),
    "signin.card_ready": ("/sign-in/people/999999/card", only("practitioner", status=NOT_FOUND)),
    "signin.card_pdf": ("/sign-in/people/999999/card.pdf",
                        only("practitioner", status=NOT_FOUND)),
    "signin.revoke_card": ("/sign-in/people/999999/card/revoke", everyone(NOT_ALLOWED)),
    "signin.unlock_card": ("/sign-in/people/999999/card/unlock", everyone(NOT_ALLOWED)),
    "signin.card": ("/card/no-such-token", everyone(NOT_FOUND)),
    "people.new": ("/people/new", only("practitioner")),
    "people.edit": ("/people/999999/details", only("practitioner", status=NOT_FOUND)),
    "people.caseloads": ("/admin/caseloads", only("admin")),
    "people.move": ("/admin/caseloads/people/999999", only("admin", status=NOT_FOUND)),
    "tablet.give": ("/tablet/give/999999", everyone(NOT_ALLOWED)),  # POST only
    # Only during a hand-over: a person who was not handed a tablet finds nothing there.
    "tablet.take_back": ("/tablet/take-back", only("person", status=NOT_FOUND)),
    "signin.tablet_setup": ("/tablet/setup/no-such-token", everyone(NOT_FOUND)),
    # POST only; a GET of its address is the set-up page above.
    "signin.tablet_setup_done": ("/tablet/setup/no-such-token", everyone(NOT_FOUND)),
    "signin.setup_options": ("/tablet/setup/no-such-token/options", everyone(NOT_ALLOWED)),
    "signin.tablet_options": ("/sign-in/tablet/options", everyone(NOT_ALLOWED)),
    "signin.tablet_sign_in": ("/sign-in/tablet", everyone(NOT_ALLOWED)),
    # Staff accounts (issue 15): an admin's pages (the sample account does not exist);
    # the set-up link's page is public, and an unknown link is "not found".
    "accounts.index": ("/admin/accounts/", only("admin")),
    "accounts.new": ("/admin/accounts/new", only("admin")),
    "accounts.account": ("/admin/accounts/999999", only("admin", status=NOT_FOUND)),
    "accounts.edit": ("/admin/accounts/999999/edit", only("admin", status=NOT_FOUND)),
    "accounts.reset": ("/admin/accounts/999999/reset", everyone(NOT_ALLOWED)),
    "accounts.deactivate": ("/admin/accounts/999999/deactivate", everyone(NOT_ALLOWED)),
    "accounts.reactivate": ("/admin/accounts/999999/reactivate", everyone(NOT_ALLOWED)),
    "accounts.unlock": ("/admin/accounts/999999/unlock", everyone(NOT_ALLOWED)),
    "accounts.set_up": ("/set-up/no-such-token", everyone(NOT_FOUND)),
    # Staff sign-in's second step (portal/second_step): its two sign-in pages are for
    # someone half signed in (nobody here: a visitor is asked to sign in first, a signed-in
    # visitor sent home). The account page is every member of staff's; the reset an admin's.
    "second_step.code": ("/sign-in/second-step",
                         signed_out_only()),
    "second_step.set_up": ("/sign-in/second-step/set-up",
                           signed_out_only()),
    "second_step.account": ("/account/second-step", only(*STAFF)),
    "second_step.account_set_up": ("/account/second-step/set-up", only(*STAFF)),
    "second_step.new_backup_codes": ("/account/second-step/backup-codes",
                                     everyone(NOT_ALLOWED)),
    "second_step.turn_off": ("/account/second-step/turn-off", everyone(NOT_ALLOWED)),
    "second_step.passkey_options": ("/sign-in/second-step/passkey/options",
                                    everyone(NOT_ALLOWED)),
    "second_step.passkey_sign_in": ("/sign-in/second-step/passkey", everyone(NOT_ALLOWED)),
    "second_step.add_passkey_options": ("/account/second-step/passkey/options",
                                        everyone(NOT_ALLOWED)),
    "second_step.add_passkey": ("/account/second-step/passkey", everyone(NOT_ALLOWED)),
    "second_step.remove_passkeys": ("/account/second-step/passkeys/remove",
                                    everyone(NOT_ALLOWED)),
    "second_step.accounts": ("/admin/second-step/", only("admin")),
    "second_step.reset": ("/admin/second-step/999999", only("admin", status=NOT_FOUND)),
}

# Who may POST: every endpoint that takes a POST, with a sample path. A signed-out
# visitor is sent to sign in and another role refused before the form is even read.
ANYONE = "anyone"
POST_MATRIX: dict[str, tuple[str, object]] = {
    "auth.login": ("/login", ANYONE),
    "auth.logout": ("/logout", ANYONE),
    "auth.keep_alive": ("/session/keep-alive", set(DEMO_ROLES)),  # "Stay signed in"
    "settings.preferences": ("/settings", ANYONE),
    "content_admin.change_picture": ("/admin/content/no.such.item/picture", {"admin"}),
    "content_admin.use_library": ("/admin/content/no.such.item/picture/library", {"admin"}),
    "speech.recording_upload": ("/admin/audio/no.such.item", {"admin"}),
    "speech.recording_remove": ("/admin/audio/no.such.item/remove", {"admin"}),
    "commissioner_areas.edit": ("/admin/commissioner-areas/999999", {"admin"}),
    "commissioning.you_said_new": ("/commissioner/you-said/new", {"commissioner"}),
    "conversations.start": ("/conversations/start/what-matters", {"person"}),
    "conversations.who": ("/conversations/999999/who", {"person"}),
    "conversations.question": ("/conversations/999999/q/wm-matters", {"person", "practitioner"}),
    "conversations.share": ("/conversations/999999/share", {"person", "practitioner"}),
    "conversations.start_with": (
        "/conversations/people/999999/start/what-matters", {"practitioner"}),
    "conversations.tag": ("/conversations/999999/tag/wm-matters", {"practitioner"}),
    "mats.start": ("/me/mats/home/start", {"person"}),
    "mats.answers": ("/me/mats/session/999999/answers", {"person"}),
    "mats.place": ("/me/mats/session/999999/place", {"person"}),
    "mats.own_card": ("/me/mats/session/999999/own-card", {"person"}),
    "mats.save": ("/me/mats/session/999999/save", {"person"}),
    "ratings.statement": ("/me/how-true/1", {"person"}),
    "ratings.save": ("/me/how-true/save", {"person"}),
    "events.new": ("/facilitator/events/new", {"facilitator"}),
    "events.close": ("/facilitator/events/999999/close", {"facilitator"}),
    "events.join": ("/join", ANYONE),
    "events.agree": ("/join/NOPE00/agree", ANYONE),
    "events.answer": ("/join/answer/999999/q/wm-matters", ANYONE),
    "events.share": ("/join/answer/999999/share", ANYONE),
    "events.reset": ("/join/NOPE00/reset", ANYONE),
    "events.mat_start": ("/join/mats/home/start", ANYONE),
    "events.mat_answers": ("/join/mats/session/999999/answers", ANYONE),
    "events.mat_place": ("/join/mats/session/999999/place", ANYONE),
    "events.mat_own_card": ("/join/mats/session/999999/own-card", ANYONE),
    "events.mat_save": ("/join/mats/session/999999/save", ANYONE),
    "events.rating": ("/join/how-true/1", ANYONE),
    "events.rating_save": ("/join/how-true/save", ANYONE),
    "events.group_move": ("/facilitator/events/999999/group", {"facilitator"}),
    "circle.invite": ("/circle/people/999999/invite", {"practitioner"}),
    "circle.best_interests": ("/circle/people/999999/best-interests", {"practitioner"}),
    "circle.follow_up": ("/circle/follow-ups/999999", {"practitioner"}),
    "circle.join": ("/circle/join/no-such-token", ANYONE),
    "circle.agree": ("/me/circle/agree", {"person"}),
    "circle.proxy_statement": ("/circle/people/999999/rate/what-i-think/1",
                               {"supporter", "practitioner"}),
    "circle.proxy_save": ("/circle/people/999999/rate/what-i-think/save",
                          {"supporter", "practitioner"}),
    "rights.erase": ("/rights/people/999999/erase", {"admin", "practitioner"}),
    "signin.setup_code": ("/sign-in/people/999999/setup-code", {"practitioner"}),
    "signin.remove_passkeys": ("/sign-in/people/999999/passkeys/remove", {"practitioner"}),
    "signin.new_card": ("/sign-in/people/999999/card/new", {"practitioner"}),
    "signin.revoke_card": ("/sign-in/people/999999/card/revoke", {"practitioner"}),
    "signin.unlock_card": ("/sign-in/people/999999/card/unlock", {"practitioner"}),
    "signin.card": ("/card/no-such-token", ANYONE),
    "people.new": ("/people/new", {"practitioner"}),
    "people.edit": ("/people/999999/details", {"practitioner"}),
    "people.move": ("/admin/caseloads/people/999999", {"admin"}),
    "tablet.give": ("/tablet/give/999999", {"practitioner", "supporter"}),
    "tablet.take_back": ("/tablet/take-back", {"person"}),
    "signin.tablet_setup_done": ("/tablet/setup/no-such-token", ANYONE),
    "signin.setup_options": ("/tablet/setup/no-such-token/options", ANYONE),
    "signin.tablet_options": ("/sign-in/tablet/options", ANYONE),
    "signin.tablet_sign_in": ("/sign-in/tablet", ANYONE),
    "accounts.new": ("/admin/accounts/new", {"admin"}),
    "accounts.edit": ("/admin/accounts/999999/edit", {"admin"}),
    "accounts.reset": ("/admin/accounts/999999/reset", {"admin"}),
    "accounts.deactivate": ("/admin/accounts/999999/deactivate", {"admin"}),
    "accounts.reactivate": ("/admin/accounts/999999/reactivate", {"admin"}),
    "accounts.unlock": ("/admin/accounts/999999/unlock", {"admin"}),
    "accounts.set_up": ("/set-up/no-such-token", ANYONE),
    "second_step.code": ("/sign-in/second-step", ANYONE),
    "second_step.set_up": ("/sign-in/second-step/set-up", ANYONE),
    "second_step.account_set_up": ("/account/second-step/set-up", set(STAFF)),
    "second_step.new_backup_codes": ("/account/second-step/backup-codes", set(STAFF)),
    "second_step.turn_off": ("/account/second-step/turn-off", set(STAFF)),
    "second_step.passkey_options": ("/sign-in/second-step/passkey/options", ANYONE),
    "second_step.passkey_sign_in": ("/sign-in/second-step/passkey", ANYONE),
    "second_step.add_passkey_options": ("/account/second-step/passkey/options", set(STAFF)),
    "second_step.add_passkey": ("/account/second-step/passkey", set(STAFF)),
    "second_step.remove_passkeys": ("/account/second-step/passkeys/remove", set(STAFF)),
    "second_step.reset": ("/admin/second-step/999999", {"admin"}),
}


def _rules_of_the_app() -> list:
    # Building the app connects to nothing, so the URL map can drive the parameters.
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"ENVIRONMENT": "testing", "DATABASE_URL": "sqlite://", "INSTANCE_PATH": instance}
        )
        return list(app.url_map.iter_rules())


RULES = _rules_of_the_app()
ENDPOINTS = sorted({rule.endpoint for rule in RULES} | set(ACCESS_MATRIX))
POST_ENDPOINTS = sorted(
    {rule.endpoint for rule in RULES if "POST" in rule.methods} | set(POST_MATRIX)
)


def endpoints_without_rule(app) -> list[str]:
    with app.app_context():
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
        return sorted(e for e in endpoints if access_rule(e) is None)


def test_every_endpoint_declares_who_may_use_it(app):
    assert endpoints_without_rule(app) == []


def test_the_walker_finds_a_view_without_a_rule(make_app):
    fresh = make_app()
    bp = Blueprint("forgotten", __name__)

    @bp.get("/forgotten")
    def forgotten():
        return "should never be served"

    fresh.register_blueprint(bp)
    assert endpoints_without_rule(fresh) == ["forgotten.forgotten"]


def test_a_view_without_a_rule_is_refused(make_app, caplog):
    fresh = make_app()
    bp = Blueprint("forgotten", __name__)

    @bp.get("/forgotten")
    def forgotten():
        return "should never be served"

    fresh.register_blueprint(bp)
    with caplog.at_level("ERROR"):
        response = fresh.test_client().get("/forgotten")
    assert response.status_code == 403
    assert "should never be served" not in response.get_data(as_text=True)
    assert "forgotten.forgotten" in caplog.text


def test_matrix_lists_only_real_endpoints(app):
    real = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(ACCESS_MATRIX) - real == set(), "the matrix names endpoints the app lacks"


def test_matrix_sample_paths_reach_their_endpoint(app):
    adapter = app.url_map.bind("localhost")
    for matrix, method in ((ACCESS_MATRIX, "GET"), (POST_MATRIX, "POST")):
        for endpoint, (path, _expected) in matrix.items():
            posting = method == "POST" or "GET" not in _methods(app, endpoint)
            matched, _args = adapter.match(urlsplit(path).path, method="POST" if posting else "GET")
            assert matched == endpoint, f"{path} reaches {matched}, not {endpoint}"


def _methods(app, endpoint: str) -> set[str]:
    return {m for rule in app.url_map.iter_rules(endpoint=endpoint) for m in rule.methods}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_access_matrix(endpoint, role, client, login_as):
    assert endpoint in ACCESS_MATRIX, (
        f"{endpoint} has no row in ACCESS_MATRIX (tests/test_access.py): say who may use it"
    )
    path, expectations = ACCESS_MATRIX[endpoint]
    expected = expectations[role]
    if role:
        login_as(role)
    response = client.get(path)
    where = response.headers.get("Location")
    if expected == LOGIN:
        assert response.status_code == 302
        target = urlsplit(where)
        assert target.path == "/login"
        assert parse_qs(target.query)["next"] == [path]
    elif expected == HOME:
        assert (response.status_code, where) == (302, HOMES[role])
    elif isinstance(expected, tuple):
        assert (response.status_code, where) == (302, expected[1])
    else:
        assert response.status_code == expected, f"{role or 'anonymous'} GET {path}"


def test_refusal_is_a_friendly_page(login_as):
    client = login_as("person")
    response = client.get("/admin")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You cannot see this page" in page
    assert "Run the portal" not in page


def test_after_signing_in_the_visitor_reaches_the_page_they_asked_for(client):
    response = client.get("/admin")
    assert response.status_code == 302
    response = client.post_form(
        response.headers["Location"], {"username": "demo-admin", "password": "demo-password"}
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/admin")
    assert client.get("/admin").status_code == 200


def test_allow_needs_a_role():
    with pytest.raises(ValueError):
        allow()


def test_decorators_record_the_rule(make_app):
    fresh = make_app()
    bp = Blueprint("marked", __name__)

    @bp.get("/a")
    @public
    def a():
        return "a"

    @bp.get("/b")
    @signed_in
    def b():
        return "b"

    @bp.get("/c")
    @allow(Role.ADMIN, Role.COMMISSIONER)
    def c():
        return "c"

    fresh.register_blueprint(bp)
    with fresh.app_context():
        assert access_rule("marked.a") == {PUBLIC}
        assert access_rule("marked.c") == {"admin", "commissioner"}
        assert access_rule("marked.b") not in (None, {PUBLIC})


@pytest.fixture()
def app_with_extra_views(make_app):
    """A fresh app with a signed-in-only view and an admin-only form view."""
    fresh = make_app()
    bp = Blueprint("extra", __name__)
    calls = []

    @bp.get("/any-signed-in")
    @signed_in
    def any_signed_in():
        return f"hello {current_user.username}", {"Content-Type": "text/plain"}

    @bp.route("/admin-form", methods=["GET", "POST"])
    @allow(Role.ADMIN)
    def admin_form():
        calls.append(current_user.get_id())
        return "admin form", {"Content-Type": "text/plain"}

    fresh.register_blueprint(bp)
    fresh.extensions["test_calls"] = calls
    return seeded(fresh)


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_signed_in_rule_lets_every_role_in(app_with_extra_views, role):
    client = app_with_extra_views.test_client()
    assert sign_in(client, f"demo-{role}").status_code == 302
    response = client.get("/any-signed-in")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == f"hello demo-{role}"


def test_signed_in_rule_sends_visitors_to_sign_in(app_with_extra_views):
    response = app_with_extra_views.test_client().get("/any-signed-in")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_bad_form_token_never_runs_a_view_for_a_visitor(app_with_extra_views):
    """A CSRF failure re-runs the view to show the form again; access comes first."""
    calls = app_with_extra_views.extensions["test_calls"]
    client = app_with_extra_views.test_client()
    response = client.post("/admin-form", data={"csrf_token": "forged"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert calls == []


def test_a_bad_form_token_never_runs_a_view_for_the_wrong_role(app_with_extra_views):
    calls = app_with_extra_views.extensions["test_calls"]
    client = app_with_extra_views.test_client()
    sign_in(client, "demo-person")
    response = client.post("/admin-form", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert calls == []


def test_a_bad_form_token_re_shows_the_form_to_its_user(app_with_extra_views):
    calls = app_with_extra_views.extensions["test_calls"]
    client = app_with_extra_views.test_client()
    sign_in(client, "demo-admin")
    response = client.post("/admin-form", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert len(calls) == 1


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_access(endpoint, role, client, login_as):
    assert endpoint in POST_MATRIX, (
        f"{endpoint} takes a POST but has no row in POST_MATRIX (tests/test_access.py)"
    )
    path, who = POST_MATRIX[endpoint]
    if role:
        login_as(role)
    response = client.post_form(path, {})
    refused_to_sign_in = response.status_code == 302 and urlsplit(
        response.headers["Location"]
    ).path == "/login" and endpoint != "auth.login"
    if who == ANYONE or role in who:
        assert response.status_code != FORBIDDEN and not refused_to_sign_in
    elif role is None:
        assert refused_to_sign_in, f"anonymous POST {path} answered {response.status_code}"
    else:
        assert response.status_code == FORBIDDEN, f"{role} POST {path}"
