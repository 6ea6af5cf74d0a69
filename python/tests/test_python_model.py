"""Models written in Python (tribe.Model): the engine's random streams reproduced exactly,
and a Python model run by the engine like one of its own."""

import os
import signal

import h5py
import numpy as np
import pytest

import tribe
from tribe.python_model import philox4x64

# Random123's known answers for Philox4x64-10 (the same as tests/unit/rng/stream_test.cpp).
KATS = [
    ((0, 0, 0, 0), (0, 0), (0x16554D9ECA36314C, 0xDB20FE9D672D0FDC, 0xD7E772CEE186176B, 0x7E68B68AEC7BA23B)),
    (
        (2**64 - 1,) * 4,
        (2**64 - 1,) * 2,
        (0x87B092C3013FE90B, 0x438C3C67BE8D0224, 0x9CC7D7C69CD777B6, 0xA09CAEBF594F0BA0),
    ),
    (
        (0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89),
        (0x452821E638D01377, 0xBE5466CF34E90C6C),
        (0xA528F45403E61D95, 0x38C72DBD566E9788, 0xA5A1610E72FD18B5, 0x57BD43B5E52B7FE6),
    ),
]


@pytest.mark.parametrize("counter,key,expected", KATS)
def test_philox_matches_random123_known_answers(counter, key, expected):
    assert philox4x64(counter, key) == list(expected)


def test_stream_layout_is_the_engines():
    # key = (seed, purpose); counter = (organization, draw block, substream, domain).
    seed, purpose = 0x452821E638D01377, 0xBE5466CF34E90C6C
    s = tribe.Stream(seed, purpose, 7, 11, 13)
    assert [s.next_u64() for _ in range(4)] == philox4x64((7, 0, 11, 13), (seed, purpose))
    assert s.next_u64() == philox4x64((7, 1, 11, 13), (seed, purpose))[0]


def test_samplers_give_the_engines_known_answers():
    # tests/unit/rng/stream_test.cpp, RngSamplers.KnownAnswers: stream (20261126, purpose, 0).
    s = tribe.Stream(20261126, 1, 0)
    expected = [0.25022895484394414, 0.75162747991713952, 0.87604434042474988, 0.03607262940897582, 0.59151114123195669]
    assert [s.uniform() for _ in expected] == expected
    i = tribe.Stream(20261126, 5, 0)
    assert [i.uniform_index(100) for _ in range(8)] == [80, 6, 88, 62, 89, 86, 77, 98]


class Coins(tribe.Model):
    name = "coins_py"
    version = "1.0.0"
    description = "flips: the number of heads of n fair-or-not coins"
    parameters = [
        tribe.integer("flips", 1, 1000, 10, "coins flipped"),
        tribe.real("p", 0, 1, 0.5, "probability of heads"),
        tribe.choice("label", ["a", "b"], "a", "a label the model ignores"),
        tribe.boolean("fail", False, "raise in simulate (to test the error path)"),
    ]
    columns = [
        tribe.column("heads", "count", "heads"),
        tribe.column("majority", "binary", "more heads than tails"),
    ]

    def check(self, params):
        if params["p"] == 1.0 and params["flips"] > 500:
            raise ValueError("p = 1 with flips > 500 is refused (a rule across two parameters)")

    def simulate(self, params, rng):
        if params["fail"] and rng.organization == 3:
            raise RuntimeError("the model failed on purpose")
        assert params["label"] in ("a", "b") and isinstance(params["flips"], int)
        s = rng.stream(1)
        heads = sum(s.bernoulli(params["p"]) for _ in range(params["flips"]))
        return [heads, 2 * heads > params["flips"]]


def experiment(**parameters):
    text = "\n".join(f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in parameters.items())
    return (
        '[experiment]\nname = "coins"\nmodel = "coins_py"\nseed = 3\norganizations_per_cell = 40\n'
        f"[parameters]\n{text}\n[factors]\np = [0.3, 0.7]\n"
    )


