"""Command-line commands: `flask --app portal seed-demo`, `… translate …`, `… backup` …."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.core.config import PROJECT_ROOT

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
    from portal.ops.catalogues import read_catalogue, stale_template_problems, translation_problems

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
    from portal.ops.demo import seed_demo

    result = seed_demo()
    click.echo(f"demo ready: {result['users']} accounts, {result['areas_added']} areas added")


@click.command("seed-areas")
@with_appcontext
def seed_areas_command():
    """Create the 7 regions and 22 councils (safe in production)."""
    from portal.core.extensions import db
    from portal.ops.demo import seed_areas

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


NOT_SQLITE = (
    "{action} works on the SQLite database only, and this portal uses another database. "
    "For PostgreSQL use pg_dump and pg_restore: see \"Backups\" in README.md."
)


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path | None):
    """Copy the SQLite database while the portal runs (default: instance/backups/)."""
    from portal.ops.backup import (
        BackupError,
        backup_sqlite,
        default_target,
        human_size,
        sqlite_path,
    )

    database = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if database is None:
        raise click.ClickException(NOT_SQLITE.format(action="backup"))
    target = path or default_target(Path(current_app.instance_path) / "backups")
    try:
        backup_sqlite(database, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup: {target} ({human_size(target.stat().st_size)})")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking first.")
@with_appcontext
def restore_command(path: Path, yes: bool):
    """Put a backup made by `backup` back as the SQLite database (keeps the current one)."""
    from alembic.script import ScriptDirectory

    from portal.core.extensions import db
    from portal.ops.backup import (
        BackupError,
        backup_sqlite,
        default_target,
        migration_version,
        restore_sqlite,
        sqlite_path,
    )

    database = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if database is None:
        raise click.ClickException(NOT_SQLITE.format(action="restore"))
    if database.exists() and path.resolve() == database.resolve():
        raise click.ClickException("That file is the database itself: choose a backup.")
    scripts = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    try:
        version = migration_version(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if version not in {script.revision for script in scripts.walk_revisions()}:
        raise click.ClickException(
            f"{path} was made by a version of the portal this one does not know "
            f"(migration {version!r}): restore it with the portal that made it."
        )
    if not yes:
        click.confirm(f"Replace everything in {database} with {path}?", abort=True)
    kept = None
    try:
        if database.exists():
            kept = backup_sqlite(
                database, default_target(Path(current_app.instance_path) / "backups",
                                         prefix="before-restore")
            )
        db.session.remove()
        db.engine.dispose()  # this process holds no connection while the pages are written
        restore_sqlite(path, database)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored: {database} from {path}")
    if kept:
        click.echo(f"the database as it was before: {kept}")
    if version != scripts.get_current_head():
        click.echo("this backup is from an older version: now run `flask --app portal db upgrade`")


@click.group()
def aggregate():
    """The commissioning rollups (issue 8)."""


@aggregate.command("rebuild")
@with_appcontext
def aggregate_rebuild():
    """Recompute every rollup from the raw ratings."""
    import time

    from portal.commissioning.rollups import rebuild
    from portal.core.extensions import db

    started = time.perf_counter()
    cells = rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"rebuilt {cells} rollup cells in {time.perf_counter() - started:.2f}s")


@aggregate.command("demo")
@click.option("--people", default=80, show_default=True)
@click.option("--areas", default="", help="Council codes, comma-separated (default: all 22).")
@with_appcontext
def aggregate_demo(people: int, areas: str):
    """Add made-up people with ratings, for trying the dashboard (refused in production)."""
    if current_app.extensions["portal_settings"].is_production:
        raise click.ClickException("aggregate demo is refused when PORTAL_ENV=production.")
    from sqlalchemy import func, select

    from portal.core.extensions import db
    from portal.models import Person
    from portal.ops.aggregate_demo import seed_results

    already = db.session.scalar(
        select(func.count()).select_from(Person).where(Person.display_name.like("Demo results %"))
    )
    if already:  # `make run` calls this every time: running it twice must change nothing
        click.echo(f"demo results already there ({already} made-up people)")
        return
    codes = tuple(code.strip() for code in areas.split(",") if code.strip())
    click.echo(f"added {seed_results(people, la_codes=codes)} ratings")


def register(app: Flask) -> None:
    from portal.speech.commands import easyread

    app.cli.add_command(easyread)
    app.cli.add_command(content)
    app.cli.add_command(translate)
    app.cli.add_command(aggregate)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_areas_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from portal.ops.retention import retention

    app.cli.add_command(retention)
    from portal.accounts.cli import users

    app.cli.add_command(users)
    from portal.second_step.commands import second_step

    app.cli.add_command(second_step)
