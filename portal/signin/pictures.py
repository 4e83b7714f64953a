"""The pictures a person can choose for their sign-in card: everyday things, easy to tell
apart at a glance, each with its word in both languages (object recognition, which WCAG 2.2
SC 3.3.8 allows: nothing to remember or type)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# name in easyread_assets/pictures.toml: the word shown under the picture
CARD_PICTURES = {
    "apple": _l("Apple"),
    "bus": _l("Bus"),
    "football": _l("Football"),
    "music": _l("Music"),
    "cooking": _l("Cooking"),
    "seedling": _l("Plant"),
    "phone": _l("Phone"),
    "ferris-wheel": _l("Big wheel"),
    "laptop": _l("Computer"),
    "heart": _l("Heart"),
    "books": _l("Books"),
    "palette": _l("Painting"),
    "shopping-cart": _l("Shopping"),
    "house-garden": _l("House"),
    "bed": _l("Bed"),
    "wales": _l("Welsh flag"),
    "tooth": _l("Tooth"),
    "running": _l("Running"),
}


def options(names: list[str]) -> list[tuple[str, str, str]]:
    """(value, word, picture name) for the picture-choice macros."""
    return [(name, str(CARD_PICTURES[name]), name) for name in names]
