from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired

from portal.core.forms import KindRadioField, PortalForm
from portal.core.messages import CHOOSE_ONE


class PreferencesForm(PortalForm):
    pictures = KindRadioField(
        _l("Do you want pictures?"),
        choices=[("yes", _l("Show pictures")), ("no", _l("No pictures"))],
        validators=[InputRequired(message=CHOOSE_ONE)],
    )
    text_size = KindRadioField(
        _l("How big do you want the words?"),
        choices=[("normal", _l("Normal")), ("large", _l("Big")), ("very-large", _l("Very big"))],
        validators=[InputRequired(message=CHOOSE_ONE)],
    )
    speech_rate = KindRadioField(
        _l("How fast do you want the voice to talk?"),
        choices=[("slow", _l("Slow")), ("normal", _l("Normal")), ("fast", _l("Fast"))],
        validators=[InputRequired(message=CHOOSE_ONE)],
    )
    high_contrast = KindRadioField(
        _l("Do you want strong colours?"),
        choices=[("no", _l("Normal colours")), ("yes", _l("Strong colours"))],
        validators=[InputRequired(message=CHOOSE_ONE)],
    )
