//! Decoding and normalisation: any bytes, through encoding detection (and a
//! forced legacy encoding), markup, pinyin, width and script normalisation
//! and furniture removal. Every step must keep its map back to the
//! original characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhkg_text::ingest::{
    ArticleId, IngestOptions, MappedText, NormalizeStats, decode, furniture, markup, normalize,
    parse_article,
};
use zhkg_fuzz::{check_article, check_mapped};

fuzz_target!(|data: &[u8]| {
    // The whole of ingest, with detection, as `zhkg build` reads a file.
    if let Ok(a) = parse_article(
        ArticleId::new("fuzz"),
        data,
        None,
        &IngestOptions::default(),
    ) {
        check_article(&a);
    }
    // A forced encoding (`--encoding`) must decode anything.
    let forced = [
        encoding_rs::UTF_8,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
        encoding_rs::UTF_16LE,
    ][data.len() % 4];
    let Ok(d) = decode::decode(data, Some(forced)) else {
        return;
    };
    // Each step on its own, whatever the format: markup parsers see text
    // that is not markup, and normalisation sees markup.
    let n = d.text.chars().count();
    let raw = MappedText::from_original(&d.text);
    let (html, _) = markup::html_to_text(&raw);
    check_mapped(&html, n, "html_to_text");
    let (md, _) = markup::markdown_to_text(&raw);
    check_mapped(&md, n, "markdown_to_text");
    let mut stats = NormalizeStats::default();
    let stripped = normalize::strip_pinyin_and_mark_lost(&raw, &mut stats);
    check_mapped(&stripped, n, "strip_pinyin_and_mark_lost");
    assert!(
        stripped.len() <= raw.len(),
        "pinyin stripping adds characters"
    );
    let folded = normalize::fold_width(&stripped);
    check_mapped(&folded, n, "fold_width");
    let simple = normalize::to_simplified(&folded, &mut stats);
    check_mapped(&simple, n, "to_simplified");
    assert_eq!(simple.len(), folded.len(), "to_simplified is one-to-one");
    let cleaned = furniture::clean(&simple);
    check_mapped(&cleaned.text, n, "furniture::clean");
    let _ = normalize::simplify_str(&d.text);
});
