#!/usr/bin/python3
"""Figures of the Lazer & Friedman (2007) docking (PNG at 300 dpi and PDF).

    /usr/bin/python3 models/lazer_friedman/plot_lazer_friedman.py TIME.h5 [DENSITY.h5]
        [--fragmented F.h5] [--small-world S.h5] [--k0 K.h5] [--imitation I.h5] [-o OUTDIR]

TIME.h5     result of experiments/lazer_friedman_time.toml (network = linear, full):
            the average score over rounds t = 0 ... 100 with 95% bands
            (cell statistics of mean_score[t=T]: mean, ci_low, ci_high), the paired difference
            linear - full with its 95% band, and the crossing round.
DENSITY.h5  result of experiments/lazer_friedman_density.toml (network = random, a
            density factor): the long-run score (final_mean_score) and the scores at
            t = 5, 10, 20, 50 against the density.
F.h5        result of experiments/lazer_friedman_fragmented.toml (density x
            join_components): scores at t = 10 and in the long run against the density,
            random networks searched as drawn and joined into one component.
S.h5        result of experiments/lazer_friedman_small_world.toml (a rewired factor):
            scores at t = 10 and t = 55 and the rounds to equilibrium against the number
            of rewired links.
K.h5        result of experiments/lazer_friedman_k0.toml (K = 0, linear vs full): drawn
            like TIME.h5.
I.h5        result of experiments/lazer_friedman_imitation.toml (velocity x copy_error on
            the totally connected network): the average score over time for each velocity
            (perfect copying) and for each copying error rate (velocity 1).

Writes OUTDIR/lazer_friedman_{time,density,fragmented,small_world,k0,imitation}.{png,pdf} for the
files given (OUTDIR defaults to results/figures) and prints the numbers it draws. Colours: Okabe & Ito.
A file that is not a complete tribe result of the lazer_friedman model is refused with a
one-line message and exit status 2, before anything is drawn.
Needs Debian's python3-h5py, python3-numpy and python3-matplotlib.

No published values are drawn: Lazer & Friedman (2007) report their results as figures, and
the stored copies of the paper that could be searched gave only its abstract, so no number
could be read from the paper (models/lazer_friedman/docking-lazer-friedman.md, "Published results"). Values
digitized from the paper's figures belong in PUBLISHED_TIME (labelled with their source);
never fill it from memory.
"""
from __future__ import annotations

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

try:
    import h5py  # noqa: E402,F401  (tribe.open reads with h5py)
    import numpy as np  # noqa: E402
except ImportError as e:  # pragma: no cover
    print(f"plot_lazer_friedman: error: {e}; run with /usr/bin/python3 (python3-h5py, python3-numpy)", file=sys.stderr)
    sys.exit(2)

from tribe.plot.frame import write  # noqa: E402  (needs h5py and numpy, checked above)
from tribe.plot.read import Result, exit_refused, open_or_exit  # noqa: E402
from tribe.plot.stats import t_value  # noqa: E402
from tribe.plot.style import OI  # noqa: E402  (Okabe-Ito palette)

# Average score read from Lazer & Friedman (2007), Figure for linear vs totally connected:
# {"linear": [(t, score), ...], "full": [...]}. Empty: not available (see the docstring).
PUBLISHED_TIME: dict[str, list[tuple[float, float]]] = {}
PUBLISHED_TIME_LABEL = "Lazer & Friedman 2007 (read from figure)"

plt.rcParams.update(
    {
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "savefig.dpi": 300,
        "pdf.fonttype": 42,
        "lines.linewidth": 1.3,
    }
)
T_MAX = 100


def fail(msg):
    exit_refused("plot_lazer_friedman", msg)


def open_result(path):
    return open_or_exit(path, "lazer_friedman", "plot_lazer_friedman")


# What each input must vary across its cells (a factor of the experiment file), so that a
# file given in the wrong slot is refused with a message instead of a traceback.
SLOTS = {
    "TIME": ("network", "lazer_friedman_time.toml or lazer_friedman_k0.toml"),
    "DENSITY": ("density", "lazer_friedman_density.toml"),
    "--fragmented": ("join_components", "lazer_friedman_fragmented.toml"),
    "--small-world": ("rewired", "lazer_friedman_small_world.toml"),
    "--k0": ("network", "lazer_friedman_k0.toml"),
    "--imitation": ("velocity", "lazer_friedman_imitation.toml"),
}


def check_slot(path: str, slot: str) -> None:
    f = open_result(path)
    name, source = SLOTS[slot]
    values = f.param(name) if f.param(name) is not None else []
    if len(set(np.asarray(values).tolist())) < 2:
        fail(
            f"{path}: given as {slot}, but its cells do not vary {name} (expected a result of " f"experiments/{source})"
        )
    if name == "network":
        networks = set(param(f, "network").tolist())
        if not {"linear", "full"} <= networks:
            fail(
                f"{path}: given as {slot}, but it has no cells with network = linear and full "
                f"(has {sorted(networks)})"
            )
    if slot == "DENSITY" and len(set(param(f, "join_components").tolist())) > 1:
        fail(f"{path}: given as DENSITY, but its cells also vary join_components (give it as " f"--fragmented)")
    if slot == "--fragmented" and len(set(param(f, "density").tolist())) < 2:
        fail(
            f"{path}: given as {slot}, but its cells do not vary density (expected a result of "
            f"experiments/{source})"
        )
    f.close()


def param(res: Result, name: str) -> np.ndarray:
    d = res.param(name)
    return d.astype(str) if d.dtype.kind in "SO" else d


def stat(res: Result, column: str, field: str) -> np.ndarray:
    if not res.has_stat(column, field):
        fail(f"{res.path}: no column {column}")
    return res.stat(column, field)


def org_column(res: Result, column: str) -> np.ndarray:
    values = res.org_column(column)
    if values is None:
        fail(f"{res.path}: no column {column}")
    return values


def save(fig, outdir: str, name: str) -> None:
    write(fig, outdir, name)
    print(f"wrote {os.path.join(outdir, name)}.{{png,pdf}}")


