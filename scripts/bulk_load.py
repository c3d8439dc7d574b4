#!/usr/bin/env python3
"""Oxigraph's own bulk loader alone, the reference `scripts/bench.sh` sets
`zhkg build` against: loads an N-Quads file into a new on-disk store with
pyoxigraph's `bulk_load`, then compacts it with `optimize` (zhkg build
compacts after a large load too), and prints the quads stored.

usage: bulk_load.py STORE_DIR FILE.nq
"""
import sys

import pyoxigraph


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    store_dir, nq = sys.argv[1], sys.argv[2]
    store = pyoxigraph.Store(store_dir)
    store.bulk_load(path=nq, format=pyoxigraph.RdfFormat.N_QUADS)
    store.optimize()
    print(f"quads {len(store)}")
    print(f"pyoxigraph {pyoxigraph.__version__}")


if __name__ == "__main__":
    main()
