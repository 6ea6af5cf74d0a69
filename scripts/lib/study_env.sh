# Sourced by the scripts that run studies (scripts/run-*.sh), from the repository's root:
# sets up everything (Debian packages, release build), makes results/, and names the
# program ($tribe) and the Python package (import tribe, tribe.plot) as setup.sh built them.
bash scripts/setup.sh
mkdir -p results
tribe=build/release/bin/tribe
export PYTHONPATH="$PWD/build/release/python${PYTHONPATH:+:$PYTHONPATH}"
