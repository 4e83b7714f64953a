"""Checks every HTML page must pass, used by the test client on each response."""

from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup

ERROR_PREFIXES = ("Error: ", "Gwall: ")


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True)).strip()


def page_problems(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    root = soup.find("html")
    if root is None or root.get("lang") not in ("cy", "en"):
        problems.append("<html> has no lang of cy or en")
    headings = soup.find_all("h1")
    if len(headings) != 1:
        problems.append(f"expected one <h1>, found {len(headings)}")
    title = soup.find("title")
    if title is None:
        problems.append("no <title>")
    elif headings:
        title_text, h1_text = _text(title), _text(headings[0])
        for prefix in ERROR_PREFIXES:
            if title_text.startswith(prefix):
                title_text = title_text[len(prefix):]
        if not title_text.startswith(h1_text):
            problems.append(f"title {title_text!r} does not begin with the h1 {h1_text!r}")
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    problems += [f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "post" and not form.find(
            "input", attrs={"name": "csrf_token"}
        ):
            problems.append(f"POST form to {form.get('action')!r} has no csrf_token")
    return problems


def csrf_token_in(html: str) -> str | None:
    soup = BeautifulSoup(html, "html.parser")
    field = soup.find("input", attrs={"name": "csrf_token"})
    return field["value"] if field else None


def heading(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    h1 = soup.find("h1")
    return _text(h1) if h1 else ""
