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
              bars: list[tuple[str, float | None]], hidden_label: str) -> Markup:
    """Horizontal bars on a 0-100 scale; a bar with no value says `hidden_label`."""
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
        length = max(1.0, BAR_WIDTH * value / 100)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="18" '
                     'fill="currentColor" stroke="currentColor"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 18}" '
                     f'fill="currentColor" font-size="14">{value:.0f}</text>')
    axis = 10 + len(bars) * ROW
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{axis}" x2="{LABEL_WIDTH + BAR_WIDTH}" '
                 f'y2="{axis}" stroke="currentColor"/>')
    for tick in (0, 50, 100):
        x = LABEL_WIDTH + BAR_WIDTH * tick / 100
        parts.append(f'<text x="{x:.0f}" y="{axis + 16}" fill="currentColor" font-size="12" '
                     f'text-anchor="middle">{tick}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part is escaped above
