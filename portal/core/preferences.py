"""Per-person easy-read preferences: pictures, text size, speech rate, high contrast.

Saved on the account for a signed-in person, kept in the session otherwise (a
participant at a listening event has no account), and applied on every page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import session
from flask_login import current_user

TEXT_SIZES = ("normal", "large", "very-large")
SPEECH_RATES = ("slow", "normal", "fast")
PLAYBACK_RATES = {"slow": "0.75", "normal": "1", "fast": "1.25"}
SESSION_KEY = "preferences"


@dataclass(frozen=True)
class Preferences:
    pictures: bool = True
    text_size: str = "normal"
    speech_rate: str = "normal"
    high_contrast: bool = False

    def html_classes(self) -> str:
        classes = [f"text-{self.text_size}"]
        if not self.pictures:
            classes.append("no-pictures")
        if self.high_contrast:
            classes.append("high-contrast")
        return " ".join(classes)

    @property
    def playback_rate(self) -> str:
        return PLAYBACK_RATES[self.speech_rate]


def _clean(raw: dict) -> Preferences:
    defaults = Preferences()
    text_size = raw.get("text_size")
    speech_rate = raw.get("speech_rate")
    return Preferences(
        pictures=bool(raw.get("pictures", defaults.pictures)),
        text_size=text_size if text_size in TEXT_SIZES else defaults.text_size,
        speech_rate=speech_rate if speech_rate in SPEECH_RATES else defaults.speech_rate,
        high_contrast=bool(raw.get("high_contrast", defaults.high_contrast)),
    )


def current_preferences() -> Preferences:
    if current_user and current_user.is_authenticated:
        user = current_user
        return _clean(
            {
                "pictures": user.pref_pictures,
                "text_size": user.pref_text_size,
                "speech_rate": user.pref_speech_rate,
                "high_contrast": user.pref_high_contrast,
            }
        )
    return _clean(session.get(SESSION_KEY) or {})


def save_preferences(preferences: Preferences) -> None:
    if current_user and current_user.is_authenticated:
        current_user.pref_pictures = preferences.pictures
        current_user.pref_text_size = preferences.text_size
        current_user.pref_speech_rate = preferences.speech_rate
        current_user.pref_high_contrast = preferences.high_contrast
    else:
        session[SESSION_KEY] = asdict(preferences)
