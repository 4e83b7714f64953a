"""The base form every blueprint's forms build on."""

import re

from babel.support import Translations
from flask import current_app, request
from flask_babel import get_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import RadioField, ValidationError
from wtforms.i18n import messages_path

from portal.core.messages import CHOOSE_ONE, FORM_EXPIRED

_SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# Control characters (NUL above all, which PostgreSQL refuses in text) never reach the
# database; tabs and line breaks are kept, as a person may type them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strip(value):
    return _CONTROL_CHARACTERS.sub("", value).strip() if isinstance(value, str) else value


def _json_text(value) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None  # null, or an object where one value was expected


# A database id posted back in a hidden field: ASCII digits that fit a 64-bit integer.
# Anything else (a huge number, "²", words) is no id at all, never a database error.
_POSTED_ID = re.compile(r"[0-9]{1,18}")


def posted_id(value: str | None) -> int | None:
    if not isinstance(value, str) or not _POSTED_ID.fullmatch(value):
        return None
    return int(value)


def json_formdata(data) -> ImmutableMultiDict:
    """A JSON body read as a form would be: {"name": "text"} or {"name": ["a", "b"]}.

    Anything else (a list, a number, nested objects) is left out, so the form says what is
    missing in its own words, instead of a field getting a value it cannot handle.
    """
    pairs = []
    if isinstance(data, dict):
        for name, value in data.items():
            for item in value if isinstance(value, list) else [value]:
                text = _json_text(item)
                if text is not None:
                    pairs.append((name, text))
    return ImmutableMultiDict(pairs)


# WTForms' own messages in each language, read from disk once a worker. Flask-WTF reads
# the file again for every request that builds a form (a cost seen under load, issue 9).
_WTFORMS_TRANSLATIONS: dict[str, Translations] = {}


def wtforms_translations(locale: str) -> Translations:
    found = _WTFORMS_TRANSLATIONS.get(locale)
    if found is None:
        found = Translations.load(messages_path(), [locale], domain="wtforms")
        _WTFORMS_TRANSLATIONS[locale] = found
    return found


class PortalForm(FlaskForm):
    """Strips surrounding whitespace and gives a kind message when the form has expired."""

    class Meta:
        def get_translations(self, form):
            if not request or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtforms_translations(str(get_locale() or "en"))

        def wrap_formdata(self, form, formdata):
            # Flask-WTF would hand any JSON body to the fields as it is (a list, a number):
            # read it as form fields instead. A body that is not JSON at all reads as empty.
            automatic = formdata is not None and not hasattr(formdata, "getlist")
            if (automatic and request and request.method in _SUBMIT_METHODS
                    and request.is_json and not request.form and not request.files):
                return json_formdata(request.get_json(silent=True))
            return super().wrap_formdata(form, formdata)

        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            bound = unbound_field.bind(form=form, filters=[_strip, *filters], **options)
            return bound

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if "csrf_token" in self.errors:
            # Flask-WTF's own message is technical and English-only.
            self.csrf_token.errors = [str(FORM_EXPIRED)]
        return valid

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary, in form order."""
        pairs = []
        for field in self:
            for message in field.errors:
                target = "main-content" if field.name == "csrf_token" else field.id
                pairs.append((target, str(message)))
        return pairs



class KindRadioField(RadioField):
    """A radio group that refuses a value it does not offer kindly, in the page's language
    (WTForms' own "Not a valid choice." is English only)."""

    def pre_validate(self, form):
        if self.data is not None and str(self.data) not in {str(c[0]) for c in self.choices}:
            raise ValidationError(str(CHOOSE_ONE))
