"""Catalogue discipline: checks on the Welsh and English message catalogues.

Pure functions over Babel catalogues, used by `flask translate check` and the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")
WELSH_PLURAL_FORMS = 6


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def message_keys(catalogue: Catalog) -> set[str]:
    return {_key(message.id) for message in catalogue if message.id}


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text or "")}


def stale_template_problems(committed: Catalog, fresh: Catalog) -> list[str]:
    committed_keys, fresh_keys = message_keys(committed), message_keys(fresh)
    problems = [f"not in messages.pot (run `flask translate extract`): {k!r}"
                for k in sorted(fresh_keys - committed_keys)]
    problems += [f"in messages.pot but no longer used: {k!r}"
                 for k in sorted(committed_keys - fresh_keys)]
    return problems


def translation_problems(template: Catalog, catalogue: Catalog, *, require_text: bool) -> list[str]:
    """Missing, empty, fuzzy or placeholder-mismatched entries of one catalogue."""
    problems: list[str] = []
    locale = str(catalogue.locale)
    if locale == "cy" and catalogue.num_plurals != WELSH_PLURAL_FORMS:
        problems.append(f"cy: the Plural-Forms header must have {WELSH_PLURAL_FORMS} forms, "
                        f"not {catalogue.num_plurals}")
    for wanted in template:
        if not wanted.id:
            continue
        message = catalogue.get(wanted.id, context=wanted.context)
        label = f"{locale}: {_key(wanted.id)!r}"
        if message is None:
            problems.append(f"{label} is missing (run `flask translate update`)")
            continue
        if message.fuzzy:
            problems.append(f"{label} is fuzzy")
        strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
        if require_text and (not strings or any(not s for s in strings)):
            problems.append(f"{label} has an empty translation")
        problems += _placeholder_problems(label, message.id, strings)
    return problems


def _placeholder_problems(label: str, message_id, strings: list[str]) -> list[str]:
    ids = list(message_id) if isinstance(message_id, tuple) else [message_id]
    allowed = set().union(*(_placeholders(i) for i in ids))
    problems = []
    for text in strings:
        if not text:
            continue
        found = _placeholders(text)
        if found - allowed:
            problems.append(f"{label} uses unknown placeholders {sorted(found - allowed)}")
        if len(ids) == 1 and found != allowed:
            problems.append(f"{label} placeholders differ: {sorted(found)} != {sorted(allowed)}")
    return problems
