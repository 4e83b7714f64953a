from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.answering.mats.store import MAX_OWN_WORDS
from portal.core.forms import PortalForm
from portal.core.messages import MAT_OWN_CARD_REQUIRED, MAT_OWN_CARD_TOO_LONG, MAT_POINT_NOT_HERE

NOT_NOW = "not-now"
FIELD_PREFIX = "card-"


class OwnCardForm(PortalForm):
    words = StringField(
        _l("Your words for the card"),
        validators=[
            DataRequired(message=MAT_OWN_CARD_REQUIRED),
            Length(max=MAX_OWN_WORDS, message=MAT_OWN_CARD_TOO_LONG),
        ],
    )


class SaveForm(PortalForm):
    """Only the form token: "Yes, save it"."""


class PlacementsForm(PortalForm):
    """The mat without JavaScript: one picture radio group a card. Fields are added per
    mat by `placements_form`; `cards` maps each field name to its card key."""

    cards: dict[str, str] = {}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name in self.cards:
            field = self[name]
            allowed = {value for value, _label in field.choices}
            if field.data and field.data not in allowed:
                field.errors = [*field.errors, str(MAT_POINT_NOT_HERE)]
                valid = False
        return valid

    def chosen(self) -> dict[str, str | None]:
        """card key -> point key, or None for "not now"."""
        return {
            card: (None if self[name].data in (None, "", NOT_NOW) else self[name].data)
            for name, card in self.cards.items()
        }


def field_name(card_key: str) -> str:
    return FIELD_PREFIX + card_key


def placements_form(card_keys: list[str], point_keys: list[str], **kwargs) -> PlacementsForm:
    choices = [(key, key) for key in [*point_keys, NOT_NOW]]
    fields = {
        field_name(key): RadioField(choices=choices, validate_choice=False,
                                    validators=[Optional()])
        for key in card_keys
    }
    form_class = type("MatPlacementsForm", (PlacementsForm,), {
        **fields, "cards": {field_name(k): k for k in card_keys},
    })
    return form_class(**kwargs)
