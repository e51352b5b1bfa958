"""Draws a Google Benchmark JSON result as an SVG line chart, with nothing but the standard library.

    bench_06-gather --benchmark_format=json > gather.json
    python3 tools/plot_benchmark.py gather.json --filter '^BM_fetch' --out book/06-gather.svg \\
        --title "N fetches of 10 ms" --label BM_fetch_sequential="one after another" ...

One line per benchmark family (the part of the name before the first "/"), with the family's first
argument (N) on the x axis and, on the y axis, the wall-clock time per iteration in milliseconds
(--metric real_time, the default), the CPU time (cpu_time), or the items per second
(items_per_second). Both axes are logarithmic unless --linear-x / --linear-y say otherwise. When
the file holds repetitions, the median is used if the aggregates are there, else the median of the
runs.
"""
import argparse
import json
import math
import re
import statistics
import sys
from html import escape

TO_MILLISECONDS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
METRICS = {
    "real_time": "wall-clock time per iteration (ms)",
    "cpu_time": "CPU time per iteration (ms)",
    "items_per_second": "items per second",
}
# Colours that stay apart for the common kinds of colour blindness (Okabe and Ito's palette).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
MARKERS = ["circle", "square", "diamond", "triangle"]

WIDTH, HEIGHT = 760, 460
LEFT, RIGHT, TOP, BOTTOM = 78, 200, 48, 58


def load_points(data, metric, pattern):
    """{family: {n: value}} from a Google Benchmark JSON document."""
    runs = {}
    medians = {}
    for entry in data.get("benchmarks", []):
        name = entry.get("run_name", entry["name"])
        family, *parts = name.split("/")
        if pattern and not re.search(pattern, family):
            continue
        numbers = [int(p) for p in parts if re.fullmatch(r"\d+", p)]
        n = numbers[0] if numbers else 1
        if metric == "items_per_second":
            if "items_per_second" not in entry:
                continue
            value = entry["items_per_second"]
        else:
            value = entry[metric] * TO_MILLISECONDS[entry.get("time_unit", "ns")]
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                medians.setdefault(family, {})[n] = value
        else:
            runs.setdefault(family, {}).setdefault(n, []).append(value)
    points = {family: {n: statistics.median(values) for n, values in by_n.items()} for family, by_n in runs.items()}
    for family, by_n in medians.items():
        points.setdefault(family, {}).update(by_n)
    return points


class Axis:
    """Maps values to pixels, on a logarithmic or a linear scale."""

    def __init__(self, low, high, start, end, log):
        self.log = log
        if log:
            # From a power of ten below the data to 1, 2 or 5 times a power of ten above it.
            self.low = 10 ** math.floor(math.log10(low))
            self.high = nice_ceiling(high)
            if self.high <= self.low:
                self.high = self.low * 10
        else:
            self.low = 0.0
            self.high = nice_ceiling(high)
        self.start, self.end = start, end

    def __call__(self, value):
        if self.log:
            fraction = (math.log10(value) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))
        else:
            fraction = (value - self.low) / (self.high - self.low)
        return self.start + fraction * (self.end - self.start)

    def ticks(self):
        if self.log:
            exponent = round(math.log10(self.low))
            while 10 ** exponent <= self.high * 1.0001:
                yield 10 ** exponent
                exponent += 1
        else:
            step = self.high / 5
            for i in range(6):
                yield self.low + i * step


def nice_ceiling(value):
    """The smallest of 1, 2, 5 times a power of ten that is at least `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return factor * power
    return 10 * power


def label(value):
    """A tick label: 1, 10, 1,000, 0.1, 10k, 1M."""
    if value >= 1e6:
        return f"{value / 1e6:g}M"
    if value >= 1e5:
        return f"{value / 1e3:g}k"
    if value >= 1:
        return f"{value:,.0f}"
    return f"{value:g}"


def marker(shape, x, y, colour):
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
                f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>')
    return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" '
            f'fill="{colour}"/>')


def render(points, title, x_title, y_title, labels, log_x, log_y, note):
    xs = [n for series in points.values() for n in series]
    ys = [v for series in points.values() for v in series.values()]
    if not xs:
        raise SystemExit("no benchmark matched: check --filter and the metric")
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    x_axis = Axis(min(xs), max(xs), LEFT, plot_right, log_x)
    y_axis = Axis(min(ys), max(ys), plot_bottom, TOP, log_y)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="13">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="28" font-size="16" font-weight="bold">{escape(title)}</text>']
    for tick in x_axis.ticks():
        x = x_axis(tick)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{x:.1f}" y="{plot_bottom + 18}" text-anchor="middle">{label(tick)}</text>')
    for tick in y_axis.ticks():
        y = y_axis(tick)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{label(tick)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_right - LEFT}" height="{plot_bottom - TOP}" '
               f'fill="none" stroke="#555"/>')
    out.append(f'<text x="{(LEFT + plot_right) / 2:.1f}" y="{HEIGHT - 16}" text-anchor="middle">'
               f'{escape(x_title)}</text>')
    out.append(f'<text transform="translate(20 {(TOP + plot_bottom) / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape(y_title)}</text>')

    legend_y = TOP + 8
    for index, (family, series) in enumerate(points.items()):
        colour = PALETTE[index % len(PALETTE)]
        shape = MARKERS[index % len(MARKERS)]
        coordinates = [(x_axis(n), y_axis(v)) for n, v in sorted(series.items())]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2"/>')
        out.extend(marker(shape, x, y, colour) for x, y in coordinates)
        name = labels.get(family, family)
        out.append(marker(shape, plot_right + 22, legend_y, colour))
        out.append(f'<line x1="{plot_right + 12}" y1="{legend_y}" x2="{plot_right + 32}" y2="{legend_y}" '
                   f'stroke="{colour}" stroke-width="2.2"/>')
        out.append(f'<text x="{plot_right + 40}" y="{legend_y + 4}">{escape(name)}</text>')
        legend_y += 24
    if note:
        for line_number, line in enumerate(note.split("\\n")):
            out.append(f'<text x="{plot_right + 12}" y="{legend_y + 12 + 17 * line_number}" font-size="11" '
                       f'fill="#555">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json", help="a file written by --benchmark_format=json (or --benchmark_out)")
    parser.add_argument("--out", required=True, help="the SVG file to write")
    parser.add_argument("--filter", default="", help="a regular expression the families must match")
    parser.add_argument("--metric", choices=sorted(METRICS), default="real_time")
    parser.add_argument("--title", default="")
    parser.add_argument("--x-title", default="N")
    parser.add_argument("--y-title", default="", help="defaults to the metric's description")
    parser.add_argument("--label", action="append", default=[], metavar="FAMILY=TEXT",
                        help="the legend's text for a family (repeatable)")
    parser.add_argument("--note", default="", help=r"small print under the legend; '\n' breaks lines")
    parser.add_argument("--linear-x", action="store_true")
    parser.add_argument("--linear-y", action="store_true")
    args = parser.parse_args()

    with open(args.json) as file:
        text = file.read()
    # --benchmark_format=json on stdout may follow a console header; the document starts at '{'.
    data = json.loads(text[text.index("{"):])
    labels = dict(item.split("=", 1) for item in args.label)
    points = load_points(data, args.metric, args.filter)
    svg = render(points, args.title, args.x_title, args.y_title or METRICS[args.metric], labels,
                 not args.linear_x, not args.linear_y, args.note)
    with open(args.out, "w") as file:
        file.write(svg)
    print(f"wrote {args.out}: {len(points)} series, {sum(len(s) for s in points.values())} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
