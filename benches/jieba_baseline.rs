//! The reference point of `scripts/bench.sh`: bare jieba-rs over the same
//! corpus, with no ingest, extraction, modelling or store, so that zhkg's
//! extract throughput can be read as a fraction of what segmentation alone
//! costs.
//!
//! ```sh
//! ZHKG_BENCH_CORPUS=/tmp/corpus cargo bench --bench jieba_baseline
//! ```
//!
//! Environment:
//! - `ZHKG_BENCH_CORPUS` (required): a folder of articles (`.txt`, `.html`,
//!   `.md`, read as UTF-8 as they are, markup included);
//! - `ZHKG_BENCH_THREADS` (default `1,2`): thread counts to measure;
//! - `ZHKG_BENCH_REPS` (default 3): timed passes per measurement, the fastest
//!   is reported (one untimed pass warms the caches first);
//! - `ZHKG_BENCH_WHOLE=1`: instead, one cold pass of `tag` at the first thread
//!   count and nothing else, so that the whole process (start-up, dictionary,
//!   reading the files, tagging) can be timed from outside, the way
//!   `scripts/bench.sh` times `zhkg extract`. It prints
//!   `jieba-tag-whole THREADS BYTES ARTICLES SECONDS MB_PER_S` with the
//!   in-process time of everything after `main` starts.
//!
//! It prints one tab-separated line per measurement:
//! `jieba-cut-hmm THREADS BYTES ARTICLES SECONDS MB_PER_S`, and the same for
//! `jieba-tag-hmm` (POS tagging, which is what zhkg's segmenter calls).
//! MB are 10^6 bytes of file content. The dictionary is loaded before the
//! clock starts.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its measurements"
)]

use std::path::PathBuf;
use std::time::Instant;

use jieba_rs::Jieba;
use rayon::prelude::*;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn read_corpus(dir: &str) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("ZHKG_BENCH_CORPUS={dir}: cannot list the folder: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "txt" || e == "html" || e == "md")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .collect()
}

/// Runs `pass` `reps` times after one warm-up and returns the fastest time in seconds.
fn best_of(reps: usize, pass: impl Fn() -> usize) -> f64 {
    std::hint::black_box(pass());
    (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(pass());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let Ok(dir) = std::env::var("ZHKG_BENCH_CORPUS") else {
        eprintln!("jieba_baseline: set ZHKG_BENCH_CORPUS to a folder of articles; skipping");
        return;
    };
    let threads: Vec<usize> = env_or("ZHKG_BENCH_THREADS", "1,2")
        .split(',')
        .map(|t| {
            t.trim()
                .parse()
                .expect("ZHKG_BENCH_THREADS: numbers such as 1,2")
        })
        .collect();
    let reps: usize = env_or("ZHKG_BENCH_REPS", "3")
        .parse()
        .expect("ZHKG_BENCH_REPS: a number");
    if std::env::var("ZHKG_BENCH_WHOLE").is_ok_and(|v| v == "1") {
        whole_process(&dir, threads[0]);
        return;
    }
    let texts = read_corpus(&dir);
    assert!(!texts.is_empty(), "{dir}: no .txt, .html or .md files");
    let bytes: usize = texts.iter().map(String::len).sum();
    let jieba = Jieba::new();
    for &n in &threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("a thread pool");
        let cut = pool.install(|| {
            best_of(reps, || {
                texts.par_iter().map(|t| jieba.cut(t, true).len()).sum()
            })
        });
        let tag = pool.install(|| {
            best_of(reps, || {
                texts.par_iter().map(|t| jieba.tag(t, true).len()).sum()
            })
        });
        for (name, secs) in [("jieba-cut-hmm", cut), ("jieba-tag-hmm", tag)] {
            println!(
                "{name}\t{n}\t{bytes}\t{}\t{secs:.4}\t{:.3}",
                texts.len(),
                bytes as f64 / 1e6 / secs
            );
        }
    }
}

/// One cold pass, as a whole process would make it: the dictionary loaded,
/// the files read and every article tagged, timed from the start of `main`.
fn whole_process(dir: &str, threads: usize) {
    let start = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let jieba = Jieba::new();
    let texts = read_corpus(dir);
    assert!(!texts.is_empty(), "{dir}: no .txt, .html or .md files");
    let bytes: usize = texts.iter().map(String::len).sum();
    let tokens: usize = pool.install(|| texts.par_iter().map(|t| jieba.tag(t, true).len()).sum());
    std::hint::black_box(tokens);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "jieba-tag-whole\t{threads}\t{bytes}\t{}\t{secs:.4}\t{:.3}",
        texts.len(),
        bytes as f64 / 1e6 / secs
    );
}
