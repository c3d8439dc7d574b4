//! Build script: fingerprints the graph side of an article's graph (the RDF
//! model and the ontology) so that a store built by an older zhkg is
//! rebuilt, not skipped, even when the package version is unchanged. The
//! text core fingerprints itself (`zhkg_text::FINGERPRINT`) with the same
//! function. Exposed as `ZHKG_GRAPH_FINGERPRINT`.

include!("crates/zhkg-text/fingerprint.rs");

fn main() {
    let h = fingerprint(&["src/rdf", "ontology/zhkg.ttl"]);
    println!("cargo:rustc-env=ZHKG_GRAPH_FINGERPRINT={h}");
}
