"""Server-rendered SVG bar charts: pure (plain data in, markup out), no scripts, no canvas.

Each chart has a <title> and <desc> (its text summary) joined to the <svg> by
aria-labelledby, uses currentColor so high-contrast modes repaint it, and is shown beside
its data table, which holds the same numbers.
"""

from __future__ import annotations

from markupsafe import Markup, escape

ROW = 30
LABEL_WIDTH = 320
BAR_WIDTH = 300


def bar_chart(chart_id: str, title: str, summary: str,
              bars: list[tuple[str, float | None]], hidden_label: str,
              maximum: float = 100) -> Markup:
    """Horizontal bars on a 0-`maximum` scale (scores: 0-100; people: the largest count);
    a bar with no value says `hidden_label`."""
    maximum = maximum or 1
    height = ROW * len(bars) + 30
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = 10 + index * ROW
        short = label if len(label) <= 48 else label[:47] + "…"
        parts.append(f'<text x="0" y="{y + 18}" fill="currentColor" font-size="14">'
                     f'{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_WIDTH}" y="{y + 18}" fill="currentColor" '
                         f'font-size="14" font-style="italic">{escape(hidden_label)}</text>')
            continue
        length = max(1.0, BAR_WIDTH * value / maximum)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="18" '
                     'fill="currentColor" stroke="currentColor"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 18}" '
                     f'fill="currentColor" font-size="14">{value:.0f}</text>')
    axis = 10 + len(bars) * ROW
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{axis}" x2="{LABEL_WIDTH + BAR_WIDTH}" '
                 f'y2="{axis}" stroke="currentColor"/>')
    for tick in (0, maximum / 2, maximum):
        x = LABEL_WIDTH + BAR_WIDTH * tick / maximum
        parts.append(f'<text x="{x:.0f}" y="{axis + 16}" fill="currentColor" font-size="12" '
                     f'text-anchor="middle">{tick:.0f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part is escaped above


def line_chart(chart_id: str, title: str, summary: str, labels: list[str],
               series: list[tuple[str, list[float | None]]], hidden_label: str) -> Markup:
    """Scores (0-100) over time: one line per series, broken where a value is hidden (a
    hidden point is marked with `hidden_label` under the axis, never drawn). Series are
    told apart by dash pattern and marker shape as well as by name, not by colour."""
    left, top, step, plot_h = 50, 20, 90, 200
    width = left + step * max(1, len(labels)) + 40
    legend_y = top + plot_h + 60
    height = legend_y + 24 * len(series) + 10
    dashes = ("", "8 4", "2 4", "12 4 2 4")
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / 100)

    for tick in (0, 50, 100):
        parts.append(f'<line x1="{left}" y1="{y_of(tick):.0f}" x2="{width - 20}" '
                     f'y2="{y_of(tick):.0f}" stroke="currentColor" stroke-opacity="0.3"/>')
        parts.append(f'<text x="{left - 8}" y="{y_of(tick) + 4:.0f}" fill="currentColor" '
                     f'font-size="12" text-anchor="end">{tick}</text>')
    for i, label in enumerate(labels):
        x = left + step * i + step / 2
        parts.append(f'<text x="{x:.0f}" y="{top + plot_h + 18}" fill="currentColor" '
                     f'font-size="12" text-anchor="middle">{escape(label)}</text>')
    for index, (name, values) in enumerate(series):
        dash = dashes[index % len(dashes)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        for i, value in enumerate([*values, None]):
            x = left + step * i + step / 2
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" '
                                 f'stroke="currentColor" stroke-width="2"{dash_attr}/>')
                run = []
                if i < len(values) and index == 0 and all(v[i] is None for _n, v in series):
                    parts.append(f'<text x="{x:.0f}" y="{top + plot_h + 36}" '
                                 f'fill="currentColor" font-size="11" font-style="italic" '
                                 f'text-anchor="middle">{escape(hidden_label)}</text>')
                continue
            run.append(f"{x:.0f},{y_of(value):.0f}")
            if index % 2:
                parts.append(f'<rect x="{x - 4:.0f}" y="{y_of(value) - 4:.0f}" width="8" '
                             'height="8" fill="currentColor"/>')
            else:
                parts.append(f'<circle cx="{x:.0f}" cy="{y_of(value):.0f}" r="4" '
                             'fill="currentColor"/>')
        y = legend_y + 24 * index
        parts.append(f'<line x1="{left}" y1="{y}" x2="{left + 40}" y2="{y}" '
                     f'stroke="currentColor" stroke-width="2"{dash_attr}/>')
        parts.append(f'<text x="{left + 50}" y="{y + 5}" fill="currentColor" '
                     f'font-size="14">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part is escaped above
