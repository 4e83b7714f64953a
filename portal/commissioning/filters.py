"""The commissioner's filters, read from the query string: checked against what exists and
what this commissioner may see, with the choices the pages offer."""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.commissioning import aggregate
from portal.commissioning.data import Area, areas_of, periods, respondents
from portal.commissioning.disclosure import ALL, DEFAULT_THRESHOLD
from portal.commissioning.labels import age_label, period_label, respondent_label, source_label


def threshold() -> int:
    return int(current_app.config.get("DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))


def refuse(message: str):
    """An unknown filter value: refused with a 400 page in the page's language, never
    replaced by another choice (a download would otherwise carry figures not asked for)."""
    abort(make_response(render_template("commissioning/unknown_choice.html",
                                        message=message), 400))


def commissioner_areas() -> list[Area]:
    """The signed-in commissioner's areas; none at all is a 403 (nothing they may see)."""
    areas = areas_of(current_user.id)
    if not areas:
        abort(403)
    return areas


def chosen_filters(areas: list[Area]):
    """(chosen, problems, choices): the chosen filters and the choices; an unknown value is
    refused (refuse), an area not the commissioner's is a 403."""
    args = request.args
    known_periods = periods()
    period = args.get("period") or (known_periods[0] if known_periods else "")
    if known_periods and period not in known_periods:
        refuse(_("We do not know that period. Please choose a period from the list."))
    respondent_choices = respondents(period) or [aggregate.SELF]
    respondent = args.get("respondent") or aggregate.SELF
    if respondent not in respondent_choices:
        # Known in another period (chosen there, then the period changed): its figures here
        # are shown, hidden where small, rather than swapped for someone else's.
        if respondent not in {r for p in known_periods for r in respondents(p)}:
            refuse(_("We do not know those people. Please choose who answered from the "
                     "list."))
        respondent_choices = [*respondent_choices, respondent]
    area_keys = [a.key for a in areas]
    area = args.get("area") or area_keys[0]
    if area not in area_keys:
        abort(403)
    source = args.get("source") or ALL
    if source not in (ALL, *aggregate.SOURCES):
        refuse(_("We do not know where those answers came from. Please choose from the "
                 "list."))
    age = args.get("age") or ALL
    if age not in (ALL, *aggregate.AGE_BANDS):
        refuse(_("We do not know that age band. Please choose an age band from the list."))
    chosen = {"period": period, "respondent": respondent, "area": area, "source": source,
              "age": age}
    choices = {
        "period": [(p, period_label(p)) for p in known_periods],
        "respondent": [(r, respondent_label(r)) for r in respondent_choices],
        "area": [(a.key, a.name(str(get_locale()))) for a in areas],
        "source": [(s, source_label(s)) for s in (ALL, *aggregate.SOURCES)],
        "age": [(a, age_label(a)) for a in (ALL, *aggregate.AGE_BANDS)],
    }
    return chosen, [], choices
