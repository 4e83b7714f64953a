"""The cache key of a spoken sentence. Pure: no Flask, no speech engine.

A clip is named by a hash of everything that changes how it sounds: the language, the
voice, the speaking rate and the words. Change any of them and the build renders a new
clip under a new name, so a clip's URL can be cached for a year.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# The espeak-ng voice for each page language ("cy" is espeak-ng's Welsh voice).
VOICES = {"cy": "cy", "en": "en-gb"}
# Words a minute: a little slower than espeak-ng's 175, for easy read. A person can still
# slow it down or speed it up in the browser (their speech rate preference).
RATE = 150
KEY_PATTERN = re.compile(r"[0-9a-f]{64}")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The words as they are spoken: NFC, one space between words, none at the ends."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def text_key(language: str, text: str) -> str:
    """sha256 hex of the language, voice, rate and normalised words."""
    voice = VOICES.get(language, language)
    material = "\n".join((language, voice, str(RATE), normalise(text)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def is_valid_key(key: str) -> bool:
    return isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None
