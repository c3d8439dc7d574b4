//! Build script: fingerprints the text core (its code and its data) so that
//! a store built by an older extractor is rebuilt, not skipped, even when the
//! package version is unchanged. The fingerprint is a 64-bit FNV-1a hash of
//! the files below, in sorted order, exposed as `ZHKG_TEXT_FINGERPRINT`
//! (and as `zhkg_text::FINGERPRINT`).

use std::path::{Path, PathBuf};

/// What an article's extraction depends on: all of this crate's code and data.
const INPUTS: &[&str] = &["src"];

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
    println!("cargo:rustc-env=ZHKG_TEXT_FINGERPRINT={h:016x}");
}
