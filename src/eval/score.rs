//! Scoring of predicted article summaries against gold summaries.
//!
//! See the [module documentation](super) for the rules.

use std::ops::{Add, AddAssign};

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;

use super::gold::{
    ArticleSummary, Document, Organization, Outcome, OutcomeValue, Person, Place, Program,
};

/// Relative tolerance for outcome values: a predicted value matches when it is
/// within 1 % of the gold value.
pub const VALUE_TOLERANCE: f64 = 0.01;

// ---------------------------------------------------------------------------
// Name normalisation
// ---------------------------------------------------------------------------

/// Normalises an entity name or alias for comparison.
///
/// Applies NFKC (full-width letters, digits and brackets become ASCII), drops
/// parenthesised pinyin annotations such as the `(kāi)` in `開(kāi)化縣`, then
/// removes quotes, brackets and whitespace. Traditional characters are not
/// converted to simplified ones. For example `“開(kāi)化縣”` becomes `開化縣`
/// and `《报告》` becomes `报告`.
pub fn normalize_name(s: &str) -> String {
    strip_pinyin(s)
        .chars()
        .filter(|&c| !is_quote_or_bracket(c) && !is_space(c))
        .collect()
}

/// NFKC, then removal of parenthesised runs of lowercase Latin letters (with
/// tone marks); everything else is kept.
fn strip_pinyin(s: &str) -> String {
    let chars: Vec<char> = s.nfkc().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            if let Some(close) = pinyin_close(&chars, i) {
                i = close + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// If `chars[open]` starts a pinyin annotation `(…)`, the index of its `)`.
fn pinyin_close(chars: &[char], open: usize) -> Option<usize> {
    let mut letters = 0usize;
    for (j, &c) in chars.iter().enumerate().skip(open + 1) {
        if c == ')' {
            return (letters > 0).then_some(j);
        }
        if is_pinyin_letter(c) {
            letters += 1;
        } else if !matches!(c, '\u{0300}'..='\u{036F}') {
            return None;
        }
    }
    None
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase()
        || (c.is_lowercase() && matches!(c, '\u{00DF}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'))
}

/// Quotes and brackets removed by [`normalize_name`] (after NFKC, which maps
/// full-width forms such as `（）［］＂` to ASCII).
const QUOTES_AND_BRACKETS: &str =
    "\"'`“”„‟‘’‚‛«»‹›〝〞〟《》〈〉⟨⟩「」『』()[]{}<>【】〔〕〖〗〘〙〚〛⦅⦆";

fn is_quote_or_bracket(c: char) -> bool {
    QUOTES_AND_BRACKETS.contains(c)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

// ---------------------------------------------------------------------------
// Counts
// ---------------------------------------------------------------------------

/// True positives, false positives and false negatives of one category.
///
/// Serialises with the derived `precision`, `recall` and `f1` as well; the
/// false-negative count is written as `fn`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predictions that match a (non-incidental) gold item.
    pub tp: usize,
    /// Predictions that match no gold item.
    pub fp: usize,
    /// Gold items (not incidental or context) that no prediction matches.
    pub fn_: usize,
}

impl Counts {
    /// Whether there was nothing to find and nothing was predicted.
    pub fn is_empty(&self) -> bool {
        self.tp == 0 && self.fp == 0 && self.fn_ == 0
    }

    /// `tp / (tp + fp)`; 1 when the category is empty, 0 when `tp` is 0.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp, self.is_empty())
    }

    /// `tp / (tp + fn)`; 1 when the category is empty, 0 when `tp` is 0.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_, self.is_empty())
    }

    /// Harmonic mean of precision and recall; 1 when the category is empty,
    /// 0 when `tp` is 0.
    pub fn f1(&self) -> f64 {
        if self.is_empty() {
            1.0
        } else if self.tp == 0 {
            0.0
        } else {
            let (p, r) = (self.precision(), self.recall());
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(num: usize, den: usize, empty: bool) -> f64 {
    if empty {
        1.0
    } else if num == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

impl Add for Counts {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            tp: self.tp + other.tp,
            fp: self.fp + other.fp,
            fn_: self.fn_ + other.fn_,
        }
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Counts", 6)?;
        st.serialize_field("tp", &self.tp)?;
        st.serialize_field("fp", &self.fp)?;
        st.serialize_field("fn", &self.fn_)?;
        st.serialize_field("precision", &self.precision())?;
        st.serialize_field("recall", &self.recall())?;
        st.serialize_field("f1", &self.f1())?;
        st.end()
    }
}

/// Outcome counts: detection counts plus metric and subject accuracy among
/// the matched outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    /// Detection counts (matching by value and unit).
    pub counts: Counts,
    /// Matched outcomes (equal to `counts.tp`).
    pub matched: usize,
    /// Matched outcomes whose predicted metric equals the gold metric.
    pub metric_correct: usize,
    /// Matched outcomes whose predicted subject names the gold subject.
    pub subject_correct: usize,
}

impl OutcomeCounts {
    /// `metric_correct / matched`, or `None` when nothing matched.
    pub fn metric_accuracy(&self) -> Option<f64> {
        (self.matched > 0).then(|| self.metric_correct as f64 / self.matched as f64)
    }

    /// `subject_correct / matched`, or `None` when nothing matched.
    pub fn subject_accuracy(&self) -> Option<f64> {
        (self.matched > 0).then(|| self.subject_correct as f64 / self.matched as f64)
    }
}

impl AddAssign for OutcomeCounts {
    fn add_assign(&mut self, other: Self) {
        self.counts += other.counts;
        self.matched += other.matched;
        self.metric_correct += other.metric_correct;
        self.subject_correct += other.subject_correct;
    }
}

impl Serialize for OutcomeCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = &self.counts;
        let mut st = s.serialize_struct("OutcomeCounts", 11)?;
        st.serialize_field("tp", &c.tp)?;
        st.serialize_field("fp", &c.fp)?;
        st.serialize_field("fn", &c.fn_)?;
        st.serialize_field("precision", &c.precision())?;
        st.serialize_field("recall", &c.recall())?;
        st.serialize_field("f1", &c.f1())?;
        st.serialize_field("matched", &self.matched)?;
        st.serialize_field("metric_correct", &self.metric_correct)?;
        st.serialize_field("subject_correct", &self.subject_correct)?;
        st.serialize_field("metric_accuracy", &self.metric_accuracy())?;
        st.serialize_field("subject_accuracy", &self.subject_accuracy())?;
        st.end()
    }
}

// ---------------------------------------------------------------------------
// Scores and report
// ---------------------------------------------------------------------------

