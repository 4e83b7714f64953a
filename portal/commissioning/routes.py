"""The commissioner's results: fetch the suppressed cube, pick the view, render or export."""

from __future__ import annotations

from flask import Response, abort, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.commissioning import aggregate, bp
from portal.commissioning.charts import bar_chart, line_chart
from portal.commissioning.data import areas_of, content, cube, periods, respondents, view
from portal.commissioning.disclosure import ALL, DEFAULT_THRESHOLD
from portal.commissioning.exports import to_csv, to_xlsx
from portal.commissioning.themes import quotes, theme_cube, theme_view
from portal.commissioning.trends import gap, trend
from portal.core.access import allow
from portal.core.labels import relation_label
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


def _refuse(message: str):
    """An unknown filter value: refused with a 400 page in the page's language, never
    replaced by another choice (a download would otherwise carry figures not asked for)."""
    abort(make_response(render_template("commissioning/unknown_choice.html",
                                        message=message), 400))


def _filters(areas):
    """The chosen filters and the choices; an unknown value is refused (_refuse)."""
    args = request.args
    known_periods = periods()
    period = args.get("period") or (known_periods[0] if known_periods else "")
    if known_periods and period not in known_periods:
        _refuse(_("We do not know that period. Please choose a period from the list."))
    respondent_choices = respondents(period) or [aggregate.SELF]
    respondent = args.get("respondent") or aggregate.SELF
    if respondent not in respondent_choices:
        # Known in another period (chosen there, then the period changed): its figures here
        # are shown, hidden where small, rather than swapped for someone else's.
        if respondent not in {r for p in known_periods for r in respondents(p)}:
            _refuse(_("We do not know those people. Please choose who answered from the "
                      "list."))
        respondent_choices = [*respondent_choices, respondent]
    area_keys = [a.key for a in areas]
    area = args.get("area") or area_keys[0]
    if area not in area_keys:
        abort(403)
    source = args.get("source") or ALL
    if source not in (ALL, *aggregate.SOURCES):
        _refuse(_("We do not know where those answers came from. Please choose from the "
                  "list."))
    age = args.get("age") or ALL
    if age not in (ALL, *aggregate.AGE_BANDS):
        _refuse(_("We do not know that age band. Please choose an age band from the list."))
    chosen = {"period": period, "respondent": respondent, "area": area, "source": source,
              "age": age}
    choices = {
        "period": [(p, _period_label(p)) for p in known_periods],
        "respondent": [(r, _respondent_label(r)) for r in respondent_choices],
        "area": [(a.key, a.name(str(get_locale()))) for a in areas],
        "source": [(s, _source_label(s)) for s in (ALL, *aggregate.SOURCES)],
        "age": [(a, _age_label(a)) for a in (ALL, *aggregate.AGE_BANDS)],
    }
    return chosen, [], choices


def rule(threshold: int) -> list[str]:
    """The rule in plain words, for every commissioner page and export."""
    return [
        _("Numbers about fewer than %(num)d people are hidden. This includes 0.",
          num=threshold),
        _("Some bigger numbers are hidden too. We hide them across every table, period, "
          "area and group together."),
        _("So nobody can work out a hidden number, even with every download put together."),
        _("A mean score is shown only when no number in its row is hidden."),
        _("Listening events show numbers from 3 in their own reports. Nothing here gives "
          "away a number an event report left out."),
    ]


def _purpose_label(code: str) -> str:
    return {"matters": _("What matters to people"),
            "barriers": _("What gets in the way for people"),
            "helps": _("What helps people")}.get(code, code)


def _themes(chosen):
    """The suppressed theme counts of the chosen slice, and shared words where publishable.
    The respondent filter does not apply: themes are the person's own answers."""
    if not chosen["period"]:
        return None, {}
    c = theme_cube(chosen["period"], _threshold())
    found = theme_view(c, chosen["area"], chosen["source"], chosen["age"])
    said = quotes(chosen["period"], c, chosen["area"], chosen["source"], chosen["age"])
    return found, said


def _theme_tables(found, locale: str) -> list[tuple[str, list[list]]]:
    tables = []
    for purpose, rows in found.by_purpose.items():
        if not rows:
            continue
        table = [[_("Theme"), _("People")]]
        table += [[row.words(locale), _("Hidden") if row.people is None else row.people]
                  for row in rows]
        tables.append((_purpose_label(purpose), table))
    return tables


def _theme_chart(index: int, title: str, rows: list[list]):
    bars = [(row[0], row[1] if isinstance(row[1], int) else None) for row in rows[1:]]
    shown = [b for b in bars if b[1] is not None]
    if shown:
        top = shown[0]
        summary = _("Most often named: %(theme)s, by %(num)d people.", theme=top[0],
                    num=top[1])
    else:
        summary = _("Every number here is hidden, so that nobody can work out a small number.")
    maximum = max((b[1] for b in shown), default=1)
    return bar_chart(f"chart-themes-{index}", title, summary, bars, _("Hidden"),
                     maximum=maximum), summary


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
            summary = _("Every number here is hidden, so that nobody can work out a small number.")
        charts.append((bar_chart("chart-domains", tables[0][0], summary, domain_bars,
                                 _("Hidden")), summary))
    found, said = _themes(chosen)
    theme_tables, theme_charts = [], []
    if found is not None and found.has_results:
        theme_tables = _theme_tables(found, locale)
        theme_charts = [_theme_chart(i, title, rows)
                        for i, (title, rows) in enumerate(theme_tables, start=1)]
    purpose_titles = {_purpose_label(p): p for p in found.by_purpose} if found else {}
    return render_template("commissioning/results.html", chosen=chosen, problems=problems,
                           choices=choices, tables=tables, charts=charts,
                           theme_tables=theme_tables, theme_charts=theme_charts,
                           quotes={title: said.get(p, []) for title, p in purpose_titles.items()},
                           threshold=_threshold(), rule=rule(_threshold()))


