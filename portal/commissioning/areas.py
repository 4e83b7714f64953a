"""Which areas a commissioner sees: the choices, the current list, and saving a new list.
Shared by the commissioner-areas page (admin.py) and the new-account page
(portal/accounts/admin.py). A value is "region:<id>" or "la:<id>"."""

from __future__ import annotations

from sqlalchemy import delete, select
from wtforms import SelectMultipleField

from portal.core.extensions import db
from portal.models import CommissionerArea, Region


class AreasField(SelectMultipleField):
    def pre_validate(self, form):
        # An unknown or forged value is dropped, not an error: the admin sees the boxes
        # they ticked, and nothing outside the list can be saved.
        known = {value for value, _label in self.choices}
        self.data = [value for value in self.data or [] if value in known]


def area_choices() -> list[tuple[str, str]]:
    choices = []
    for region in db.session.scalars(select(Region).order_by(Region.name_en)):
        choices.append((f"region:{region.id}", region.name_en))
        choices += [(f"la:{la.id}", la.name_en) for la in region.local_authorities]
    return choices


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name_en)))


def current_areas(user_id: int) -> list[str]:
    links = db.session.scalars(select(CommissionerArea).where(
        CommissionerArea.user_id == user_id))
    return [f"region:{link.region_id}" if link.region_id else f"la:{link.local_authority_id}"
            for link in links]


def save_areas(user_id: int, values: list[str]) -> None:
    """Replace the commissioner's areas with `values` (already checked by AreasField)."""
    db.session.execute(delete(CommissionerArea).where(CommissionerArea.user_id == user_id))
    for value in dict.fromkeys(values):
        kind, _sep, ident = value.partition(":")
        db.session.add(CommissionerArea(
            user_id=user_id, region_id=int(ident) if kind == "region" else None,
            local_authority_id=int(ident) if kind == "la" else None))
