"""What the commissioner's templates and exports show, made from the suppressed results of
data.py, themes.py and trends.py: tables as rows of plain values, and charts with their
one-line summaries. No queries here, and nothing un-suppressed comes in: every number was
hidden or shown by portal/commissioning/disclosure.py before it reaches a table."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.commissioning.charts import bar_chart, line_chart
from portal.commissioning.labels import period_label, purpose_label, respondent_label, rule

Table = list[list]


def _all_hidden() -> str:
    return _("Every number here is hidden, so that nobody can work out a small number.")


def _fmt(value: float | None) -> str:
    return _("Hidden") if value is None else f"{value:.1f}"


def _signed(value: float | None) -> str:
    return _("Hidden") if value is None else f"{value:+.1f}"


# --- Results ------------------------------------------------------------------------------


def result_tables(words, result, locale: str) -> list[tuple[str, Table]]:
    """The tables on screen, as rows of plain values ("Hidden" for a hidden number)."""
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


def domain_chart(tables: list[tuple[str, Table]], result):
    """The well-being areas' means as bars, with the highest and lowest in words."""
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
        summary = _all_hidden()
    return bar_chart("chart-domains", tables[0][0], summary, domain_bars, _("Hidden")), summary


def theme_tables(found, locale: str) -> list[tuple[str, Table]]:
    tables = []
    for purpose, rows in found.by_purpose.items():
        if not rows:
            continue
        table = [[_("Theme"), _("People")]]
        table += [[row.words(locale), _("Hidden") if row.people is None else row.people]
                  for row in rows]
        tables.append((purpose_label(purpose), table))
    return tables


def theme_chart(index: int, title: str, rows: Table):
    bars = [(row[0], row[1] if isinstance(row[1], int) else None) for row in rows[1:]]
    shown = [b for b in bars if b[1] is not None]
    if shown:
        top = shown[0]
        summary = _("Most often named: %(theme)s, by %(num)d people.", theme=top[0],
                    num=top[1])
    else:
        summary = _all_hidden()
    maximum = max((b[1] for b in shown), default=1)
    return bar_chart(f"chart-themes-{index}", title, summary, bars, _("Hidden"),
                     maximum=maximum), summary


def theme_quotes(found, said) -> dict[str, list]:
    """Shared words by the title of their purpose's table."""
    titles = {purpose_label(p): p for p in found.by_purpose} if found else {}
    return {title: said.get(p, []) for title, p in titles.items()}


# --- Trends -------------------------------------------------------------------------------


def trend_table(words, found, locale: str):
    """(table, chart, summary) of the mean score by quarter, overall and by area."""
    heads = [period_label(q) for q in found.quarters]
    table = [[_("Well-being area"), *heads],
             [_("All statements"), *[_fmt(v) for v in found.overall]]]
    for key, values in found.domains.items():
        name = words.domains.get(key, (key, key))[locale == "cy"]
        table.append([name, *[_fmt(v) for v in values]])
    shown = [(h, v) for h, v in zip(heads, found.overall, strict=True) if v is not None]
    if shown:
        summary = _("From %(first)s to %(last)s, the mean score went from %(start)d "
                    "to %(end)d out of 100.", first=shown[0][0], last=shown[-1][0],
                    start=round(shown[0][1]), end=round(shown[-1][1]))
    else:
        summary = _all_hidden()
    short = [q.replace("-", " ") for q in found.quarters]
    chart = line_chart("chart-trend", _("Mean score by quarter"), summary, short,
                       [(_("All statements"), found.overall)], _("Hidden"))
    return table, chart, summary


def gap_table(words, compared, locale: str) -> Table:
    """Each statement's mean for the person, each proxy view and the circle, and the gap."""
    table = [[_("Statement"), _("The person themselves"),
              *[respondent_label(label) for label in compared.labels],
              _("Anyone in their circle of support"),
              _("Gap (circle minus person)")]]
    by_key = {s.key: s for s in words.statements}
    for row in compared.rows:
        s = by_key[row.statement_key]
        table.append([s.words_cy if locale == "cy" else s.words_en,
                      _fmt(row.self_mean), *[_fmt(v) for v in row.proxy_means],
                      _fmt(row.any_proxy), _signed(row.gap)])
    return table


# --- Exports ------------------------------------------------------------------------------


def preamble(chosen, choices, threshold: int) -> list[tuple[str, str]]:
    """The filters in words and the rule, written at the top of every export."""
    names = {key: dict(options).get(chosen[key], chosen[key]) for key, options in choices.items()}
    return [
        (_("Period"), names["period"]),
        (_("Area"), names["area"]),
        (_("Who answered"), names["respondent"]),
        (_("Where the answers came from"), names["source"]),
        (_("Age band"), names["age"]),
        *[(_("Rule"), line) for line in rule(threshold)],
    ]
