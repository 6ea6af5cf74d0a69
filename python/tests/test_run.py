"""tribe.run: the same engine as `tribe run`, from a path, TOML text or a dict."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import h5py
import pytest

import tribe
from conftest import ROOT, datasets, engine_message


def test_dict_run_is_byte_identical_to_the_cli(tmp_path, cli, small_experiment):
    # The CLI runs the TOML text the module writes for the dict; every dataset must be
    # byte-identical (only run attributes such as command_line and wall_seconds differ).
    exp = tmp_path / "small.toml"
    exp.write_text(tribe.experiment_text(small_experiment))
    c = cli("run", exp, "-o", tmp_path / "cli.h5", "--threads", "1", "--quiet")
    assert c.returncode == 0, c.stderr
    r = tribe.run(small_experiment, output=tmp_path / "py.h5", threads=2, progress=False)
    a, b = datasets(tmp_path / "cli.h5"), datasets(r.path)
    assert a.keys() == b.keys() and len(a) > 20
    for name in a:
        assert a[name] == b[name], name
    with h5py.File(tmp_path / "cli.h5") as fc, h5py.File(r.path) as fp:
        assert fc.attrs["experiment"] == fp.attrs["experiment"]
        assert fp.attrs["complete"] == 1


def test_path_run_is_byte_identical_to_the_cli(tmp_path, cli):
    path = os.path.join(ROOT, "experiments", "three_qualities.toml")
    c = cli("run", path, "-o", tmp_path / "cli.h5", "--orgs-per-cell", 40, "--seed", 9, "--backend", "tbb", "--quiet")
    assert c.returncode == 0, c.stderr
    r = tribe.run(path, output=str(tmp_path / "py.h5"), orgs_per_cell=40, seed=9, backend="serial", progress=False)
    assert datasets(tmp_path / "cli.h5") == datasets(r.path)
    assert r.provenance["experiment_path"] == path
    assert r.provenance["backend"] == "serial"


def test_toml_text_run(tmp_path, small_experiment):
    text = tribe.experiment_text(small_experiment)
    r = tribe.run(text, output=tmp_path / "t.h5", orgs_per_cell=10, progress=False)
    assert r.n_organizations == 40 and r.n_cells == 4
    assert r.provenance["experiment"] == text
    assert r.run_info["computed"] == 40


def run_one_thread(experiment, output, orgs_per_cell, progress):
    """EXPERIMENT run on one thread (the progress tests: reports in the order of the work, and
    the engine computing while another Python thread runs)."""
    return tribe.run(experiment, output=output, orgs_per_cell=orgs_per_cell, threads=1, progress=progress)


def test_progress_callback_and_notes(tmp_path, small_experiment, capsys):
    seen = []
    run_one_thread(small_experiment, tmp_path / "p.h5", 50, lambda done, total, s: seen.append((done, total)))
    assert seen and seen[-1] == (200, 200)
    assert all(d <= t for d, t in seen)
    run_one_thread(small_experiment, tmp_path / "q.h5", 50, True)
    err = capsys.readouterr().err
    assert "[tribe] wrote" in err and "q.h5" in err


@pytest.mark.parametrize(
    "change, cli_args",
    [
        (lambda x: x["parameters"].update(agents=0), []),
        (lambda x: x["factors"].update(structure=["flat", "round"]), []),
        (lambda x: x["experiment"].update(colour="red"), []),
        (lambda x: x["experiment"].update(model="nosuchmodel"), []),
    ],
)
def test_input_errors_carry_the_engine_message(tmp_path, cli, small_experiment, change, cli_args):
    change(small_experiment)
    text = tribe.experiment_text(small_experiment)
    exp = tmp_path / "bad.toml"
    exp.write_text(text)
    c = cli("run", exp, "-o", tmp_path / "x.h5", *cli_args)
    assert c.returncode == 2
    with pytest.raises(tribe.InputError) as e:
        tribe.run(exp, output=tmp_path / "x.h5", progress=False)
    assert str(e.value) == engine_message(c)
    assert isinstance(e.value, ValueError)
    with pytest.raises(tribe.InputError):  # the same from the dict (another source name)
        tribe.run(small_experiment, output=tmp_path / "x.h5", progress=False)
    assert not (tmp_path / "x.h5").exists()


def test_environment_errors(tmp_path, cli, small_experiment):
    target = tmp_path / "missing-dir" / "x.h5"
    exp = tmp_path / "small.toml"
    exp.write_text(tribe.experiment_text(small_experiment))
    c = cli("run", exp, "-o", target)
    assert c.returncode == 3
    with pytest.raises(tribe.EnvironmentFault) as e:
        tribe.run(exp, output=target, progress=False)
    assert str(e.value) == engine_message(c)
    assert isinstance(e.value, OSError)
    # An existing result is not replaced without overwrite=True.
    done = tribe.run(small_experiment, output=tmp_path / "done.h5", orgs_per_cell=5, progress=False).path
    with pytest.raises(tribe.EnvironmentFault, match="overwrite"):
        tribe.run(small_experiment, output=done, orgs_per_cell=5, progress=False)
    tribe.run(small_experiment, output=done, orgs_per_cell=6, overwrite=True, progress=False)
    assert tribe.open(done).n_organizations == 24


def test_bad_arguments(tmp_path, small_experiment):
    with pytest.raises(tribe.InputError, match="backend"):
        tribe.run(small_experiment, output=tmp_path / "x.h5", backend="cuda", progress=False)
    with pytest.raises(tribe.InputError, match="ci_columns"):
        tribe.run(small_experiment, output=tmp_path / "x.h5", ci_width=0.1, ci_columns=["nope"], progress=False)
    with pytest.raises(tribe.InputError, match="no such|cannot"):
        tribe.run(tmp_path / "nonexistent.toml", progress=False)
    with pytest.raises(TypeError):
        tribe.run(42)


def test_interrupt_keeps_parts_and_the_same_call_resumes(tmp_path, small_experiment):
    # A real SIGINT while the engine computes (as Ctrl-C or a notebook's interrupt):
    # the run stops at the next window, keeps its parts, and the same call continues.
    out = tmp_path / "i.h5"
    opts = dict(output=out, orgs_per_cell=3000, threads=1, rows_per_part=500)

    def interrupt_once(done, total, seconds):
        if not fired:
            fired.append(done)
            os.kill(os.getpid(), signal.SIGINT)

    fired: list = []
    with pytest.raises(tribe.Interrupted) as e:
        tribe.run(small_experiment, progress=interrupt_once, **opts)
    assert isinstance(e.value, KeyboardInterrupt)
    assert 0 < e.value.saved < e.value.total == 12000
    assert os.path.isdir(e.value.parts) and not out.exists()
    assert "resume=True" in str(e.value)
    r = tribe.run(small_experiment, progress=False, resume=True, **opts)
    assert r.run_info["resumed_from"] == e.value.saved
    assert r.run_info["resumed_from"] + r.run_info["computed"] == 12000
    assert not os.path.exists(e.value.parts)
    fresh = tribe.run(small_experiment, progress=False, **{**opts, "output": tmp_path / "fresh.h5"})
    assert datasets(r.path) == datasets(fresh.path)


def test_interrupt_after_the_computing_raises_interrupted_and_the_same_call_finishes(tmp_path, small_experiment):
    # SIGINT once every organization is computed (assembly, claims, robustness: no progress
    # callback runs then): tribe.Interrupted naming the phase, no result, the parts kept;
    # the same call then finishes the same result as an undisturbed run (issue 27, item 6).
    small_experiment["experiment"]["organizations_per_cell"] = 10000
    small_experiment["report"] = {"robustness_offsets": [(i - 5) / 100 for i in range(10)]}
    exp = tmp_path / "late.toml"
    exp.write_text(tribe.experiment_text(small_experiment))
    out = tmp_path / "late.h5"
    script = (
        "import sys, tribe\n"
        "try:\n"
        f"    tribe.run({str(exp)!r}, output={str(out)!r}, progress=True)\n"
        "    print('COMPLETE')\n"
        "except tribe.Interrupted as e:\n"
        "    print('INTERRUPTED', e.saved, e.total, e)\n"
    )
    p = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    for line in p.stderr:
        if "assembling" in line:
            break
    p.send_signal(signal.SIGINT)
    said, _ = p.communicate(timeout=120)
    assert p.returncode == 0 and said.startswith("INTERRUPTED 40000 40000 interrupted while "), said
    assert not out.exists() and os.path.isdir(str(out) + ".parts")
    r = tribe.run(exp, output=out, progress=False)
    assert r.run_info["computed"] == 0 and r.run_info["resumed_from"] == 40000
    fresh = tribe.run(exp, output=tmp_path / "fresh.h5", progress=False)
    assert datasets(r.path) == datasets(fresh.path)


def test_gil_is_released_while_computing(tmp_path, small_experiment):
    # Another Python thread keeps running while the engine computes.
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.005)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        during = []
        run_one_thread(small_experiment, tmp_path / "g.h5", 5000, lambda d, n, s: during.append(len(ticks)))
    finally:
        stop.set()
        t.join()
    assert len(during) >= 2 and during[-1] > during[0]


def test_the_output_is_never_the_experiment_file(tmp_path, small_experiment):
    # Issue 27, item 12: tribe.run(path, output=path, overwrite=True) overwrote the user's
    # experiment; the check is now the engine's, for every front end.
    exp = tmp_path / "small.toml"
    text = tribe.experiment_text(small_experiment)
    exp.write_text(text)
    with pytest.raises(tribe.InputError, match="is the experiment file itself"):
        tribe.run(str(exp), output=str(exp), overwrite=True, progress=False)
    assert exp.read_text() == text


def test_arguments_are_checked_with_their_names(tmp_path):
    # Issue 27, item 12: output="" was accepted; negative or oversized integers gave
    # pybind11's long TypeError; threads=1.5 and seed=True were taken as 1.
    from conftest import SMALL

    for kwargs, name in (
        ({"output": ""}, "output"),
        ({"threads": 1.5}, "threads"),
        ({"seed": True}, "seed"),
        ({"seed": -1}, "seed"),
        ({"orgs_per_cell": 0}, "orgs_per_cell"),
        ({"threads": 10**9}, "threads"),
        ({"rows_per_part": "many"}, "rows_per_part"),
        ({"ci_width": "x"}, "ci_width"),
    ):
        kwargs = dict(kwargs)
        kwargs.setdefault("output", tmp_path / "x.h5")
        with pytest.raises(tribe.InputError, match=f"^{name} = ") as e:
            tribe.run(SMALL, progress=False, **kwargs)
        assert "\n" not in str(e.value)
    assert not (tmp_path / "x.h5").exists()


def test_the_default_output_is_created_where_the_user_runs(tmp_path, cli, small_experiment):
    # Outside the repository, with no results/ folder: the experiment's default output
    # (results/NAME.h5, relative to the working directory) gets its folder created, by the
    # CLI and by tribe.run alike; an output the user names must be in an existing folder.
    del small_experiment["experiment"]["output"]
    exp = tmp_path / "small.toml"
    exp.write_text(tribe.experiment_text(small_experiment))
    here = tmp_path / "cli"
    here.mkdir()
    c = cli("run", exp, "--orgs-per-cell", "5", "--quiet", cwd=here)
    assert c.returncode == 0, c.stderr
    assert tribe.open(here / "results" / "small.h5").n_organizations == 20
    there = tmp_path / "py"
    there.mkdir()
    old = os.getcwd()
    try:
        os.chdir(there)
        r = tribe.run(exp, orgs_per_cell=5, progress=False)
    finally:
        os.chdir(old)
    assert os.path.abspath(os.path.join(there, r.path)) == str(there / "results" / "small.h5")
    bad = cli("run", exp, "--orgs-per-cell", "5", "-o", tmp_path / "nosuch" / "x.h5", cwd=here)
    assert bad.returncode == 3 and "does not exist" in bad.stderr


def test_experiment_text_round_trips_awkward_strings():
    # The TOML written for a dict (tomli-w) reads back (tomllib) as the same dict, whatever
    # the text: quotes, backslashes, control characters, U+007F, non-ASCII, newlines.
    import tomllib

    awkward = [
        'plain',
        'a "quoted" word',
        "back\\slash",
        "tab\tand\nnewline",
        "\x7f delete",
        "\x01\x1f",
        "ünïcödé — ✓",
        "'single'",
        "trailing space ",
        "",
        "[not a table]",
        "key = value",
    ]
    for text in awkward:
        d = {
            "experiment": {"name": "x", "description": text},
            "claims": [{"id": "c", "statement": text, "a": {"structure": "flat"}}],
        }
        back = tomllib.loads(tribe.experiment_text(d))
        assert back == d, text
    with pytest.raises(TypeError, match="experiment value"):
        tribe.experiment_text({"experiment": {"name": object()}})


# Python's spelling of an option (ci_width = 0.9, max_orgs_per_cell) as the CLI's (--ci-width 0.9).
_OPTIONS = (
    "seed",
    "orgs_per_cell",
    "threads",
    "backend",
    "ci_width",
    "ci_columns",
    "max_orgs_per_cell",
    "rows_per_part",
    "shard",
    "output",
)


def _as_cli(message: str) -> str:
    import re

    message = re.sub(r'\boutput = ""', '-o/--output ""', message)
    for name in _OPTIONS:
        message = re.sub(rf"(?<![-\w]){name} = ", f"--{name.replace('_', '-')} ", message)
        message = re.sub(rf"(?<![-\w]){name}(?![\w])", f"--{name.replace('_', '-')}", message)
    return message


def test_both_front_ends_refuse_the_same_requests_with_the_same_messages(tmp_path, cli, small_experiment):
    # One request, checked once (job::resolve): the CLI and tribe.run refuse the same bad
    # requests with the same line, up to how each spells its options (issue 29).
    exp = tmp_path / "small.toml"
    exp.write_text(tribe.experiment_text(small_experiment))
    out = str(tmp_path / "out.h5")
    cases = [
        (["--seed", "-1"], dict(seed=-1)),
        (["--orgs-per-cell", "0"], dict(orgs_per_cell=0)),
        (["--threads", "5000"], dict(threads=5000)),
        (["--backend", "cuda"], dict(backend="cuda")),
        (["--ci-width", "0.9"], dict(ci_width=0.9)),
        (["--ci-width", "0.1", "--ci-columns", "nosuch"], dict(ci_width=0.1, ci_columns=["nosuch"])),
        (["--ci-columns", "solve_rate"], dict(ci_columns=["solve_rate"])),
        (["--max-orgs-per-cell", "50"], dict(max_orgs_per_cell=50)),
        (["--ci-width", "0.1", "--max-orgs-per-cell", "5"], dict(ci_width=0.1, max_orgs_per_cell=5)),
        (["--rows-per-part", "0"], dict(rows_per_part=0)),
    ]
    for flags, kwargs in cases:
        c = cli("run", exp, "-o", out, *flags)
        assert c.returncode == 2, (flags, c.stderr)
        cli_line = c.stderr.strip().removeprefix("tribe: error: ")
        with pytest.raises(tribe.InputError) as e:
            tribe.run(exp, output=out, progress=False, **kwargs)
        assert _as_cli(str(e.value)) == cli_line, (flags, str(e.value), cli_line)
    # The output over the experiment file, and an empty output: refused by both.
    c = cli("run", exp, "-o", exp, "--overwrite")
    with pytest.raises(tribe.InputError) as e:
        tribe.run(exp, output=exp, overwrite=True, progress=False)
    assert c.returncode == 2 and str(e.value) == c.stderr.strip().removeprefix("tribe: error: ")
    assert "is the experiment file itself" in str(e.value) and exp.read_text().startswith("[")
    c = cli("run", exp, "-o", "")
    with pytest.raises(tribe.InputError) as e:
        tribe.run(exp, output="", progress=False)
    assert _as_cli(str(e.value)) == c.stderr.strip().removeprefix("tribe: error: ")
