//! The whole extraction of one article, as `zhkg build` runs it but without
//! a store: ingest, segmentation, every extractor and the RDF model. Spans
//! must map to the right words and every key must name an entity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhkg::ingest::{ArticleId, IngestOptions, parse_article};
use zhkg::pipeline::process_article;
use zhkg_fuzz::{check_article, check_extraction};

fuzz_target!(|data: &[u8]| {
    let Ok(a) = parse_article(
        ArticleId::new("fuzz"),
        data,
        None,
        &IngestOptions::default(),
    ) else {
        return;
    };
    check_article(&a);
    // Unguarded: a panic in an extractor is a crash here, not an error.
    let p = process_article(a);
    check_extraction(&p.article, &p.extraction);
    assert!(!p.graph.quads.is_empty(), "an article graph without quads");
});
