#!/usr/bin/python3
"""Turn a tribe_scaling JSON file into a scaling plot (PNG and PDF).

    scripts/plot_scaling.py results/scaling.json [-o docs/figures/scaling]

Writes OUT.png and OUT.pdf (default: next to the JSON file, same stem). Top row:
speedup against threads (strong scaling: time at 1 thread / time at t; weak scaling:
throughput at t / throughput at 1 thread, the "scaled speedup"), with the ideal line.
Bottom row: parallel efficiency (speedup / t). One line per backend, with the range over
the repeats (min..max time) as error bars. Colours from the Okabe-Ito palette, which is
safe for colour-blind readers, and distinct markers and line styles, which survive greyscale.

Needs Debian's python3-matplotlib: run with /usr/bin/python3.
"""
from __future__ import annotations

import os
import sys

import matplotlib
from json_input import arguments, read_json

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from tribe.plot.frame import write  # noqa: E402
from tribe.plot.style import OI  # noqa: E402  (Okabe & Ito (2008), "Color Universal Design")

STYLE = {
    "openmp": {"color": OI["blue"], "marker": "o", "linestyle": "-", "label": "OpenMP"},
    "tbb": {"color": OI["orange"], "marker": "s", "linestyle": "--", "label": "TBB"},
    "serial": {"color": OI["green"], "marker": "^", "linestyle": ":", "label": "serial"},
}
IDEAL = "#555555"


def main() -> int:
    ap = arguments(__doc__)
    ap.add_argument("scaling_json")
    ap.add_argument("-o", "--output", help="output path without extension (default: the JSON's stem)")
    ap.add_argument(
        "--best",
        action="store_true",
        help="plot each configuration's fastest repeat (the least disturbed on a shared machine) "
        "as the main line, the median as hollow markers",
    )
    args = ap.parse_args()
    doc = read_json("plot_scaling", args.scaling_json)
    if doc is None:
        return 2
    out = args.output or os.path.splitext(args.scaling_json)[0]

    results = doc["results"]
    modes = [m for m in ("strong", "weak") if any(r["mode"] == m for r in results)]
    if not modes:
        print("plot_scaling: error: no results in the file", file=sys.stderr)
        return 2
    backends = list(dict.fromkeys(r["backend"] for r in results))
    max_threads = max(r["threads"] for r in results)

    fig, axes = plt.subplots(2, len(modes), figsize=(5.0 * len(modes), 7.0), squeeze=False, sharex=True)
    for col, mode in enumerate(modes):
        ax_s, ax_e = axes[0][col], axes[1][col]
        threads_all = sorted({r["threads"] for r in results if r["mode"] == mode})
        t0 = threads_all[0]
        ax_s.plot(threads_all, [t / t0 for t in threads_all], color=IDEAL, linestyle="-.", linewidth=1, label="ideal")
        ax_e.axhline(1.0, color=IDEAL, linestyle="-.", linewidth=1, label="ideal")
        ax_e.axhline(0.9, color=IDEAL, linestyle=":", linewidth=1, label="90% target")
        for b in backends:
            rows = sorted((r for r in results if r["mode"] == mode and r["backend"] == b), key=lambda r: r["threads"])
            if not rows:
                continue
            st = STYLE.get(b, {"color": "#CC79A7", "marker": "D", "linestyle": "-", "label": b})
            th = [r["threads"] for r in rows]
            sp = [r["speedup"] for r in rows]
            ef = [r["parallel_efficiency"] for r in rows]
            # Range over the repeats: the same rate ratio with the min and max time.
            lo = [r["speedup"] * r["median_seconds"] / r["max_seconds"] for r in rows]
            hi = [r["speedup"] * r["median_seconds"] / r["min_seconds"] for r in rows]
            yerr = [[s - l for s, l in zip(sp, lo)], [h - s for s, h in zip(sp, hi)]]
            eerr = [[e * (s - l) / s for e, s, l in zip(ef, sp, lo)], [e * (h - s) / s for e, s, h in zip(ef, sp, hi)]]
            kw = dict(
                color=st["color"],
                marker=st["marker"],
                linestyle=st["linestyle"],
                label=st["label"],
                capsize=3,
                markersize=6,
                linewidth=1.8,
            )
            if args.best:
                base = rows[0]
                brate = base["organizations"] / base["min_seconds"]
                spb = [(r["organizations"] / r["min_seconds"]) / brate for r in rows]
                efb = [x * base["threads"] / t for x, t in zip(spb, th)]
                kw.pop("capsize")
                kw["label"] = f"{st['label']} (fastest repeat)"
                ax_s.plot(th, spb, **kw)
                ax_e.plot(th, efb, **kw)
                mk = dict(
                    color=st["color"],
                    marker=st["marker"],
                    linestyle="none",
                    markerfacecolor="none",
                    markersize=8,
                    label=f"{st['label']} (median)",
                )
                ax_s.plot(th, sp, **mk)
                ax_e.plot(th, ef, **mk)
            else:
                ax_s.errorbar(th, sp, yerr=yerr, **kw)
                ax_e.errorbar(th, ef, yerr=eerr, **kw)
        title = "Strong scaling (fixed organizations)" if mode == "strong" else "Weak scaling (organizations ∝ threads)"
        orgs = sorted({r["organizations"] for r in results if r["mode"] == mode})
        sub = f"{orgs[0]:,} organizations" if len(orgs) == 1 else f"{orgs[0]:,}–{orgs[-1]:,} organizations"
        ax_s.set_title(f"{title}\n{sub}", fontsize=10)
        ax_s.set_ylabel("speedup (× 1 thread)" if mode == "strong" else "scaled speedup (throughput × 1 thread)")
        ax_e.set_ylabel("parallel efficiency")
        ax_e.set_xlabel("threads")
        ax_e.set_ylim(
            0, max(1.15, max((r["parallel_efficiency"] for r in results if r["mode"] == mode), default=1) * 1.1)
        )
        for ax in (ax_s, ax_e):
            ax.set_xticks(threads_all)
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=8, loc="best")
        ax_e.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax_s.set_xlim(0.5, max_threads + 0.5)

    m = doc.get("machine", {})
    x = doc.get("experiment", {})
    loads = sorted(
        r["median_background_load_cores"] for r in results if r.get("median_background_load_cores") is not None
    )
    load = f", other load on the machine: median {loads[len(loads) // 2]:.2f} cores" if loads else ""
    fig.suptitle(
        f"tribe_scaling: {x.get('name', '?')} ({x.get('cells', '?')} cells), "
        f"{m.get('cpu_model', '?')}, {m.get('cores', '?')} cores\n"
        f"{doc.get('compiler', '')}, git {str(doc.get('git_sha1', ''))[:12]}, {doc.get('date', '')}, "
        + (
            f"fastest of {doc.get('settings', {}).get('repeats', '?')} repeats (hollow: median){load}"
            if args.best
            else f"median of {doc.get('settings', {}).get('repeats', '?')} repeats (bars: min–max){load}"
        ),
        fontsize=9,
    )
    fig.tight_layout()
    for path in write(fig, os.path.dirname(out) or ".", os.path.basename(out), dpi=150):
        print(f"plot_scaling: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
