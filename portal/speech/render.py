"""Render the spoken clips at build time: pyttsx3 over espeak-ng, saved as OGG Vorbis.

Only `flask --app portal easyread build` uses this module. pyttsx3 is not safe to share
between threads and hangs in a forked child when created before the fork, so the engine
is created lazily, once, inside the build command: never at import, never in a request.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from portal.speech.keys import RATE, VOICES, normalise, text_key

# Run-time placeholders (%(name)s, {name}) are filled in per page: those can't be rendered.
_PLACEHOLDER = re.compile(r"%\(\w+\)|[{}]")
OGG_COMPRESSION = 0.9  # Vorbis quality: about 10 KB for a short sentence
ESPEAK_MISSING = (
    "espeak-ng is not installed: pages will work without audio. "
    "Install it with: apt-get install espeak-ng"
)


class SpeechUnavailable(RuntimeError):
    """No speech engine, or no voice for one of the languages."""


class RenderFailed(RuntimeError):
    """The engine ran but wrote no sound for a sentence."""


@dataclass
class BuildResult:
    rendered: int = 0
    cached: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    total_bytes: int = 0
    # The voice id the engine used for each language rendered this time, e.g.
    # {"cy": "cel/cy", "en": "gmw/en"}; empty when every clip came from the cache.
    voices: dict[str, str] = field(default_factory=dict)

    @property
    def total_kb(self) -> float:
        return self.total_bytes / 1024


def _language_codes(voice) -> list[str]:
    """A pyttsx3 voice's languages as plain lower-case codes (old versions give bytes)."""
    codes = []
    for language in getattr(voice, "languages", None) or []:
        if isinstance(language, bytes):
            language = language.decode("utf-8", "ignore")
        codes.append("".join(ch for ch in str(language) if ch.isprintable()).strip().lower())
    return codes


def find_voice(voices, code: str) -> str | None:
    """The id of the voice for an espeak-ng language code: its language first, then its id."""
    code = code.lower()
    for voice in voices:
        if code in _language_codes(voice):
            return voice.id
    for voice in voices:
        voice_id = str(voice.id).lower()
        if voice_id == code or voice_id.endswith("/" + code):
            return voice.id
    return None


class Synthesiser:
    """One pyttsx3 engine, started on first use; one file per runAndWait."""

    def __init__(self) -> None:
        self._engine = None
        self.voices: dict[str, str] = {}  # the voice found for each language
        self.voices_used: dict[str, str] = {}  # the voice the engine reported after rendering

    def start(self) -> None:
        if self._engine is not None:
            return
        from flask import has_request_context

        if has_request_context():
            raise RuntimeError("pyttsx3 must never run inside a web request: use the build")
        try:
            import pyttsx3

            engine = pyttsx3.init("espeak")
            available = engine.getProperty("voices") or []
        except Exception as error:  # no libespeak-ng, no driver: any failure means no speech
            raise SpeechUnavailable(f"{ESPEAK_MISSING} ({error})") from error
        voices = {}
        for language, code in VOICES.items():
            voice_id = find_voice(available, code)
            if voice_id is None:
                raise SpeechUnavailable(f"{ESPEAK_MISSING} (no voice for {code!r})")
            voices[language] = voice_id
        engine.setProperty("rate", RATE)
        self._engine, self.voices = engine, voices

    def render_wav(self, language: str, text: str, wav_path: Path, attempts: int = 3) -> None:
        self.start()
        for attempt in range(1, attempts + 1):
            try:
                self._render_once(language, text, wav_path)
                return
            except RenderFailed:
                if attempt == attempts:
                    raise

    def _render_once(self, language: str, text: str, wav_path: Path) -> None:
        engine, voice = self._engine, self.voices[language]
        wav_path.unlink(missing_ok=True)
        _wait_until_quiet()
        engine.setProperty("voice", voice)  # queued: applied before the save below
        # The espeak driver prints "Audio saved to …" for every file, from espeak's thread.
        with contextlib.redirect_stdout(io.StringIO()):
            engine.save_to_file(text, str(wav_path))
            engine.runAndWait()  # once per file: a second save before it replaces the first
            # espeak-ng renders on its own thread, and runAndWait can return before it has
            # finished: wait, or the file is missing and the next runAndWait cancels it.
            _wait_until_quiet()
        # An unknown voice is ignored silently: make sure this one was used.
        used = engine.getProperty("voice")
        if used != voice:
            raise RenderFailed(f"the engine used voice {used!r}, not {voice!r}")
        self.voices_used[language] = used
        if not _complete_wav(wav_path):
            raise RenderFailed("no sound was written")


