"""Admin chooses which areas each commissioner sees; the dashboard follows at once, and
the change is in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import AuditEntry, CommissionerArea, LocalAuthority, Region, User
from tests.test_commissioning import main_text


def _ids(app):
    with app.app_context():
        user = db.session.scalar(select(User.id).where(User.username == "demo-commissioner"))
        swansea = db.session.scalar(select(LocalAuthority.id).where(
            LocalAuthority.code == "swansea"))
        gwent = db.session.scalar(select(Region.id).where(Region.code == "gwent"))
        db.session.remove()
    return user, swansea, gwent


def _areas(app, user_id):
    with app.app_context():
        rows = db.session.scalars(select(CommissionerArea).where(
            CommissionerArea.user_id == user_id)).all()
        found = {("region", r.region_id) if r.region_id else ("la", r.local_authority_id)
                 for r in rows}
        db.session.remove()
    return found


def test_admin_gives_a_commissioner_new_areas(app, login_as):
    user_id, swansea, gwent = _ids(app)
    admin = login_as("admin")
    home = admin.get("/admin")
    assert "/admin/commissioner-areas/" in home.get_data(as_text=True)
    listing = admin.get("/admin/commissioner-areas/")
    assert f"/admin/commissioner-areas/{user_id}" in listing.get_data(as_text=True)
    page = admin.get(f"/admin/commissioner-areas/{user_id}")
    assert page.status_code == 200
    response = admin.post_form(f"/admin/commissioner-areas/{user_id}",
                               {"areas": [f"la:{swansea}", f"region:{gwent}", "la:nonsense",
                                          "region:999999"]})
    assert response.status_code == 302
    assert _areas(app, user_id) == {("la", swansea), ("region", gwent)}
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry.endpoint == "commissioner_areas.edit" and entry.action == "change"
        assert entry.person_id is None
        db.session.remove()
    # The commissioner now sees Swansea and Gwent, and no longer their old region.
    admin.post_form("/logout", {})
    commissioner = login_as("commissioner")
    page = commissioner.get("/commissioner/results")
    assert page.status_code == 200
    text = main_text(page)
    assert "Swansea" in text and "Gwent" in text
    assert commissioner.get("/commissioner/results?area=la:cardiff").status_code == 403


def test_untick_everything_and_the_commissioner_sees_nothing(app, login_as):
    user_id, _swansea, _gwent = _ids(app)
    admin = login_as("admin")
    admin.get("/language/cy?next=/admin")
    page = admin.get(f"/admin/commissioner-areas/{user_id}")
    assert 'lang="cy"' in page.get_data(as_text=True)
    assert admin.post_form(f"/admin/commissioner-areas/{user_id}", {}).status_code == 302
    assert _areas(app, user_id) == set()


def test_only_commissioners_have_areas(app, login_as):
    admin = login_as("admin")
    with app.app_context():
        other = db.session.scalar(select(User.id).where(User.username == "demo-admin"))
        db.session.remove()
    assert admin.get(f"/admin/commissioner-areas/{other}").status_code == 404
