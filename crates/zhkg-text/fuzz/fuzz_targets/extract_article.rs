//! The whole extraction of one article, as `zhkg build` runs it but without
//! the graph side: ingest, segmentation and every extractor. Spans must map
//! to the right words and every key must name an entity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhkg_text::ingest::{ArticleId, IngestOptions, parse_article};
use zhkg_text::extract::extract;
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
    let ex = extract(&a);
    check_extraction(&a, &ex);
});
