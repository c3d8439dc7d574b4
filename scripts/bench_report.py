#!/usr/bin/env python3
"""Turns the raw timings of scripts/bench.sh into a Markdown report.

Input: a TSV of `kind label threads nanoseconds [extra]` lines (kinds:
startup, extract, jieba, jiebawhole, loader, build, unchanged, changed, forced, size, compacted,
loadersize, nquads, query) and a folder
of GNU `time -v` outputs named by label (for peak memory). Output, on
standard output: the corpus and machine, a throughput table and a query
latency table.
"""
import argparse
import os
import platform
import re
import subprocess
import sys


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def peak_rss_mb(times_dir, label):
    """Maximum resident set size in MB (10^6 bytes) from `time -v`, or None."""
    path = os.path.join(times_dir, label)
    try:
        with open(path, encoding="utf-8") as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    except OSError:
        return None
    return int(m.group(1)) * 1024 / 1e6 if m else None


def fmt(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


REPEATED = ("extract", "jiebawhole")


def best_runs(rows):
    """Rows with each repeated whole-process step (extract and its jieba
    reference, run BENCH_RUNS times) kept once, at its best time; and, per
    repeated step, the times of all its runs in seconds."""
    runs, first, kept = {}, {}, []
    for r in rows:
        if r[0] in REPEATED:
            key = (r[0], r[1], r[2])
            runs.setdefault(key, []).append(int(r[3]) / 1e9)
            if key in first:
                continue
            first[key] = len(kept)
        kept.append(r)
    for key, i in first.items():
        k, label, t, _, extra = kept[i]
        kept[i] = (k, label, t, str(int(min(runs[key]) * 1e9)), extra)
    return kept, runs


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--results", required=True)
    ap.add_argument("--times", required=True)
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--command", default="bash scripts/bench.sh")
    ap.add_argument("--build", default="release build", help="how zhkg was built")
    a = ap.parse_args()

    rows = []
    with open(a.results, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            kind, label, threads, value = parts[:4]
            extra = parts[4] if len(parts) > 4 else ""
            rows.append((kind, label, int(threads), value, extra))
    if not rows:
        sys.exit("bench_report: no results in " + a.results)
    rows, spread = best_runs(rows)

    mb = a.bytes / 1e6
    # extract's reference: jieba-rs tagging as a whole process (start-up,
    # dictionary, reading the files, one cold pass), timed as extract is.
    # The warm tagging loop alone is reported beside it.
    jieba_tag = {t: mb / (int(v) / 1e9) for k, _, t, v, _ in rows if k == "jiebawhole"}
    jieba_loop = {
        t: mb / (int(v) / 1e9) for k, l, t, v, _ in rows if k == "jieba" and "tag" in l
    }
    # Oxigraph's bulk loader alone on zhkg's N-Quads: articles per second.
    loader = [a.articles / (int(v) / 1e9) for k, _, _, v, _ in rows if k == "loader"]
    loader_aps = loader[-1] if loader else None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"

    out = []
    out.append(
        f"Corpus: {a.articles:,} articles, {mb:.2f} MB "
        f"(`gen_corpus.py -n {a.articles} --seed {a.seed}`). "
        f"Machine: {os.cpu_count()} × {cpu_model()} (`nproc` = {os.cpu_count()}), "
        f"Linux {platform.release()}. zhkg commit {commit}, {a.build}. "
        f"Command: `{a.command}`."
    )
    out.append("")
    out.append(
        "| step | threads | time (s) | articles/s | MB/s | peak RSS (MB) | vs its reference |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    names = {
        "jieba": None,
        "jiebawhole": "bare jieba-rs 0.11 `tag` (HMM) as a whole process: start-up, dictionary, "
        "reading the files, one cold pass; reference for extract",
        "extract": "`zhkg extract --jsonl` → /dev/null",
        "build": "`zhkg build`, new on-disk store",
        "unchanged": "`zhkg build` again, nothing changed",
        "changed": "`zhkg build` again, one article changed",
        "forced": "`zhkg build --force`, every graph re-extracted and replaced",
        "loader": "Oxigraph's bulk loader alone on zhkg's N-Quads (pyoxigraph `bulk_load` + `optimize`), reference for build",
    }
    order = ["jieba", "jiebawhole", "extract", "loader", "build", "unchanged", "changed", "forced"]
    for kind in order:
        for k, label, t, v, _ in sorted(
            (r for r in rows if r[0] == kind), key=lambda r: (r[1].rsplit("-", 1)[0], r[2])
        ):
            secs = int(v) / 1e9
            if kind == "jieba":
                what = label.rsplit("-", 1)[0].split("-")[1]
                name = f"bare jieba-rs 0.11 `{what}` (HMM), the loop alone, warm, dictionary loaded"
                rss = None
            else:
                name = names[kind]
                rss = peak_rss_mb(a.times, label)
            throughput = kind in ("jieba", "jiebawhole", "extract", "build", "forced", "loader")
            aps = a.articles / secs if throughput else None
            mbs = mb / secs if throughput else None
            # extract against jieba's tagger at the same thread count; build
            # against the loader alone.
            ratio = None
            if kind in ("jieba", "jiebawhole", "extract") and t in jieba_tag:
                ratio = mbs / jieba_tag[t]
            elif kind in ("build", "forced") and loader_aps:
                ratio = aps / loader_aps
            out.append(
                f"| {name} | {t} | {secs:.2f} | {fmt(aps, 0)} | {fmt(mbs, 2)} | {fmt(rss, 0)} | "
                f"{fmt(ratio, 3)} |"
            )
    out.append("")
    notes = []
    for (k, _, t), secs in sorted(spread.items()):
        if len(secs) > 1:
            name = "extract" if k == "extract" else "the jieba whole process"
            notes.append(
                f"{name} at {t} thread(s): best of {len(secs)} runs "
                f"({', '.join(f'{s:.2f}' for s in secs)} s)."
            )
    for k, _, t, v, _ in rows:
        if k == "extract" and t in jieba_loop:
            notes.append(
                f"extract at {t} thread(s) against the warm tagging loop alone: "
                f"{mb / (int(v) / 1e9) / jieba_loop[t]:.3f}×."
            )
    for k, label, t, v, extra in rows:
        if k == "startup":
            notes.append(
                f"Start-up (one tiny record through `zhkg extract --jsonl`: dictionary and "
                f"lexicons): {int(v) / 1e9:.2f} s, peak RSS {fmt(peak_rss_mb(a.times, label), 0)} MB."
            )
    for k, _, _, v, extra in rows:
        if k == "nquads":
            lines, distinct = int(v), int(extra or 0)
            notes.append(
                f"Graph per article (`extract --jsonl` N-Quads): {lines / a.articles:,.0f} quads "
                f"written, {distinct / a.articles:,.0f} distinct ({distinct:,} in all)."
            )
        if k == "loadersize":
            notes.append(
                f"The loader's store: {int(v) / 1e6:.1f} MB, {int(v) / a.articles / 1e3:,.1f} kB "
                f"per article" + (f", {int(extra):,} quads" if extra.isdigit() else "") + "."
            )
    sizes = [(t, int(v), extra) for k, _, t, v, extra in rows if k == "size"]
    if sizes:
        t, size, quads = sizes[-1]
        q = f", {int(quads):,} quads written" if quads.isdigit() else ""
        line = (
            f"Store on disk (`du -sb`) right after the build: {size / 1e6:.1f} MB "
            f"({size / a.articles / 1e3:,.1f} kB per article){q}"
        )
        compacted = [int(v) for k, _, t2, v, _ in rows if k == "compacted" and t2 == t]
        if compacted:
            c = compacted[-1]
            line += (
                f"; after the unchanged rebuild (RocksDB compacted): {c / 1e6:.1f} MB "
                f"({c / a.articles / 1e3:,.1f} kB per article)"
            )
        notes.append(line + ".")
    out.extend(notes)
    out.append("")
    queries = [r for r in rows if r[0] == "query"]
    if queries:
        out.append(
            "| query (`zhkg query NAME --format tsv`, best of 3 (1 when over 10 s), start-up included) | rows | ms |"
        )
        out.append("|---|---:|---:|")
        for _, label, _, v, extra in queries:
            ms = "timeout" if v == "timeout" else f"{int(v) / 1e6:,.0f}"
            out.append(f"| {label} | {extra or '—'} | {ms} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
