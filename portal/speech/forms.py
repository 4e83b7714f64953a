"""The admin's recording forms. A file is judged by its first bytes, never by its name."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired, StopValidation

from portal.core import messages
from portal.core.forms import PortalForm
from portal.speech.keys import VOICES

MAX_RECORDING_BYTES = 5 * 1024 * 1024

# (MIME type, file suffix) by what the file really is.
OGG = ("audio/ogg", ".ogg")
MP3 = ("audio/mpeg", ".mp3")
WAV = ("audio/wav", ".wav")
WEBM = ("audio/webm", ".webm")
M4A = ("audio/mp4", ".m4a")
# MP4 brands that hold sound (Voice Memos on an iPhone make "M4A "); not HEIC photos.
MP4_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2", b"iso5",
                              b"iso6", b"dash", b"3gp4", b"3gp5", b"3g2a"})


def sniff_audio_type(head: bytes) -> tuple[str, str] | None:
    """(MIME type, suffix) from a file's first bytes, or None when it is not a known sound."""
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return WEBM
    if head[4:8] == b"ftyp" and head[8:12] in MP4_AUDIO_BRANDS:
        return M4A
    if head.startswith(b"ID3"):
        return MP3
    # A bare MPEG audio frame: 11 sync bits, then a layer that is not 00 (that would be AAC).
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return MP3
    return None


class RecordingFile:
    """Checks the upload and keeps its bytes and real type on the field for the view."""

    def __call__(self, form, field):
        upload = field.data
        if upload is None or not getattr(upload, "filename", None):
            raise StopValidation(str(messages.RECORDING_REQUIRED))
        data = upload.read(MAX_RECORDING_BYTES + 1)
        if not data:
            raise StopValidation(str(messages.RECORDING_EMPTY))
        if len(data) > MAX_RECORDING_BYTES:
            raise StopValidation(str(messages.RECORDING_TOO_BIG))
        kind = sniff_audio_type(data[:64])
        if kind is None:
            raise StopValidation(str(messages.RECORDING_WRONG_TYPE))
        field.bytes, (field.mime_type, field.suffix) = data, kind


class RecordingForm(PortalForm):
    language = HiddenField(validators=[InputRequired(), AnyOf(tuple(VOICES))])
    recording = FileField(messages.RECORDING_LABEL, validators=[RecordingFile()])


class RemoveRecordingForm(PortalForm):
    language = HiddenField(validators=[InputRequired(), AnyOf(tuple(VOICES))])
