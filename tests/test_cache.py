"""The rules of the one store every worker cache uses (portal/core/cache.py), and of the
kept template pieces built on it (portal/core/fragments.py)."""

from __future__ import annotations

import threading

import pytest
from jinja2 import TemplateSyntaxError

from portal.content.store import load_content
from portal.core.cache import Store, app_store
from portal.core.extensions import db
from portal.core.fragments import PERSONAL
from tests.conftest import sign_in


def test_an_entry_is_given_back_only_for_its_own_stamp():
    store = Store(4)
    store.put("questions", "stamp-1", "old words")
    assert store.get("questions", "stamp-1") == "old words"
    assert store.get("questions", "stamp-2") is None
    assert store.get("questions", "stamp-2", "none") == "none"
    # What is built for the new stamp replaces the old entry: the old one never comes back.
    assert store.kept("questions", "stamp-2", lambda: "new words") == "new words"
    assert store.get("questions", "stamp-1") is None
    assert len(store) == 1


def test_a_kept_value_is_built_once_a_stamp():
    store, built = Store(4), []

    def build():
        built.append(1)
        return None  # None is a value too: kept, not built again

    assert store.kept("k", "s", build) is None
    assert store.kept("k", "s", build) is None
    assert built == [1]
    store.kept("k", "t", build)
    assert built == [1, 1]


def test_a_full_store_lets_go_of_the_least_recently_used_one_at_a_time():
    store = Store(3)
    for key in "abc":
        store.put(key, None, key.upper())
    assert store.get("a") == "A"  # a is used again: b is now the oldest
    store.put("d", None, "D")
    assert len(store) == 3
    assert store.entries() == {"c": "C", "a": "A", "d": "D"}
    with pytest.raises(ValueError):
        Store(0)


def test_many_threads_at_once_keep_it_bounded_and_whole():
    store, failures = Store(50), []

    def work(n: int) -> None:
        try:
            for i in range(400):
                key = (n * 7 + i) % 120
                value = store.kept(key, key % 3, lambda key=key: ("value", key))
                assert value == ("value", key)
                assert len(store) <= 50
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(store) == 50
    assert all(value == ("value", key) for key, value in store.entries().items())


def test_each_app_has_its_own_stores(make_app):
    one, two = make_app(), make_app()
    with one.app_context():
        first = app_store("things", 5)
        first.put("k", None, "one's")
        assert app_store("things", 5) is first
    with two.app_context():
        assert app_store("things", 5) is not first
        assert app_store("things", 5).get("k") is None


def test_two_threads_starting_an_app_share_one_store(make_app):
    app, found = make_app(), []
    barrier = threading.Barrier(6)

    def first_use() -> None:
        with app.app_context():
            barrier.wait()
            found.append(app_store("race", 5))

    threads = [threading.Thread(target=first_use) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(store) for store in found}) == 1


# --- Kept pieces of pages ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_a_kept_piece_may_not_read_anything_of_the_person(app, name):
    for source in (f'{{% kept "x" %}}{{{{ {name} }}}}{{% endkept %}}',
                   f'{{% kept "x", {name} %}}words{{% endkept %}}',
                   f'{{% kept "x" %}}{{% if {name}.y %}}a{{% endif %}}{{% endkept %}}'):
        with pytest.raises(TemplateSyntaxError, match=name):
            app.jinja_env.from_string(source)


def test_the_footer_that_leaked_a_role_s_link_would_not_compile(app):
    """The footer as it was before it was fixed (commit 0a39a9a)."""
    old_footer = """{% kept "footer" %}<p>settings</p>
      {% if current_user.is_authenticated and current_user.role != "person" %}
      <p><a href="/account/second-step">Second step</a></p>{% endif %}{% endkept %}"""
    with pytest.raises(TemplateSyntaxError, match="current_user"):
        app.jinja_env.from_string(old_footer)


def test_every_template_compiles(app):
    """Also: no kept piece in the portal reads anything of the person."""
    names = [n for n in app.jinja_env.list_templates() if n.endswith(".html")]
    assert names
    for name in names:
        app.jinja_env.get_template(name)


PAGES = {
    "demo-person": ["/", "/settings", "QUESTION"],
    "demo-supporter": ["/", "/settings"],
    "demo-practitioner": ["/", "/settings"],
    "demo-commissioner": ["/", "/commissioner/results"],
    "demo-admin": ["/", "/settings"],
}


def _kept_pieces(worker, username: str) -> dict:
    """What a fresh worker keeps after rendering this person's pages, in both languages."""
    client = worker.test_client()
    sign_in(client, username)
    for language in ("en", "cy"):
        client.get(f"/language/{language}?next=/")
        for path in PAGES[username]:
            if path == "QUESTION":
                started = client.post_form("/conversations/start/what-matters")
                where = started.headers["Location"]
                if where.endswith("/who"):
                    client.post_form(where, {"who": "alone"})
                path = f"{where.rsplit('/', 1)[0]}/q/wm-matters"
            assert client.get(path, follow_redirects=True).status_code == 200, path
    with worker.app_context():
        return app_store("fragments", 1).entries()


def test_every_role_is_shown_the_same_kept_pieces(app, demo, make_app):
    """Each role's pages rendered in a worker of its own: a piece kept under the same key
    must be the same for all of them, or one role's piece would be shown to another."""
    with app.app_context():
        load_content()
        db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    seen: dict = {}
    for username in PAGES:
        for key, piece in _kept_pieces(make_app({"DATABASE_URL": url}), username).items():
            first = seen.setdefault(key, (username, piece))
            assert piece == first[1], f"{key} differs for {username} and {first[0]}"
    assert {key[1] for key in seen} >= {"head", "footer-settings", "footer-about",
                                       "idle-warning", "question-top", "answer-buttons"}