def time_figure(path: str, outdir: str, name: str = "lazer_friedman_time") -> None:
    f = open_result(path)
    k = int(param(f, "k")[0])
    networks = list(param(f, "network"))
    if "linear" not in networks or "full" not in networks:
        fail(f"{path}: needs cells with network = linear and network = full (has {networks})")
    ts = np.arange(T_MAX + 1)
    cols = [f"mean_score_t{t:03d}" for t in ts]
    mean = {n: np.array([stat(f, c, "mean")[networks.index(n)] for c in cols]) for n in ("linear", "full")}
    lo = {n: np.array([stat(f, c, "ci_low")[networks.index(n)] for c in cols]) for n in ("linear", "full")}
    hi = {n: np.array([stat(f, c, "ci_high")[networks.index(n)] for c in cols]) for n in ("linear", "full")}

    # Paired difference linear - full, organization by organization (common random numbers).
    cell = f.org_column("cell").astype(int)
    org = f.org_column("organization").astype(int)
    il, ifull = networks.index("linear"), networks.index("full")
    ol, of = np.argsort(org[cell == il]), np.argsort(org[cell == ifull])
    paired = bool(f.attr_int("common_random_numbers", 0)) and np.array_equal(
        org[cell == il][ol], org[cell == ifull][of]
    )
    diff_m = diff_lo = diff_hi = None
    if paired:
        d = np.stack([org_column(f, c)[cell == il][ol] - org_column(f, c)[cell == ifull][of] for c in cols])
        diff_m = d.mean(axis=1)
        se = d.std(axis=1, ddof=1) / np.sqrt(d.shape[1])
        t_crit = t_value(0.95, d.shape[1] - 1)  # Student t (scipy), n - 1 pairs of freedom
        diff_lo, diff_hi = diff_m - t_crit * se, diff_m + t_crit * se

    delta = mean["linear"] - mean["full"]
    ahead = delta > 0
    crossing = next((t for t in ts if ahead[t:].all()), None)
    sig = next((t for t in ts if diff_lo is not None and (diff_lo[t:] > 0).all()), None)
    print(f"{path}: {f.attr_int('organizations_per_cell')} landscapes per network, paired = {paired}")
    for t in (0, 1, 5, 10, 15, 20, 25, 30, 50, 75, 100):
        line = f"  t = {t:3d}: linear {mean['linear'][t]:.4f}  full {mean['full'][t]:.4f}"
        if diff_m is not None:
            line += f"  linear - full {diff_m[t]:+.4f} [{diff_lo[t]:+.4f}, {diff_hi[t]:+.4f}]"
        print(line)
    print(f"  crossing round (linear above full from then on): {crossing}")
    print(f"  first round from which linear - full > 0 at 95% (paired): {sig}")

    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.9), constrained_layout=True)
    ax = axes[0]
    for n, colour, ls, label in (
        ("full", OI["vermillion"], "--", "totally connected"),
        ("linear", OI["blue"], "-", "linear"),
    ):
        ax.fill_between(ts, lo[n], hi[n], color=colour, alpha=0.25, lw=0)
        ax.plot(ts, mean[n], color=colour, ls=ls, label=label)
        if PUBLISHED_TIME.get(n):
            px, py = zip(*PUBLISHED_TIME[n])
            ax.plot(px, py, ls="none", marker="x", color=colour, label=f"{label}, {PUBLISHED_TIME_LABEL}")
    if not PUBLISHED_TIME:
        ax.text(
            0.99,
            0.01,
            "tribe only: no published values available",
            transform=ax.transAxes,
            fontsize=6,
            color="0.3",
            ha="right",
        )
    if crossing is not None:
        ax.axvline(crossing, color=OI["black"], lw=0.7, ls=":")
        ax.annotate(
            f"linear ahead from t = {crossing}", (crossing, 0.93), xytext=(4, 0), textcoords="offset points", fontsize=7
        )
    ax.set_xlabel("round t")
    ax.set_ylabel("average score (fitness / max)$^8$")
    ax.set_title(f"Average score over time, K = {k} (95% bands)")
    ax.set_xlim(0, T_MAX)
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.12))
    ax = axes[1]
    if diff_m is not None:
        ax.fill_between(ts, diff_lo, diff_hi, color=OI["green"], alpha=0.3, lw=0)
        ax.plot(ts, diff_m, color=OI["green"], label="linear − full (paired)")
    else:
        ax.plot(ts, delta, color=OI["green"], label="linear − full")
    ax.axhline(0, color=OI["black"], lw=0.7)
    ax.set_xlabel("round t")
    ax.set_ylabel("difference of average scores")
    ax.set_title("Linear minus totally connected")
    ax.set_xlim(0, T_MAX)
    ax.legend(loc="lower right")
    save(fig, outdir, name)


def density_figure(path: str, outdir: str) -> None:
    f = open_result(path)
    density = param(f, "density").astype(float)
    order = np.argsort(density)
    density = density[order]
    agents = param(f, "agents").astype(float)[order]
    realized = stat(f, "edges", "mean")[order] / (agents * (agents - 1) / 2)
    rounds = int(param(f, "rounds")[0])
    print(f"{path}: {f.attr_int('organizations_per_cell')} landscapes per density, rounds = {rounds}")
    series = [
        ("final_mean_score", f"long run (t = {rounds})", OI["blue"], "-", "o"),
        ("mean_score_t050", "t = 50", OI["green"], "-.", "^"),
        ("mean_score_t020", "t = 20", OI["orange"], ":", "D"),
        ("mean_score_t010", "t = 10", OI["purple"], (0, (5, 1)), "v"),
        ("mean_score_t005", "t = 5", OI["vermillion"], "--", "s"),
    ]
    fig, ax = plt.subplots(figsize=(4.2, 3.0), constrained_layout=True)
    for col, label, colour, ls, marker in series:
        m, lo, hi = (stat(f, col, k)[order] for k in ("mean", "ci_low", "ci_high"))
        ax.errorbar(density, m, yerr=[m - lo, hi - m], color=colour, ls=ls, marker=marker, ms=4, capsize=2, label=label)
        print(f"  {col}: " + "  ".join(f"{d:g}:{v:.4f}" for d, v in zip(density, m)))
    print("  realized density: " + "  ".join(f"{d:g}:{r:.4f}" for d, r in zip(density, realized)))
    eq = stat(f, "rounds_to_equilibrium", "mean")[order]
    print("  mean rounds to equilibrium (settled runs): " + "  ".join(f"{d:g}:{v:.1f}" for d, v in zip(density, eq)))
    ax.set_xscale("log")
    ax.set_xlabel("density of the random network (probability of a link)")
    ax.set_ylabel("average score")
    ax.set_ylim(0, 1)
    ax.set_title("Score against network density (95% CIs)")
    ax.legend(loc="lower left", ncol=2)
    save(fig, outdir, "lazer_friedman_density")


