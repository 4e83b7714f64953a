"""The bare page of `overhead.py`: what every signed-in page needs anyway, and nothing else.

    gunicorn --workers 2 --bind 127.0.0.1:PORT "benchmarks.bare_app:create_app()"

Flask-Login loads the user row, a Flask-WTF form carries its CSRF token, Flask-Babel chooses
the locale from the session, the view runs one query, and a Jinja template about as big as
the portal's question page is rendered (`BARE_PAGE_BYTES`, set by overhead.py from the
portal's own page). SQLite in `BARE_INSTANCE_PATH`, made at start-up. Not part of the portal:
the floor the portal's pages are measured against (issue 18).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, redirect, render_template, request, session
from flask_babel import Babel, gettext
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import HiddenField, SelectMultipleField, TextAreaField, widgets

USERS = 50  # bench-bare-01 .. : one a client


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))


class Card(db.Model):
    __tablename__ = "cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    label: Mapped[str] = mapped_column(String(200))


class QuestionForm(FlaskForm):
    words = TextAreaField()
    shown_item = HiddenField()
    cards = SelectMultipleField(choices=[], widget=widgets.ListWidget(prefix_label=False),
                                option_widget=widgets.CheckboxInput(), validate_choice=False)


# The page (templates/bare/page.html): a header, a form and a footer with 15 translated
# strings (the question page's own templates, question.html and base.html, have 14), and
# card blocks (a picture, an escaped label and a hint), as many as make the page about
# BARE_PAGE_BYTES long. A template file, so that Jinja compiles it once a worker, as
# the portal's are.


def create_app() -> Flask:
    instance = Path(os.environ.get("BARE_INSTANCE_PATH", "/tmp/bare-app"))  # noqa: S108
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(instance), template_folder="templates")
    app.config.update(
        SECRET_KEY="bare-benchmark-only",  # noqa: S106 - a throwaway local server
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'bare.sqlite3'}",
        WTF_CSRF_SSL_STRICT=False,
        BABEL_DEFAULT_LOCALE="en",
    )
    target = int(os.environ.get("BARE_PAGE_BYTES", "30000"))
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=lambda: session.get("lang") or "en")

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))

    with app.app_context():
        db.create_all()
        if db.session.scalar(select(User).limit(1)) is None:
            db.session.add_all(User(username=f"bench-bare-{n:02d}", display_name=f"Bare {n}",
                                    role="person") for n in range(1, USERS + 1))
            db.session.add_all(Card(key=f"card-{n}", label=f"Card number {n} & more")
                               for n in range(1, 9))
            db.session.commit()

    sizes: dict[str, int] = {}

    @app.get("/healthz")
    def healthz():
        return "ok"

    @app.get("/sign-in/<int:number>")
    def sign_in(number: int):
        user = db.session.scalar(select(User).where(User.username == f"bench-bare-{number:02d}"))
        login_user(user)
        session["lang"] = "cy" if number % 2 else "en"
        return redirect("/page")

    @app.route("/page", methods=["GET", "POST"])
    @login_required
    def page():
        form = QuestionForm()
        if request.method == "POST" and form.validate():
            return redirect("/page")
        cards = db.session.scalars(select(Card).order_by(Card.id)).all()  # the one query
        repeat = sizes.get("repeat") or _repeat_for(target, form, cards)
        sizes["repeat"] = repeat
        return _render(form, cards, repeat)

    @app.get("/size")
    def size():
        return jsonify(repeat=sizes.get("repeat"), target=target)

    return app


def _render(form, cards, repeat: int) -> str:
    from flask_babel import get_locale

    return render_template("bare/page.html", form=form, cards=cards, repeat=repeat,
                                  locale=str(get_locale()), _=gettext, current_user=current_user)


def _repeat_for(target: int, form, cards) -> int:
    """How many card blocks make the page about `target` bytes (measured once a worker)."""
    one = len(_render(form, cards, 1).encode())
    two = len(_render(form, cards, 2).encode())
    per = max(1, two - one)
    return max(1, round((target - (one - per)) / per))
