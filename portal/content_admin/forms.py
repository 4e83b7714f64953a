from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from portal.core.forms import PortalForm
from portal.core.messages import PICTURE_REQUIRED


class PictureUploadForm(PortalForm):
    picture = FileField(_l("Choose a picture"), validators=[FileRequired(message=PICTURE_REQUIRED)])


class LibraryPictureForm(PortalForm):
    """Only the CSRF token: the button says what happens."""
