"""Sequence diagrams as SVG, from a small text format kept in the repository (book/figures/*.seq).

    title One iteration of the loop
    lane A "task A"
    lane loop "event loop"
    lane heap "timer heap"

    == iteration 1, t = 0.0 ==
    A -> heap: call_at(1.0, wake A)
    A -> loop: suspended
    note A: waits
    == iteration 2, t = 1.0 ==
    heap -> loop: due: ready.push(step A)
    loop -> A: step A
    A -> A: prints "woke"

Lines: `title TEXT`; `lane ID "LABEL"` (left to right, in order); `== TEXT ==` a band that
starts a new stage (an iteration of the loop, say); `FROM -> TO: TEXT` a message (`-->` draws it
dashed: a reply, or something that happens later); `note ID: TEXT` a note on a lane; a line that
starts with `#` is a comment. The output depends only on the text, so a check can regenerate it and compare.

    python3 tools/seqdiag.py FILE.seq [OUT.svg]
"""
import re
import sys
from html import escape
from pathlib import Path

CHAR = 7.2          # estimated width of one character at FONT px
FONT = 13
ROW = 30            # height of one message or note
BAND = 26           # height of a `== ... ==` band
TOP = 50            # room for the title
HEAD = 34           # height of a lane's header box
MARGIN = 20


def text_width(text):
    return len(text) * CHAR


def parse(source):
    title, lanes, events = "", [], []
    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("title "):
            title = line[6:].strip()
        elif match := re.fullmatch(r'lane (\w+)\s+"([^"]*)"', line):
            lanes.append((match.group(1), match.group(2)))
        elif match := re.fullmatch(r"==\s*(.*?)\s*==", line):
            events.append(("band", match.group(1)))
        elif match := re.fullmatch(r"note (\w+):\s*(.*)", line):
            events.append(("note", match.group(1), match.group(2)))
        elif match := re.fullmatch(r"(\w+)\s*(-->|->)\s*(\w+):\s*(.*)", line):
            events.append(("message", match.group(1), match.group(3), match.group(4), match.group(2) == "-->"))
        else:
            raise SystemExit(f"line {number}: cannot read {raw!r}")
    ids = [lane for lane, _ in lanes]
    for event in events:
        for lane in (event[1:3] if event[0] == "message" else event[1:2] if event[0] == "note" else ()):
            if lane not in ids:
                raise SystemExit(f"unknown lane {lane!r}: declare it with `lane {lane} \"...\"`")
    return title, lanes, events


def layout(lanes, events):
    """x of each lane's lifeline: wide enough for every label between two lanes."""
    n = len(lanes)
    index = {lane: i for i, (lane, _) in enumerate(lanes)}
    gaps = [max(150.0, text_width(label) + 30) for _, label in lanes[1:]] if n > 1 else []
    for i in range(n - 1):
        gaps[i] = max(gaps[i], (text_width(lanes[i][1]) + text_width(lanes[i + 1][1])) / 2 + 30)
    for event in events:
        if event[0] == "message" and event[1] != event[2]:
            a, b = sorted((index[event[1]], index[event[2]]))
            need = text_width(event[3]) + 24
            have = sum(gaps[a:b])
            if have < need:
                for i in range(a, b):
                    gaps[i] += (need - have) / (b - a)
    first = MARGIN + max(text_width(lanes[0][1]) / 2 + 12, 60)
    xs = [first]
    for gap in gaps:
        xs.append(xs[-1] + gap)
    right = xs[-1] + max(text_width(lanes[-1][1]) / 2 + 12, 60)
    for event in events:  # self messages and notes stick out to the right of their lane
        if event[0] == "note":
            lane, text = event[1], event[2]
        elif event[0] == "message" and event[1] == event[2]:
            lane, text = event[1], event[3]
        else:
            continue
        right = max(right, xs[index[lane]] + 40 + text_width(text) + 12)
    return {lane: xs[i] for i, (lane, _) in enumerate(lanes)}, right + MARGIN


def render(source):
    title, lanes, events = parse(source)
    if not lanes:
        raise SystemExit("a diagram needs at least one lane")
    x, width = layout(lanes, events)
    height = TOP + HEAD + 10 + sum(BAND if e[0] == "band" else ROW for e in events) + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
        f'viewBox="0 0 {width:.0f} {height}" font-family="sans-serif" font-size="{FONT}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
        f'<rect width="{width:.0f}" height="{height}" fill="white"/>',
    ]
    if title:
        out.append(f'<text x="{width / 2:.0f}" y="28" text-anchor="middle" font-weight="bold" '
                   f'font-size="{FONT + 2}">{escape(title)}</text>')
    head_y = TOP
    for lane, label in lanes:
        w = text_width(label) + 16
        out.append(f'<rect x="{x[lane] - w / 2:.1f}" y="{head_y}" width="{w:.1f}" height="{HEAD - 8}" '
                   f'rx="4" fill="#e8eef7" stroke="#4a6a9a"/>')
        out.append(f'<text x="{x[lane]:.1f}" y="{head_y + 18}" text-anchor="middle">{escape(label)}</text>')
        out.append(f'<line x1="{x[lane]:.1f}" y1="{head_y + HEAD - 8}" x2="{x[lane]:.1f}" y2="{height - 12}" '
                   f'stroke="#999" stroke-dasharray="4 4"/>')
    y = TOP + HEAD + 10
    for event in events:
        if event[0] == "band":
            out.append(f'<rect x="{MARGIN / 2}" y="{y + 4}" width="{width - MARGIN:.0f}" height="{BAND - 8}" '
                       f'fill="#f3f3f3"/>')
            out.append(f'<text x="{MARGIN}" y="{y + BAND / 2 + 5:.0f}" fill="#555" font-style="italic">'
                       f'{escape(event[1])}</text>')
            y += BAND
            continue
        if event[0] == "note":
            lx = x[event[1]] + 10
            w = text_width(event[2]) + 12
            out.append(f'<rect x="{lx:.1f}" y="{y + 5}" width="{w:.1f}" height="{ROW - 8}" fill="#fff8d6" stroke="#c9b458"/>')
            out.append(f'<text x="{lx + 6:.1f}" y="{y + ROW / 2 + 6:.0f}">{escape(event[2])}</text>')
            y += ROW
            continue
        _, a, b, label, dashed = event
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        if a == b:
            x0 = x[a]
            out.append(f'<path d="M{x0:.1f},{y + 10} h30 v12 h-30" fill="none" stroke="#333"{dash} marker-end="url(#arrow)"/>')
            out.append(f'<text x="{x0 + 36:.1f}" y="{y + 20}">{escape(label)}</text>')
        else:
            x0, x1 = x[a], x[b]
            out.append(f'<line x1="{x0:.1f}" y1="{y + 20}" x2="{x1:.1f}" y2="{y + 20}" stroke="#333"{dash} '
                       f'marker-end="url(#arrow)"/>')
            out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{y + 15}" text-anchor="middle">{escape(label)}</text>')
        y += ROW
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    svg = render(Path(sys.argv[1]).read_text())
    if len(sys.argv) == 3:
        Path(sys.argv[2]).write_text(svg)
    else:
        sys.stdout.write(svg)


if __name__ == "__main__":
    main()
