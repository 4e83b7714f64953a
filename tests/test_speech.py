"""Speech: clip keys, the audio build (pyttsx3 over espeak-ng), serving, play buttons and
an admin's human recordings.

Tests that render speech need espeak-ng: they skip without it, but fail under CI=true.
They render a handful of sentences, never the whole catalogue.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import soundfile
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import AudioRecording, ContentItem
from portal.speech import commands
from portal.speech.forms import MAX_RECORDING_BYTES, sniff_audio_type
from portal.speech.keys import is_valid_key, text_key
from portal.speech.render import (
    ESPEAK_MISSING,
    SpeechUnavailable,
    Synthesiser,
    build_audio,
    catalogue_sentences,
    needs_audio,
)
from portal.speech.store import audio_url
from tests.conftest import IN_CI

IMMUTABLE = "public, max-age=31536000, immutable"
FEW = [
    ("en", "Press the button to hear this page."),
    ("cy", "Pwyswch y botwm i glywed y dudalen hon."),
    ("en", "You have %(num)d messages."),  # filled in at run time: never rendered
    ("cy", "   "),  # nothing to say
]


# --- Fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthesiser():
    """One speech engine for the module (pyttsx3 is not safe to share between threads)."""
    engine = Synthesiser()
    try:
        engine.start()
    except SpeechUnavailable as missing:
        if IN_CI:
            pytest.fail(f"{missing}; under CI=true the speech tests must run")
        pytest.skip(str(missing))
    return engine


@pytest.fixture()
def speech_dirs(app, tmp_path, monkeypatch):
    """Clips and recordings in this test's own folders, never the project's instance."""
    audio, recordings = tmp_path / "audio", tmp_path / "recordings"
    monkeypatch.setitem(app.config, "SPEECH_AUDIO_DIR", str(audio))
    monkeypatch.setitem(app.config, "SPEECH_RECORDINGS_DIR", str(recordings))
    return audio, recordings


@pytest.fixture()
def item(app, demo):
    with app.app_context():
        db.session.add(ContentItem(
            key="test.listen", kind="instruction", words_en="Press the button to listen.",
            words_cy="Pwyswch y botwm i wrando.", alt_en="A speaker", alt_cy="Seinydd",
            picture="listen", checksum="0" * 64, source_file="tests",
        ))
        db.session.commit()
        db.session.remove()
    return "test.listen"


def fake_clip(audio_dir, language: str, text: str) -> str:
    """A clip file for a sentence, without the speech engine; returns its key."""
    audio_dir.mkdir(parents=True, exist_ok=True)
    key = text_key(language, text)
    (audio_dir / f"{key}.ogg").write_bytes(ogg_bytes())
    return key


def ogg_bytes(seconds: float = 0.5) -> bytes:
    tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(int(16000 * seconds)) / 16000)
    buffer = io.BytesIO()
    soundfile.write(buffer, tone, 16000, format="OGG", subtype="VORBIS")
    return buffer.getvalue()


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(1600), 16000, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


# --- Keys ----------------------------------------------------------------------------


def test_key_is_stable_and_differs_by_language_and_text():
    key = text_key("en", "Press the button.")
    assert is_valid_key(key)
    assert key == text_key("en", "Press the button.")
    assert key == text_key("en", "  Press   the\nbutton. "), "spacing does not change the words"
    assert key != text_key("cy", "Press the button.")
    assert key != text_key("en", "Press the other button.")


@pytest.mark.parametrize("bad", ["", "abc", "A" * 64, "g" * 64, "a" * 63, "a" * 64 + "\n",
                                 "../" + "a" * 61, None])
def test_bad_keys_are_refused(bad):
    assert not is_valid_key(bad)


def test_run_time_messages_are_not_rendered():
    assert needs_audio("Press the button.")
    assert not needs_audio("Question %(current)d of %(total)d")
    assert not needs_audio("Hello {name}")
    assert not needs_audio("  ")
    assert not needs_audio(None)


# --- Which sentences need audio ------------------------------------------------------

EN_PO = r'''
msgid ""
msgstr ""
"Language: en\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Sign in"
msgstr ""

msgid "Colour"
msgstr "Colour (British)"

msgid "One person is here."
msgid_plural "%(num)d people are here."
msgstr[0] ""
msgstr[1] ""

msgid "Hello %(name)s."
msgstr ""
'''

CY_PO = r'''
msgid ""
msgstr ""
"Language: cy\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);\n"

msgid "Sign in"
msgstr "Mewngofnodi"

msgid "One person is here."
msgid_plural "%(num)d people are here."
msgstr[0] "Does neb yma."
msgstr[1] "Mae un person yma."
msgstr[2] "Mae %(num)d berson yma."
msgstr[3] "Mae %(num)d pherson yma."
msgstr[4] "Mae %(num)d pherson yma."
msgstr[5] "Mae %(num)d person yma."

#, fuzzy
msgid "Colour"
msgstr "Lliw"
'''


def test_catalogue_sentences_take_every_form_without_placeholders(tmp_path):
    for language, text in (("en", EN_PO), ("cy", CY_PO)):
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text(text, encoding="utf-8")
    found = catalogue_sentences(tmp_path)
    assert ("en", "Sign in") in found
    assert ("en", "Colour (British)") in found, "an English translation wins over the msgid"
    assert ("en", "One person is here.") in found
    assert ("cy", "Mewngofnodi") in found
    assert ("cy", "Does neb yma.") in found and ("cy", "Mae un person yma.") in found
    assert ("cy", "Lliw") not in found, "fuzzy Welsh is never shown, so never spoken"
    assert not [text for _, text in found if "%(" in text], "placeholders are filled at run time"


def test_the_real_catalogues_give_sentences_in_both_languages(app):
    found = catalogue_sentences(app.extensions["portal_settings"].translations_dir)
    languages = {language for language, _ in found}
    assert languages == {"en", "cy"}
    assert not [text for _, text in found if not needs_audio(text)]


# --- The build -----------------------------------------------------------------------


def test_build_renders_ogg_clips_with_the_welsh_voice(synthesiser, tmp_path):
    result = build_audio(FEW, tmp_path, synthesiser=synthesiser)
    assert (result.rendered, result.cached, result.failed) == (2, 0, [])
    assert "cy" in result.voices["cy"].lower(), result.voices
    assert "en" in result.voices["en"].lower(), result.voices
    for language, text in FEW[:2]:
        clip = tmp_path / f"{text_key(language, text)}.ogg"
        data = clip.read_bytes()
        assert data[:4] == b"OggS"
        assert len(data) > 3000, f"{len(data)} bytes is too small for a spoken sentence"
        info = soundfile.info(str(clip))
        assert info.format == "OGG" and info.subtype == "VORBIS" and info.duration > 1.0
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".ogg", ".ogg"], "no partial files"
    assert result.total_bytes == sum(p.stat().st_size for p in tmp_path.iterdir())


def test_a_second_build_renders_nothing_new_and_force_renders_again(synthesiser, tmp_path):
    build_audio(FEW, tmp_path, synthesiser=synthesiser)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = build_audio(FEW, tmp_path, synthesiser=synthesiser)
    assert (again.rendered, again.cached) == (0, 2)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before
    forced = build_audio(FEW[:1], tmp_path, synthesiser=synthesiser, force=True)
    assert (forced.rendered, forced.cached) == (1, 0)


def test_build_command_prints_counts_and_uses_the_cache(app, synthesiser, speech_dirs,
                                                       monkeypatch):
    monkeypatch.setattr(commands, "sentences_to_render", lambda: (FEW, None))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["easyread", "build"])
    assert first.exit_code == 0, first.output
    assert "2 rendered, 0 cached" in first.output
    assert re.search(r"\d+ KB", first.output) and " s, " in first.output
    assert "cy: cel/cy" in first.output or "cy:" in first.output
    second = runner.invoke(args=["easyread", "build"])
    assert "0 rendered, 2 cached" in second.output, second.output


def test_build_without_espeak_says_so_and_still_succeeds(app, speech_dirs, monkeypatch):
    def no_engine(self):
        raise SpeechUnavailable(ESPEAK_MISSING)

    monkeypatch.setattr(commands, "sentences_to_render", lambda: (FEW, None))
    monkeypatch.setattr(Synthesiser, "start", no_engine)
    result = app.test_cli_runner().invoke(args=["easyread", "build"])
    assert result.exit_code == 0
    assert "espeak-ng is not installed" in result.output
    assert "apt-get install espeak-ng" in result.output


def test_the_engine_never_starts_inside_a_request(app):
    with app.test_request_context("/"), pytest.raises(RuntimeError, match="never run inside"):
        Synthesiser().start()


# --- Serving and the play button -----------------------------------------------------


def test_clips_are_served_with_long_cache_headers(client, speech_dirs):
    audio, _ = speech_dirs
    key = fake_clip(audio, "en", "Press the button.")
    response = client.get(f"/audio/{key}.ogg")
    assert response.status_code == 200
    assert response.mimetype == "audio/ogg"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.data[:4] == b"OggS"


def test_clips_keep_long_cache_headers_for_a_signed_in_person(login_as, speech_dirs):
    audio, _ = speech_dirs
    key = fake_clip(audio, "cy", "Pwyswch y botwm.")
    response = login_as("person").get(f"/audio/{key}.ogg")
    assert response.headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("path", [
    "/audio/" + "a" * 64 + ".ogg",  # well formed, but no such clip
    "/audio/not-a-key.ogg",
    "/audio/" + "A" * 64 + ".ogg",
    "/audio/..%2Fportal.sqlite3.ogg",
    "/audio/recordings/999999",
])
def test_unknown_or_bad_clips_are_not_found(client, speech_dirs, path):
    assert client.get(path).status_code == 404


def test_audio_url_is_none_without_a_clip(app, demo, speech_dirs):
    audio, _ = speech_dirs
    with app.test_request_context("/"):
        assert audio_url("A sentence nobody has rendered.", "en") is None
        assert audio_url("", "en") is None
        assert audio_url(None) is None
        assert audio_url("Press the button.", "fr") is None
        key = fake_clip(audio, "en", "Press the button.")
        assert audio_url("Press the button.", "en") == f"/audio/{key}.ogg"
        assert audio_url("Press the button.", "cy") is None, "the Welsh clip is another clip"


def test_audio_url_uses_the_page_language(app, demo, speech_dirs):
    audio, _ = speech_dirs
    key = fake_clip(audio, "cy", "Pwyswch y botwm.")
    with app.test_request_context("/", headers={"Cookie": "portal_lang=cy"}):
        assert audio_url("Pwyswch y botwm.") == f"/audio/{key}.ogg"


def test_an_easyread_line_shows_a_play_button_only_when_there_is_a_clip(client, speech_dirs):
    audio, _ = speech_dirs
    page = BeautifulSoup(client.get("/login").get_data(as_text=True), "html.parser")
    line = page.select_one(".easyread-line")
    assert line.select_one(".play-button") is None
    sentence = line.select_one(".easyread-line__text").get_text(strip=True)
    key = fake_clip(audio, "en", sentence)

    page = BeautifulSoup(client.get("/login").get_data(as_text=True), "html.parser")
    button = page.select_one(".easyread-line .play-button")
    assert button is not None and button.name == "button" and button["type"] == "button"
    assert button["data-audio"] == f"/audio/{key}.ogg"
    assert button.get_text(strip=True) == "Listen"


# --- Human recordings ----------------------------------------------------------------


def upload(client, content_key: str, data: bytes, language: str = "cy", filename="voice.ogg"):
    return client.post_form(
        f"/admin/audio/{content_key}",
        {"language": language, "recording": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def recordings(app) -> list[AudioRecording]:
    with app.app_context():
        rows = db.session.scalars(select(AudioRecording).order_by(AudioRecording.id)).all()
        db.session.expunge_all()
        return rows


def test_admin_sees_both_sentences(login_as, item, speech_dirs):
    response = login_as("admin").get(f"/admin/audio/{item}")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    text = page.get_text(" ")
    assert "Press the button to listen." in text and "Pwyswch y botwm i wrando." in text
    assert page.select_one("#recording-en") and page.select_one("#recording-cy")
    assert page.select_one('[lang="cy"]') is not None


def test_unknown_item_is_not_found(login_as, demo, speech_dirs):
    assert login_as("admin").get("/admin/audio/no.such.item").status_code == 404


def test_a_recording_replaces_the_synthetic_clip(app, login_as, item, speech_dirs):
    audio, folder = speech_dirs
    welsh = "Pwyswch y botwm i wrando."
    key = fake_clip(audio, "cy", welsh)
    client = login_as("admin")

    sound = ogg_bytes()
    response = upload(client, item, sound, filename="llais.ogg")
    assert response.status_code == 302
    [first] = recordings(app)
    assert (first.active, first.language, first.text_key, first.mime_type) == (
        True, "cy", key, "audio/ogg")
    assert first.content_key == item
    assert len(list(folder.iterdir())) == 1
    with app.test_request_context("/"):
        assert audio_url(welsh, "cy") == f"/audio/recordings/{first.id}"
        assert audio_url("Press the button to listen.", "en") is None

    served = client.get(f"/audio/recordings/{first.id}")
    assert served.status_code == 200 and served.mimetype == "audio/ogg"
    assert served.headers["Cache-Control"] == IMMUTABLE
    assert served.data == sound

    # A newer recording wins, under a new URL so no browser keeps the old one.
    assert upload(client, item, wav_bytes(), filename="no-suffix").status_code == 302
    first, second = recordings(app)
    assert not first.active and second.active and second.mime_type == "audio/wav"
    with app.test_request_context("/"):
        assert audio_url(welsh, "cy") == f"/audio/recordings/{second.id}"
    assert client.get(f"/audio/recordings/{first.id}").status_code == 404

    # Removing it brings back the computer voice and deletes the person's recording.
    response = client.post_form(f"/admin/audio/{item}/remove", {"language": "cy"})
    assert response.status_code == 302
    assert not any(row.active for row in recordings(app))
    assert not (folder / second.path.split("/")[-1]).exists()
    with app.test_request_context("/"):
        assert audio_url(welsh, "cy") == f"/audio/{key}.ogg"


@pytest.mark.parametrize("role", ["person", "supporter", "practitioner", "facilitator",
                                  "commissioner"])
def test_only_admins_manage_recordings(app, login_as, item, speech_dirs, role):
    client = login_as(role)
    assert client.get(f"/admin/audio/{item}").status_code == 403
    assert upload(client, item, ogg_bytes()).status_code == 403
    assert client.post_form(f"/admin/audio/{item}/remove", {"language": "cy"}).status_code == 403
    assert recordings(app) == []


def test_signed_out_people_are_sent_to_sign_in(client, item, speech_dirs):
    response = client.get(f"/admin/audio/{item}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "voice.ogg", "not a recording we can play"),
    (b"<html>not sound</html>", "voice.mp3", "not a recording we can play"),
    (b"OggS" + b"\0" * MAX_RECORDING_BYTES, "voice.ogg", "too big"),
    (b"", "voice.ogg", "This file is empty"),
])
def test_bad_uploads_are_refused_kindly_and_nothing_is_stored(
    app, login_as, item, speech_dirs, data, filename, message
):
    _, folder = speech_dirs
    response = upload(login_as("admin"), item, data, filename=filename)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.select_one(".error-summary")
    assert summary is not None and message in summary.get_text()
    assert summary.select_one('a[href="#recording-cy"]') is not None
    assert page.select_one("#recording-cy")["aria-invalid"] == "true"
    assert recordings(app) == []
    assert not folder.exists() or list(folder.iterdir()) == []


def test_no_file_chosen_asks_for_one(app, login_as, item, speech_dirs):
    response = login_as("admin").post_form(f"/admin/audio/{item}", {"language": "en"})
    assert response.status_code == 400
    assert "Choose a recording to upload." in response.get_data(as_text=True)
    assert recordings(app) == []


@pytest.mark.parametrize(("head", "expected"), [
    (b"OggS\0\2", "audio/ogg"),
    (b"ID3\4\0", "audio/mpeg"),
    (b"\xff\xfb\x90\x64", "audio/mpeg"),
    (b"RIFF\0\0\0\0WAVEfmt ", "audio/wav"),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "audio/webm"),
    (b"\0\0\0\x20ftypM4A \0\0\0\0", "audio/mp4"),
    (b"\0\0\0\x18ftypheic\0\0\0\0", None),  # an iPhone photo
    (b"\xff\xf1\x50\x80", None),  # AAC without a container
    (b"%PDF-1.7", None),
    (b"RIFF\0\0\0\0AVI ", None),
])
def test_recordings_are_judged_by_their_first_bytes(head, expected):
    kind = sniff_audio_type(head)
    assert (kind[0] if kind else None) == expected


def test_clip_for_needs_no_request(app, demo, speech_dirs):
    from portal.speech.store import clip_for

    audio, _ = speech_dirs
    with app.app_context():
        assert clip_for("Press the button.", "en") is None
        key = fake_clip(audio, "en", "Press the button.")
        assert clip_for("Press the button.", "en") == (key, None)


def test_an_expired_form_is_shown_again_kindly(app, login_as, item, speech_dirs):
    client = login_as("admin")
    for path, data in ((f"/admin/audio/{item}/remove", {"language": "cy"}),
                       (f"/admin/audio/{item}", {"language": "en",
                                                 "recording": (io.BytesIO(ogg_bytes()), "a.ogg")})):
        response = client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code == 400, path
        assert "This page was open for a long time" in response.get_data(as_text=True)
    assert recordings(app) == []


def test_serving_pages_never_loads_the_speech_engine(tmp_path):
    """Workers fork after create_app: pyttsx3 must not be loaded by the app or its pages."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from portal import create_app\n"
        f"app = create_app({{'ENVIRONMENT': 'testing', 'TESTING': True, "
        f"'DATABASE_URL': 'sqlite:///{tmp_path / 'x.sqlite3'}'}})\n"
        "app.test_client().get('/login')\n"
        "print(sorted(m for m in ('pyttsx3', 'soundfile') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=str(tmp_path.parent))
    assert out.stdout.strip().endswith("[]"), out.stdout + out.stderr