def _wait_until_quiet(timeout: float = 30.0) -> None:
    try:
        from pyttsx3.drivers import _espeak
    except ImportError:  # another pyttsx3 layout: nothing to wait for
        return
    deadline = time.monotonic() + timeout
    while _espeak.IsPlaying():
        if time.monotonic() > deadline:
            raise RenderFailed("espeak-ng did not finish")
        time.sleep(0.002)


def _complete_wav(path: Path) -> bool:
    """A WAV with sound in it whose header matches its length (not still being written)."""
    import wave

    try:
        with wave.open(str(path), "rb") as clip:
            frames, width = clip.getnframes(), clip.getsampwidth() * clip.getnchannels()
    except (OSError, EOFError, wave.Error):
        return False
    return frames > 0 and path.stat().st_size >= 44 + frames * width


def wav_to_ogg(wav_path: Path, ogg_path: Path) -> None:
    import soundfile

    data, sample_rate = soundfile.read(str(wav_path))
    soundfile.write(
        str(ogg_path),
        data,
        sample_rate,
        format="OGG",
        subtype="VORBIS",
        compression_level=OGG_COMPRESSION,
    )


def needs_audio(text: str | None) -> bool:
    return bool(text and normalise(text)) and not _PLACEHOLDER.search(text)


def build_audio(
    sentences: Iterable[tuple[str, str]],
    audio_dir: Path,
    *,
    force: bool = False,
    synthesiser: Synthesiser | None = None,
) -> BuildResult:
    """Render each (language, text) not yet in `audio_dir`; raise SpeechUnavailable early."""
    started = time.perf_counter()
    result = BuildResult()
    audio_dir.mkdir(parents=True, exist_ok=True)
    synthesiser = synthesiser or Synthesiser()
    seen: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="speech-") as scratch:
        wav_path = Path(scratch) / "clip.wav"
        for language, text in sentences:
            if language not in VOICES or not needs_audio(text):
                continue
            key = text_key(language, text)
            if key in seen:
                continue
            seen.add(key)
            target = audio_dir / f"{key}.ogg"
            if target.is_file() and not force:
                result.cached += 1
                result.total_bytes += target.stat().st_size
                continue
            try:
                synthesiser.render_wav(language, normalise(text), wav_path)
                # Written beside the target, then renamed: a half-written clip is never served.
                partial = audio_dir / f".{key}.{os.getpid()}.partial"
                wav_to_ogg(wav_path, partial)
                os.replace(partial, target)
            except SpeechUnavailable:
                raise
            except Exception as error:  # one bad sentence must not stop the others
                result.failed.append((language, f"{text!r}: {error}"))
                continue
            result.rendered += 1
            result.total_bytes += target.stat().st_size
    result.voices = dict(synthesiser.voices_used)
    result.seconds = time.perf_counter() - started
    return result


def catalogue_sentences(translations_dir: Path) -> list[tuple[str, str]]:
    """Every fixed message the pages show: English from the en catalogue, Welsh from cy.

    English uses the en translation when there is one, else the msgid (and msgid_plural);
    Welsh uses every plural form. Fuzzy Welsh entries are not compiled, so not shown.
    """
    from babel.messages.pofile import read_po

    sentences: list[tuple[str, str]] = []
    for language in ("en", "cy"):
        path = translations_dir / language / "LC_MESSAGES" / "messages.po"
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        for message in catalogue:
            if not message.id or (language == "cy" and message.fuzzy):
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if language == "en":
                texts = [
                    strings[i] if i < len(strings) and strings[i] else msgid
                    for i, msgid in enumerate(ids)
                ]
            else:
                texts = list(strings)
            sentences += [(language, text) for text in texts if needs_audio(text)]
    return sentences


def content_sentences() -> list[tuple[str, str]]:
    """The words of every current content item, in English and in Welsh."""
    from sqlalchemy import select

    from portal.core.extensions import db
    from portal.models import ContentItem

    query = select(ContentItem).where(ContentItem.is_current.is_(True)).order_by(ContentItem.key)
    sentences: list[tuple[str, str]] = []
    for item in db.session.scalars(query):
        sentences += [("en", item.words_en), ("cy", item.words_cy)]
        data = item.data or {}
        # A question's hint is read out too: it is a sentence on the easy-read page.
        sentences += [
            (lang, data[f"hint_{lang}"]) for lang in ("en", "cy") if data.get(f"hint_{lang}")
        ]
    return [(language, text) for language, text in sentences if needs_audio(text)]
