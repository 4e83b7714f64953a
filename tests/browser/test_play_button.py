"""The play button in a real browser: it plays the sentence's clip when pressed, never by
itself, and only one clip plays at a time."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile
from selenium.webdriver.common.by import By

from portal.speech.keys import text_key

pytestmark = pytest.mark.browser

FIRST = "This website helps you say what matters to you."
SECOND = "People who know you well can help you."


def _tone(path, seconds: float) -> None:
    rate = 22050
    t = np.arange(int(rate * seconds)) / rate
    soundfile.write(path, 0.2 * np.sin(2 * np.pi * 440 * t), rate, format="OGG", subtype="VORBIS")


@pytest.fixture()
def clips(live_server, tmp_path):
    """Clips for two sentences of the start page, served from this test's own folder."""
    config = live_server.app.config
    old = config.get("SPEECH_AUDIO_DIR")
    config["SPEECH_AUDIO_DIR"] = str(tmp_path)
    _tone(tmp_path / f"{text_key('en', FIRST)}.ogg", 1.5)
    _tone(tmp_path / f"{text_key('en', SECOND)}.ogg", 1.5)
    yield
    if old is None:
        config.pop("SPEECH_AUDIO_DIR", None)
    else:
        config["SPEECH_AUDIO_DIR"] = old


def _pressed(browser) -> list[str]:
    return [b.get_attribute("aria-pressed")
            for b in browser.driver.find_elements(By.CSS_SELECTOR, ".play-button")]


def test_play_button_plays_once_pressed_and_one_clip_at_a_time(browser, clips):
    browser.choose_language("en", then="/")
    buttons = browser.driver.find_elements(By.CSS_SELECTOR, ".play-button")
    assert len(buttons) >= 2, "the start page sentences should have play buttons"
    assert buttons[0].text.strip() == "Listen"
    assert buttons[0].size["height"] >= 44 and buttons[0].size["width"] >= 44
    # Never plays by itself: nothing is pressed and no clip was fetched on load.
    assert set(_pressed(browser)) == {"false"}
    assert not [url for url in browser.fetched() if url.endswith(".ogg")]

    buttons[0].click()
    browser.wait_until(lambda: _pressed(browser)[0] == "true", "the first clip did not start")
    browser.wait_until(
        lambda: browser.driver.execute_script(
            "return performance.getEntriesByType('resource')"
            ".some(e => e.name.endsWith('.ogg'))"),
        "the clip was not fetched",
    )
    # Pressing another button stops the first: one clip at a time.
    started = time.monotonic()
    buttons[1].click()
    browser.wait_until(lambda: _pressed(browser)[:2] == ["false", "true"],
                       "the second clip did not take over from the first")
    # The clip plays to its end, then the button is ready again.
    browser.wait_until(lambda: _pressed(browser)[1] == "false",
                       "the second clip never ended", timeout=10)
    # It really played: the button stays pressed for about the clip's 1.5 s (a clip that
    # failed to play would let go at once).
    assert time.monotonic() - started >= 1.0


def test_play_button_works_by_keyboard_in_welsh(browser, clips, live_server):
    from portal.speech.keys import text_key as key

    welsh = "Mae'r wefan hon yn eich helpu chi i ddweud beth sy'n bwysig i chi."
    audio_dir = live_server.app.config["SPEECH_AUDIO_DIR"]
    _tone(f"{audio_dir}/{key('cy', welsh)}.ogg", 1.0)
    browser.choose_language("cy", then="/")
    button = browser.driver.find_element(By.CSS_SELECTOR, ".play-button")
    assert button.text.strip() == "Gwrando"
    browser.driver.execute_script("arguments[0].focus()", button)
    from selenium.webdriver.common.keys import Keys

    button.send_keys(Keys.ENTER)
    browser.wait_until(lambda: button.get_attribute("aria-pressed") == "true",
                       "Enter did not start the clip")