/// A scored category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// `organizations[]`.
    Organizations,
    /// `places[]`.
    Places,
    /// `programs[]`.
    Programs,
    /// `people[]`.
    People,
    /// `documents[]`.
    Documents,
    /// `outcomes[]`.
    Outcomes,
}

impl Category {
    /// The category's key in the summary format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organizations => "organizations",
            Self::Places => "places",
            Self::Programs => "programs",
            Self::People => "people",
            Self::Documents => "documents",
            Self::Outcomes => "outcomes",
        }
    }
}

/// The score of one entity category in one article, with the items behind it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CategoryScore {
    /// Detection counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// Gold names that no prediction matched (false negatives).
    pub missed: Vec<String>,
    /// Predicted names that matched nothing (false positives).
    pub false_positives: Vec<String>,
    /// Predicted names that matched an incidental gold entity (not counted).
    pub ignored: Vec<String>,
    /// `predicted → gold` for predictions accepted through the other of
    /// organisations/programmes (counted as true positives).
    pub cross_matched: Vec<String>,
}

/// A matched outcome whose metric or subject differs from the gold one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeMismatch {
    /// The gold outcome, as `subject | metric | value unit | text`.
    pub gold: String,
    /// The predicted outcome, in the same form.
    pub predicted: String,
    /// Whether the metric was right.
    pub metric_correct: bool,
    /// Whether the subject was right.
    pub subject_correct: bool,
}

/// The outcome score of one article, with the items behind it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OutcomeScore {
    /// Detection counts and metric/subject accuracy.
    #[serde(flatten)]
    pub counts: OutcomeCounts,
    /// Gold outcomes that no prediction matched, as `subject | metric | value unit | text`.
    pub missed: Vec<String>,
    /// Predicted outcomes that matched nothing.
    pub false_positives: Vec<String>,
    /// Predicted outcomes that matched a `context` gold figure (not counted).
    pub ignored: Vec<String>,
    /// Matched outcomes with a wrong metric or subject.
    pub mismatches: Vec<OutcomeMismatch>,
}

/// The scores of one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArticleScore {
    /// The gold summary's `article`.
    pub article: String,
    /// Organisations.
    pub organizations: CategoryScore,
    /// Places.
    pub places: CategoryScore,
    /// Programmes.
    pub programs: CategoryScore,
    /// People.
    pub people: CategoryScore,
    /// Documents.
    pub documents: CategoryScore,
    /// Outcomes.
    pub outcomes: OutcomeScore,
}

impl ArticleScore {
    /// The five entity categories in table order.
    pub fn entity_scores(&self) -> [(Category, &CategoryScore); 5] {
        [
            (Category::Organizations, &self.organizations),
            (Category::Places, &self.places),
            (Category::Programs, &self.programs),
            (Category::People, &self.people),
            (Category::Documents, &self.documents),
        ]
    }
}

/// Counts summed over articles (micro-averaged P/R/F1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Organisations.
    pub organizations: Counts,
    /// Places.
    pub places: Counts,
    /// Programmes.
    pub programs: Counts,
    /// People.
    pub people: Counts,
    /// Documents.
    pub documents: Counts,
    /// The five entity categories together.
    pub entities: Counts,
    /// Outcomes.
    pub outcomes: OutcomeCounts,
}

impl Totals {
    /// The entity categories and their sum, in table order.
    fn entity_rows(&self) -> [(&'static str, &Counts); 6] {
        [
            ("organizations", &self.organizations),
            ("places", &self.places),
            ("programs", &self.programs),
            ("people", &self.people),
            ("documents", &self.documents),
            ("entities", &self.entities),
        ]
    }
}

/// Per-article scores and their totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// One entry per scored article, in input order.
    pub articles: Vec<ArticleScore>,
    /// Counts summed over all articles.
    pub totals: Totals,
}

impl Report {
    /// Builds a report from article scores, summing the totals.
    pub fn from_articles(articles: Vec<ArticleScore>) -> Self {
        let mut totals = Totals::default();
        for a in &articles {
            totals.organizations += a.organizations.counts;
            totals.places += a.places.counts;
            totals.programs += a.programs.counts;
            totals.people += a.people.counts;
            totals.documents += a.documents.counts;
            totals.outcomes += a.outcomes.counts;
        }
        totals.entities = totals.organizations
            + totals.places
            + totals.programs
            + totals.people
            + totals.documents;
        Self { articles, totals }
    }

