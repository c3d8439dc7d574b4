//! Build script: fingerprints the graph side of an article's graph (the RDF
//! model and the ontology) so that a store built by an older zhkg is
//! rebuilt, not skipped, even when the package version is unchanged. The
//! text core fingerprints itself (`zhkg_text::FINGERPRINT`). The fingerprint
//! is a 64-bit FNV-1a hash of the files below, in sorted order, exposed as
//! `ZHKG_GRAPH_FINGERPRINT`.

use std::path::{Path, PathBuf};

/// What the graph of an article depends on.
const INPUTS: &[&str] = &["src/rdf", "ontology/zhkg.ttl"];

fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        for e in entries.flatten() {
            files(&e.path(), out);
        }
    } else {
        out.push(path.to_owned());
    }
}

fn main() {
    let mut all = Vec::new();
    for i in INPUTS {
        println!("cargo:rerun-if-changed={i}");
        files(Path::new(i), &mut all);
    }
    all.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &all {
        let bytes = std::fs::read(f).unwrap_or_default();
        for b in f.to_string_lossy().bytes().chain(bytes) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=ZHKG_GRAPH_FINGERPRINT={h:016x}");
}