def test_a_python_model_runs_on_the_engine_and_its_rows_follow_the_streams(tmp_path):
    out = tmp_path / "coins.h5"
    r = tribe.run(experiment(flips=9), out, model=Coins(), progress=False)
    assert r.run_info["complete"]
    with h5py.File(out) as f:
        heads = f["organizations/heads"][()]
        cell = f["organizations/cell"][()]
        org = f["organizations/organization"][()]
        assert f.attrs["model"] in (b"coins_py", "coins_py")
    # Common random numbers: organization k of either cell draws from stream (3, 1, k).
    for c, p in enumerate([0.3, 0.7]):
        for k in range(40):
            s = tribe.Stream(3, 1, k)
            expected = sum(s.bernoulli(p) for _ in range(9))
            assert heads[(cell == c) & (org == k)][0] == expected
    # The same on every backend and thread count.
    again = tribe.run(experiment(flips=9), tmp_path / "tbb.h5", model=Coins(), backend="tbb", threads=2, progress=False)
    with h5py.File(again.path) as f:
        assert np.array_equal(f["organizations/heads"][()], heads)


def test_a_failing_python_model_raises_model_error_and_keeps_no_parts(tmp_path):
    out = tmp_path / "fail.h5"
    with pytest.raises(tribe.ModelError, match="RuntimeError at organization 3"):
        tribe.run(experiment(fail=True), out, model=Coins(), threads=1, progress=False)
    assert not out.exists()
    assert not os.path.exists(str(out) + ".parts")


def test_a_python_models_rules_and_name_are_checked(tmp_path):
    with pytest.raises(tribe.InputError, match="p = 1 with flips > 500"):
        refused = experiment(flips=600).replace("p = [0.3, 0.7]", "p = [0.5, 1.0]")
        tribe.run(refused, tmp_path / "x.h5", model=Coins(), progress=False)
    other = experiment().replace('model = "coins_py"', 'model = "leadership"')
    with pytest.raises(tribe.InputError):
        tribe.run(other, tmp_path / "y.h5", model=Coins(), progress=False)
    with pytest.raises(tribe.InputError, match="kind"):
        tribe.column("x", "text")
    # A built-in model's name cannot be taken.
    taken = type("Taken", (Coins,), {"name": "leadership"})
    with pytest.raises(tribe.InputError, match="built into tribe"):
        taken().define()


def datasets(path):
    """Every dataset's values (strings as text: an object array's bytes are pointers)."""
    out = {}

    def keep(name, obj):
        if isinstance(obj, h5py.Dataset):
            v = obj[()]
            out[name] = repr(v.tolist()) if v.dtype.kind == "O" else v.tobytes()

    with h5py.File(path) as f:
        f.visititems(keep)
    return out


def test_an_interrupted_python_model_run_resumes_to_the_same_datasets(tmp_path):
    # Ctrl-C while the engine runs a Python model: its parts are kept, and the same call
    # continues, as for an engine model; the result equals an undisturbed run's.
    text = experiment(flips=3).replace("organizations_per_cell = 40", "organizations_per_cell = 6000")
    opts = dict(model=Coins(), threads=1, rows_per_part=250)
    fired: list = []

    def interrupt_once(done, total, seconds):
        if not fired:
            fired.append(done)
            os.kill(os.getpid(), signal.SIGINT)

    out = tmp_path / "i.h5"
    with pytest.raises(tribe.Interrupted) as e:
        tribe.run(text, out, progress=interrupt_once, **opts)
    assert 0 < e.value.saved < e.value.total == 12000
    r = tribe.run(text, out, progress=False, resume=True, **opts)
    assert r.run_info["resumed_from"] == e.value.saved
    fresh = tribe.run(text, tmp_path / "fresh.h5", progress=False, **opts)
    assert datasets(r.path) == datasets(fresh.path)
