#!/usr/bin/python3
"""Fault injection for tribe (ctest label `faults`): damaged files, two runs on one
output, damaged and missing parts, a full disk, signals at random points, bad input.

Usage: fault_suite.py BUILD_DIR

Every case asserts what a user relies on: tribe never crashes; a refusal is exit 2
(bad input, damaged file) or 3 (environment), with exactly one line
`tribe: error: ...`; a refused write leaves no complete-looking file; and whatever tribe
accepts gives the values an undamaged run gives (no silent corruption, no
out-of-bounds values). Prints the count of each kind of case; exits 1 on any failure.
"""
import collections
import concurrent.futures
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build/release"
TRIBE = os.path.join(BUILD, "bin", "tribe")
WORKERS = max(1, min(4, os.cpu_count() or 1))

# A tiny experiment with claims: 4 cells, several blocks per shard.
EXPERIMENT = """[experiment]
name = "faults"
model = "leadership"
seed = 11
organizations_per_cell = 600

[parameters]
agents = 12
steps = 30
span = 3

[factors]
structure = ["flat", "hierarchy"]
control = [0.1, 0.9]

[[claims]]
id = "C1"
statement = "upstream control lowers distributed leadership in flat organizations"
test = "difference_above"
column = "distributed"
a = { structure = "flat", control = 0.1 }
b = { structure = "flat", control = 0.9 }
value = 0.0
paired = true

[[claims]]
id = "C2"
statement = "hierarchies rarely distribute leadership"
test = "below"
column = "distributed"
a = { structure = "hierarchy" }
value = 0.5
"""

counts = collections.Counter()
failures = []


def fail(case, why, out=""):
    failures.append(f"{case}: {why}\n    {out.strip()[:400]}")


def tribe(args, timeout=120, **kw):
    p = subprocess.run([TRIBE] + args, capture_output=True, text=True, timeout=timeout, **kw)
    return p.returncode, p.stdout, p.stderr


def datasets(path):
    """Every dataset of a file: name -> values (strings decoded)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                v = obj[()]
                if obj.dtype.kind == "O":
                    v = np.array([x.decode() if isinstance(x, bytes) else x for x in v], dtype=object)
                out[name] = v
        f.visititems(visit)
    return out


def same_values(a, b):
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if x.shape != y.shape or x.dtype.kind != y.dtype.kind:
            return False
        if x.dtype.kind == "f":
            if not np.array_equal(x, y, equal_nan=True):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


DENORMAL = re.compile(r"\b\d\.\d+e-3\d\d\b")


def check_refusal(case, rc, err, allowed=(2,), output=None):
    """A refusal: an allowed exit code, one line `tribe: error:`, no output file."""
    lines = err.strip().splitlines()
    if rc < 0 or rc not in allowed:
        counts["crashes" if rc < 0 or rc in (1, 134, 139) else "wrong exit codes"] += 1
        fail(case, f"exit {rc}, expected {allowed}", err)
        return False
    if len(lines) != 1 or not lines[0].startswith("tribe: error: "):
        fail(case, f"{len(lines)} lines of error output, expected one `tribe: error:` line", err)
        return False
    if output and (os.path.exists(output) or os.path.exists(output + ".partial")):
        fail(case, "a refused write left " + output)
        return False
    return True


# ----------------------------------------------------------------------------------------------
# Damaged files


def storage(ds):
    """(offset, size) of a dataset's first stored bytes, or None."""
    try:
        if ds.chunks is not None:
            if ds.id.get_num_chunks() == 0:
                return None
            info = ds.id.get_chunk_info(0)
            return info.byte_offset, info.size
        off = ds.id.get_offset()
        return (off, ds.id.get_storage_size()) if off is not None else None
    except Exception:
        return None


