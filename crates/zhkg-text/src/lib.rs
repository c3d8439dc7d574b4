//! # zhkg-text
//!
//! The text core of zhkg: from the bytes of a Chinese news article to the
//! entities, outcomes and relations it states, each tied to a sentence and a
//! character span of the original. Nothing here knows RDF or the store; the
//! `zhkg` crate turns an [`extract::Extraction`] into quads.
//!
//! The stages, in pipeline order, with typed values between them:
//!
//! - [`ingest`]: bytes → [`ingest::Article`] (encoding, markup, script,
//!   furniture, metadata, and a map back to the original characters);
//! - [`segment`]: jieba-rs with the domain dictionary → tokens;
//! - [`extract`]: entities, mentions, outcomes and relations →
//!   [`extract::Extraction`];
//!
//! with [`lexicon`] (the gazetteers and word lists every stage reads) and
//! [`error`] (why an article could not be read).
//!
//! ```
//! use zhkg_text::ingest::{ArticleId, IngestOptions, parse_article};
//!
//! let text = "阿里巴巴巨鹿县客户体验中心有当地员工196人。";
//! let article = parse_article(ArticleId::new("demo"), text.as_bytes(), None, &IngestOptions::default())?;
//! let extraction = zhkg_text::extract::extract(&article);
//! assert!(extraction.entities.values().any(|e| e.label == "巨鹿县" && e.code() == Some(130529)));
//! assert_eq!(extraction.observations[0].metric, "employees");
//! # Result::<_, Box<dyn std::error::Error>>::Ok(())
//! ```

pub mod error;
pub mod extract;
pub mod ingest;
pub mod lexicon;
pub mod segment;

pub use error::IngestError;

/// A fingerprint of this crate's code and data (see `build.rs`): it changes
/// whenever an extractor, a lexicon or the ingest rules change, so that a
/// store built by an older extractor is rebuilt.
pub const FINGERPRINT: &str = env!("ZHKG_TEXT_FINGERPRINT");

/// Builds the shared models that every article needs before the first one,
/// on two threads: jieba's dictionary with the lexicon's names on one;
/// jieba's tagging model for unknown words, the lexicon, the ingest and
/// number patterns and the gazetteer automaton on the other. Start-up then takes about the longer of the two halves instead of
/// their sum. Calling it is optional: each model is otherwise built when
/// first used, and the results are the same.
pub fn warm_up() {
    std::thread::scope(|s| {
        s.spawn(|| {
            std::sync::LazyLock::force(&segment::SEGMENTER);
        });
        // A word jieba's (here empty) dictionary lacks loads the tagging
        // model, shared by every jieba instance.
        jieba_rs::Jieba::empty().tag("中", true);
        std::sync::LazyLock::force(&lexicon::LEXICON);
        // A traditional, furnished little article: the ingest tables and patterns.
        let _ = ingest::parse_article(
            ingest::ArticleId::new("warm-up"),
            "記者 張三\n縣裡有員工196人。\n".as_bytes(),
            None,
            &ingest::IngestOptions::default(),
        );
        extract::numbers::find_quantities("员工196人,增长12%");
        // The gazetteer's automaton needs only the lexicon; it asks the
        // segmenter about a few names at the end, waiting for it there.
        std::sync::LazyLock::force(&extract::gazetteer::GAZETTEER);
    });
}

/// The project's seed articles, for tests: found from the package's folder
/// as `cargo test` gives it when the test runs (`CARGO_MANIFEST_DIR`), so
/// that a test binary built in another checkout sharing the target folder
/// reads this checkout's seeds; the folder at build time outside cargo.
#[cfg(test)]
pub(crate) fn seeds_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(
            || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            std::path::PathBuf::from,
        )
        .join("../../seeds")
}
