"""Self and proxy side by side: the practitioner's (and permitted members') table, and the
person's own easy-read page. Thin: fetch, call, render."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal.circle import bp, guards, sidebyside
from portal.content.scales import load_statements, short_key
from portal.core.access import allow
from portal.core.identity import own_person
from portal.handover.who import rating_givers
from portal.models import Role


@bp.get("/circle/people/<int:person_id>/side-by-side")
@allow(Role.SUPPORTER, Role.PRACTITIONER)
def side_by_side(person_id: int):
    person, member = guards.member_or_404(person_id)
    statements = load_statements()
    sees_all = guards.is_manager(member)
    own, columns, categories, domain_names = sidebyside.side_by_side(
        person, statements, member, sees_all)
    items = {short_key(s): s for s in statements.statements}
    return render_template("circle/side_by_side.html", person=person, own=own, columns=columns,
                           items=items, domain_names=domain_names, sees_all=sees_all,
                           viewer_id=current_user.id,
                           handed_over_by=rating_givers(own.session.id) if own else [])


@bp.get("/me/circle/views")
@allow(Role.PERSON)
def my_views():
    person = own_person()
    statements = load_statements()
    own, columns = sidebyside.for_person(person, statements)
    return render_template("circle/my_views.html", person=person, own=own, columns=columns,
                           statements=statements.statements, short_key=short_key)
