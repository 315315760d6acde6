#!/usr/bin/env python3
"""Whole-process timings of ripplemap against python-igraph on the same generated inventory.

For each size (NODESxLINKS), generates the inventory as a CSV directory (seed 42, once;
kept in --work), then runs, interleaved in one session (every round runs every variant,
the order rotating from round to round so that none always follows the same one):

  rm-warm-change   ripplemap change DIR --system HUB               (index cache hit)
  rm-warm-impact   ripplemap impact DIR --fail HUB --format json   (index cache hit)
  rm-cold-change   ripplemap --no-cache change DIR --system HUB
  rm-cold-impact   ripplemap --no-cache impact DIR --fail HUB --format json
  igraph-change    python3: read systems.csv and links.csv, build an igraph Graph (links
                   and the hosting links of the sites column), reverse BFS from HUB, write
                   each reached node with its depth

each writing to /dev/null, and reports the median, the fastest and the slowest wall time
and the peak RSS (wait4) of each, and the ratios igraph / ripplemap. The reached count of
igraph is checked against ripplemap's `change --format json` first.

python-igraph is installed with `pip install igraph` when it is missing.

Usage:
  scripts/compare-igraph.py [--sizes 50000x500000,200000x2000000] [--rounds 5]
      [--bin target/release/ripplemap] [--work /tmp/ripplemap-compare] [--json out.json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

IGRAPH_CHANGE = r"""
import csv, sys
import igraph as ig
d, hub = sys.argv[1], sys.argv[2]
def rows(name):
    with open(f"{d}/{name}", encoding="utf-8-sig", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, list(r)
h, systems = rows("systems.csv")
ids = [row[h.index("id")] for row in systems]
index = {v: i for i, v in enumerate(ids)}
edges = []
si = h.index("sites")
for i, row in enumerate(systems):
    if row[si]:
        for s in row[si].split(";"):
            edges.append((i, index[s]))
h, links = rows("links.csv")
ci, pi = h.index("consumer"), h.index("provider")
edges.extend((index[row[ci]], index[row[pi]]) for row in links)
g = ig.Graph(n=len(ids), edges=edges, directed=True)
# Who depends on hub: every node with a path to it (reverse reachability), by depth.
order, layers, parents = g.bfs(index[hub], mode="in")
out = sys.stdout
for depth in range(1, len(layers) - 1):
    for v in order[layers[depth]:layers[depth + 1]]:
        out.write(f"{ids[v]}\t{depth}\n")
print(len(order) - 1, file=sys.stderr)
"""


def ensure_igraph():
    try:
        import igraph  # noqa: F401
    except ImportError:
        print("installing python-igraph (pip install igraph) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "igraph"], check=True)
    out = subprocess.run(
        [sys.executable, "-c", "import igraph; print(igraph.__version__)"],
        check=True, capture_output=True, text=True)
    return out.stdout.strip()


def run(cmd, stdout=subprocess.DEVNULL):
    """Wall time (s) and peak RSS (MiB) of one whole process."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode()
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {err}")
    return wall, usage.ru_maxrss / 1024, err


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="50000x500000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--bin", default="target/release/ripplemap")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ripplemap-compare"))
    ap.add_argument("--json", help="write the results here too")
    ap.add_argument("--skip-cold", action="store_true", help="warm and igraph only")
    a = ap.parse_args()

    version = ensure_igraph()
    binary = os.path.abspath(a.bin)
    cache = os.path.join(a.work, "cache")
    env_cache = {"RIPPLEMAP_CACHE_DIR": cache}
    os.environ.update(env_cache)
    results = {"nproc": os.cpu_count(), "igraph": version, "loadavg_start": loadavg(), "sizes": []}
    print(f"nproc {os.cpu_count()}, python-igraph {version}, load average at start {loadavg()}")
    for size in a.sizes.split(","):
        nodes, links = (int(x) for x in size.split("x"))
        inv = os.path.join(a.work, f"gen-{nodes}x{links}")
        if not os.path.isdir(inv):
            subprocess.run([binary, "generate", "--nodes", str(nodes), "--links", str(links),
                            "--seed", "42", "-o", inv], check=True)
        # The busiest hub: the provider of the most links.
        counts = {}
        with open(os.path.join(inv, "links.csv"), encoding="utf-8-sig") as f:
            header = f.readline().rstrip("\n").split(",")
            pi = header.index("provider")
            for line in f:
                p = line.split(",")[pi]
                counts[p] = counts.get(p, 0) + 1
        hub = max(counts, key=lambda k: (counts[k], k))
        mb = sum(os.path.getsize(os.path.join(inv, f)) for f in os.listdir(inv)) / 1e6

        # Check the two agree, and warm the index cache.
        change_json = subprocess.run([binary, "change", inv, "--system", hub, "--format", "json"],
                                     check=True, capture_output=True, text=True).stdout
        reached = len(json.loads(change_json)["affected"])
        script = os.path.join(a.work, "igraph_change.py")
        with open(script, "w") as f:
            f.write(IGRAPH_CHANGE)
        _, _, err = run([sys.executable, script, inv, hub])
        if int(err.strip().splitlines()[-1]) != reached:
            sys.exit(f"igraph reached {err.strip()} nodes, ripplemap {reached}")

        variants = {
            "rm-warm-change": [binary, "change", inv, "--system", hub],
            "rm-warm-impact": [binary, "impact", inv, "--fail", hub, "--format", "json"],
            "rm-cold-change": [binary, "--no-cache", "change", inv, "--system", hub],
            "rm-cold-impact": [binary, "--no-cache", "impact", inv, "--fail", hub, "--format", "json"],
            "igraph-change": [sys.executable, script, inv, hub],
        }
        if a.skip_cold:
            for k in ("rm-cold-change", "rm-cold-impact"):
                del variants[k]
        names = list(variants)
        times = {k: [] for k in names}
        rss = {k: 0.0 for k in names}
        print(f"\n{nodes:,} nodes / {links:,} links ({mb:.0f} MB of CSV), hub {hub} "
              f"({reached:,} reached), {a.rounds} rounds, load average {loadavg()}")
        for r in range(a.rounds):
            order = names[r % len(names):] + names[:r % len(names)]
            for k in order:
                wall, peak, _ = run(variants[k])
                times[k].append(wall)
                rss[k] = max(rss[k], peak)
        row = {"nodes": nodes, "links": links, "csv_mb": round(mb, 1), "hub": hub,
               "reached": reached, "loadavg_end": loadavg(), "variants": {}}
        print(f"| variant | median | fastest | slowest | peak RSS |\n|---|---|---|---|---|")
        for k in names:
            t = sorted(times[k])
            med = statistics.median(t)
            row["variants"][k] = {"median_s": med, "min_s": t[0], "max_s": t[-1],
                                  "rss_mib": rss[k], "runs": t}
            print(f"| {k} | {med * 1000:.0f} ms | {t[0] * 1000:.0f} ms | {t[-1] * 1000:.0f} ms "
                  f"| {rss[k]:.0f} MiB |")
        ig_med = row["variants"]["igraph-change"]["median_s"]
        for k in names[:-1]:
            ratio = ig_med / row["variants"][k]["median_s"]
            row["variants"][k]["igraph_ratio"] = ratio
            print(f"igraph-change / {k}: {ratio:.1f}x")
        print(f"load average at the end: {loadavg()}")
        results["sizes"].append(row)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
