//! Evaluation of article summaries against hand-made gold annotations.
//!
//! [`gold`] holds the serde types of the summary format (`FORMAT.md`), used
//! both for gold files and for `zhkg extract --format json`; [`score`]
//! compares a predicted summary with a gold one.
//!
//! # Scoring rules
//!
//! Categories are organisations, places, programmes, people, documents and
//! outcomes. Each gets true positives, false positives and false negatives
//! per article; totals are summed over articles (micro-averaged).
//!
//! **Entities** match by canonical `name` or any `aliases_in_text`, on either
//! side, after [`normalize_name`]: NFKC, removal of parenthesised pinyin
//! annotations (`開(kāi)化縣` → `開化縣`), then removal of quotes, brackets
//! and whitespace. No traditional→simplified conversion is done. Matching is
//! one-to-one and greedy in three passes: same canonical name, then one
//! side's name among the other's aliases, then any shared alias.
//!
//! - A prediction that matches a gold entity marked `incidental` is neither
//!   a true nor a false positive; an unmatched incidental gold entity is not
//!   a false negative. `incidental` and `context` flags in predictions are
//!   ignored (they are gold-only).
//! - Organisations and programmes accept each other: once each category has
//!   been matched on its own, a leftover predicted organisation may match a
//!   leftover gold programme of kind `facility` (customer-service centres,
//!   talent bases, service stations), and a leftover predicted programme may
//!   match a leftover gold organisation. The prediction counts as a true
//!   positive of the category it was predicted in, and the gold item is then
//!   not a false negative of its own category.
//!
//! **Outcomes** match one-to-one when the units are equal (case-insensitive;
//! `person` and `person-time` differ) and the values are within 1 % of the
//! gold value; a `[a, b]` range matches only a range with both ends within
//! 1 %. Among competing candidates the greedy matcher prefers the most text
//! overlap (longest common substring of the normalised `text`s), then the
//! same metric, the same subject, a non-`context` gold figure and the closer
//! value. A prediction matching a `context: true` gold figure is not counted;
//! an unmatched context figure is not a false negative. Among matched
//! outcomes the metric (case-insensitive) and the subject are then scored:
//! a subject is right when its normalised form equals the gold subject, the
//! gold subject's head before a trailing parenthetical qualifier, or any name
//! or alias of a gold entity in the same article that the gold subject
//! names.
//!
//! Precision, recall and F1 are 1 when a category is empty on both sides,
//! and 0 when there is no true positive otherwise.

pub mod gold;
pub mod score;
pub mod summary;

pub use gold::{
    ArticleSummary, DateMention, Document, EvalError, Organization, Outcome, OutcomeValue, Person,
    Place, Program, parse_dir,
};
pub use score::{
    ArticleScore, Category, CategoryScore, Counts, OutcomeCounts, OutcomeMismatch, OutcomeScore,
    Report, Totals, VALUE_TOLERANCE, normalize_name, score_all, score_article,
};
