#!/usr/bin/env python3
"""Draws the scaling of whole-process time and peak memory with inventory size as an SVG,
from the JSON files that scripts/compare-igraph.py --json writes (no plotting library).

Usage: scripts/plot-scaling.py OUT.svg RESULTS.json [RESULTS.json ...]
"""

import json
import math
import sys

COLORS = {
    "rm-warm-change": "#1b7837", "rm-warm-impact": "#5aae61",
    "rm-cold-change": "#2166ac", "rm-cold-impact": "#67a9cf",
    "igraph-change": "#b2182b",
}


def panel(x0, y0, w, h, rows, key, unit, title):
    xs = [r["links"] for r in rows]
    ys = [v[key] for r in rows for v in r["variants"].values()]
    lx0, lx1 = math.log10(min(xs)) - 0.15, math.log10(max(xs)) + 0.15
    ly0, ly1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    X = lambda v: x0 + (math.log10(v) - lx0) / (lx1 - lx0) * w
    Y = lambda v: y0 + h - (math.log10(v) - ly0) / (ly1 - ly0) * h
    out = [f'<text x="{x0 + w / 2}" y="{y0 - 10}" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#999"/>']
    for e in range(ly0, ly1 + 1):
        v = 10 ** e
        out.append(f'<line x1="{x0}" x2="{x0 + w}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 6}" y="{Y(v) + 4:.1f}" text-anchor="end">{v:g} {unit}</text>')
    for r in rows:
        out.append(f'<text x="{X(r["links"]):.1f}" y="{y0 + h + 16}" text-anchor="middle">'
                   f'{r["nodes"]:,} / {r["links"]:,}</text>')
    for name, color in COLORS.items():
        pts = [(X(r["links"]), Y(r["variants"][name][key])) for r in rows if name in r["variants"]]
        if len(pts) > 1:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="'
                       + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts) + '"/>')
        for a, b in pts:
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{color}"/>')
    return out


def main():
    out_path, inputs = sys.argv[1], sys.argv[2:]
    rows, meta = [], []
    for p in inputs:
        with open(p) as f:
            d = json.load(f)
        rows.extend(d["sizes"])
        meta.append(d)
    rows.sort(key=lambda r: r["links"])
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="900" height="420" '
           'font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>']
    svg += panel(90, 50, 330, 280, rows, "median_s", "s", "Whole process, median wall time")
    svg += panel(540, 50, 330, 280, rows, "rss_mib", "MiB", "Peak RSS")
    svg.append('<text x="450" y="360" text-anchor="middle">nodes / links (log scale)</text>')
    for i, (name, color) in enumerate(COLORS.items()):
        x = 60 + i * 170
        svg.append(f'<rect x="{x}" y="380" width="14" height="4" fill="{color}"/>'
                   f'<text x="{x + 20}" y="386">{name}</text>')
    loads = ", ".join(r["loadavg_end"].split()[0] for r in rows)
    svg.append(f'<text x="450" y="408" text-anchor="middle" fill="#666">nproc {meta[0]["nproc"]}, '
               f'shared machine, load average {loads} (1 min) when each size finished</text>')
    svg.append("</svg>")
    with open(out_path, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
