//! Evaluation of article summaries against hand-made gold annotations.
//!
//! [`gold`] holds the serde types of the summary format (`FORMAT.md`), used
//! both for gold files and for `zhkg extract --format json`; [`score`]
//! compares a predicted summary with a gold one.
//!
//! # Scoring rules
//!
//! The rules are those of the reference scorer `shared/gold/score.py`, and a
//! test holds the two to the same figures on the seeds and the development
//! set. Categories are organisations, places, programmes (documents count
//! among them), people, all four pooled (`entities`, which ignores the kind,
//! so a centre found as an organisation still counts there) and outcomes.
//! Counts are summed over articles (micro-averaged); precision and recall
//! are 0 when their denominator is.
//!
//! **Entities** match by any shared name or alias after [`normalize_name`]
//! (NFKC, parenthesised pinyin dropped, quotes, title marks, parentheses,
//! middle dots and white space removed; no traditional→simplified folding),
//! or when one name of two characters or more contains the other and covers
//! at least two thirds of it (巨鹿 ↔ 巨鹿县). Matching is one-to-one and
//! greedy in prediction order: a prediction takes the first free counted
//! gold item it matches, else the first free `incidental` one, which is
//! neither rewarded nor penalised.
//!
//! **Outcomes** match one-to-one in prediction order when any predicted
//! number (both ends of a range) is within 1 % of the larger of it and any
//! gold number (the value, both ends of a range, and the `range` key), and
//! the units are compatible: the same after folding spellings (`人` =
//! `person`, `元` = `CNY`, `%` = `percent`), or both counts of things
//! (`person`, `person-time`, `count`, `job`, `call`, `character`). A gold
//! `context` figure is taken only after the counted ones and is not scored.
//! Among matched outcomes three things are scored: the **subject** (the
//! predicted subject names the gold subject, without an annotator's trailing
//! parenthesised note, or any name or alias of the gold entity it names,
//! by the entity rule above), the **metric** name (exactly, after
//! normalisation) and the **metric family** (the stated `metric_family`, else
//! [`metric_family`] of the name: `FORMAT.md`'s thirteen families by
//! keyword, first match wins).

pub mod gold;
pub mod score;
pub mod summary;

pub use gold::{
    ArticleSummary, DateMention, Document, EvalError, Organization, Outcome, OutcomeValue, Person,
    Place, Program, parse_dir,
};
pub use score::{
    ArticleScore, Category, CategoryScore, Counts, OutcomeCounts, OutcomeMismatch, OutcomeScore,
    Report, Totals, VALUE_TOLERANCE, metric_family, normalize_name, score_all, score_article,
};
