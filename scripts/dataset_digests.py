#!/usr/bin/python3
"""The SHA-256 of every dataset of result files, one line each: FILE DATASET DIGEST.

    /usr/bin/python3 scripts/dataset_digests.py results/*.h5 > digests.txt

For a change that must not change any result (a refactoring): run the same experiments
with the program before and after, and compare the two listings (`diff`). Attributes are
left out: provenance (time, host, git revision) differs between any two runs.
"""
import hashlib
import sys

import h5py


def digests(path):
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            value = obj[()]
            data = value.tobytes() if obj.dtype.kind != "O" else repr(value.tolist()).encode()
            out[name] = hashlib.sha256(data).hexdigest()

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


if __name__ == "__main__":
    for path in sys.argv[1:]:
        for name, digest in sorted(digests(path).items()):
            print(path.rsplit("/", 1)[-1], name, digest)