def fragmented_figure(path: str, outdir: str) -> None:
    f = open_result(path)
    density = param(f, "density").astype(float)
    joined = param(f, "join_components").astype(float) != 0
    rounds = int(param(f, "rounds")[0])
    levels = np.unique(density)
    print(f"{path}: {f.attr_int('organizations_per_cell')} landscapes per cell, rounds = {rounds}")
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.9), constrained_layout=True, sharey=True)
    for ax, col, title in (
        (axes[0], "mean_score_t010", "Intermediate run, t = 10"),
        (axes[1], "final_mean_score", f"Long run, t = {rounds}"),
    ):
        for is_joined, colour, ls, marker, label in (
            (False, OI["vermillion"], "-", "o", "as drawn (fragmented)"),
            (True, OI["blue"], "--", "s", "components joined"),
        ):
            idx = [int(np.flatnonzero((density == d) & (joined == is_joined))[0]) for d in levels]
            m, lo, hi = (stat(f, col, k)[idx] for k in ("mean", "ci_low", "ci_high"))
            ax.errorbar(
                levels, m, yerr=[m - lo, hi - m], color=colour, ls=ls, marker=marker, ms=4, capsize=2, label=label
            )
            comps = stat(f, "components", "mean")[idx]
            print(f"  {col}, {label}: " + "  ".join(f"{d:g}:{v:.4f}" for d, v in zip(levels, m)))
            if not is_joined and col == "final_mean_score":
                print("  mean components as drawn: " + "  ".join(f"{d:g}:{c:.2f}" for d, c in zip(levels, comps)))
        ax.set_xscale("log")
        ax.set_xlabel("density of the random network")
        ax.set_title(title)
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("average score (95% CIs)")
    axes[0].legend(loc="lower right")
    save(fig, outdir, "lazer_friedman_fragmented")


def small_world_figure(path: str, outdir: str) -> None:
    f = open_result(path)
    rewired = param(f, "rewired").astype(float)
    order = np.argsort(rewired)
    rewired = rewired[order]
    print(f"{path}: {f.attr_int('organizations_per_cell')} landscapes per cell")
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.9), constrained_layout=True)
    ax = axes[0]
    for col, label, colour, ls, marker in (
        ("mean_score_t010", "t = 10", OI["purple"], "--", "v"),
        ("mean_score_t055", "t = 55", OI["blue"], "-", "o"),
    ):
        m, lo, hi = (stat(f, col, k)[order] for k in ("mean", "ci_low", "ci_high"))
        ax.errorbar(rewired, m, yerr=[m - lo, hi - m], color=colour, ls=ls, marker=marker, ms=4, capsize=2, label=label)
        print(f"  {col}: " + "  ".join(f"{r:g}:{v:.4f}" for r, v in zip(rewired, m)))
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("rewired links (of 200)")
    ax.set_ylabel("average score (95% CIs)")
    ax.set_ylim(0, 1)
    ax.set_title("Small world: score against shortcuts")
    ax.legend(loc="lower right")
    ax = axes[1]
    m, lo, hi = (stat(f, "rounds_to_equilibrium", k)[order] for k in ("mean", "ci_low", "ci_high"))
    ax.errorbar(rewired, m, yerr=[m - lo, hi - m], color=OI["green"], marker="o", ms=4, capsize=2)
    print("  rounds_to_equilibrium: " + "  ".join(f"{r:g}:{v:.2f}" for r, v in zip(rewired, m)))
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("rewired links (of 200)")
    ax.set_ylabel("rounds until settled")
    ax.set_ylim(bottom=0)
    ax.set_title("Speed of convergence")
    save(fig, outdir, "lazer_friedman_small_world")


