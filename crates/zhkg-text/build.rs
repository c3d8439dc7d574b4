//! Build script: fingerprints the text core (its code and its data) so that
//! a store built by an older extractor is rebuilt, not skipped, even when the
//! package version is unchanged. Exposed as `ZHKG_TEXT_FINGERPRINT` (and as
//! `zhkg_text::FINGERPRINT`); see `fingerprint.rs`.

include!("fingerprint.rs");

fn main() {
    // What an article's extraction depends on: all of this crate's code and data.
    let h = fingerprint(&["src"]);
    println!("cargo:rustc-env=ZHKG_TEXT_FINGERPRINT={h}");
}
