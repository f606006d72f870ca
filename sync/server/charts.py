"""Small bar charts drawn on the server as SVG: no script, no library, nothing fetched from elsewhere."""

from __future__ import annotations

from datetime import date
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 34


def _nice_top(peak: int) -> int:
    """A round top for the scale (1, 2, 5 × a power of ten) at or above the highest bar."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if peak <= step * m:
                return step * m
        step *= 10


def stacked_bars(days: list[date], series: list[tuple[str, str, list[int]]], *, label: str) -> Markup:
    """One bar per day, its parts stacked in `series` order (name, colour, a value per day), with a legend."""
    totals = [sum(values[n] for _, _, values in series) for n in range(len(days))]
    top = _nice_top(max(totals, default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bar = max(slot * 0.7, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(label)}" class="chart">']
    for tick in (0, top // 2, top) if top % 2 == 0 else (0, top):
        y = TOP + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#4b5563">{tick}</text>')
    for n, day in enumerate(days):
        x = LEFT + slot * n + (slot - bar) / 2
        base = TOP + plot_h
        tip = ", ".join(f"{name}: {values[n]}" for name, _, values in series)
        parts.append(f"<g><title>{day:%d/%m}: {escape(tip)}</title>")
        for _, colour, values in series:
            h = plot_h * values[n] / top
            if h > 0:
                base -= h
                parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append("</g>")
        if n % 5 == 0 or n == len(days) - 1:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_h + 14}" text-anchor="middle" font-size="11" '
                         f'fill="#4b5563">{day:%d/%m}</text>')
    x = LEFT
    for name, colour, _ in series:
        parts.append(f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{HEIGHT - 3}" font-size="12" fill="#1f2937">{escape(name)}</text>')
        x += 28 + 7 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))
