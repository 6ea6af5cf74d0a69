"""Condorcet's jury in Python: the prototype of condorcet.cpp, drawing the same random numbers.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/model_plugin/condorcet.py \\
        examples/model_plugin/condorcet.toml condorcet_py.h5 --orgs-per-cell 300

writes a result file whose datasets are byte-identical to those of the C++ library run on
the same experiment (tests/packaging/model_plugin.sh checks it): the same streams (purpose
1 for the members' competences, 2 for the votes), the same samplers, the same arithmetic.
"""

import argparse

import tribe

COMPETENCE, VOTE = 1, 2  # the streams' purposes, as condorcet.cpp's enum Purpose


class Condorcet(tribe.Model):
    name = "condorcet"
    version = "1.0.0"
    description = (
        "Condorcet's jury: a team votes on a question with a right answer, each member right with "
        "its own probability; the majority decides."
    )
    parameters = [
        tribe.integer("members", 1, 10001, 5, "members of the team"),
        tribe.real("competence", 0, 1, 0.6, "mean probability that a member votes right"),
        tribe.real(
            "spread",
            0,
            1,
            0,
            "each member's probability is uniform on competence +- spread * min(competence, 1 - competence)",
        ),
    ]
    columns = [
        tribe.column("right", "binary", "the majority is right (a tie: a fair coin)"),
        tribe.column("votes_right", "count", "members who voted right"),
        tribe.column("margin", "real", "(right - wrong votes) / members"),
    ]

    def simulate(self, params, rng):
        competence, vote = rng.stream(COMPETENCE), rng.stream(VOTE)
        c, n = params["competence"], params["members"]
        half_width = params["spread"] * min(c, 1.0 - c)
        right = 0
        for _ in range(n):
            ci = competence.uniform(c - half_width, c + half_width)
            right += vote.bernoulli(ci)
        wrong = n - right
        majority_right = right > wrong if right != wrong else vote.bernoulli(0.5)
        return {"right": majority_right, "votes_right": right, "margin": (right - wrong) / n}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiment")
    parser.add_argument("output")
    parser.add_argument("--orgs-per-cell", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--backend", default="openmp")
    a = parser.parse_args()
    tribe.run(
        a.experiment,
        a.output,
        model=Condorcet(),
        orgs_per_cell=a.orgs_per_cell,
        threads=a.threads,
        backend=a.backend,
        overwrite=True,
        progress=False,
    )
