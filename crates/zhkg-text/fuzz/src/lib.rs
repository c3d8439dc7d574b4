//! Invariants shared by the fuzz targets in `fuzz_targets/`.
//!
//! Each check panics with a message naming the broken invariant, so that
//! libFuzzer reports it as a crash and keeps the input.

use zhkg_text::extract::Extraction;
use zhkg_text::extract::numbers::{FoundQuantity, decimal};
use zhkg_text::ingest::{Article, MappedText};

/// Every character of `t` maps to a span of the `original_len` characters
/// of its original, and the two lists have one entry per character.
pub fn check_mapped(t: &MappedText, original_len: usize, step: &str) {
    assert_eq!(
        t.chars().len(),
        t.origins().len(),
        "{step}: one origin per character"
    );
    for (i, o) in t.origins().iter().enumerate() {
        assert!(
            o.start <= o.end && o.end as usize <= original_len,
            "{step}: character {i} ({:?}) maps to {o:?}, outside the original's {original_len} characters",
            t.chars()[i]
        );
    }
}

/// The article's text maps into its original, and the original can be
/// sliced at every span it records.
pub fn check_article(a: &Article) {
    let n = a.original.chars().count();
    check_mapped(&a.text, n, "article text");
    let index = a.original_index();
    for o in a.text.origins() {
        let _ = index.slice(o);
    }
    for r in &a.removed {
        let _ = format!("{r:?}");
    }
    assert!(
        !a.text
            .chars()
            .iter()
            .any(|&c| c == '\r' || (c.is_control() && c != '\n')),
        "normalised text keeps a control character: {:?}",
        a.body()
    );
}

/// `s` is a valid `xsd:decimal` lexical form, as the model writes values.
pub fn is_xsd_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A value the graph will carry: finite, not negative, and written as a
/// valid `xsd:decimal`.
pub fn check_value(v: f64, what: &str) {
    assert!(v.is_finite() && v >= 0.0, "{what}: value {v}");
    let d = decimal(v);
    assert!(is_xsd_decimal(&d), "{what}: {v} is written {d:?}");
}

/// Quantities found in `text`: their ranges lie in the text, the number
/// starts inside its expression, and their values are writable.
pub fn check_quantities(text: &str, found: &[FoundQuantity]) {
    let n = text.chars().count();
    for q in found {
        assert!(
            q.range.start <= q.number_start && q.number_start < q.range.end && q.range.end <= n,
            "quantity {q:?} out of its text of {n} characters"
        );
        check_value(q.quantity.value, "quantity");
        if let Some(m) = q.quantity.max {
            check_value(m, "range maximum");
        }
    }
}

/// An extraction of `a`: mentions and figures lie in the normalised text,
/// their words are the text's words there, their original spans are
/// non-empty and inside the original, and every key they use is an entity.
pub fn check_extraction(a: &Article, ex: &Extraction) {
    let chars = a.text.chars();
    let n = a.original.chars().count() as u32;
    let index = a.original_index();
    for m in &ex.mentions {
        assert!(
            m.range.start < m.range.end && m.range.end <= chars.len(),
            "mention outside the text: {m:?}"
        );
        let words: String = chars[m.range.clone()].iter().collect();
        assert_eq!(
            words, m.text,
            "mention words differ from the text at {:?}",
            m.range
        );
        assert!(
            m.span.start < m.span.end && m.span.end <= n,
            "mention span outside the original of {n} characters: {m:?}"
        );
        assert!(!index.slice(&m.span).is_empty(), "{m:?}");
        assert!(m.sentence < ex.sentences.len().max(1), "{m:?}");
        assert!(
            ex.entities.contains_key(&m.entity),
            "mention of an unknown entity: {m:?}"
        );
    }
    for o in &ex.observations {
        assert!(
            o.range.start < o.range.end && o.range.end <= chars.len(),
            "figure outside the text: {o:?}"
        );
        assert!(
            o.span.start < o.span.end && o.span.end <= n,
            "figure span outside the original of {n} characters: {o:?}"
        );
        assert!(!index.slice(&o.span).is_empty(), "{o:?}");
        check_value(o.quantity.value, "figure");
        if let Some(m) = o.quantity.max {
            check_value(m, "figure maximum");
        }
        if let Some(s) = &o.subject {
            assert!(
                ex.entities.contains_key(s),
                "figure about an unknown entity: {o:?}"
            );
        }
    }
    for r in &ex.relations {
        assert!(
            ex.entities.contains_key(&r.subject) && ex.entities.contains_key(&r.object),
            "relation between unknown entities: {r:?}"
        );
        assert!((0.0..=1.0).contains(&r.confidence), "{r:?}");
    }
}
