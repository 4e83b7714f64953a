"""Command-line commands: `flask --app portal seed-demo`, `flask --app portal translate …`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract_to(target: Path) -> None:
    # Run from the project root so the locations in the template are relative paths.
    previous = os.getcwd()
    os.chdir(PROJECT_ROOT)
    try:
        _extract(target)
    finally:
        os.chdir(previous)


def _extract(target: Path) -> None:
    _pybabel(
        "extract",
        "-F",
        str(PROJECT_ROOT / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-wrap",
        "--sort-by-file",
        "--project",
        "whatmatters-portal",
        "-o",
        str(target),
        "portal",
    )


def compile_catalogues() -> None:
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@click.group()
def translate():
    """Extract, update, compile and check the Welsh and English catalogues."""


@translate.command()
def extract():
    """Write translations/messages.pot from the code and templates."""
    extract_to(TEMPLATE)
    click.echo(f"wrote {TEMPLATE.relative_to(PROJECT_ROOT)}")


@translate.command()
def update():
    """Merge new strings into the cy and en catalogues (never fuzzy-matched)."""
    _pybabel(
        "update",
        "-i",
        str(TEMPLATE),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--no-wrap",
        "--ignore-obsolete",
    )


@translate.command(name="compile")
def compile_command():
    """Build the .mo files (they are built, never committed)."""
    compile_catalogues()


@translate.command()
def check():
    """Fail on a stale template, or an empty, fuzzy or mismatched Welsh entry."""
    from portal.catalogues import read_catalogue, stale_template_problems, translation_problems

    with tempfile.TemporaryDirectory() as tmp:
        fresh_path = Path(tmp) / "fresh.pot"
        extract_to(fresh_path)
        fresh = read_catalogue(fresh_path)
    template = read_catalogue(TEMPLATE)
    problems = stale_template_problems(template, fresh)
    for locale, require_text in (("cy", True), ("en", False)):
        catalogue = read_catalogue(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
        problems += translation_problems(template, catalogue, require_text=require_text)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo("catalogues are complete")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo areas, accounts and circle (refused in production)."""
    if current_app.extensions["portal_settings"].is_production:
        raise click.ClickException("seed-demo is refused when PORTAL_ENV=production.")
    from portal.demo import seed_demo

    result = seed_demo()
    click.echo(f"demo ready: {result['users']} accounts, {result['areas_added']} areas added")


@click.command("seed-areas")
@with_appcontext
def seed_areas_command():
    """Create the 7 regions and 22 councils (safe in production)."""
    from portal.demo import seed_areas
    from portal.extensions import db

    added = seed_areas()
    db.session.commit()
    click.echo(f"{added} areas added")


@click.group()
def content():
    """Easy-read content in easyread_assets/."""


@content.command("load")
@with_appcontext
def content_load():
    """Check every content file, then load it with versions (all or nothing)."""
    from portal.content.schema import ContentError
    from portal.content.store import load_content

    try:
        result = load_content()
    except ContentError as error:
        for problem in error.problems:
            click.echo(f"refused: {problem}", err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s); nothing was loaded."
        ) from None
    click.echo(f"content loaded: {result}")


def register(app: Flask) -> None:
    from portal.speech.commands import easyread

    app.cli.add_command(easyread)
    app.cli.add_command(content)
    app.cli.add_command(translate)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_areas_command)