def imitation_figure(path: str, outdir: str) -> None:
    f = open_result(path)
    velocity = param(f, "velocity").astype(float)
    error = param(f, "copy_error").astype(float)
    ts = np.arange(T_MAX + 1)
    cols = [f"mean_score_t{t:03d}" for t in ts]
    print(f"{path}: {f.attr_int('organizations_per_cell')} landscapes per cell")
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.9), constrained_layout=True, sharey=True)
    palette = [OI["vermillion"], OI["orange"], OI["green"], OI["blue"], OI["purple"], OI["skyblue"]]
    for ax, vary, fixed_name, fixed_value, title in (
        (axes[0], velocity, "copy_error", 0.0, "Velocity (perfect copying)"),
        (axes[1], error, "velocity", 1.0, "Copying errors (velocity 1)"),
    ):
        fixed = error if fixed_name == "copy_error" else velocity
        levels = sorted(set(vary[np.isclose(fixed, fixed_value)]), reverse=(vary is velocity))
        for i, level in enumerate(levels):
            cell = int(np.flatnonzero(np.isclose(vary, level) & np.isclose(fixed, fixed_value))[0])
            m = np.array([stat(f, c, "mean")[cell] for c in cols])
            lo = np.array([stat(f, c, "ci_low")[cell] for c in cols])
            hi = np.array([stat(f, c, "ci_high")[cell] for c in cols])
            name = "velocity" if vary is velocity else "copy error"
            colour = palette[i % len(palette)]
            ax.fill_between(ts, lo, hi, color=colour, alpha=0.2, lw=0)
            ax.plot(ts, m, color=colour, label=f"{name} {level:g}")
            print(
                f"  {name} {level:g} ({fixed_name} {fixed_value:g}): "
                + "  ".join(f"t={t}:{m[t]:.3f}" for t in (5, 10, 20, 50, 100))
            )
        ax.set_title(title)
        ax.set_xlabel("round t")
        ax.set_xlim(0, T_MAX)
        ax.set_ylim(0, 1)
        ax.legend(loc="lower right")
    axes[0].set_ylabel("average score (95% bands)")
    save(fig, outdir, "lazer_friedman_imitation")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("time", help="result of experiments/lazer_friedman_time.toml")
    ap.add_argument("density", nargs="?", help="result of experiments/lazer_friedman_density.toml")
    ap.add_argument("--fragmented", help="result of experiments/lazer_friedman_fragmented.toml")
    ap.add_argument("--small-world", help="result of experiments/lazer_friedman_small_world.toml")
    ap.add_argument("--k0", help="result of experiments/lazer_friedman_k0.toml")
    ap.add_argument("--imitation", help="result of experiments/lazer_friedman_imitation.toml")
    ap.add_argument("-o", "--outdir", default="results/figures")
    a = ap.parse_args()
    slots = (
        ("TIME", a.time),
        ("DENSITY", a.density),
        ("--fragmented", a.fragmented),
        ("--small-world", a.small_world),
        ("--k0", a.k0),
        ("--imitation", a.imitation),
    )
    for slot, path in slots:  # every file is checked before anything is drawn
        if path:
            check_slot(path, slot)
    time_figure(a.time, a.outdir)
    if a.density:
        density_figure(a.density, a.outdir)
    if a.fragmented:
        fragmented_figure(a.fragmented, a.outdir)
    if a.small_world:
        small_world_figure(a.small_world, a.outdir)
    if a.k0:
        time_figure(a.k0, a.outdir, "lazer_friedman_k0")
    if a.imitation:
        imitation_figure(a.imitation, a.outdir)


if __name__ == "__main__":
    main()
