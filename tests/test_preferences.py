"""Per-person easy-read preferences: saved for a person, kept in the session otherwise."""

from bs4 import BeautifulSoup

CHOICES = {"pictures": "no", "text_size": "very-large", "speech_rate": "slow",
           "high_contrast": "yes"}


def _html_root(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").find("html")


def test_defaults_show_pictures_at_normal_size(client):
    root = _html_root(client.get("/settings"))
    assert root["class"] == ["text-normal"]
    assert root["data-speech-rate"] == "1"


def test_signed_out_choice_is_kept_in_the_session_and_applied_everywhere(client):
    response = client.post_form("/settings", CHOICES)
    assert response.status_code == 302 and "saved=1" in response.headers["Location"]
    for path in ("/settings", "/about", "/login"):
        root = _html_root(client.get(path))
        assert set(root["class"]) == {"text-very-large", "no-pictures", "high-contrast"}
        assert root["data-speech-rate"] == "0.75"


def test_saved_message_is_shown_in_welsh(client):
    client.get("/language/cy")
    client.post_form("/settings", CHOICES)
    page = client.get("/settings?saved=1").get_data(as_text=True)
    assert "Mae eich gosodiadau wedi" in page


def test_person_choice_sticks_after_signing_in_again(app, login_as):
    client = login_as("person")
    client.post_form("/settings", {"pictures": "no", "text_size": "large",
                                   "speech_rate": "fast", "high_contrast": "no"})
    client.post_form("/logout")
    assert _html_root(client.get("/login"))["class"] == ["text-normal"]  # not carried over
    login_as("person")
    root = _html_root(client.get("/me/"))
    assert set(root["class"]) == {"text-large", "no-pictures"}
    assert root["data-speech-rate"] == "1.25"


def test_one_persons_choice_does_not_reach_another(app, login_as):
    client = login_as("person")
    client.post_form("/settings", CHOICES)
    client.post_form("/logout")
    login_as("supporter")
    assert _html_root(client.get("/supporter"))["class"] == ["text-normal"]


def test_bad_values_are_refused_kindly_and_keep_the_other_answers(client):
    response = client.post_form("/settings", {**CHOICES, "text_size": "gigantic"})
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find(class_="error-summary") is not None
    assert soup.find("input", attrs={"name": "speech_rate", "value": "slow"}).has_attr("checked")
    assert soup.find("input", attrs={"name": "pictures", "value": "no"}).has_attr("checked")
    assert _html_root(client.get("/settings"))["class"] == ["text-normal"]  # nothing saved


def test_settings_link_is_on_every_page(client):
    soup = BeautifulSoup(client.get("/about").get_data(as_text=True), "html.parser")
    assert soup.find("a", href="/settings") is not None
