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
import bisect
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


# Families of datasets that are all alike and checked by the same code: the per-column
# statistics and accumulators (most of a file) and the per-column tables (organizations'
# columns, cells' parameters, threshold curves).
ROTATED = ("cells/stats/", "blocks/accumulators/")
PAIRED = ("organizations/", "cells/parameters/", "claims/threshold_curves/")


def plan_mutations(names):
    """All mutations of every dataset, except in the families above, where the mutations
    rotate over the members: every other statistic or accumulator gets one mutation, every
    per-column table two (so that each mutation still meets each family many times)."""
    cases = []
    for i, name in enumerate(sorted(names)):
        hows = MUTATIONS
        if name.startswith(ROTATED):
            hows = [MUTATIONS[(i // 2) % 6]] if i % 2 == 0 else []
        elif name.startswith(PAIRED):
            hows = [MUTATIONS[i % 6], MUTATIONS[(i + 3) % 6]]
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
    for cmd in [["report", dmg]] if name.startswith("claims") else [["inspect", dmg]]:
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
    # Accepted: only when what merge uses was untouched, so the result is exact.
    must_refuse = not attribute and how != "flip" and not name.startswith("organizations/")
    return merge_damaged_shard(case, d, shards, which, dmg, reference, "a damaged shard", must_refuse)


def merge_damaged_shard(case, d, shards, which, dmg, reference, what, must_refuse=False):
    """Merges SHARDS with shard WHICH replaced by its damaged copy DMG into folder D (removed
    after): a refusal, or a result with the undamaged values (and only where MUST_REFUSE is
    false). WHAT names the shard in the failure messages. True when it passed."""
    out = os.path.join(d, "m.h5")
    rc, _, err = tribe(["merge"] + [dmg if i == which else s for i, s in enumerate(shards)] + ["-o", out])
    ok = True
    if rc == 0:
        if not same_values(datasets(out), reference):
            ok = False
            counts["silent corruptions"] += 1
            fail(case, f"merge accepted {what} and wrote other values")
        elif must_refuse:
            ok = False
            fail(case, f"merge accepted {what}")
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
# Metadata and heap flips: one bit outside the checksummed chunks


# Signatures of HDF5's metadata structures (HDF5 file format specification, section III):
# global heap collections (variable-length strings), fixed and extensible array indexes
# of chunks (1.10 format), v2 B-trees, object headers, fractal heaps, local heaps, v1
# B-trees, symbol table nodes.
HEAP = (b"GCOL",)
CHUNK_INDEX = (b"FAHD", b"FADB", b"EAHD", b"EAIB", b"EASB", b"EADB", b"BTHD", b"BTIN", b"BTLF")
OBJECT_HEADER = (b"OHDR", b"OCHK", b"FRHP", b"FHDB", b"FHIB", b"HEAP", b"TREE", b"SNOD")


def chunk_ranges(path):
    """The byte ranges of every chunk of every dataset (covered by Fletcher-32)."""
    ranges = []
    with h5py.File(path, "r") as f:

        def visit(_, obj):
            if isinstance(obj, h5py.Dataset) and obj.chunks:
                for i in range(obj.id.get_num_chunks()):
                    c = obj.id.get_chunk_info(i)
                    ranges.append((c.byte_offset, c.byte_offset + c.size))

        f.visititems(visit)
    return sorted(ranges)


def flip_sites(path, n_random, n_targeted, rng):
    """(offset, bit) pairs: n_random anywhere outside the chunks, and n_targeted inside the
    global heap, the chunk indexes and the object headers (a third each)."""
    ranges = chunk_ranges(path)
    starts = [a for a, _ in ranges]
    data = open(path, "rb").read()

    def in_chunk(o):
        k = bisect.bisect_right(starts, o) - 1
        return k >= 0 and o < ranges[k][1]

    sites = []
    while len(sites) < n_random:
        o = rng.randrange(len(data))
        if not in_chunk(o):
            sites.append((o, rng.randrange(8)))
    for kinds in (HEAP, CHUNK_INDEX, OBJECT_HEADER):
        found = [m.start() for sig in kinds for m in re.finditer(re.escape(sig), data) if not in_chunk(m.start())]
        if not found:
            continue
        for _ in range(n_targeted // 3):
            at = rng.choice(found)
            if data[at : at + 4] == b"GCOL":  # anywhere in the collection (its size at +8)
                size = int.from_bytes(data[at + 8 : at + 16], "little")
                span = max(16, min(size, len(data) - at))
            else:
                span = min(96, len(data) - at)
            sites.append((at + rng.randrange(span), rng.randrange(8)))
    return sites


def flipped_copy(src, dst, site):
    shutil.copy(src, dst)
    offset, bit = site
    with open(dst, "r+b") as f:
        f.seek(offset)
        b = f.read(1)[0]
        f.seek(offset)
        f.write(bytes([b ^ (1 << bit)]))


def printed(directory, commands):
    """What `tribe inspect r.h5` and `tribe report r.h5` print, run in `directory`."""
    return [tribe([c, "r.h5"], cwd=directory) for c in commands]


def flipped_result_case(work, ref, site, expected, commands):
    """Both commands validate the whole file first; `commands` are those that also print it
    (inspect: the cells; report: the claims), compared with the undamaged file's output."""
    d = tempfile.mkdtemp(dir=work)
    flipped_copy(ref, os.path.join(d, "r.h5"), site)
    case = f"result bit {site[1]} of byte {site[0]} flipped"
    ok = True
    for (rc, out, err), (_, want, _), cmd in zip(printed(d, commands), expected, commands):
        if rc == 0:
            if out != want:
                counts["silent corruptions"] += 1
                ok = False
                fail(case + " " + cmd, "accepted, and printed other values than the undamaged file")
        else:
            ok &= check_refusal(case + " " + cmd, rc, err)
    return d, ok


def flipped_shard_case(work, shards, which, site, reference):
    d = tempfile.mkdtemp(dir=work)
    dmg = os.path.join(d, "s.h5")
    flipped_copy(shards[which], dmg, site)
    case = f"shard {which} bit {site[1]} of byte {site[0]} flipped, merged"
    return merge_damaged_shard(case, d, shards, which, dmg, reference, "the shard")


def flipped_part_case(work, toml, shards4, which, site, reference):
    """A damaged part met by a resume: set aside and computed again, or harmless."""
    d = tempfile.mkdtemp(dir=work)
    out = os.path.join(d, "r.h5")
    for i, s in enumerate(shards4):
        if i != which:
            shard_into_part(s, out + ".parts")
    part = shard_into_part(shards4[which], out + ".parts")
    flipped_copy(shards4[which], part, site)
    rc, _, err = tribe(["run", toml, "-q", "-o", out])
    case = f"part {which} bit {site[1]} of byte {site[0]} flipped, resumed"
    ok = True
    if rc < 0:
        counts["crashes"] += 1
        ok = False
        fail(case, f"killed by signal {-rc}", err)
    elif rc != 0:
        ok = False
        fail(case, f"exit {rc}: a resume repairs damaged parts", err)
    elif not same_values(datasets(out), reference):
        counts["silent corruptions"] += 1
        ok = False
        fail(case, "the resumed result differs from an undisturbed run")
    shutil.rmtree(d)
    return ok


PY_READER = """
import hashlib, sys, tribe
def digest(r):
    h = hashlib.sha256()
    for name in ("provenance", "cells", "organizations", "claims", "robustness", "threshold_curves",
                 "sensitivity", "variance_shares", "assumption_space", "scenarios", "patterns"):
        v = getattr(r, name)
        h.update(b"None" if v is None else (v.to_csv() if hasattr(v, "to_csv") else repr(v)).encode())
    return h.hexdigest()
for line in sys.stdin:
    i, path = line.split(maxsplit=1)
    print("BEGIN", i, flush=True)
    try:
        with tribe.open(path.strip()) as r:
            print("OK", i, digest(r), flush=True)
    except tribe.TribeError as e:
        print("REFUSED", i, "1" if len(str(e).splitlines()) == 1 else "many", flush=True)
    except Exception as e:
        print("FOREIGN", i, type(e).__name__, str(e).splitlines()[0][:200] if str(e) else "", flush=True)
"""


def python_reads(files):
    """Reads every file with tribe.open in as few Python processes as crashes allow:
    index -> ("OK", digest) | ("REFUSED", "1"/"many") | ("FOREIGN", ...) | ("CRASH", signal)."""
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"))
    outcome, start = {}, 0
    while start < len(files):
        p = subprocess.run(
            ["/usr/bin/python3", "-c", PY_READER],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            input="".join(f"{i} {files[i]}\n" for i in range(start, len(files))),
        )
        last = None
        for line in p.stdout.splitlines():
            w = line.split(maxsplit=3)
            if w[0] == "BEGIN":
                last = int(w[1])
            else:
                outcome[int(w[1])] = (w[0], w[2] if len(w) > 2 else "")
        if p.returncode == 0:
            break
        if last is None or last in outcome:
            raise RuntimeError(f"the Python reader failed outside a file: {p.stderr[-400:]}")
        outcome[last] = ("CRASH", str(p.returncode))
        start = last + 1
    return outcome


def r_reads(work, files, reference):
    """examples/read_result.R on each file: one error line (status 2) or the undamaged
    file's summary."""
    script = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "read_result.R")
    env = dict(os.environ, TRIBE_BINARY=TRIBE)
    want = subprocess.run(
        ["Rscript", script, "r.h5"], capture_output=True, text=True, env=env, cwd=os.path.dirname(reference)
    )
    assert want.returncode == 0, want.stderr
    for f in files:
        p = subprocess.run(
            ["Rscript", script, "r.h5"], capture_output=True, text=True, env=env, cwd=os.path.dirname(f), timeout=120
        )
        counts["flip cases: R reader"] += 1
        case = f"R reader on {f}"
        if p.returncode < 0:
            counts["crashes"] += 1
            fail(case, f"R killed by signal {-p.returncode}", p.stderr)
        elif p.returncode == 0:
            if p.stdout != want.stdout:
                counts["silent corruptions"] += 1
                fail(case, "R read other values than the undamaged file's", p.stdout[-300:])
        elif (
            p.returncode != 2
            or len(p.stderr.strip().splitlines()) != 1
            or not p.stderr.startswith("read_result.R: error: ")
        ):
            fail(case, f"status {p.returncode}, expected one `read_result.R: error:` line", p.stderr)


def figure_reads(work, files):
    """scripts/figures.py on damaged files: figures drawn (the damage did not touch what
    they read) or one line `figures: error:` with status 2; never a traceback."""
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "figures.py")
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"), MPLBACKEND="Agg")
    for f in files:
        d = tempfile.mkdtemp(dir=work)
        p = subprocess.run(
            [
                "/usr/bin/python3",
                script,
                f,
                "-o",
                d,
                "--columns",
                "solve_rate",
                "--no-paper",
                "--formats",
                "png",
                "--dpi",
                "40",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        counts["flip cases: figures"] += 1
        lines = p.stderr.strip().splitlines()
        if p.returncode < 0:
            counts["crashes"] += 1
            fail(f"figures on {f}", f"killed by signal {-p.returncode}", p.stderr)
        elif p.returncode != 0 and (
            p.returncode != 2 or len(lines) != 1 or not lines[0].startswith("figures: error: ")
        ):
            fail(f"figures on {f}", f"status {p.returncode}, expected 0 or one `figures: error:` line", p.stderr)
        shutil.rmtree(d)


COMMANDS = ("inspect", "report")


def metadata_flips(work, ref, shards4, toml, reference):
    """One bit flipped outside the chunks (random, and targeted at the heap, the chunk
    indexes and the object headers) of results, shards and parts. The rule: refused with
    one line, or every printed value identical to the undamaged file's; never a crash,
    in the CLI, merge, resume, Python or R."""
    rng = random.Random(27)
    base = tempfile.mkdtemp(dir=work)
    shutil.copy(ref, os.path.join(base, "r.h5"))
    expected = printed(base, COMMANDS)
    assert all(rc == 0 for rc, _, _ in expected), expected
    result_sites = flip_sites(ref, 230, 150, rng)
    kept = []
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        # Each flip is read by inspect or by report, in turn (both validate the whole file).
        jobs = [
            pool.submit(flipped_result_case, work, ref, site, expected[k % 2 :][:1], COMMANDS[k % 2 :][:1])
            for k, site in enumerate(result_sites)
        ]
        for job in jobs:
            d, _ = job.result()
            counts["flip cases: results"] += 1
            kept.append(os.path.join(d, "r.h5"))
        shard_sites = [(k % 4, site) for k, site in enumerate(flip_sites(shards4[1], 60, 40, rng))]
        for ok in pool.map(lambda ws: flipped_shard_case(work, shards4, ws[0], ws[1], reference), shard_sites):
            counts["flip cases: shards"] += 1
        part_sites = flip_sites(shards4[2], 18, 12, rng)
        for ok in pool.map(lambda s: flipped_part_case(work, toml, shards4, 2, s, reference), part_sites):
            counts["flip cases: parts"] += 1
    # Python: the undamaged file first, then every fourth damaged result.
    files = [os.path.join(base, "r.h5")] + kept[::4]
    outcome = python_reads(files)
    if outcome.get(0, ("",))[0] != "OK":
        fail("tribe.open on the undamaged file", f"{outcome.get(0)}")
    for i in range(1, len(files)):
        what, detail = outcome.get(i, ("MISSING", ""))
        counts["flip cases: Python"] += 1
        case = f"tribe.open on {files[i]}"
        if what == "CRASH":
            counts["crashes"] += 1
            fail(case, f"the Python interpreter died (exit {detail})")
        elif what == "OK" and detail != outcome[0][1]:
            counts["silent corruptions"] += 1
            fail(case, "accepted, and read other values than the undamaged file")
        elif what == "REFUSED" and detail != "1":
            fail(case, "refused with more than one line")
        elif what in ("FOREIGN", "MISSING"):
            fail(case, f"not a tribe error: {detail}")
    r_reads(work, kept[1::24], os.path.join(base, "r.h5"))
    # Figures: three metadata flips and three damaged row chunks (read while drawing).
    chunked = []
    for k, column in enumerate(("solve_rate", "cell", "distributed")):
        d = tempfile.mkdtemp(dir=work)
        chunked.append(os.path.join(d, "r.h5"))
        shutil.copy(ref, chunked[-1])
        flip_in(chunked[-1], f"organizations/{column}")
    figure_reads(work, kept[5::140] + chunked)
    for f in kept:
        shutil.rmtree(os.path.dirname(f), ignore_errors=True)
    counts["flip cases"] = sum(counts[k] for k in list(counts) if k.startswith("flip cases: "))


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
        first = subprocess.Popen([TRIBE, "run", toml, "-q", "-o", out], stderr=subprocess.PIPE, text=True, env=env)
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
            fail(
                case,
                f"exit codes {rc} (second) and {first.returncode} (first), expected the "
                f"{'second' if held else 'one'} to refuse (2) and the other to complete (0)",
                err + err1,
            )
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
        "a part with a flipped row chunk": lambda d: flip_in(
            shard_into_part(shards4[2], d), "organizations/solve_rate"
        ),
        "a part with a flipped accumulator": lambda d: flip_in(
            shard_into_part(shards4[1], d), "blocks/accumulators/solve_rate/mean"
        ),
        "an overlapping part": lambda d: shard_into_part(shards3[1], d),
        "a truncated part": lambda d: open(shard_into_part(shards4[3], d), "r+b").truncate(3000),
        "a part that is not HDF5": lambda d: open(os.path.join(d, "part-0-000000000003-000000000005.h5"), "w").write(
            "junk"
        ),
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


def catching(p, sig=signal.SIGINT, timeout=30.0):
    """Waits until process p has installed its handler of `sig` (the bit of /proc/PID/status
    SigCgt): a signal before that, while the loader is still starting the program, kills
    any program, and says nothing about tribe. Returns False if p ended or never did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                caught = next(int(line.split()[1], 16) for line in f if line.startswith("SigCgt:"))
        except (OSError, StopIteration):
            return False
        if caught & (1 << (sig - 1)):
            return True
        time.sleep(0.002)
    return False


def signals(work, toml_big, reference_big):
    """SIGINT, SIGTERM and SIGKILL at random points; the rerun completes the same file."""
    rng = random.Random(14)
    latencies = []
    for i in range(8):
        sig = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL][i % 3]
        out = os.path.join(work, f"sig-{i}.h5")
        p = subprocess.Popen(
            [TRIBE, "run", toml_big, "-q", "--rows-per-part", "2000", "-o", out], stderr=subprocess.PIPE, text=True
        )
        catching(p)  # SIGKILL needs no handler; waiting keeps the random points alike
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
        rc, _, err = tribe(
            ["run", toml_big, "-q", "--rows-per-part", "2000", "-o", out]
            + (["--overwrite"] if p.returncode == 0 else [])
        )
        if rc != 0 or not same_values(datasets(out), reference_big):
            fail(case + ", then rerun", f"exit {rc}, or another result than an undisturbed run", err)
    if latencies:
        print(f"  stop latency after SIGINT/SIGTERM: max {max(latencies):.3f} s over {len(latencies)} signals")


LONG_ORGANIZATION = """[experiment]
name = "long"
model = "march"
seed = 3
organizations_per_cell = 2

[parameters]
dimensions = 2000
individuals = 2000
p3 = 0.1
max_periods = 10000000
"""


def wait_for(stream_lines, text, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream_lines.readline()
        if not line:
            return False
        if text in line:
            return True
    return False


def stop_after_the_computing(work, toml, shards):
    """SIGINT in the phases after the computing (assembly, claims, robustness, merge) and
    inside one long organization: exit 130 with one line naming the phase, nothing under
    the final name, every part kept; the same command then finishes the same file."""
    slow = os.path.join(work, "slow.toml")
    offsets = ", ".join(f"{(i - 5) / 100:.2f}" for i in range(10))  # 10^5 robustness settings
    with open(slow, "w") as f:
        f.write(
            EXPERIMENT.replace("organizations_per_cell = 600", "organizations_per_cell = 10000").replace(
                "[parameters]", f"[report]\nrobustness_offsets = [{offsets}]\n\n[parameters]"
            )
        )
    ref = os.path.join(work, "slow-ref.h5")
    assert tribe(["run", slow, "-q", "-o", ref], timeout=600)[0] == 0
    reference = datasets(ref)
    rng = random.Random(6)
    latencies, phases = [], collections.Counter()
    for i in range(6):
        out = os.path.join(work, f"late-{i}.h5")
        p = subprocess.Popen([TRIBE, "run", slow, "-o", out], stderr=subprocess.PIPE, text=True)
        if not wait_for(p.stderr, "assembling"):
            fail(f"late SIGINT {i}", "the run never reached its assembly")
            p.kill()
            continue
        time.sleep(rng.uniform(0.0, 1.2))
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        err = p.stderr.read()
        p.wait(timeout=120)
        took = time.monotonic() - t0
        counts["late signal cases"] += 1
        case = f"SIGINT after the computing ({i})"
        if p.returncode == 130:
            latencies.append(took)
            lines = [line for line in err.splitlines() if line.startswith("tribe: ")]
            m = re.match(
                r"tribe: interrupted while ([^:]+): all \d+ organizations are saved", lines[-1] if lines else ""
            )
            if len(lines) != 1 or not m:
                fail(case, "not one line naming the phase", err)
            else:
                phases[m.group(1)] += 1
            if os.path.exists(out) or not os.path.isdir(out + ".parts"):
                fail(case, "a file under the final name, or the parts not kept")
            if took > 10.0:
                fail(case, f"took {took:.2f} s to stop")
        elif p.returncode != 0:
            fail(case, f"exit {p.returncode}", err)
        rc, _, err = tribe(["run", slow, "-q", "-o", out] + (["--overwrite"] if p.returncode == 0 else []), timeout=600)
        if rc != 0 or not same_values(datasets(out), reference):
            fail(case + ", then rerun", f"exit {rc}, or another result than an undisturbed run", err)
    # merge: stopped, it writes nothing; rerun, the same file as the run's.
    for i in range(2):
        out = os.path.join(work, f"merge-stop-{i}.h5")
        p = subprocess.Popen([TRIBE, "merge"] + shards + ["-o", out], stderr=subprocess.PIPE, text=True)
        catching(p)
        time.sleep(rng.uniform(0.0, 0.1))
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        counts["late signal cases"] += 1
        if p.returncode == 130:
            phases["merge"] += 1
            if os.path.exists(out) or not err.startswith("tribe: interrupted while "):
                fail(f"SIGINT in merge ({i})", "a file under the final name, or no line", err)
        elif p.returncode != 0:
            fail(f"SIGINT in merge ({i})", f"exit {p.returncode}", err)
    # One organization that runs for minutes (March's model, 2000 x 2000, 10^7 periods).
    long_toml = os.path.join(work, "long.toml")
    with open(long_toml, "w") as f:
        f.write(LONG_ORGANIZATION)
    out = os.path.join(work, "long.h5")
    p = subprocess.Popen(
        [TRIBE, "run", long_toml, "-q", "--threads", "1", "-o", out], stderr=subprocess.PIPE, text=True
    )
    time.sleep(1.5)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    took = time.monotonic() - t0
    counts["late signal cases"] += 1
    if p.returncode != 130 or "interrupted: 0 of 2 organizations" not in err:
        fail("SIGINT inside one long organization", f"exit {p.returncode}", err)
    elif took > 10.0:
        fail("SIGINT inside one long organization", f"took {took:.2f} s to stop")
    latencies.append(took)
    shutil.rmtree(out + ".parts", ignore_errors=True)
    print(
        f"  stop latency after the computing and inside an organization: max {max(latencies):.3f} s "
        f"over {len(latencies)} signals; phases interrupted: {dict(phases)}"
    )


def bad_input(work, toml):
    fifo = os.path.join(work, "fifo")
    os.mkfifo(fifo)
    nul = os.path.join(work, "nul.toml")
    with open(nul, "w") as f:
        f.write(EXPERIMENT.replace('name = "faults"', 'name = "a\\u0000b"'))
    out = os.path.join(work, "bad.h5")
    cases = [
        ["run", "/dev/zero", "-o", out],
        ["run", work, "-o", out],
        ["run", fifo, "-o", out],
        ["run", nul, "-o", out],
        ["run", toml, "-o", ""],
        ["run", toml, "-o", out, "--ci-width", "nan"],
        ["run", toml, "-o", out, "--max-orgs-per-cell", "5"],
        ["run", toml, "-o", out, "--seed", "-1"],
        ["run", toml, "-o", out, "--threads", "x"],
        ["run"],
        ["nosuchcommand"],
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
    seconds = {}
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

        phases = [
            ("damaged files", lambda: damaged_files(work, ref, shards4, reference)),
            ("flipped bits", lambda: metadata_flips(work, ref, shards4, toml, reference)),
            ("two runs", lambda: concurrent_runs(work, toml_big, reference_big)),
            ("part repairs", lambda: part_repairs(work, toml, shards4, shards3, reference)),
            ("full disk", lambda: full_disk(work, toml)),
            ("signals", lambda: signals(work, toml_big, reference_big)),
            ("late signals", lambda: stop_after_the_computing(work, toml, shards4)),
            ("bad input", lambda: bad_input(work, toml)),
        ]
        for name, phase in phases:
            t0 = time.monotonic()
            phase()
            seconds[name] = time.monotonic() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)

    counts.setdefault("crashes", 0)
    counts.setdefault("out-of-bounds values", 0)
    counts.setdefault("silent corruptions", 0)
    print(
        f"fault injection ({WORKERS} workers; seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in seconds.items()) + "):"
    )
    for k in sorted(counts):
        print(f"  {k}: {counts[k]}")
    if counts["damaged-file cases"] < 500:
        failures.append(f"only {counts['damaged-file cases']} damaged-file cases (at least 500 expected)")
    in_files = sum(counts[f"flip cases: {k}"] for k in ("results", "shards", "parts"))
    if in_files < 500:
        failures.append(f"only {in_files} metadata and heap flips in results, shards and parts (at least 500 expected)")
    if failures:
        print(f"{len(failures)} FAILED:")
        for f in failures[:60]:
            print("  " + f)
        return 1
    print("all fault cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
