"""The owners of the shared answering screens (portal/answering/owners.py).

Each owner is held to the protocol of the screens it uses, member by member and with the
same parameters, since nothing else would catch an owner that drifts from its protocol
until that screen is opened. The circle's proxy rates for a person and has no mats.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.answering.mats.person import PersonMatOwner
from portal.answering.owners import MatOwner, RatingOwner
from portal.answering.ratings.person import PersonRatingOwner
from portal.answering.screens import SCREEN_ATTR
from portal.circle.proxy import ProxyOwner
from portal.events.owner import ParticipantOwner

PORTAL = Path(__file__).resolve().parent.parent / "portal"

PERSON = SimpleNamespace(id=1)
OWNERS = {
    "person's mats": (PersonMatOwner(PERSON, 1), {MatOwner}),
    "person's ratings": (PersonRatingOwner(PERSON, 1), {RatingOwner}),
    "event participant": (ParticipantOwner(SimpleNamespace(event=SimpleNamespace())),
                          {MatOwner, RatingOwner}),
    "circle proxy": (ProxyOwner(PERSON, 2, "what-i-think"), {RatingOwner}),
}


def _members(protocol) -> dict[str, object]:
    """The protocol's own members: its methods, and its annotated attributes (as None)."""
    found = {name: value for name, value in vars(protocol).items()
             if inspect.isfunction(value) and not name.startswith("_")}
    found.update({name: None for name in protocol.__annotations__})
    return found


@pytest.mark.parametrize("name", OWNERS)
def test_each_owner_has_exactly_the_protocols_it_uses(name):
    owner, uses = OWNERS[name]
    for protocol in (MatOwner, RatingOwner):
        assert isinstance(owner, protocol) == (protocol in uses), (name, protocol.__name__)


@pytest.mark.parametrize("name", OWNERS)
def test_each_owner_method_takes_what_its_protocol_says(name):
    owner, uses = OWNERS[name]
    for protocol in uses:
        for member, spec in _members(protocol).items():
            assert hasattr(owner, member), (name, member)
            if spec is None:
                continue
            wanted = list(inspect.signature(spec).parameters)[1:]  # without self
            assert list(inspect.signature(getattr(owner, member)).parameters) == wanted, (
                name, member)


def test_the_proxy_has_no_mat_screens(app):
    """Each blueprint has the screen sets its owners use, and the circle's has no mats."""
    sets: dict[str, set[str]] = {}
    for endpoint, view in app.view_functions.items():
        kind_screen = getattr(view, SCREEN_ATTR, None)
        if kind_screen is not None:
            sets.setdefault(endpoint.split(".")[0], set()).add(kind_screen[0])
    assert sets == {"mats": {"mats"}, "ratings": {"ratings"}, "events": {"mats", "ratings"},
                    "circle": {"ratings"}}
    assert not hasattr(ProxyOwner, "mat_url")


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, whether the import is inside a function) of each import in the file."""
    tree = ast.parse(path.read_text())
    local = {id(node) for fn in ast.walk(tree)
             if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
             for node in ast.walk(fn) if isinstance(node, ast.Import | ast.ImportFrom)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.append((node.module or "", id(node) in local))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, id(node) in local) for alias in node.names)
    return found


ANSWERING_USERS = [PORTAL / "events" / "owner.py", PORTAL / "events" / "activities.py",
                   PORTAL / "circle" / "proxy.py"]


@pytest.mark.parametrize("path", [*sorted((PORTAL / "answering").rglob("*.py")),
                                  *ANSWERING_USERS], ids=lambda p: str(p.relative_to(PORTAL)))
def test_no_import_hides_in_a_function(path):
    """A function-local import of the portal's own modules is how a circular import was once
    worked around here. (Heavy optional libraries, such as cairosvg, may still load late.)"""
    assert [module for module, local in _imports(path)
            if local and module.startswith("portal")] == []


@pytest.mark.parametrize("path", ANSWERING_USERS, ids=lambda p: str(p.relative_to(PORTAL)))
def test_events_and_circle_use_no_one_elses_owner(path):
    """They import the protocols, the screens and the stores: not the person's owner."""
    answering = [module for module, _local in _imports(path)
                 if module.startswith("portal.answering")]
    assert answering
    assert not [module for module in answering if module.endswith(".person")]
