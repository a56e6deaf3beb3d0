"""Tiny inline-SVG bar charts for the PDF reports: drawn in Python, no browser needed.

Labels are escaped and set in the CJK font family, so Chinese labels print as text (and
pdftotext finds them)."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from core.wording import labelled, list_separator

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"
PALETTE = ["#2f6fb3", "#e0a030", "#4c9a5b", "#c0504d", "#7f6bb0"]


@dataclass
class Series:
    name: str
    values: list[float | int | None]
    color: str | None = None


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    *,
    labels: list[str],
    series: list[Series],
    title: str = "",
    width: int = 640,
    height: int = 220,
    unit: str = "",
) -> SafeString:
    """Grouped vertical bars: one group per label, one bar per series, values on top."""
    top = 28 if title else 12
    legend = 18 if len(series) > 1 else 0
    left, right, bottom = 36, 8, 34 + legend
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    peak = max([1, *values])
    n = max(1, len(labels))
    group_w = plot_w / n
    bar_w = max(2.0, min(36.0, group_w * 0.8 / max(1, len(series))))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" font-size="10">'
    ]
    if title:
        parts.append(
            f'<text x="{width / 2:.1f}" y="16" text-anchor="middle" font-size="12" '
            f'font-weight="bold">{escape(str(title))}</text>'
        )
    base_y = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}" stroke="#555"/>'
    )
    parts.append(
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" fill="#666">'
        f"{escape(_num(peak))}{escape(unit)}</text>"
    )
    for i, label in enumerate(labels):
        x0 = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            if value is None:
                continue
            h = plot_h * value / peak
            x = x0 + j * bar_w
            color = s.color or PALETTE[j % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{escape(color)}"/>'
            )
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base_y - h - 2:.1f}" text-anchor="middle">'
                f"{escape(_num(value))}</text>"
            )
        parts.append(
            f'<text x="{left + (i + 0.5) * group_w:.1f}" y="{base_y + 14}" '
            f'text-anchor="middle">{escape(str(label))}</text>'
        )
    if legend:
        x = left
        for j, s in enumerate(series):
            color = s.color or PALETTE[j % len(PALETTE)]
            parts.append(
                f'<rect x="{x}" y="{height - 12}" width="10" height="10" fill="{escape(color)}"/>'
            )
            parts.append(f'<text x="{x + 14}" y="{height - 3}">{escape(str(s.name))}</text>')
            x += 24 + 11 * len(str(s.name))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped


# -- schools side by side (the district overview) ---------------------------------------------
ROW_H, LABEL_W, VALUE_W = 22, 112, 40


def _clip(text: str, size: int = 8) -> str:
    text = str(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def _frame(title: str, rows: int, width: int, extra: int = 0) -> tuple[list[str], int]:
    height = 24 + rows * ROW_H + extra
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(str(title))}" '
        f'font-family="{escape(FONT)}" font-size="12">',
        f"<title>{escape(str(title))}</title>",
        f'<text x="0" y="14" font-weight="bold">{escape(str(title))}</text>',
    ]
    return parts, height


def percent_bars(
    *, title: str, rows: list[tuple[str, int | None]], color: str, width: int = 360
) -> SafeString:
    """One horizontal bar per school, 0–100 %; a school without the number shows —. Each bar
    carries its school and value as a tooltip (<title>)."""
    parts, _height = _frame(title, len(rows), width)
    plot = width - LABEL_W - VALUE_W
    for i, (label, value) in enumerate(rows):
        y = 24 + i * ROW_H
        tip = labelled(label, "—" if value is None else f"{value}%")
        parts.append(f"<g><title>{escape(tip)}</title>")
        parts.append(f'<text x="0" y="{y + 15}">{escape(_clip(label))}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{plot}" height="14" fill="#eef1f4"/>')
        if value is not None:
            w = plot * max(0, min(100, value)) / 100
            parts.append(
                f'<rect x="{LABEL_W}" y="{y + 4}" width="{w:.1f}" height="14" '
                f'fill="{escape(color)}"/>'
            )
        text = "—" if value is None else f"{value}%"
        parts.append(f'<text x="{width}" y="{y + 15}" text-anchor="end">{escape(text)}</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped


def stacked_bars(
    *, title: str, names: list[str], rows: list[tuple[str, list[int]]], width: int = 360
) -> SafeString:
    """One 100 % bar per school split into parts (the grades), with a legend under it."""
    parts, height = _frame(title, len(rows), width, extra=22)
    plot = width - LABEL_W - VALUE_W
    colors = ["#4c9a5b", "#2f6fb3", "#e0a030", "#c0504d"]
    for i, (label, counts) in enumerate(rows):
        y = 24 + i * ROW_H
        total = sum(counts)
        tip = labelled(
            label, list_separator().join(f"{n} {c}" for n, c in zip(names, counts, strict=True))
        )
        parts.append(f"<g><title>{escape(tip)}</title>")
        parts.append(f'<text x="0" y="{y + 15}">{escape(_clip(label))}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{plot}" height="14" fill="#eef1f4"/>')
        x = float(LABEL_W)
        for j, count in enumerate(counts):
            if not total or not count:
                continue
            w = plot * count / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="14" '
                f'fill="{colors[j % len(colors)]}"/>'
            )
            x += w
        parts.append(f'<text x="{width}" y="{y + 15}" text-anchor="end">{total or "—"}</text></g>')
    x, y = 0, height - 6
    for j, name in enumerate(names):
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="10" height="10" fill="{colors[j % len(colors)]}"/>'
        )
        parts.append(f'<text x="{x + 13}" y="{y}">{escape(str(name))}</text>')
        x += 22 + 13 * len(str(name))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped
