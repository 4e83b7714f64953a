"""An outsider with every export cannot work out a hidden count (issue 16).

tests/attack_support.py seeds small groups everywhere, collects every number published
for them (every filter choice of the results and themes, means included; every event
report) and solves it all as one system. Trends and the self-versus-proxy gap are made of
the same views' shown means (portal/commissioning/trends.py), and a mean is shown only
where the shown counts already give it, so they add no equation of their own.
The new method must leave nothing pinned; the method before issue 16
(tests/legacy_disclosure.py) must fail, which shows the outsider is strong enough to
matter. Run only the old one with `-k legacy`.
"""

from __future__ import annotations

import os

import pytest

from portal.content.store import load_content
from portal.core.extensions import db
from tests import attack_support as attack


@pytest.fixture()
def small_groups(app, demo):
    with app.app_context():
        load_content()
        attack.seed_small_groups()
        truth = attack.truth()
        db.session.remove()
    return truth


def _describe(findings) -> str:
    return "\n".join(f"{f.what}: {f.cell} in [{f.low:.1f}, {f.high:.1f}] (truly {f.truth})"
                     for f in findings[:15])


def test_no_hidden_count_can_be_worked_out(app, small_groups):
    with app.app_context():
        # First, the outsider's equations are true of this data set (else the attack
        # proves nothing): with nothing hidden, every one of them holds.
        uncensored = attack.build(attack.uncensored(), 10, 3)
        assert all(cell[0] == "split" for cell in uncensored.index), \
            "nothing is hidden at a threshold of 1 (only the yes/no cards' parts are unknown)"
        assert not uncensored.broken, uncensored.broken[:5]
        assert attack.feasible(uncensored), "the outsider's inequalities hold of the truth"
        pub = attack.collect(attack.new_method())
        hidden = sum(v is None for v in pub.cells.values())
        findings = attack.attack(pub, small_groups)
        db.session.remove()
    if os.environ.get("PORTAL_ATTACK_SHOW"):
        print(f"\nnew: {hidden} hidden, {len(findings)} pinned")
    assert hidden > 100, "the data set must have hidden counts to attack"
    assert not findings, f"{len(findings)} pinned:\n{_describe(findings)}"


def test_legacy_method_fails_the_attack(app, small_groups):
    """The same outsider against the method before issue 16: it pins hidden counts."""
    with app.app_context():
        pub = attack.collect(attack.legacy_method())
        findings = attack.attack(pub, small_groups)
        db.session.remove()
    if os.environ.get("PORTAL_ATTACK_SHOW"):
        print(f"\nlegacy: {len(findings)} pinned\n{_describe(findings)}")
    assert findings
    assert any(f.what == "hidden count" for f in findings)


def test_yes_no_points_shown_on_their_own_are_pinned(app, small_groups, monkeypatch):
    """The outsider reads the yes/no points too: a report that showed each point against
    3 alone, beside the question's count of people, gives hidden points away."""
    import portal.events.report as report
    from portal.content.scales import short_key
    from portal.conversations import store as conversation_store

    def each_on_its_own(item, counted):
        points = conversation_store.scale_points(str(item.data.get("scale", "")))
        if not points:
            return None
        keyed = [(short_key(p).split(".", 1)[1], p) for p in points]
        return report.ReportChoice(item, [(p, counted.get(k, 0)) for k, p in keyed
                                          if counted.get(k, 0) >= report.SMALL_NUMBER])

    with app.app_context():
        monkeypatch.setattr(report, "_yes_no", each_on_its_own)
        pub = attack.collect(attack.new_method())
        findings = attack.attack(pub, small_groups)
        db.session.remove()
    if os.environ.get("PORTAL_ATTACK_SHOW"):
        print(f"\nyes/no on their own: {len(findings)} pinned\n{_describe(findings)}")
    assert any(f.cell[0] == "report-point" or "points" in f.what for f in findings), \
        _describe(findings)