def _preamble(chosen, choices) -> list[tuple[str, str]]:
    names = {key: dict(options).get(chosen[key], chosen[key]) for key, options in choices.items()}
    return [
        (_("Period"), names["period"]),
        (_("Area"), names["area"]),
        (_("Who answered"), names["respondent"]),
        (_("Where the answers came from"), names["source"]),
        (_("Age band"), names["age"]),
        *[(_("Rule"), line) for line in rule(_threshold())],
    ]


def _export(kind: str):
    chosen, _problems, choices, words, result = _results()
    locale = str(get_locale())
    tables = _tables(words, result, locale) if result and result.has_results else []
    found, _said = _themes(chosen)
    if found is not None and found.has_results:
        tables += _theme_tables(found, locale)
    return _send(kind, f"what-matters-{chosen['period'] or 'none'}",
                 _preamble(chosen, choices), tables)


def _send(kind: str, name: str, preamble, tables):
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


def _fmt(value: float | None) -> str:
    return _("Hidden") if value is None else f"{value:.1f}"


def _signed(value: float | None) -> str:
    return _("Hidden") if value is None else f"{value:+.1f}"


def _trend_view(chosen, locale: str):
    """The trends-by-quarter and self-versus-proxy tables for these filters (suppressed),
    with the trend chart and its summary: (trend_table, gap_table, chart, summary)."""
    words = content()
    trend_table = gap_table = chart = summary = None
    if not chosen["period"]:
        return trend_table, gap_table, chart, summary
    found = trend(words, chosen["respondent"], chosen["area"], chosen["source"],
                  chosen["age"], _threshold())
    if found.has_results:
        heads = [_period_label(q) for q in found.quarters]
        trend_table = [[_("Well-being area"), *heads],
                       [_("All statements"), *[_fmt(v) for v in found.overall]]]
        for key, values in found.domains.items():
            name = words.domains.get(key, (key, key))[locale == "cy"]
            trend_table.append([name, *[_fmt(v) for v in values]])
        shown = [(h, v) for h, v in zip(heads, found.overall, strict=True) if v is not None]
        if shown:
            summary = _("From %(first)s to %(last)s, the mean score went from %(start)d "
                        "to %(end)d out of 100.", first=shown[0][0], last=shown[-1][0],
                        start=round(shown[0][1]), end=round(shown[-1][1]))
        else:
            summary = _("Every number here is hidden, so that nobody can work out a small number.")
        short = [q.replace("-", " ") for q in found.quarters]
        chart = line_chart("chart-trend", _("Mean score by quarter"), summary, short,
                           [(_("All statements"), found.overall)], _("Hidden"))
    compared = gap(words, chosen["period"], chosen["area"], chosen["source"],
                   chosen["age"], _threshold())
    if compared.has_results:
        gap_table = [[_("Statement"), _("The person themselves"),
                      *[_respondent_label(label) for label in compared.labels],
                      _("Anyone in their circle of support"),
                      _("Gap (circle minus person)")]]
        by_key = {s.key: s for s in words.statements}
        for row in compared.rows:
            s = by_key[row.statement_key]
            gap_table.append([s.words_cy if locale == "cy" else s.words_en,
                              _fmt(row.self_mean), *[_fmt(v) for v in row.proxy_means],
                              _fmt(row.any_proxy), _signed(row.gap)])
    return trend_table, gap_table, chart, summary


def _trend_filters():
    areas = areas_of(current_user.id)
    if not areas:
        abort(403)
    return _filters(areas)


@bp.get("/trends")
@allow(Role.COMMISSIONER)
def trends():
    """Trends by quarter (for the chosen respondent) and the self-versus-proxy gap (for the
    chosen period): the same suppressed cubes as the results page, one per period."""
    chosen, problems, choices = _trend_filters()
    trend_table, gap_table, chart, summary = _trend_view(chosen, str(get_locale()))
    return render_template("commissioning/trends.html", chosen=chosen, problems=problems,
                           choices=choices, trend_table=trend_table, gap_table=gap_table,
                           chart=chart, summary=summary, threshold=_threshold(),
                           rule=rule(_threshold()))


def _trend_export(kind: str):
    """Exactly the suppressed tables of the trends page, with the filters and the rule."""
    chosen, _problems, choices = _trend_filters()
    trend_table, gap_table, _chart, _summary = _trend_view(chosen, str(get_locale()))
    tables = []
    if trend_table:
        tables.append((_("Trends by quarter"), trend_table))
    if gap_table:
        tables.append((_("Self and proxy views compared"), gap_table))
    name = f"what-matters-trends-{chosen['period'] or 'none'}"
    return _send(kind, name, _preamble(chosen, choices), tables)


@bp.get("/trends.csv")
@allow(Role.COMMISSIONER)
def trends_csv():
    return _trend_export("csv")


@bp.get("/trends.xlsx")
@allow(Role.COMMISSIONER)
def trends_xlsx():
    return _trend_export("xlsx")
