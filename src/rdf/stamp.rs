//! The content stamp recorded on each article graph (`zhkg:contentHash`):
//! the hash of the file's bytes, the extractor's version and the
//! fingerprints of the code and data that made the graph. A build re-extracts
//! an article exactly when its stamp would differ from the stored one.
//!
//! [`Stamp`] owns the stamp's format, its writing as an RDF literal, its
//! reading back from the store and the comparison.

use std::fmt;

use oxigraph::model::{Literal, Term};

/// The version of zhkg that extracts (the package version).
pub const EXTRACTOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A fingerprint of the graph side's code and data (the RDF model and the
/// ontology, see `build.rs`); the text core has its own,
/// [`zhkg_text::FINGERPRINT`].
pub const GRAPH_FINGERPRINT: &str = env!("ZHKG_GRAPH_FINGERPRINT");

/// A content stamp: `sha256:<hash>;zhkg-<version>+<text fingerprint>.<graph fingerprint>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp(String);

impl Stamp {
    /// The stamp this build of zhkg gives a file whose bytes hash to
    /// `hash` (hex SHA-256).
    pub fn of(hash: &str) -> Self {
        Self(format!(
            "sha256:{hash};zhkg-{EXTRACTOR_VERSION}+{}.{GRAPH_FINGERPRINT}",
            zhkg_text::FINGERPRINT
        ))
    }

    /// A stamp as the store holds it (any text: stamps of other versions
    /// are read as they are and simply differ).
    pub fn read(text: &str) -> Self {
        Self(text.to_owned())
    }

    /// A stamp from the object of a `zhkg:contentHash` triple, when it is a
    /// literal.
    pub fn from_term(term: &Term) -> Option<Self> {
        match term {
            Term::Literal(l) => Some(Self::read(l.value())),
            _ => None,
        }
    }

    /// The literal written in the graph.
    pub fn to_literal(&self) -> Literal {
        Literal::new_simple_literal(&self.0)
    }

    /// The file hash the stamp records, when it has the current layout.
    pub fn file_hash(&self) -> Option<&str> {
        self.0.strip_prefix("sha256:")?.split(';').next()
    }

    /// True when a file hashing to `hash` needs no extraction: this stamp is
    /// the one this build would write for it.
    pub fn is_current_for(&self, hash: &str) -> bool {
        *self == Self::of(hash)
    }

    /// The stamp's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_round_trips_and_compares_by_file_and_extractor() {
        let hash = "ab".repeat(32);
        let s = Stamp::of(&hash);
        assert!(s.as_str().starts_with("sha256:abab"));
        assert!(s.as_str().contains(&format!("zhkg-{EXTRACTOR_VERSION}+")));
        assert_eq!(s.file_hash(), Some(hash.as_str()));
        // Written as a literal and read back, it is the same stamp.
        let back = Stamp::from_term(&Term::Literal(s.to_literal())).unwrap();
        assert_eq!(back, s);
        assert!(back.is_current_for(&hash));
        // Another file, or a stamp of another extractor, is not current.
        assert!(!back.is_current_for(&"cd".repeat(32)));
        let older = Stamp::read(&format!("sha256:{hash};zhkg-0.0.1+old.old"));
        assert!(!older.is_current_for(&hash));
        assert_eq!(older.file_hash(), Some(hash.as_str()));
        assert_eq!(Stamp::read("garbage").file_hash(), None);
    }
}
