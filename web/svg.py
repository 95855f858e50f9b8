"""The deadline timeline of an agency page, drawn on the server as SVG (no script, no library).

One dot per task with a deadline, on a date axis; tasks due in the same month stack upwards.
Each dot links to its task and carries a <title> (the browser's tooltip). Lead tasks are
filled, supported ones hollow, so the chart reads in black and white too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote

WIDTH = 800
LEFT, RIGHT = 40, 20
AXIS_Y_GAP = 28  # below the lowest dot row
ROW = 14  # vertical pitch of stacked dots
MAX_STACK = 12  # a month with more tasks shows "+N" above the stack


@dataclass(frozen=True, slots=True)
class Due:
    task: str  # task key
    title: str
    deadline: str  # ISO date
    role: str  # lead | support


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def timeline(items: list[Due], today: date | None = None) -> str:
    """The SVG markup, or "" when no item has a date."""
    dated = []
    for item in items:
        try:
            dated.append((date.fromisoformat(item.deadline[:10]), item))
        except ValueError:
            continue
    if not dated:
        return ""
    first = min(_month_index(d) for d, _ in dated)
    last = max(_month_index(d) for d, _ in dated)
    first -= 1
    last += 1
    if last - first < 12:  # at least a year wide, the dates in the middle
        pad = 12 - (last - first)
        first -= pad // 2
        last += pad - pad // 2
    span = max(last - first, 1)
    stacks: dict[int, list[tuple[date, Due]]] = defaultdict(list)
    for d, item in sorted(dated, key=lambda x: (x[0], x[1].role != "lead", x[1].task)):
        stacks[_month_index(d)].append((d, item))
    depth = min(max(len(s) for s in stacks.values()), MAX_STACK)
    top = 22
    axis_y = top + depth * ROW + 6
    height = axis_y + AXIS_Y_GAP

    def x_of(month: float) -> float:
        return LEFT + (month - first) / span * (WIDTH - LEFT - RIGHT)

    parts = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="时限时间轴：{len(dated)}项任务">',
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" class="axis"/>',
    ]
    years = range(first // 12, last // 12 + 2)
    quarterly = span <= 36
    for year in years:
        for month in range(0, 12, 3 if quarterly else 12):
            m = year * 12 + month
            if not first <= m <= last:
                continue
            x = x_of(m)
            major = month == 0
            parts.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + (6 if major else 3)}" '
                         f'class="tick"/>')  # fmt: skip
            if major or span <= 18:
                label = f"{year}年" if major else f"{month + 1}月"
                parts.append(f'<text x="{x:.1f}" y="{axis_y + 18}" class="{"year" if major else "month"}">'
                             f"{label}</text>")  # fmt: skip
    if today is not None and first <= _month_index(today) <= last:
        x = x_of(_month_index(today) + (today.day - 1) / 31)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{axis_y}" class="today"/>'
                     f'<text x="{x:.1f}" y="{top - 10}" class="today">今天</text>')  # fmt: skip
    for month, stack in sorted(stacks.items()):
        for level, (d, item) in enumerate(stack[:MAX_STACK]):
            x = x_of(month + (d.day - 1) / 31)
            y = axis_y - 8 - level * ROW
            role = "lead" if item.role == "lead" else "support"
            tip = escape(f"{d.isoformat()} {'牵头' if role == 'lead' else '参与'}：{item.title}")
            parts.append(f'<a href="/task/{quote(item.task, safe="")}"><circle cx="{x:.1f}" cy="{y}" r="5" '
                         f'class="{role}"><title>{tip}</title></circle></a>')  # fmt: skip
        if len(stack) > MAX_STACK:
            x = x_of(month + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{axis_y - 8 - MAX_STACK * ROW + 4}" class="more">'
                         f"+{len(stack) - MAX_STACK}</text>")  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts)
