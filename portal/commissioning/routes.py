"""The commissioner's results and trends, on screen and as downloads: thin routes that read
the filters (filters.py), fetch the suppressed results (data.py, themes.py, trends.py), and
render them through the presenters (presenters.py) or send them as files (exports.py)."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.commissioning import bp, presenters
from portal.commissioning.data import content, cube, view
from portal.commissioning.exports import to_csv, to_xlsx
from portal.commissioning.filters import chosen_filters, commissioner_areas, threshold
from portal.commissioning.labels import rule
from portal.commissioning.themes import quotes, theme_cube, theme_view
from portal.commissioning.trends import gap, trend
from portal.core.access import allow
from portal.models import Role

# --- Fetching the suppressed results ------------------------------------------------------


def _results(chosen):
    """The content's words and the chosen table's suppressed rows (None without periods)."""
    words = content()
    if not chosen["period"]:
        return words, None
    c = cube(chosen["period"], chosen["respondent"], threshold())
    return words, view(c, words, chosen["area"], chosen["source"], chosen["age"])


def _themes(chosen):
    """The suppressed theme counts of the chosen slice, and shared words where publishable.
    The respondent filter does not apply: themes are the person's own answers."""
    if not chosen["period"]:
        return None, {}
    c = theme_cube(chosen["period"], threshold())
    found = theme_view(c, chosen["area"], chosen["source"], chosen["age"])
    said = quotes(chosen["period"], c, chosen["area"], chosen["source"], chosen["age"])
    return found, said


def _trends(chosen, locale: str):
    """(trend_table, gap_table, chart, summary) of the trends page, each None when empty."""
    words = content()
    trend_table = gap_table = chart = summary = None
    if not chosen["period"]:
        return trend_table, gap_table, chart, summary
    found = trend(words, chosen["respondent"], chosen["area"], chosen["source"],
                  chosen["age"], threshold())
    if found.has_results:
        trend_table, chart, summary = presenters.trend_table(words, found, locale)
    compared = gap(words, chosen["period"], chosen["area"], chosen["source"],
                   chosen["age"], threshold())
    if compared.has_results:
        gap_table = presenters.gap_table(words, compared, locale)
    return trend_table, gap_table, chart, summary


def _send(kind: str, name: str, preamble, tables):
    if kind == "csv":
        return Response(to_csv(preamble, tables), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(
        to_xlsx(preamble, tables),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


# --- Results ------------------------------------------------------------------------------


@bp.get("/results")
@allow(Role.COMMISSIONER)
def results():
    chosen, problems, choices = chosen_filters(commissioner_areas())
    words, result = _results(chosen)
    locale = str(get_locale())
    charts, tables = [], []
    if result is not None and result.has_results:
        tables = presenters.result_tables(words, result, locale)
        charts.append(presenters.domain_chart(tables, result))
    found, said = _themes(chosen)
    theme_tables, theme_charts = [], []
    if found is not None and found.has_results:
        theme_tables = presenters.theme_tables(found, locale)
        theme_charts = [presenters.theme_chart(i, title, rows)
                        for i, (title, rows) in enumerate(theme_tables, start=1)]
    return render_template("commissioning/results.html", chosen=chosen, problems=problems,
                           choices=choices, tables=tables, charts=charts,
                           theme_tables=theme_tables, theme_charts=theme_charts,
                           quotes=presenters.theme_quotes(found, said),
                           threshold=threshold(), rule=rule(threshold()))


def _export(kind: str):
    """Exactly the suppressed tables of the results page, with the filters and the rule."""
    chosen, _problems, choices = chosen_filters(commissioner_areas())
    words, result = _results(chosen)
    locale = str(get_locale())
    tables = presenters.result_tables(words, result, locale) \
        if result and result.has_results else []
    found, _said = _themes(chosen)
    if found is not None and found.has_results:
        tables += presenters.theme_tables(found, locale)
    return _send(kind, f"what-matters-{chosen['period'] or 'none'}",
                 presenters.preamble(chosen, choices, threshold()), tables)


@bp.get("/results.csv")
@allow(Role.COMMISSIONER)
def results_csv():
    return _export("csv")


@bp.get("/results.xlsx")
@allow(Role.COMMISSIONER)
def results_xlsx():
    return _export("xlsx")


# --- Trends -------------------------------------------------------------------------------


@bp.get("/trends")
@allow(Role.COMMISSIONER)
def trends():
    """Trends by quarter (for the chosen respondent) and the self-versus-proxy gap (for the
    chosen period): the same suppressed cubes as the results page, one per period."""
    chosen, problems, choices = chosen_filters(commissioner_areas())
    trend_table, gap_table, chart, summary = _trends(chosen, str(get_locale()))
    return render_template("commissioning/trends.html", chosen=chosen, problems=problems,
                           choices=choices, trend_table=trend_table, gap_table=gap_table,
                           chart=chart, summary=summary, threshold=threshold(),
                           rule=rule(threshold()))


def _trend_export(kind: str):
    """Exactly the suppressed tables of the trends page, with the filters and the rule."""
    chosen, _problems, choices = chosen_filters(commissioner_areas())
    trend_table, gap_table, _chart, _summary = _trends(chosen, str(get_locale()))
    tables = []
    if trend_table:
        tables.append((_("Trends by quarter"), trend_table))
    if gap_table:
        tables.append((_("Self and proxy views compared"), gap_table))
    name = f"what-matters-trends-{chosen['period'] or 'none'}"
    return _send(kind, name, presenters.preamble(chosen, choices, threshold()), tables)


@bp.get("/trends.csv")
@allow(Role.COMMISSIONER)
def trends_csv():
    return _trend_export("csv")


@bp.get("/trends.xlsx")
@allow(Role.COMMISSIONER)
def trends_xlsx():
    return _trend_export("xlsx")
