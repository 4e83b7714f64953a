"""The base form every blueprint's forms build on."""

from flask_wtf import FlaskForm

from portal.messages import FORM_EXPIRED


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PortalForm(FlaskForm):
    """Strips surrounding whitespace and gives a kind message when the form has expired."""

    class Meta:
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

