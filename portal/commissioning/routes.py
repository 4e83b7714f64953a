"""The commissioner's results: fetch the suppressed cube, pick the view, render or export."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import aggregate
from portal.access import allow
from portal.commissioning import bp
from portal.commissioning.charts import bar_chart
from portal.commissioning.data import areas_of, content, cube, periods, respondents, view
from portal.commissioning.exports import to_csv, to_xlsx
from portal.disclosure import ALL, DEFAULT_THRESHOLD
from portal.labels import relation_label
from portal.models import Role


def _threshold() -> int:
    return int(current_app.config.get("DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))


def _respondent_label(code: str) -> str:
    if code == aggregate.SELF:
        return _("The person themselves")
    if code == aggregate.PROXY:
        return _("Anyone in their circle of support")
    _proxy, relation, perspective = (code.split(":") + ["", ""])[:3]
    if perspective == "proxy_their_view":
        return _("%(relation)s, saying what the person would say",
                 relation=relation_label(relation))
    return _("%(relation)s, giving their own view", relation=relation_label(relation))


def _period_label(code: str) -> str:
    if aggregate.is_quarter(code):
        return _("Quarter %(quarter)s of %(year)s", quarter=code[-1], year=code[:4])
    return _("The year %(year)s", year=code)


def _source_label(code: str) -> str:
    return {ALL: _("Reviews and events"), aggregate.REVIEW: _("Reviews"),
            aggregate.EVENT: _("Listening events")}.get(code, code)


def _age_label(code: str) -> str:
    if code == ALL:
        return _("All ages")
    if code == aggregate.UNKNOWN_AGE:
        return _("Age not known")
    return code


def _filters(areas):
    """The chosen filters, the problems with what was asked for, and the choices."""
    problems = []
    args = request.args
    known_periods = periods()
    period = args.get("period") or (known_periods[0] if known_periods else "")
    if known_periods and period not in known_periods:
        problems.append(_("There are no results for that period. We show the latest period."))
        period = known_periods[0]
    respondent_choices = respondents(period) or [aggregate.SELF]
    respondent = args.get("respondent") or aggregate.SELF
    if respondent not in respondent_choices:
        if respondent != aggregate.SELF:
            problems.append(_("There are no results from those people. We show the person's "
                              "own answers."))
        respondent = aggregate.SELF
    area_keys = [a.key for a in areas]
    area = args.get("area") or area_keys[0]
    if area not in area_keys:
        abort(403)
    source = args.get("source") or ALL
    if source not in (ALL, *aggregate.SOURCES):
        problems.append(_("We do not know that choice. We show all results instead."))
        source = ALL
    age = args.get("age") or ALL
    if age not in (ALL, *aggregate.AGE_BANDS):
        problems.append(_("We do not know that choice. We show all results instead."))
        age = ALL
    chosen = {"period": period, "respondent": respondent, "area": area, "source": source,
              "age": age}
    choices = {
        "period": [(p, _period_label(p)) for p in known_periods],
        "respondent": [(r, _respondent_label(r)) for r in respondent_choices],
        "area": [(a.key, a.name(str(get_locale()))) for a in areas],
        "source": [(s, _source_label(s)) for s in (ALL, *aggregate.SOURCES)],
        "age": [(a, _age_label(a)) for a in (ALL, *aggregate.AGE_BANDS)],
    }
    return chosen, list(dict.fromkeys(problems)), choices


def _results():
    areas = areas_of(current_user.id)
    if not areas:
        abort(403)
    chosen, problems, choices = _filters(areas)
    words = content()
    result = None
    if chosen["period"]:
        c = cube(chosen["period"], chosen["respondent"], _threshold())
        result = view(c, words, chosen["area"], chosen["source"], chosen["age"])
    return chosen, problems, choices, words, result


def _tables(words, result, locale: str) -> list[tuple[str, list[list]]]:
    """The tables on screen, as rows of plain values ("" for a hidden number)."""
    hidden = _("Hidden")
    domains = [[_("Well-being area"), _("Mean score (0 to 100)"), _("Statements included")]]
    for d in result.domains:
        name = words.domains.get(d.key, (d.key, d.key))[locale == "cy"]
        domains.append([name, f"{d.mean:.1f}" if d.mean is not None else hidden,
                        d.statements])
    points = [words.points.get(p, (p, p))[locale == "cy"] for p in result.points]
    statements = [[_("Statement"), *points, _("People"), _("Mean score (0 to 100)")]]
    for row in result.rows:
        words_of = row.statement.words_cy if locale == "cy" else row.statement.words_en
        statements.append([words_of, *[hidden if v is None else v for v in row.counts],
                           hidden if row.n is None else row.n,
                           hidden if row.mean is None else f"{row.mean:.1f}"])
    return [(_("Scores by well-being area"), domains),
            (_("Scores by statement"), statements)]


@bp.get("/results")
@allow(Role.COMMISSIONER)
def results():
    chosen, problems, choices, words, result = _results()
    locale = str(get_locale())
    charts, tables = [], []
    if result is not None and result.has_results:
        tables = _tables(words, result, locale)
        domain_bars = [(row[0], d.mean) for row, d in zip(tables[0][1][1:], result.domains,
                                                          strict=True)]
        shown = [(label, v) for label, v in domain_bars if v is not None]
        if shown:
            best = max(shown, key=lambda b: b[1])
            worst = min(shown, key=lambda b: b[1])
            summary = _("Highest: %(best)s, %(best_score)d out of 100. Lowest: %(worst)s, "
                        "%(worst_score)d out of 100.", best=best[0], best_score=round(best[1]),
                        worst=worst[0], worst_score=round(worst[1]))
        else:
            summary = _("Every number here is hidden, because it is about fewer than "
                        "%(num)d people.", num=_threshold())
        charts.append((bar_chart("chart-domains", tables[0][0], summary, domain_bars,
                                 _("Hidden")), summary))
    return render_template("commissioning/results.html", chosen=chosen, problems=problems,
                           choices=choices, tables=tables, charts=charts,
                           threshold=_threshold())


def _preamble(chosen, choices) -> list[tuple[str, str]]:
    names = {key: dict(options).get(chosen[key], chosen[key]) for key, options in choices.items()}
    return [
        (_("Period"), names["period"]),
        (_("Area"), names["area"]),
        (_("Who answered"), names["respondent"]),
        (_("Where the answers came from"), names["source"]),
        (_("Age band"), names["age"]),
        (_("Rule"), _("Numbers about fewer than %(num)d people are hidden. Other numbers are "
                      "hidden too. Then nobody can work out a hidden number.",
                      num=_threshold())),
    ]


def _export(kind: str):
    chosen, _problems, choices, words, result = _results()
    tables = _tables(words, result, str(get_locale())) if result and result.has_results else []
    preamble = _preamble(chosen, choices)
    name = f"what-matters-{chosen['period'] or 'none'}"
    if kind == "csv":
        return Response(to_csv(preamble, tables), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(
        to_xlsx(preamble, tables),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


@bp.get("/results.csv")
@allow(Role.COMMISSIONER)
def results_csv():
    return _export("csv")


@bp.get("/results.xlsx")
@allow(Role.COMMISSIONER)
def results_xlsx():
    return _export("xlsx")