def mutate(src, dst, name, how):
    """Copies src to dst with dataset `name` damaged; False when the damage does not apply."""
    shutil.copy(src, dst)
    if how == "flip":
        with h5py.File(dst, "r") as f:
            where = storage(f[name])
        if not where or where[1] < 4:
            return False
        off, size = where
        with open(dst, "r+b") as f:
            f.seek(off + size // 2 - 2)
            b = bytearray(f.read(4))
            f.seek(off + size // 2 - 2)
            f.write(bytes(x ^ 0x5A for x in b))
        return True
    with h5py.File(dst, "r+") as f:
        v = f[name][()]
        kind = f[name].dtype.kind
        del f[name]
        if how == "remove":
            return True
        if how == "short":
            f[name] = v[: max(0, len(v) - 1)] if len(v) > 1 else v[:0]
        elif how == "empty":
            f[name] = v[:0]
        elif how == "longer":
            f[name] = np.concatenate([v, v[-1:] if len(v) else np.zeros(1, dtype=v.dtype)])
        elif how == "retype":
            if kind == "f":
                f[name] = np.nan_to_num(v).astype("i8")
            elif kind in "iu":
                f[name] = v.astype("f8")
            else:
                f[name] = np.zeros(len(v), dtype="i8")
    return True


def mutate_attribute(src, dst, name, how):
    shutil.copy(src, dst)
    with h5py.File(dst, "r+") as f:
        v = f.attrs[name]
        del f.attrs[name]
        if how == "retype":
            f.attrs[name] = "x" if not isinstance(v, (str, bytes)) else np.uint64(3)
    return True


MUTATIONS = ["short", "empty", "longer", "retype", "remove", "flip"]


def plan_mutations(names):
    """All mutations of every dataset; of the per-column statistics and accumulators (most
    of the file, all alike and checked by the same code) every other one gets one
    mutation, in rotation."""
    cases = []
    for i, name in enumerate(sorted(names)):
        hows = MUTATIONS
        if name.startswith("cells/stats/") or name.startswith("blocks/accumulators/"):
            hows = [MUTATIONS[(i // 2) % 6]] if i % 2 == 0 else []
        cases += [(name, how) for how in hows]
    return cases


def result_case(work, ref_result, name, how, attribute=False):
    case = f"result {'attribute ' if attribute else ''}{name} {how}"
    d = tempfile.mkdtemp(dir=work)
    dmg = os.path.join(d, "r.h5")
    applies = (mutate_attribute if attribute else mutate)(ref_result, dmg, name, how)
    if not applies:
        shutil.rmtree(d)
        return None
    strict = not attribute and how in ("short", "empty", "longer")
    ok = True
    # Both commands validate the whole file first; each case runs the one that reads it.
    for cmd in ([["report", dmg]] if name.startswith("claims") else [["inspect", dmg]]):
        rc, out, err = tribe(cmd)
        if rc == 0 and not strict:
            if DENORMAL.search(out):
                ok = False
                fail(case + " " + cmd[0], "out-of-bounds value printed", DENORMAL.search(out).group(0))
                counts["out-of-bounds values"] += 1
            continue
        if rc == 0:
            ok = False
            fail(case + " " + cmd[0], "a damaged file was accepted", out[-200:])
            continue
        ok &= check_refusal(case + " " + cmd[0], rc, err)
    shutil.rmtree(d)
    return ok


def shard_case(work, shards, which, reference, name, how, attribute=False):
    case = f"shard {'attribute ' if attribute else ''}{name} {how}"
    d = tempfile.mkdtemp(dir=work)
    dmg = os.path.join(d, "s.h5")
    applies = (mutate_attribute if attribute else mutate)(shards[which], dmg, name, how)
    if not applies:
        shutil.rmtree(d)
        return None
    out = os.path.join(d, "m.h5")
    args = ["merge"] + [dmg if i == which else s for i, s in enumerate(shards)] + ["-o", out]
    rc, _, err = tribe(args)
    ok = True
    if rc == 0:
        # Accepted: only when what merge uses was untouched, so the result is exact.
        if not same_values(datasets(out), reference):
            ok = False
            counts["silent corruptions"] += 1
            fail(case, "merge accepted a damaged shard and wrote other values")
        elif not attribute and how != "flip" and not name.startswith("organizations/"):
            ok = False
            fail(case, "merge accepted a damaged shard")
    else:
        ok = check_refusal(case, rc, err, output=out)
    shutil.rmtree(d)
    return ok


def damaged_files(work, ref_result, shards, reference):
    with h5py.File(ref_result, "r") as f:
        names = []
        f.visititems(lambda k, v: names.append(k) if isinstance(v, h5py.Dataset) else None)
        attrs = list(f.attrs.keys())
    with h5py.File(shards[1], "r") as f:
        shard_names = []
        f.visititems(lambda k, v: shard_names.append(k) if isinstance(v, h5py.Dataset) else None)
        shard_attrs = list(f.attrs.keys())
    jobs = []
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for name, how in plan_mutations(names):
            jobs.append(("result files", pool.submit(result_case, work, ref_result, name, how)))
        for a in attrs:
            for how in ("remove", "retype"):
                jobs.append(("result files", pool.submit(result_case, work, ref_result, a, how, True)))
        for name, how in plan_mutations(shard_names):
            jobs.append(("shard files", pool.submit(shard_case, work, shards, 1, reference, name, how)))
        for a in shard_attrs:
            for how in ("remove", "retype"):
                jobs.append(("shard files", pool.submit(shard_case, work, shards, 1, reference, a, how, True)))
        for kind, job in jobs:
            r = job.result()
            if r is not None:
                counts["damaged-file cases: " + kind] += 1
                counts["damaged-file cases"] += 1


# ----------------------------------------------------------------------------------------------
# Runs


def concurrent_runs(work, toml, reference_big):
    """Two runs on one output: one refuses at once, before any work; the other completes.
    Started together, either may take the lock. Held: the second starts while the first is
    certainly mid-run (held after its first part by the engine's test hook
    TRIBE_TEST_HOLD_AFTER_FIRST_PART, released once the second has answered), so the case
    does not depend on the machine's speed (issue 27, item 16)."""
    for held in (False, True):
        out = os.path.join(work, f"twice-{'held' if held else 'together'}.h5")
        release = out + ".release"
        env = dict(os.environ)
        if held:
            env["TRIBE_TEST_HOLD_AFTER_FIRST_PART"] = release
        first = subprocess.Popen([TRIBE, "run", toml, "-q", "-o", out], stderr=subprocess.PIPE,
                                 text=True, env=env)
        if held:  # wait until the first run has written a part: it holds the lock now
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and first.poll() is None:
                parts = out + ".parts"
                if os.path.isdir(parts) and any(n.endswith(".h5") for n in os.listdir(parts)):
                    break
                time.sleep(0.01)
        t0 = time.monotonic()
        rc, _, err = tribe(["run", toml, "-q", "-o", out])
        took = time.monotonic() - t0
        open(release, "w").close()
        _, err1 = first.communicate(timeout=300)
        case = f"two runs {'with the first held mid-run' if held else 'started together'}"
        counts["two-run cases"] += 1
        codes = sorted([rc, first.returncode])
        if codes != [0, 2] or (held and rc != 2):
            fail(case, f"exit codes {rc} (second) and {first.returncode} (first), expected the "
                       f"{'second' if held else 'one'} to refuse (2) and the other to complete (0)",
                 err + err1)
            continue
        refused = err if rc == 2 else err1
        check_refusal(case, 2, refused)
        if "being written by another tribe run" not in refused:
            fail(case, "the refusal does not say the output is being written", refused)
        if rc == 2 and took > 2.0:
            fail(case, f"the second run took {took:.1f} s to refuse")
        if not same_values(datasets(out), reference_big):
            fail(case, "the completed file differs from an undisturbed run")
        if os.path.exists(out + ".lock"):
            fail(case, "the lock file was left behind")


def shard_into_part(shard, parts_dir):
    with h5py.File(shard, "r") as f:
        first, end = int(f.attrs["first_block"]), int(f.attrs["end_block"])
    os.makedirs(parts_dir, exist_ok=True)
    dst = os.path.join(parts_dir, "part-0-%012d-%012d.h5" % (first, end))
    shutil.copy(shard, dst)
    return dst


def flip_in(path, dataset):
    with h5py.File(path, "r") as f:
        off, size = storage(f[dataset])
    with open(path, "r+b") as f:
        f.seek(off + size // 2)
        b = f.read(8)
        f.seek(off + size // 2)
        f.write(bytes(x ^ 0xFF for x in b))


def part_repairs(work, toml, shards4, shards3, reference):
    """Parts that do not tile the plan, or are damaged, are repaired by a resume."""
    scenarios = {
        "a middle part deleted": lambda d: os.remove(shard_into_part(shards4[1], d)),
        "a part with a flipped row chunk": lambda d: flip_in(shard_into_part(shards4[2], d), "organizations/solve_rate"),
        "a part with a flipped accumulator": lambda d: flip_in(shard_into_part(shards4[1], d), "blocks/accumulators/solve_rate/mean"),
        "an overlapping part": lambda d: shard_into_part(shards3[1], d),
        "a truncated part": lambda d: open(shard_into_part(shards4[3], d), "r+b").truncate(3000),
        "a part that is not HDF5": lambda d: open(os.path.join(d, "part-0-000000000003-000000000005.h5"), "w").write("junk"),
        "an empty part": lambda d: open(os.path.join(d, "part-0-000000000001-000000000002.h5"), "w").close(),
    }
    for name, damage in scenarios.items():
        out = os.path.join(work, "repair.h5")
        parts = out + ".parts"
        shutil.rmtree(parts, ignore_errors=True)
        for s in (shards4[0], shards4[2], shards4[3]):
            shard_into_part(s, parts)
        damage(parts)
        rc, _, err = tribe(["run", toml, "-o", out])
        counts["part-repair cases"] += 1
        if rc != 0:
            fail("resume with " + name, f"exit {rc}", err)
        elif not same_values(datasets(out), reference):
            fail("resume with " + name, "the repaired result differs from an undisturbed run")
        elif "discarded" not in err and name not in ("a middle part deleted",):
            fail("resume with " + name, "no line says what was discarded", err)
        elif os.path.exists(parts):
            fail("resume with " + name, "the parts directory was left behind")
        if os.path.exists(out):
            os.remove(out)
    # A parts directory left beside a complete result (a crash after the final rename).
    out = os.path.join(work, "stale.h5")
    shutil.copy(os.path.join(work, "ref.h5"), out)
    shard_into_part(shards4[0], out + ".parts")
    rc, _, err = tribe(["run", toml, "-o", out])
    counts["part-repair cases"] += 1
    if os.path.exists(out + ".parts") or "already exists" not in err:
        fail("stale parts beside a complete result", "not removed, or the result was not kept", err)


def full_disk(work, toml):
    """A file-size limit (writes fail with EFBIG): one line, exit 3, nothing complete-looking."""
    for blocks in (1, 8, 40, 100, 200):
        out = os.path.join(work, f"full-{blocks}.h5")
        cmd = f"ulimit -f {blocks}; trap '' XFSZ; exec {TRIBE} run {toml} -q --rows-per-part 500 -o {out}"
        p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=120)
        counts["full-disk cases"] += 1
        case = f"full disk at {blocks} KiB"
        if p.returncode == 0:
            continue  # it fitted
        if check_refusal(case, p.returncode, p.stderr, allowed=(3,), output=out):
            if "HDF5" in p.stderr:
                fail(case, "HDF5's own messages reached the user", p.stderr)


def signals(work, toml_big, reference_big):
    """SIGINT, SIGTERM and SIGKILL at random points; the rerun completes the same file."""
    rng = random.Random(14)
    latencies = []
    for i in range(8):
        sig = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL][i % 3]
        out = os.path.join(work, f"sig-{i}.h5")
        p = subprocess.Popen([TRIBE, "run", toml_big, "-q", "--rows-per-part", "700", "-o", out],
                             stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, 1.2))
        t0 = time.monotonic()
        p.send_signal(sig)
        _, err = p.communicate(timeout=60)
        took = time.monotonic() - t0
        counts["signal cases"] += 1
        case = f"{signal.Signals(sig).name} after a random delay ({i})"
        if sig != signal.SIGKILL:
            latencies.append(took)
            if p.returncode not in (0, 130):
                fail(case, f"exit {p.returncode}", err)
            # The goal is 1 s (measured 0.07-0.14 s on an idle machine, signal to exit, and
            # printed below); a test does not time it (machines are shared and noisy), it
            # catches the failure this suite was written for: a stop that took minutes.
            if took > 10.0:
                fail(case, f"took {took:.2f} s to stop")
        if p.returncode != 0 and os.path.exists(out):
            fail(case, "an interrupted run left a file under the final name")
        rc, _, err = tribe(["run", toml_big, "-q", "--rows-per-part", "700", "-o", out] +
                           (["--overwrite"] if p.returncode == 0 else []))
        if rc != 0 or not same_values(datasets(out), reference_big):
            fail(case + ", then rerun", f"exit {rc}, or another result than an undisturbed run", err)
    if latencies:
        print(f"  stop latency after SIGINT/SIGTERM: max {max(latencies):.3f} s over {len(latencies)} signals")


def bad_input(work, toml):
    fifo = os.path.join(work, "fifo")
    os.mkfifo(fifo)
    nul = os.path.join(work, "nul.toml")
    with open(nul, "w") as f:
        f.write(EXPERIMENT.replace('name = "faults"', 'name = "a\\u0000b"'))
    out = os.path.join(work, "bad.h5")
    cases = [
        ["run", "/dev/zero", "-o", out], ["run", work, "-o", out], ["run", fifo, "-o", out],
        ["run", nul, "-o", out], ["run", toml, "-o", ""], ["run", toml, "-o", out, "--ci-width", "nan"],
        ["run", toml, "-o", out, "--max-orgs-per-cell", "5"], ["run", toml, "-o", out, "--seed", "-1"],
        ["run", toml, "-o", out, "--threads", "x"], ["run"], ["nosuchcommand"],
        ["run", toml, "-o", toml, "--overwrite"],
        ["report", os.path.join(work, "ref.h5"), "-o", os.path.join(work, "ref.h5")],
        ["merge", os.path.join(work, "s4-0.h5"), "-o", os.path.join(work, "s4-0.h5"), "--overwrite"],
    ]
    for args in cases:
        rc, _, err = tribe(args, timeout=10)
        counts["bad-input cases"] += 1
        check_refusal("tribe " + " ".join(args), rc, err, output=out)


def main():
    work = tempfile.mkdtemp(prefix="tribe-faults-")
    try:
        toml = os.path.join(work, "k.toml")
        with open(toml, "w") as f:
            f.write(EXPERIMENT)
        toml_big = os.path.join(work, "big.toml")
        with open(toml_big, "w") as f:
            f.write(EXPERIMENT.replace("organizations_per_cell = 600", "organizations_per_cell = 8000"))
        ref = os.path.join(work, "ref.h5")
        big = os.path.join(work, "big.h5")
        for args in (["run", toml, "-q", "-o", ref], ["run", toml_big, "-q", "-o", big]):
            rc, _, err = tribe(args)
            assert rc == 0, err
        shards4 = [os.path.join(work, f"s4-{i}.h5") for i in range(4)]
        shards3 = [os.path.join(work, f"s3-{i}.h5") for i in range(3)]
        for i, s in enumerate(shards4):
            assert tribe(["run", toml, "-q", "--shard", f"{i}/4", "-o", s])[0] == 0
        for i, s in enumerate(shards3):
            assert tribe(["run", toml, "-q", "--shard", f"{i}/3", "-o", s])[0] == 0
        reference = datasets(ref)
        reference_big = datasets(big)
        merged = os.path.join(work, "merged.h5")
        assert tribe(["merge"] + shards4 + ["-o", merged])[0] == 0
        assert same_values(datasets(merged), reference), "merging undamaged shards changes the result"

        t0 = time.monotonic()
        damaged_files(work, ref, shards4, reference)
        t_damaged = time.monotonic() - t0
        concurrent_runs(work, toml_big, reference_big)
        part_repairs(work, toml, shards4, shards3, reference)
        full_disk(work, toml)
        signals(work, toml_big, reference_big)
        bad_input(work, toml)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    counts.setdefault("crashes", 0)
    counts.setdefault("out-of-bounds values", 0)
    counts.setdefault("silent corruptions", 0)
    print(f"fault injection ({t_damaged:.0f} s for the damaged files, {WORKERS} workers):")
    for k in sorted(counts):
        print(f"  {k}: {counts[k]}")
    if counts["damaged-file cases"] < 500:
        failures.append(f"only {counts['damaged-file cases']} damaged-file cases (at least 500 expected)")
    if failures:
        print(f"{len(failures)} FAILED:")
        for f in failures[:60]:
            print("  " + f)
        return 1
    print("all fault cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