    /// Renders an aligned text table: one row per article and category, then
    /// `TOTAL` rows (including `entities`, the five entity categories
    /// together). Outcome rows also show metric and subject accuracy as
    /// `correct/matched accuracy`. Item lists are left to the JSON form.
    pub fn to_table(&self) -> String {
        let header = [
            "article", "category", "tp", "fp", "fn", "P", "R", "F1", "metric", "subject",
        ];
        let mut rows: Vec<Option<Vec<String>>> = vec![Some(header.map(String::from).to_vec())];
        rows.push(None);
        for a in &self.articles {
            for (cat, s) in a.entity_scores() {
                rows.push(Some(table_row(&a.article, cat.as_str(), &s.counts, None)));
            }
            let o = &a.outcomes.counts;
            rows.push(Some(table_row(&a.article, "outcomes", &o.counts, Some(o))));
        }
        rows.push(None);
        for (name, c) in self.totals.entity_rows() {
            rows.push(Some(table_row("TOTAL", name, c, None)));
        }
        let o = &self.totals.outcomes;
        rows.push(Some(table_row("TOTAL", "outcomes", &o.counts, Some(o))));

        let ncols = header.len();
        let mut widths = vec![0; ncols];
        for row in rows.iter().flatten() {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let total_width = widths.iter().sum::<usize>() + 2 * (ncols - 1);
        let mut out = String::new();
        for row in &rows {
            let Some(row) = row else {
                out.push_str(&"-".repeat(total_width));
                out.push('\n');
                continue;
            };
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = " ".repeat(w - cell.chars().count());
                if (2..8).contains(&i) {
                    line.push_str(&pad);
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

fn table_row(article: &str, category: &str, c: &Counts, o: Option<&OutcomeCounts>) -> Vec<String> {
    let accuracy = |correct: usize, acc: Option<f64>, matched: usize| match acc {
        Some(acc) => format!("{correct}/{matched} {acc:.3}"),
        None => "-".to_owned(),
    };
    let (metric, subject) = match o {
        Some(o) => (
            accuracy(o.metric_correct, o.metric_accuracy(), o.matched),
            accuracy(o.subject_correct, o.subject_accuracy(), o.matched),
        ),
        None => (String::new(), String::new()),
    };
    vec![
        article.to_owned(),
        category.to_owned(),
        c.tp.to_string(),
        c.fp.to_string(),
        c.fn_.to_string(),
        format!("{:.3}", c.precision()),
        format!("{:.3}", c.recall()),
        format!("{:.3}", c.f1()),
        metric,
        subject,
    ]
}

/// Scores one predicted summary against its gold summary.
pub fn score_article(gold: &ArticleSummary, predicted: &ArticleSummary) -> ArticleScore {
    let (organizations, programs) = score_orgs_and_programs(gold, predicted);
    ArticleScore {
        article: gold.article.clone(),
        organizations,
        places: score_simple(&keyed(&gold.places, true), &keyed(&predicted.places, false)),
        programs,
        people: score_simple(&keyed(&gold.people, true), &keyed(&predicted.people, false)),
        documents: score_simple(
            &keyed(&gold.documents, true),
            &keyed(&predicted.documents, false),
        ),
        outcomes: score_outcomes(gold, predicted),
    }
}

/// Scores `(gold, predicted)` pairs and sums the counts over articles.
pub fn score_all(pairs: &[(ArticleSummary, ArticleSummary)]) -> Report {
    Report::from_articles(pairs.iter().map(|(g, p)| score_article(g, p)).collect())
}

// ---------------------------------------------------------------------------
// Entity matching
// ---------------------------------------------------------------------------

/// Name, aliases and the incidental flag of any entity type.
trait Entity {
    fn name(&self) -> &str;
    fn aliases(&self) -> &[String];
    fn incidental(&self) -> bool;
}

macro_rules! impl_entity {
    ($($t:ty),*) => {$(
        impl Entity for $t {
            fn name(&self) -> &str {
                &self.name
            }
            fn aliases(&self) -> &[String] {
                &self.aliases_in_text
            }
            fn incidental(&self) -> bool {
                self.incidental
            }
        }
    )*};
}

impl_entity!(Organization, Place, Program, Person, Document);

/// An entity prepared for matching: its normalised name and keys.
struct Keyed<'a> {
    label: &'a str,
    name: String,
    /// Normalised name and aliases, non-empty and distinct.
    keys: Vec<String>,
    incidental: bool,
}

impl<'a> Keyed<'a> {
    fn new(name: &'a str, aliases: &[String], incidental: bool) -> Self {
        let norm = normalize_name(name);
        let mut keys = Vec::new();
        push_unique(&mut keys, norm.clone());
        for alias in aliases {
            push_unique(&mut keys, normalize_name(alias));
        }
        Self {
            label: name,
            name: norm,
            keys,
            incidental,
        }
    }

    /// How well this prediction matches `gold`: 0 = same canonical name,
    /// 1 = one side's name is an alias of the other, 2 = a shared alias.
    fn tier(&self, gold: &Keyed<'_>) -> Option<u8> {
        if !self.name.is_empty() && self.name == gold.name {
            Some(0)
        } else if gold.keys.contains(&self.name) || self.keys.contains(&gold.name) {
            Some(1)
        } else if self.keys.iter().any(|k| gold.keys.contains(k)) {
            Some(2)
        } else {
            None
        }
    }
}

fn push_unique(keys: &mut Vec<String>, key: String) {
    if !key.is_empty() && !keys.contains(&key) {
        keys.push(key);
    }
}

/// Prepares entities; `gold` decides whether `incidental` flags are honoured
/// (they are gold-only, so predicted flags are ignored).
fn keyed<E: Entity>(entities: &[E], gold: bool) -> Vec<Keyed<'_>> {
    entities
        .iter()
        .map(|e| Keyed::new(e.name(), e.aliases(), gold && e.incidental()))
        .collect()
}

/// Greedy one-to-one matching, best tier first; within a tier predictions
/// are taken in order and prefer non-incidental, then earlier, gold entities.
/// Only free entries take part; matched ones are marked taken.
fn greedy_match(
    preds: &[Keyed<'_>],
    pred_free: &mut [bool],
    golds: &[Keyed<'_>],
    gold_free: &mut [bool],
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for tier in 0..=2 {
        for (pi, p) in preds.iter().enumerate() {
            if !pred_free[pi] {
                continue;
            }
            let best = golds
                .iter()
                .enumerate()
                .filter(|&(gi, g)| gold_free[gi] && p.tier(g) == Some(tier))
                .min_by_key(|&(gi, g)| (g.incidental, gi));
            if let Some((gi, _)) = best {
                pred_free[pi] = false;
                gold_free[gi] = false;
                pairs.push((pi, gi));
            }
        }
    }
    pairs
}

/// The gold entity a prediction matched, and whether it came from the other
/// category (organisation ↔ programme).
type Link<'k, 'a> = Option<(&'k Keyed<'a>, bool)>;

fn tally(
    preds: &[Keyed<'_>],
    links: &[Link<'_, '_>],
    golds: &[Keyed<'_>],
    gold_free: &[bool],
) -> CategoryScore {
    let mut score = CategoryScore::default();
    for (p, link) in preds.iter().zip(links) {
        match link {
            None => {
                score.counts.fp += 1;
                score.false_positives.push(p.label.to_owned());
            }
            Some((g, _)) if g.incidental => score.ignored.push(p.label.to_owned()),
            Some((g, cross)) => {
                score.counts.tp += 1;
                if *cross {
                    score
                        .cross_matched
                        .push(format!("{} → {}", p.label, g.label));
                }
            }
        }
    }
    for (g, &free) in golds.iter().zip(gold_free) {
        if free && !g.incidental {
            score.counts.fn_ += 1;
            score.missed.push(g.label.to_owned());
        }
    }
    score
}

fn score_simple(golds: &[Keyed<'_>], preds: &[Keyed<'_>]) -> CategoryScore {
    let mut gold_free = vec![true; golds.len()];
    let mut pred_free = vec![true; preds.len()];
    let mut links: Vec<Link<'_, '_>> = vec![None; preds.len()];
    for (pi, gi) in greedy_match(preds, &mut pred_free, golds, &mut gold_free) {
        links[pi] = Some((&golds[gi], false));
    }
    tally(preds, &links, golds, &gold_free)
}

/// Organisations and programmes, with cross-acceptance: after each category
/// is matched on its own, a leftover predicted organisation may match a
/// leftover gold programme of kind `facility`, and a leftover predicted
/// programme may match a leftover gold organisation. Such a prediction is a
/// true positive of its own category, and the gold item it matched is no
/// longer a false negative of the other.
fn score_orgs_and_programs(
    gold: &ArticleSummary,
    pred: &ArticleSummary,
) -> (CategoryScore, CategoryScore) {
    let (gold_orgs, gold_progs) = (
        keyed(&gold.organizations, true),
        keyed(&gold.programs, true),
    );
    let (pred_orgs, pred_progs) = (
        keyed(&pred.organizations, false),
        keyed(&pred.programs, false),
    );
    let mut gold_org_free = vec![true; gold_orgs.len()];
    let mut gold_prog_free = vec![true; gold_progs.len()];
    let mut pred_org_free = vec![true; pred_orgs.len()];
    let mut pred_prog_free = vec![true; pred_progs.len()];
    let mut org_links: Vec<Link<'_, '_>> = vec![None; pred_orgs.len()];
    let mut prog_links: Vec<Link<'_, '_>> = vec![None; pred_progs.len()];

    for (pi, gi) in greedy_match(
        &pred_orgs,
        &mut pred_org_free,
        &gold_orgs,
        &mut gold_org_free,
    ) {
        org_links[pi] = Some((&gold_orgs[gi], false));
    }
    for (pi, gi) in greedy_match(
        &pred_progs,
        &mut pred_prog_free,
        &gold_progs,
        &mut gold_prog_free,
    ) {
        prog_links[pi] = Some((&gold_progs[gi], false));
    }

    let mut facility_free: Vec<bool> = gold_prog_free
        .iter()
        .zip(&gold.programs)
        .map(|(&free, p)| free && p.is_facility())
        .collect();
    for (pi, gi) in greedy_match(
        &pred_orgs,
        &mut pred_org_free,
        &gold_progs,
        &mut facility_free,
    ) {
        org_links[pi] = Some((&gold_progs[gi], true));
        gold_prog_free[gi] = false;
    }
    for (pi, gi) in greedy_match(
        &pred_progs,
        &mut pred_prog_free,
        &gold_orgs,
        &mut gold_org_free,
    ) {
        prog_links[pi] = Some((&gold_orgs[gi], true));
    }

    (
        tally(&pred_orgs, &org_links, &gold_orgs, &gold_org_free),
        tally(&pred_progs, &prog_links, &gold_progs, &gold_prog_free),
    )
}

// ---------------------------------------------------------------------------
// Outcome matching
// ---------------------------------------------------------------------------

/// The relative error of `pred` against `gold` when within
/// [`VALUE_TOLERANCE`]; a range matches only a range with both ends close.
fn value_error(gold: OutcomeValue, pred: OutcomeValue) -> Option<f64> {
    match (gold, pred) {
        (OutcomeValue::Scalar(g), OutcomeValue::Scalar(p)) => scalar_error(g, p),
        (OutcomeValue::Range(g1, g2), OutcomeValue::Range(p1, p2)) => {
            Some(scalar_error(g1, p1)?.max(scalar_error(g2, p2)?))
        }
        _ => None,
    }
}

fn scalar_error(gold: f64, pred: f64) -> Option<f64> {
    let diff = (pred - gold).abs();
    // A few ulps of slack so that exactly 1 % is accepted despite rounding.
    let slack = 4.0 * f64::EPSILON * gold.abs().max(pred.abs()).max(1.0);
    if diff <= VALUE_TOLERANCE * gold.abs() + slack {
        Some(if gold == 0.0 { 0.0 } else { diff / gold.abs() })
    } else {
        None
    }
}

/// Case-insensitive comparison of units or metric names (trimmed).
fn same_label(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Length of the longest common substring of normalised texts over the
/// shorter text's length; 0 when either is empty.
fn text_overlap(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for &ca in &a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best as f64 / a.len().min(b.len()) as f64
}

/// The normalised forms a predicted subject may take for a gold subject:
/// the subject itself, its head before a trailing parenthetical qualifier
/// (`宜君县 (乡村特派员)` → `宜君县`), and every name and alias of the gold
/// entities that either of those names.
fn subject_keys(entities: &[Keyed<'_>], subject: &str) -> Vec<String> {
    let mut heads = vec![normalize_name(subject)];
    let stripped = strip_pinyin(subject);
    let stripped = stripped.trim_end();
    if stripped.ends_with(')') {
        if let Some(open) = stripped.find('(') {
            heads.push(normalize_name(&stripped[..open]));
        }
    }
    let mut keys = Vec::new();
    for head in heads {
        if head.is_empty() {
            continue;
        }
        for e in entities.iter().filter(|e| e.keys.contains(&head)) {
            for k in &e.keys {
                push_unique(&mut keys, k.clone());
            }
        }
        push_unique(&mut keys, head);
    }
    keys
}

fn outcome_label(o: &Outcome) -> String {
    format!(
        "{} | {} | {} {} | {}",
        o.subject, o.metric, o.value, o.unit, o.text
    )
}

struct Candidate {
    overlap: f64,
    metric_ok: bool,
    subject_ok: bool,
    context: bool,
    error: f64,
    gi: usize,
    pi: usize,
}

fn score_outcomes(gold: &ArticleSummary, pred: &ArticleSummary) -> OutcomeScore {
    let mut entities = keyed(&gold.organizations, true);
    entities.extend(keyed(&gold.places, true));
    entities.extend(keyed(&gold.programs, true));
    entities.extend(keyed(&gold.people, true));
    entities.extend(keyed(&gold.documents, true));
    let subject_keys: Vec<Vec<String>> = gold
        .outcomes
        .iter()
        .map(|o| subject_keys(&entities, &o.subject))
        .collect();
    let gold_texts: Vec<String> = gold
        .outcomes
        .iter()
        .map(|o| normalize_name(&o.text))
        .collect();
    let pred_texts: Vec<String> = pred
        .outcomes
        .iter()
        .map(|o| normalize_name(&o.text))
        .collect();

    let mut candidates = Vec::new();
    for (gi, g) in gold.outcomes.iter().enumerate() {
        for (pi, p) in pred.outcomes.iter().enumerate() {
            if !same_label(&g.unit, &p.unit) {
                continue;
            }
            let Some(error) = value_error(g.value, p.value) else {
                continue;
            };
            candidates.push(Candidate {
                overlap: text_overlap(&gold_texts[gi], &pred_texts[pi]),
                metric_ok: same_label(&g.metric, &p.metric),
                subject_ok: subject_keys[gi].contains(&normalize_name(&p.subject)),
                context: g.context,
                error,
                gi,
                pi,
            });
        }
    }
    // Most text overlap first, then same metric, same subject, a scored (not
    // context) gold figure, the closer value, and input order.
    candidates.sort_by(|a, b| {
        b.overlap
            .total_cmp(&a.overlap)
            .then(b.metric_ok.cmp(&a.metric_ok))
            .then(b.subject_ok.cmp(&a.subject_ok))
            .then(a.context.cmp(&b.context))
            .then(a.error.total_cmp(&b.error))
            .then(a.gi.cmp(&b.gi))
            .then(a.pi.cmp(&b.pi))
    });

    let mut gold_taken = vec![false; gold.outcomes.len()];
    let mut pred_link: Vec<Option<Candidate>> = pred.outcomes.iter().map(|_| None).collect();
    for c in candidates {
        if !gold_taken[c.gi] && pred_link[c.pi].is_none() {
            gold_taken[c.gi] = true;
            let pi = c.pi;
            pred_link[pi] = Some(c);
        }
    }

    let mut score = OutcomeScore::default();
    for (p, link) in pred.outcomes.iter().zip(&pred_link) {
        match link {
            None => {
                score.counts.counts.fp += 1;
                score.false_positives.push(outcome_label(p));
            }
            Some(c) if c.context => score.ignored.push(outcome_label(p)),
            Some(c) => {
                let counts = &mut score.counts;
                counts.counts.tp += 1;
                counts.matched += 1;
                counts.metric_correct += usize::from(c.metric_ok);
                counts.subject_correct += usize::from(c.subject_ok);
                if !(c.metric_ok && c.subject_ok) {
                    score.mismatches.push(OutcomeMismatch {
                        gold: outcome_label(&gold.outcomes[c.gi]),
                        predicted: outcome_label(p),
                        metric_correct: c.metric_ok,
                        subject_correct: c.subject_ok,
                    });
                }
            }
        }
    }
    for (g, taken) in gold.outcomes.iter().zip(gold_taken) {
        if !taken && !g.context {
            score.counts.counts.fn_ += 1;
            score.missed.push(outcome_label(g));
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::super::gold::DateMention;
    use super::*;

    fn org(name: &str, aliases: &[&str]) -> Organization {
        Organization {
            name: name.into(),
            aliases_in_text: aliases.iter().map(ToString::to_string).collect(),
            ..Default::default()
        }
    }

    fn incidental_org(name: &str) -> Organization {
        Organization {
            incidental: true,
            ..org(name, &[])
        }
    }

    fn place(name: &str, aliases: &[&str]) -> Place {
        Place {
            name: name.into(),
            aliases_in_text: aliases.iter().map(ToString::to_string).collect(),
            ..Default::default()
        }
    }

    fn prog(name: &str, kind: &str, aliases: &[&str]) -> Program {
        Program {
            name: name.into(),
            kind: Some(kind.into()),
            aliases_in_text: aliases.iter().map(ToString::to_string).collect(),
            ..Default::default()
        }
    }

    fn out(subject: &str, metric: &str, value: OutcomeValue, unit: &str, text: &str) -> Outcome {
        Outcome {
            subject: subject.into(),
            metric: metric.into(),
            value,
            unit: unit.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    fn scalar(x: f64) -> OutcomeValue {
        OutcomeValue::Scalar(x)
    }

    fn counts(tp: usize, fp: usize, fn_: usize) -> Counts {
        Counts { tp, fp, fn_ }
    }

    #[test]
    fn normalises_names() {
        let cases = [
            ("ＡＢＣ１２３", "ABC123"),
            ("“数字木兰”就业培训计划", "数字木兰就业培训计划"),
            ("‘热土计划’", "热土计划"),
            ("\"共享\"'联盟'", "共享联盟"),
            ("開(kāi)化縣", "開化縣"),
            ("開（kāi）化縣", "開化縣"),
            ("小紅書(shū)", "小紅書"),
            ("倉(cāng)尖參卓瑪", "倉尖參卓瑪"),
            ("綠(lǜ)色", "綠色"),
            (
                "《欠发达县域数字化就业价值研究报告》",
                "欠发达县域数字化就业价值研究报告",
            ),
            ("【热土计划】〔一〕［二］", "热土计划一二"),
            ("「共享」『联盟』〈义乌〉", "共享联盟义乌"),
            ("宜君县 (乡村特派员)", "宜君县乡村特派员"),
            ("世界贸易组织(WTO)", "世界贸易组织WTO"),
            ("Chinagoods AI智创服务", "ChinagoodsAI智创服务"),
            ("共享联盟·义乌", "共享联盟·义乌"),
            ("义\u{3000}乌\t市\n", "义乌市"),
            ("义\u{200B}乌", "义乌"),
            ("(kāi)", ""),
            ("“”", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_name(input), want, "input {input:?}");
        }
    }

    #[test]
    fn entities_match_by_name_or_alias() {
        // (gold, predicted, should match)
        let cases = [
            (
                place("开化县", &["開(kāi)化縣"]),
                place("開化縣", &[]),
                true,
            ),
            (
                place("开化县", &["開(kāi)化縣"]),
                place("开化", &["開化縣"]),
                true,
            ),
            (place("开化县", &[]), place("開化縣", &["“开化县”"]), true),
            (
                place("巨鹿县", &["巨鹿"]),
                place("邢台市巨鹿县", &["巨鹿"]),
                true,
            ),
            (
                place("Chinagoods", &[]),
                place("Ｃｈｉｎａｇｏｏｄｓ", &[]),
                true,
            ),
            (place("开化县", &["開(kāi)化縣"]), place("开化", &[]), false),
            (place("淘宝", &["淘宝"]), place("淘宝大学", &[]), false),
            (place("开化县", &["“”"]), place("”“", &[]), false),
        ];
        for (gold, pred, matched) in cases {
            let g = ArticleSummary {
                places: vec![gold.clone()],
                ..Default::default()
            };
            let p = ArticleSummary {
                places: vec![pred.clone()],
                ..Default::default()
            };
            let got = score_article(&g, &p).places.counts;
            let want = if matched {
                counts(1, 0, 0)
            } else {
                counts(0, 1, 1)
            };
            assert_eq!(got, want, "gold {} vs predicted {}", gold.name, pred.name);
        }
    }

    #[test]
    fn matching_is_one_to_one_and_prefers_canonical_names() {
        let gold = ArticleSummary {
            organizations: vec![
                org("阿里巴巴集团", &["阿里巴巴", "阿里"]),
                org("阿里研究院", &["阿里"]),
            ],
            ..Default::default()
        };
        let pred = ArticleSummary {
            organizations: vec![
                org("阿里", &[]),
                org("阿里巴巴", &[]),
                org("阿里巴巴集团", &[]),
            ],
            ..Default::default()
        };
        let s = score_article(&gold, &pred).organizations;
        // 阿里巴巴集团 takes the group by name; 阿里 then takes 阿里研究院 by
        // alias; 阿里巴巴 finds both gold entities taken.
        assert_eq!(s.counts, counts(2, 1, 0));
        assert_eq!(s.false_positives, ["阿里巴巴"]);
    }

    #[test]
    fn incidental_gold_is_neither_rewarded_nor_penalised() {
        let gold = ArticleSummary {
            organizations: vec![
                incidental_org("河北日报"),
                org("阿里巴巴集团", &["阿里巴巴"]),
            ],
            ..Default::default()
        };
        // (predicted organisations, expected counts, expected ignored)
        let cases: [(Vec<Organization>, Counts, Vec<&str>); 4] = [
            (
                vec![org("河北日报", &[]), org("阿里巴巴", &[])],
                counts(1, 0, 0),
                vec!["河北日报"],
            ),
            (vec![], counts(0, 0, 1), vec![]),
            (
                vec![org("河北日报", &[])],
                counts(0, 0, 1),
                vec!["河北日报"],
            ),
            // Flags in predictions are gold-only and ignored.
            (vec![incidental_org("潮新闻")], counts(0, 1, 1), vec![]),
        ];
        for (preds, want, ignored) in cases {
            let pred = ArticleSummary {
                organizations: preds,
                ..Default::default()
            };
            let s = score_article(&gold, &pred).organizations;
            assert_eq!(s.counts, want);
            assert_eq!(s.ignored, ignored);
            assert_eq!(s.missed.is_empty(), want.fn_ == 0);
        }
    }

    #[test]
    fn organisations_and_facility_programmes_accept_each_other() {
        let gold = ArticleSummary {
            organizations: vec![
                org("阿里巴巴集团", &["阿里巴巴"]),
                org("巨鹿县电商协会", &[]),
            ],
            programs: vec![
                prog("阿里巴巴巨鹿县客户体验中心", "facility", &["巨鹿客服中心"]),
                prog("阿里数字客服县", "initiative", &[]),
            ],
            ..Default::default()
        };
        let pred = ArticleSummary {
            organizations: vec![org("巨鹿客服中心", &[]), org("阿里数字客服县", &[])],
            programs: vec![prog("阿里巴巴", "initiative", &[])],
            ..Default::default()
        };
        let s = score_article(&gold, &pred);
        // The centre is accepted as an organisation; the initiative is not.
        assert_eq!(s.organizations.counts, counts(1, 1, 1));
        assert_eq!(
            s.organizations.cross_matched,
            ["巨鹿客服中心 → 阿里巴巴巨鹿县客户体验中心"]
        );
        assert_eq!(s.organizations.false_positives, ["阿里数字客服县"]);
        assert_eq!(s.organizations.missed, ["巨鹿县电商协会"]);
        // A programme naming a gold organisation is accepted too; the centre,
        // found as an organisation, is not a missed programme.
        assert_eq!(s.programs.counts, counts(1, 0, 1));
        assert_eq!(s.programs.missed, ["阿里数字客服县"]);
    }

    #[test]
    fn own_category_wins_over_cross_acceptance() {
        let gold = ArticleSummary {
            programs: vec![prog(
                "阿里巴巴巨鹿县客户体验中心",
                "facility",
                &["巨鹿客服中心"],
            )],
            ..Default::default()
        };
        let pred = ArticleSummary {
            organizations: vec![org("巨鹿客服中心", &[])],
            programs: vec![prog("巨鹿客服中心", "facility", &[])],
            ..Default::default()
        };
        let s = score_article(&gold, &pred);
        assert_eq!(s.programs.counts, counts(1, 0, 0));
        assert_eq!(s.organizations.counts, counts(0, 1, 0));
    }

    #[test]
    fn outcome_values_and_units() {
        let r = OutcomeValue::Range;
        // (gold value, gold unit, predicted value, predicted unit, match)
        let cases = [
            (scalar(100.0), "person", scalar(100.0), "person", true),
            (scalar(100.0), "person", scalar(101.0), "person", true),
            (scalar(100.0), "person", scalar(99.0), "person", true),
            (scalar(100.0), "person", scalar(102.0), "person", false),
            (scalar(100.0), "person", scalar(98.0), "person", false),
            (scalar(65.7), "percent", scalar(66.357), "percent", true),
            (scalar(3_000_000.0), "CNY", scalar(3_030_000.0), "CNY", true),
            (
                scalar(3_000_000.0),
                "CNY",
                scalar(3_060_000.0),
                "CNY",
                false,
            ),
            (scalar(0.0), "count", scalar(0.0), "count", true),
            (scalar(0.0), "count", scalar(0.001), "count", false),
            (r(20.0, 35.0), "year", r(20.0, 35.0), "year", true),
            (r(20.0, 35.0), "year", r(20.1, 35.3), "year", true),
            (r(20.0, 35.0), "year", r(20.0, 36.0), "year", false),
            (r(20.0, 35.0), "year", scalar(20.0), "year", false),
            (scalar(20.0), "year", r(20.0, 20.0), "year", false),
            (
                scalar(1000.0),
                "person-time",
                scalar(1000.0),
                "person",
                false,
            ),
            (scalar(1000.0), "person", scalar(1000.0), "count", false),
            (scalar(5000.0), "CNY", scalar(5000.0), "cny", true),
            (scalar(75.0), "percent", scalar(75.0), " Percent ", true),
        ];
        for (gv, gu, pv, pu, matched) in cases {
            let gold = ArticleSummary {
                outcomes: vec![out("x", "m", gv, gu, "t")],
                ..Default::default()
            };
            let pred = ArticleSummary {
                outcomes: vec![out("x", "m", pv, pu, "t")],
                ..Default::default()
            };
            let got = score_article(&gold, &pred).outcomes.counts.counts;
            let want = if matched {
                counts(1, 0, 0)
            } else {
                counts(0, 1, 1)
            };
            assert_eq!(got, want, "gold {gv} {gu} vs predicted {pv} {pu}");
        }
    }

    #[test]
    fn context_outcomes_are_not_counted() {
        let gold = ArticleSummary {
            outcomes: vec![
                Outcome {
                    context: true,
                    ..out("吴春生", "age", scalar(42.0), "year", "今年42岁的吴春生")
                },
                out("吴春生", "sales", scalar(700.0), "CNY", "卖了700多元"),
            ],
            ..Default::default()
        };
        let age = out("吴春生", "age", scalar(42.0), "year", "42岁");
        let sales = out("吴春生", "sales", scalar(700.0), "CNY", "700多元");
        let cases = [
            (vec![age.clone(), sales.clone()], counts(1, 0, 0), 1),
            (vec![sales], counts(1, 0, 0), 0),
            (vec![age], counts(0, 0, 1), 1),
            (vec![], counts(0, 0, 1), 0),
        ];
        for (preds, want, ignored) in cases {
            let pred = ArticleSummary {
                outcomes: preds,
                ..Default::default()
            };
            let s = score_article(&gold, &pred).outcomes;
            assert_eq!(s.counts.counts, want);
            assert_eq!(s.ignored.len(), ignored);
        }
    }

    #[test]
    fn metric_and_subject_accuracy() {
        let gold = ArticleSummary {
            organizations: vec![org("义乌市人力资源和社会保障局", &["义乌市人社局"])],
            places: vec![place("宜君县", &["陕西宜君县", "宜君"])],
            outcomes: vec![
                out(
                    "义乌市人社局",
                    "certificates_issued",
                    scalar(550.0),
                    "count",
                    "颁发550份",
                ),
                out(
                    "宜君县 (乡村特派员)",
                    "income_increase",
                    scalar(3e7),
                    "CNY",
                    "增收近3000万元",
                ),
                out(
                    "阿里客服县",
                    "female_share",
                    scalar(75.0),
                    "percent",
                    "近四分之三",
                ),
                out(
                    "蚂蚁服务星站",
                    "employees",
                    scalar(101.0),
                    "person",
                    "在崗人員有101人",
                ),
                out(
                    "蚂蚁服务星站",
                    "workstations",
                    scalar(76.0),
                    "count",
                    "76個(gè)工位",
                ),
            ],
            ..Default::default()
        };
        let pred = ArticleSummary {
            outcomes: vec![
                // Subject is the canonical name of the entity the gold alias names.
                out(
                    "义乌市人力资源和社会保障局",
                    "certificates_issued",
                    scalar(550.0),
                    "count",
                    "",
                ),
                // Subject is an alias of the gold subject's head; metric case differs.
                out("宜君", "Income_Increase", scalar(3e7), "CNY", ""),
                out("阿里巴巴集团", "female_share", scalar(75.0), "percent", ""),
                out(
                    "蚂蚁服务星站",
                    "employees_total",
                    scalar(101.0),
                    "person",
                    "",
                ),
                out("", "", scalar(76.0), "count", ""),
            ],
            ..Default::default()
        };
        let s = score_article(&gold, &pred).outcomes;
        assert_eq!(s.counts.counts, counts(5, 0, 0));
        assert_eq!(s.counts.matched, 5);
        assert_eq!(s.counts.metric_correct, 3);
        assert_eq!(s.counts.subject_correct, 3);
        assert_eq!(s.counts.metric_accuracy(), Some(0.6));
        assert_eq!(s.counts.subject_accuracy(), Some(0.6));
        let wrong: Vec<(bool, bool)> = s
            .mismatches
            .iter()
            .map(|m| (m.metric_correct, m.subject_correct))
            .collect();
        assert_eq!(wrong, [(true, false), (false, true), (false, false)]);
        assert_eq!(OutcomeCounts::default().metric_accuracy(), None);
    }

    #[test]
    fn outcome_matching_prefers_text_overlap_then_metric() {
        let gold = ArticleSummary {
            outcomes: vec![
                Outcome {
                    target: true,
                    ..out(
                        "蚂蚁服务星站",
                        "employees",
                        scalar(40.0),
                        "person",
                        "首批招募到40名以上的員工",
                    )
                },
                out(
                    "蚂蚁服务星站",
                    "employees",
                    scalar(40.0),
                    "person",
                    "首批40名員工進(jìn)駐職場",
                ),
                out(
                    "蚂蚁服务星站",
                    "workstations",
                    scalar(40.0),
                    "count",
                    "首期40個(gè)工位",
                ),
                out(
                    "基地",
                    "live_studios",
                    scalar(40.0),
                    "count",
                    "40個(gè)直播間",
                ),
            ],
            ..Default::default()
        };
        let pred = ArticleSummary {
            outcomes: vec![
                out(
                    "蚂蚁服务星站",
                    "employees",
                    scalar(40.0),
                    "person",
                    "首批40名員工進駐職場",
                ),
                out("基地", "live_studios", scalar(40.0), "count", ""),
            ],
            ..Default::default()
        };
        let s = score_article(&gold, &pred).outcomes;
        assert_eq!(s.counts.counts, counts(2, 0, 2));
        assert_eq!(s.counts.metric_correct, 2);
        assert_eq!(s.missed.len(), 2);
        assert!(
            s.missed[0].ends_with("首批招募到40名以上的員工"),
            "{:?}",
            s.missed
        );
        assert!(s.missed[1].contains("workstations"), "{:?}", s.missed);
    }

    #[test]
    fn precision_recall_f1() {
        // (tp, fp, fn, precision, recall, f1)
        let cases = [
            (0, 0, 0, 1.0, 1.0, 1.0),
            (5, 0, 0, 1.0, 1.0, 1.0),
            (0, 3, 0, 0.0, 0.0, 0.0),
            (0, 0, 2, 0.0, 0.0, 0.0),
            (0, 2, 2, 0.0, 0.0, 0.0),
            (3, 1, 2, 0.75, 0.6, 2.0 / 3.0),
            (1, 1, 0, 0.5, 1.0, 2.0 / 3.0),
            (2, 0, 6, 1.0, 0.25, 0.4),
        ];
        for (tp, fp, fn_, p, r, f) in cases {
            let c = counts(tp, fp, fn_);
            let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
            assert!(close(c.precision(), p), "P of {c:?}");
            assert!(close(c.recall(), r), "R of {c:?}");
            assert!(close(c.f1(), f), "F1 of {c:?}");
        }
        let mut sum = counts(1, 2, 3);
        sum += counts(10, 20, 30);
        assert_eq!(sum, counts(11, 22, 33));
    }

    /// A small gold summary in the shape of the real gold files.
    const GOLD: &str = r#"{
     "article": "901_sample.txt",
     "script": "traditional with pinyin",
     "organizations": [
      {"name": "阿里巴巴集团", "aliases_in_text": ["阿里巴巴"], "type": "company"},
      {"name": "小红书", "aliases_in_text": ["小紅書(shū)"], "type": "platform"},
      {"name": "人民网", "aliases_in_text": ["人民網(wǎng)"], "type": "publisher", "incidental": true}
     ],
     "places": [
      {"name": "开化县", "level": "county", "province": "浙江省", "prefecture": "衢州市",
       "aliases_in_text": ["開(kāi)化縣", "開(kāi)化"]},
      {"name": "浙江省", "level": "province", "province": "浙江省", "prefecture": null,
       "aliases_in_text": ["浙江"]}
     ],
     "programs": [
      {"name": "开化县阿里巴巴公益数字人才基地", "kind": "facility",
       "operator": ["阿里巴巴公益", "开化县人民政府"], "place": "开化县",
       "aliases_in_text": ["數(shù)字人才基地", "人才基地"]},
      {"name": "青来开化,开创未来", "kind": "initiative", "operator": null, "place": "开化县",
       "aliases_in_text": ["“青來(lái)開(kāi)化,開(kāi)創(chuàng)未來(lái)”特別計(jì)劃"]}
     ],
     "people": [
      {"name": "陈丽娟", "role": "特派员", "affiliation": "阿里巴巴集团", "aliases_in_text": ["陳麗娟"]},
      {"name": "皮磊", "role": "记者", "affiliation": null, "incidental": true}
     ],
     "documents": [],
     "outcomes": [
      {"subject": "开化县阿里巴巴公益数字人才基地", "metric": "monthly_sales", "value": 3000000,
       "unit": "CNY", "text": "月均銷售額達(dá)到300萬(wàn)元"},
      {"subject": "开化县阿里巴巴公益数字人才基地", "metric": "employees", "value": 30,
       "unit": "person", "bound": "lower", "text": "30余位"},
      {"subject": "开化县阿里巴巴公益数字人才基地", "metric": "brands", "value": 30,
       "unit": "count", "target": true, "as_of": "2024-12-31", "text": "引入30個(gè)品牌"},
      {"subject": "阿里客服县", "metric": "age_range", "value": [20, 35], "unit": "year",
       "text": "20岁至35岁"},
      {"subject": "开化县阿里巴巴公益数字人才基地", "metric": "trial_operation", "value": 6,
       "unit": "month", "context": true, "text": "半年的試運(yùn)營(yíng)"}
     ],
     "dates": [{"event": "launch", "date": "2024-05", "approx": true, "text": "近日"}],
     "notes": ["sample"]
    }"#;

    #[test]
    fn gold_scored_against_itself_is_perfect() {
        let gold = ArticleSummary::from_json(GOLD).unwrap();
        // The same summary as an extractor would write it: no gold-only flags.
        let mut stripped = gold.clone();
        stripped
            .organizations
            .iter_mut()
            .for_each(|o| o.incidental = false);
        stripped
            .people
            .iter_mut()
            .for_each(|p| p.incidental = false);
        stripped.outcomes.iter_mut().for_each(|o| o.context = false);
        let round_tripped = ArticleSummary::from_json(&gold.to_json_pretty()).unwrap();
        for pred in [&gold, &stripped, &round_tripped] {
            let s = score_article(&gold, pred);
            for (cat, c) in s.entity_scores() {
                assert_eq!(c.counts.fp + c.counts.fn_, 0, "{}", cat.as_str());
                assert_eq!(c.counts.f1(), 1.0, "{}", cat.as_str());
            }
            assert_eq!(s.organizations.counts.tp, 2);
            assert_eq!(s.people.counts.tp, 1);
            let o = &s.outcomes.counts;
            assert_eq!(o.counts, counts(4, 0, 0));
            assert_eq!((o.metric_correct, o.subject_correct), (4, 4));
            assert!(s.outcomes.mismatches.is_empty());
        }
    }

    #[test]
    fn report_sums_articles_and_renders() {
        let gold = ArticleSummary::from_json(GOLD).unwrap();
        let mut pred = gold.clone();
        pred.places.pop(); // miss 浙江省
        pred.people.push(Person {
            name: "周建华".into(),
            ..Default::default()
        });
        pred.outcomes[0].metric = "sales".into();
        pred.dates.push(DateMention::default());
        let empty = ArticleSummary {
            article: "902_empty.txt".into(),
            ..Default::default()
        };
        let report = score_all(&[
            (gold.clone(), pred),
            (gold, empty.clone()),
            (empty.clone(), empty),
        ]);
        assert_eq!(report.articles.len(), 3);
        let t = &report.totals;
        assert_eq!(t.places, counts(1, 0, 3));
        assert_eq!(t.people, counts(1, 1, 1));
        assert_eq!(t.organizations, counts(2, 0, 2));
        assert_eq!(
            t.entities,
            t.organizations + t.places + t.programs + t.people + t.documents
        );
        assert_eq!(t.outcomes.counts, counts(4, 0, 4));
        assert_eq!(
            (t.outcomes.metric_correct, t.outcomes.subject_correct),
            (3, 4)
        );
        assert_eq!(report.articles[0].places.missed, ["浙江省"]);
        assert_eq!(report.articles[0].people.false_positives, ["周建华"]);

        let table = report.to_table();
        let lines: Vec<&str> = table.lines().collect();
        // Header, rule, 3 × 6 rows, rule, 7 total rows.
        assert_eq!(lines.len(), 2 + 18 + 1 + 7);
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            [
                "article", "category", "tp", "fp", "fn", "P", "R", "F1", "metric", "subject"
            ]
        );
        let row = |article: &str, category: &str| -> Vec<&str> {
            lines
                .iter()
                .map(|l| l.split_whitespace().collect::<Vec<_>>())
                .find(|cells| cells.len() > 1 && cells[0] == article && cells[1] == category)
                .unwrap_or_default()
        };
        assert_eq!(
            row("901_sample.txt", "places"),
            [
                "901_sample.txt",
                "places",
                "1",
                "0",
                "1",
                "1.000",
                "0.500",
                "0.667"
            ]
        );
        let total = lines.last().unwrap();
        assert_eq!(
            total.split_whitespace().collect::<Vec<_>>(),
            [
                "TOTAL", "outcomes", "4", "0", "4", "1.000", "0.500", "0.667", "3/4", "0.750",
                "4/4", "1.000"
            ]
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("TOTAL") && l.contains(" entities "))
        );
        // Entity rows end at the F1 column, so they all have the same width.
        let widths: Vec<usize> = lines
            .iter()
            .filter(|l| l.contains(" places ") || l.contains(" people "))
            .map(|l| l.chars().count())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table}");
        let empty_outcomes = row("902_empty.txt", "outcomes");
        assert_eq!(empty_outcomes[8..], ["-", "-"]);

        let json: serde_json::Value = serde_json::to_value(&report).unwrap();
        let first = &json["articles"][0];
        assert_eq!(first["places"]["fn"], 1);
        assert_eq!(first["places"]["missed"][0], "浙江省");
        assert_eq!(first["outcomes"]["mismatches"][0]["metric_correct"], false);
        assert_eq!(json["totals"]["outcomes"]["metric_accuracy"], 0.75);
        assert_eq!(json["totals"]["places"]["recall"], 0.25);
        assert!(json["articles"][2]["outcomes"]["metric_accuracy"].is_null());
    }
}
