//! Scoring of predicted article summaries against gold summaries.
//!
//! The rules are those of the reference scorer, `shared/gold/score.py`
//! (see the [module documentation](super)); a test runs both on the seeds
//! and the development set and asserts the same figures.

use std::ops::{Add, AddAssign};
use std::sync::LazyLock;

use regex::Regex;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;

use super::gold::{ArticleSummary, Outcome, OutcomeValue};

/// Relative tolerance for outcome values: two values match when they differ
/// by at most 1 % of the larger one.
pub const VALUE_TOLERANCE: f64 = 0.01;

// ---------------------------------------------------------------------------
// Name normalisation
// ---------------------------------------------------------------------------

/// Normalises an entity name or alias for comparison, as `score.py`'s `norm`.
///
/// Applies NFKC (full-width letters, digits and brackets become ASCII), drops
/// parenthesised pinyin annotations such as the `(kāi)` in `開(kāi)化縣`, then
/// removes whitespace, the quotes `“”"'‘’`, the title marks `《》「」`,
/// parentheses and the middle dots `·・`. Traditional characters are not
/// folded to simplified ones (`score.py` folds them only when the optional
/// Python `opencc` package is installed; the project's CI does not install
/// it). For example `“開(kāi)化縣”` becomes `開化縣` and `《报告》` becomes
/// `报告`.
pub fn normalize_name(s: &str) -> String {
    strip_pinyin(&s.nfkc().collect::<String>())
        .chars()
        .filter(|&c| !is_dropped(c))
        .collect()
}

/// Removes every `(` + pinyin letters + `)` run (the regex
/// `\([a-zA-Zā…ü]+\)` of `score.py`).
fn strip_pinyin(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            let run = chars[i + 1..]
                .iter()
                .take_while(|&&c| is_pinyin_letter(c))
                .count();
            if run > 0 && chars.get(i + 1 + run) == Some(&')') {
                i += run + 2;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c)
}

/// The characters `norm` removes: Python's `\s` (Unicode white space, which
/// also counts the separators U+001C–U+001F) and quotes, brackets and dots.
fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || ('\u{1c}'..='\u{1f}').contains(&c)
        || "“”\"'‘’《》「」()（）·・".contains(c)
}

/// Drops an annotator's trailing note in parentheses from a gold subject:
/// `泸水市电商培训 (拼多多, 4月2日)` → `泸水市电商培训`.
fn strip_note(s: &str) -> &str {
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*[(（][^()（）]*[)）]\s*$").expect("valid regex"));
    NOTE.find(s).map_or(s, |m| &s[..m.start()])
}

// ---------------------------------------------------------------------------
// Metric families
// ---------------------------------------------------------------------------

/// The thirteen metric families of `FORMAT.md`, each with the keywords that
/// put a metric name in it; the first family whose pattern matches wins.
const FAMILY_PATTERNS: [(&str, &str); 13] = [
    (
        "growth",
        r"growth|increase|multiple|decrease|(^|_)times|rise",
    ),
    (
        "share",
        r"share|(^|_)rate($|_)|(^|_)ratio($|_)|percent|coverage$|vacancy|proportion",
    ),
    ("age", r"(^|_)age(s|_range)?($|_)"),
    ("wage", r"wage|salary|income|earning|(^|_)pay"),
    (
        "sales",
        r"sales|gmv|revenue|turnover|order_value|output_value|retail",
    ),
    (
        "money",
        r"amount|investment|subsidy|fund|prize|price|loan|payout|cny|yuan|money",
    ),
    (
        "training",
        r"train|graduat|certificat|course|student|class|talent",
    ),
    (
        "employment",
        r"employ|job|headcount|staff|workstation|worker|intern|manager|team|envoy|streamer|recruit|hire",
    ),
    (
        "coverage",
        r"provinces|counties|cities|towns|townships|villages|countries|covered|regions",
    ),
    (
        "facility",
        r"centre|center|base|station|studio|park|store|shop|facilit|space|college|site|office",
    ),
    (
        "people",
        r"beneficiar|users|participant|viewer|villager|population|people|member|buyer|seller|firm|entit|compan|enterprise",
    ),
    (
        "time",
        r"duration|year|month|day|hour|time|period|tenure|history",
    ),
    ("area", r"area|land|floor|mu$|m2|acre"),
];

/// The family a metric name falls in by `FORMAT.md`'s keywords
/// (`employees` → `employment`, `female_share` → `share`), or
/// `other:<name>` when none fits.
pub fn metric_family(metric: &str) -> String {
    static FAMILIES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
        FAMILY_PATTERNS
            .iter()
            .map(|&(name, pat)| (name, Regex::new(pat).expect("valid regex")))
            .collect()
    });
    let m = metric.to_lowercase();
    FAMILIES
        .iter()
        .find(|(_, re)| re.is_match(&m))
        .map_or_else(|| format!("other:{m}"), |(name, _)| (*name).to_owned())
}

/// An outcome's family: the one it states, else the one its metric name
/// falls in.
fn family_of(o: &Outcome) -> String {
    match o.metric_family.as_deref() {
        Some(f) if !f.is_empty() => f.to_owned(),
        _ => metric_family(&o.metric),
    }
}

// ---------------------------------------------------------------------------
// Counts
// ---------------------------------------------------------------------------

/// True positives, false positives and false negatives of one category.
///
/// Predictions that match an optional gold item (`incidental`, `context`)
/// are in none of the three.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predictions that match a counted gold item.
    pub tp: usize,
    /// Predictions that match no gold item.
    pub fp: usize,
    /// Counted gold items no prediction matched.
    pub fn_: usize,
}

impl Counts {
    /// Counted predictions (`tp + fp`).
    pub fn predicted(&self) -> usize {
        self.tp + self.fp
    }

    /// Counted gold items (`tp + fn`).
    pub fn gold(&self) -> usize {
        self.tp + self.fn_
    }

    /// `tp / (tp + fp)`, 0 when nothing was predicted (as `score.py`).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.predicted())
    }

    /// `tp / (tp + fn)`, 0 when there is no gold item (as `score.py`).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold())
    }

    /// The harmonic mean of precision and recall, 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
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

/// Outcome counts, and how many matched outcomes have the right subject,
/// metric name and metric family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    /// Matching counts; `counts.tp` is the number of matched outcomes.
    pub counts: Counts,
    /// Matched outcomes whose subject names the gold subject.
    pub subject_correct: usize,
    /// Matched outcomes with the gold metric name.
    pub metric_correct: usize,
    /// Matched outcomes in the gold metric's family.
    pub family_correct: usize,
}

impl OutcomeCounts {
    fn accuracy(&self, correct: usize) -> Option<f64> {
        (self.counts.tp > 0).then(|| correct as f64 / self.counts.tp as f64)
    }

    /// Share of matched outcomes with the right subject (`None` when none matched).
    pub fn subject_accuracy(&self) -> Option<f64> {
        self.accuracy(self.subject_correct)
    }

    /// Share of matched outcomes with the gold metric name.
    pub fn metric_accuracy(&self) -> Option<f64> {
        self.accuracy(self.metric_correct)
    }

    /// Share of matched outcomes in the gold metric's family.
    pub fn family_accuracy(&self) -> Option<f64> {
        self.accuracy(self.family_correct)
    }
}

impl AddAssign for OutcomeCounts {
    fn add_assign(&mut self, other: Self) {
        self.counts += other.counts;
        self.subject_correct += other.subject_correct;
        self.metric_correct += other.metric_correct;
        self.family_correct += other.family_correct;
    }
}

impl Serialize for OutcomeCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = &self.counts;
        let mut st = s.serialize_struct("OutcomeCounts", 12)?;
        st.serialize_field("tp", &c.tp)?;
        st.serialize_field("fp", &c.fp)?;
        st.serialize_field("fn", &c.fn_)?;
        st.serialize_field("precision", &c.precision())?;
        st.serialize_field("recall", &c.recall())?;
        st.serialize_field("f1", &c.f1())?;
        st.serialize_field("subject_correct", &self.subject_correct)?;
        st.serialize_field("metric_correct", &self.metric_correct)?;
        st.serialize_field("family_correct", &self.family_correct)?;
        st.serialize_field("subject_accuracy", &self.subject_accuracy())?;
        st.serialize_field("metric_accuracy", &self.metric_accuracy())?;
        st.serialize_field("family_accuracy", &self.family_accuracy())?;
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
    /// Organisations.
    Organizations,
    /// Places (county level and above).
    Places,
    /// Programmes, with documents (reports, policy documents) among them.
    Programs,
    /// People.
    People,
    /// The four entity categories pooled and matched across types.
    Entities,
    /// Outcomes (figures).
    Outcomes,
}

impl Category {
    /// The category's name in reports (`organizations`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organizations => "organizations",
            Self::Places => "places",
            Self::Programs => "programs",
            Self::People => "people",
            Self::Entities => "entities",
            Self::Outcomes => "outcomes",
        }
    }
}

/// The score of one entity category in one article, with the items behind
/// the counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CategoryScore {
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// Counted gold names no prediction matched.
    pub missed: Vec<String>,
    /// Predicted names that matched nothing.
    pub false_positives: Vec<String>,
    /// Predicted names that matched an incidental gold entity.
    pub ignored: Vec<String>,
}

/// A matched outcome whose subject or family differs from the gold one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeMismatch {
    /// The gold outcome (`subject | metric | value unit | text`).
    pub gold: String,
    /// The predicted outcome, in the same form.
    pub predicted: String,
    /// Whether the subject is right.
    pub subject_correct: bool,
    /// Whether the metric name is the gold one.
    pub metric_correct: bool,
    /// Whether the metric family is the gold one.
    pub family_correct: bool,
}

/// The outcome score of one article, with the items behind the counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OutcomeScore {
    /// The counts.
    #[serde(flatten)]
    pub counts: OutcomeCounts,
    /// Counted gold outcomes no prediction matched.
    pub missed: Vec<String>,
    /// Predicted outcomes that matched nothing.
    pub false_positives: Vec<String>,
    /// Predicted outcomes that matched a `context` gold figure.
    pub ignored: Vec<String>,
    /// Matched outcomes with a wrong subject or family.
    pub mismatches: Vec<OutcomeMismatch>,
}

/// The scores of one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArticleScore {
    /// The gold file's `article`.
    pub article: String,
    /// Organisations.
    pub organizations: CategoryScore,
    /// Places.
    pub places: CategoryScore,
    /// Programmes and documents.
    pub programs: CategoryScore,
    /// People.
    pub people: CategoryScore,
    /// All entities pooled.
    pub entities: CategoryScore,
    /// Outcomes.
    pub outcomes: OutcomeScore,
}

impl ArticleScore {
    /// The five entity scores (four categories and the pool) with their category.
    pub fn entity_scores(&self) -> [(Category, &CategoryScore); 5] {
        [
            (Category::Organizations, &self.organizations),
            (Category::Places, &self.places),
            (Category::Programs, &self.programs),
            (Category::People, &self.people),
            (Category::Entities, &self.entities),
        ]
    }
}

/// Counts summed over all articles (micro-averaged).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Organisations.
    pub organizations: Counts,
    /// Places.
    pub places: Counts,
    /// Programmes and documents.
    pub programs: Counts,
    /// People.
    pub people: Counts,
    /// All entities pooled.
    pub entities: Counts,
    /// Outcomes.
    pub outcomes: OutcomeCounts,
}

impl Totals {
    /// The entity rows of the totals, pool last.
    pub fn entity_rows(&self) -> [(Category, &Counts); 5] {
        [
            (Category::Organizations, &self.organizations),
            (Category::Places, &self.places),
            (Category::Programs, &self.programs),
            (Category::People, &self.people),
            (Category::Entities, &self.entities),
        ]
    }
}

/// Scores per article and in total.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// One score per article, in input order.
    pub articles: Vec<ArticleScore>,
    /// The sums.
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
            totals.entities += a.entities.counts;
            totals.outcomes += a.outcomes.counts;
        }
        Self { articles, totals }
    }

    /// Renders the report in the layout `score.py` prints (columns aligned
    /// by display width, a rule under the header): one row per article with
    /// `true positives/counted predictions/counted gold` per category, then
    /// precision, recall and F1 per category, then the subject, metric and
    /// family accuracy of matched outcomes. Item lists are left to the JSON
    /// form.
    pub fn to_table(&self) -> String {
        let cats = [
            "organizations",
            "places",
            "programs",
            "people",
            "entities",
            "outcomes",
        ];
        let cell = |c: &Counts| format!("{}/{}/{}", c.tp, c.predicted(), c.gold());
        let header: Vec<String> = std::iter::once("article")
            .chain(cats.iter().map(|c| &c[..c.len().min(9)]))
            .map(str::to_owned)
            .collect();
        let rows: Vec<Vec<String>> = self
            .articles
            .iter()
            .map(|a| {
                std::iter::once(a.article.clone())
                    .chain(a.entity_scores().into_iter().map(|(_, s)| cell(&s.counts)))
                    .chain(std::iter::once(cell(&a.outcomes.counts.counts)))
                    .collect()
            })
            .collect();
        let mut out = crate::table::render(&header, &rows, None);
        out.push_str("(cells: true positives / counted predictions / counted gold)\n");
        let t = &self.totals;
        let mut rows: Vec<(&str, &Counts)> = t
            .entity_rows()
            .into_iter()
            .map(|(c, n)| (c.as_str(), n))
            .collect();
        rows.push(("outcomes", &t.outcomes.counts));
        for (name, c) in rows {
            out.push_str(&format!(
                "{name:14} P={:.3} R={:.3} F1={:.3}  ({}/{}/{})\n",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.predicted(),
                c.gold()
            ));
        }
        let acc = |a: Option<f64>| a.unwrap_or(0.0);
        out.push_str(&format!(
            "matched outcomes: subject right {:.3}, metric right {:.3}, metric family right {:.3}\n",
            acc(t.outcomes.subject_accuracy()),
            acc(t.outcomes.metric_accuracy()),
            acc(t.outcomes.family_accuracy()),
        ));
        out
    }
}

/// Scores one predicted summary against its gold summary.
pub fn score_article(gold: &ArticleSummary, predicted: &ArticleSummary) -> ArticleScore {
    let g = EntitySets::of(gold, true);
    let p = EntitySets::of(predicted, false);
    let pooled_gold: Vec<Named<'_>> = g.all().cloned().collect();
    let pooled_pred: Vec<Named<'_>> = p.all().cloned().collect();
    ArticleScore {
        article: gold.article.clone(),
        organizations: match_entities(&g.organizations, &p.organizations),
        places: match_entities(&g.places, &p.places),
        programs: match_entities(&g.programs, &p.programs),
        people: match_entities(&g.people, &p.people),
        entities: match_entities(&pooled_gold, &pooled_pred),
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

/// An entity prepared for matching: its label, its normalised name and
/// aliases, and whether it is optional (gold `incidental` only).
#[derive(Clone)]
struct Named<'a> {
    label: &'a str,
    names: Vec<String>,
    optional: bool,
}

impl<'a> Named<'a> {
    fn new(label: &'a str, aliases: &[String], optional: bool) -> Self {
        let mut names = Vec::with_capacity(aliases.len() + 1);
        for n in std::iter::once(label).chain(aliases.iter().map(String::as_str)) {
            let n = normalize_name(n);
            if !n.is_empty() && !names.contains(&n) {
                names.push(n);
            }
        }
        Self {
            label,
            names,
            optional,
        }
    }
}

/// The entity categories of one summary; documents join the programmes.
struct EntitySets<'a> {
    organizations: Vec<Named<'a>>,
    places: Vec<Named<'a>>,
    programs: Vec<Named<'a>>,
    people: Vec<Named<'a>>,
}

impl<'a> EntitySets<'a> {
    /// `gold` decides whether `incidental` flags count (they are gold-only).
    fn of(s: &'a ArticleSummary, gold: bool) -> Self {
        macro_rules! named {
            ($items:expr) => {
                $items
                    .iter()
                    .map(|e| Named::new(&e.name, &e.aliases_in_text, gold && e.incidental))
            };
        }
        Self {
            organizations: named!(s.organizations).collect(),
            places: named!(s.places).collect(),
            programs: named!(s.programs).chain(named!(s.documents)).collect(),
            people: named!(s.people).collect(),
        }
    }

    /// All entities, in `score.py`'s pooling order.
    fn all(&self) -> impl Iterator<Item = &Named<'a>> {
        self.organizations
            .iter()
            .chain(&self.places)
            .chain(&self.programs)
            .chain(&self.people)
    }
}

/// Whether two name sets denote the same entity: a shared name, or one name
/// (of two characters or more) inside the other covering at least two
/// thirds of it.
fn same_entity(a: &[String], b: &[String]) -> bool {
    if a.iter().any(|x| b.contains(x)) {
        return true;
    }
    a.iter().any(|x| {
        b.iter().any(|y| {
            let (lx, ly) = (x.chars().count(), y.chars().count());
            lx >= 2
                && ly >= 2
                && (x.contains(y.as_str()) || y.contains(x.as_str()))
                && lx.min(ly) * 3 >= lx.max(ly) * 2
        })
    })
}

/// Greedy one-to-one matching in prediction order: each prediction takes the
/// first free counted gold item it matches, else the first free optional
/// one. Returns, per prediction, the gold index it took.
fn greedy<P, G>(
    preds: &[P],
    golds: &[G],
    optional: impl Fn(&G) -> bool,
    same: impl Fn(&P, &G) -> bool,
) -> Vec<Option<usize>> {
    let mut used = vec![false; golds.len()];
    preds
        .iter()
        .map(|p| {
            let hit = [false, true].into_iter().find_map(|opt| {
                golds
                    .iter()
                    .enumerate()
                    .position(|(i, g)| !used[i] && optional(g) == opt && same(p, g))
            });
            if let Some(i) = hit {
                used[i] = true;
            }
            hit
        })
        .collect()
}

fn match_entities(golds: &[Named<'_>], preds: &[Named<'_>]) -> CategoryScore {
    let links = greedy(
        preds,
        golds,
        |g| g.optional,
        |p, g| same_entity(&p.names, &g.names),
    );
    let mut score = CategoryScore::default();
    let mut taken = vec![false; golds.len()];
    for (p, link) in preds.iter().zip(&links) {
        match link {
            None => {
                score.counts.fp += 1;
                score.false_positives.push(p.label.to_owned());
            }
            Some(gi) => {
                taken[*gi] = true;
                if golds[*gi].optional {
                    score.ignored.push(p.label.to_owned());
                } else {
                    score.counts.tp += 1;
                }
            }
        }
    }
    for (g, taken) in golds.iter().zip(taken) {
        if !taken && !g.optional {
            score.counts.fn_ += 1;
            score.missed.push(g.label.to_owned());
        }
    }
    score
}

// ---------------------------------------------------------------------------
// Outcome matching
// ---------------------------------------------------------------------------

/// `score.py`'s unit classes: spellings of one unit fold to one name.
fn unit_class(unit: &str) -> String {
    let u = unit.to_lowercase();
    let folded = match u.as_str() {
        "person" | "people" | "人" => "person",
        "person-time" | "person_time" => "person_time",
        "cny" | "yuan" | "元" => "cny",
        "percent" | "%" => "percent",
        "year" | "years" => "year",
        other => other,
    };
    folded.to_owned()
}

/// Units are compatible when their classes are equal or both count things
/// (people, person-times, jobs, calls, characters, plain counts).
fn units_compatible(a: &str, b: &str) -> bool {
    const LOOSE: [&str; 6] = ["person", "count", "person_time", "job", "call", "character"];
    let (a, b) = (unit_class(a), unit_class(b));
    a == b || (LOOSE.contains(&a.as_str()) && LOOSE.contains(&b.as_str()))
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= VALUE_TOLERANCE * a.abs().max(b.abs())
}

fn numbers(v: OutcomeValue) -> Vec<f64> {
    match v {
        OutcomeValue::Scalar(x) => vec![x],
        OutcomeValue::Range(a, b) => vec![a, b],
    }
}

/// Values match when any predicted number (a range gives both ends) is
/// within 1 % of any gold number (its value or range ends), and the units
/// are compatible.
fn same_outcome(p: &Outcome, g: &Outcome) -> bool {
    let pv = numbers(p.value);
    let mut gv = numbers(g.value);
    gv.extend(g.range.into_iter().flatten());
    pv.iter().any(|&a| gv.iter().any(|&b| close(a, b))) && units_compatible(&p.unit, &g.unit)
}

/// The names a predicted subject may take for a gold outcome: the gold
/// subject (without an annotator's note) and every name and alias of the
/// gold entities it names.
fn subject_names(subject: &str, entities: &[Named<'_>]) -> Vec<String> {
    let sub = normalize_name(strip_note(subject));
    let mut out = Vec::new();
    if sub.is_empty() {
        return out;
    }
    out.push(sub.clone());
    for e in entities.iter().filter(|e| e.names.contains(&sub)) {
        for n in &e.names {
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
    }
    out
}

fn outcome_label(o: &Outcome) -> String {
    format!(
        "{} | {} | {} {} | {}",
        o.subject, o.metric, o.value, o.unit, o.text
    )
}

fn score_outcomes(gold: &ArticleSummary, pred: &ArticleSummary) -> OutcomeScore {
    let entities: Vec<Named<'_>> = EntitySets::of(gold, true).all().cloned().collect();
    let links = greedy(&pred.outcomes, &gold.outcomes, |g| g.context, same_outcome);
    let mut score = OutcomeScore::default();
    let mut taken = vec![false; gold.outcomes.len()];
    for (p, link) in pred.outcomes.iter().zip(&links) {
        let Some(gi) = *link else {
            score.counts.counts.fp += 1;
            score.false_positives.push(outcome_label(p));
            continue;
        };
        taken[gi] = true;
        let g = &gold.outcomes[gi];
        if g.context {
            score.ignored.push(outcome_label(p));
            continue;
        }
        let subject = normalize_name(strip_note(&p.subject));
        let subject_ok =
            !subject.is_empty() && same_entity(&[subject], &subject_names(&g.subject, &entities));
        let metric_ok = normalize_name(&p.metric) == normalize_name(&g.metric);
        let family_ok = family_of(p) == family_of(g);
        let c = &mut score.counts;
        c.counts.tp += 1;
        c.subject_correct += usize::from(subject_ok);
        c.metric_correct += usize::from(metric_ok);
        c.family_correct += usize::from(family_ok);
        if !(subject_ok && family_ok) {
            score.mismatches.push(OutcomeMismatch {
                gold: outcome_label(g),
                predicted: outcome_label(p),
                subject_correct: subject_ok,
                metric_correct: metric_ok,
                family_correct: family_ok,
            });
        }
    }
    for (g, taken) in gold.outcomes.iter().zip(taken) {
        if !taken && !g.context {
            score.counts.counts.fn_ += 1;
            score.missed.push(outcome_label(g));
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::super::gold::{Document, Organization, Person, Place, Program};
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

    fn prog(name: &str, aliases: &[&str]) -> Program {
        Program {
            name: name.into(),
            aliases_in_text: aliases.iter().map(ToString::to_string).collect(),
            ..Default::default()
        }
    }

    fn out(subject: &str, metric: &str, value: OutcomeValue, unit: &str) -> Outcome {
        Outcome {
            subject: subject.into(),
            metric: metric.into(),
            value,
            unit: unit.into(),
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
            ("綠(lǜ)色", "綠色"),
            (
                "《欠发达县域数字化就业价值研究报告》",
                "欠发达县域数字化就业价值研究报告",
            ),
            ("「共享」", "共享"),
            ("宜君县 (乡村特派员)", "宜君县乡村特派员"),
            ("世界贸易组织(WTO)", "世界贸易组织"),
            ("共享联盟·义乌", "共享联盟义乌"),
            ("义\u{3000}乌\t市\n", "义乌市"),
            // Brackets other than these are kept, as score.py keeps them.
            ("【热土计划】", "【热土计划】"),
            ("(kāi)", ""),
            ("“”", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_name(input), want, "input {input:?}");
        }
    }

    #[test]
    fn annotator_notes_are_stripped_from_subjects() {
        let cases = [
            ("泸水市电商培训 (拼多多, 4月2日)", "泸水市电商培训"),
            ("宜君县（乡村特派员）", "宜君县"),
            ("世界贸易组织(WTO)", "世界贸易组织"),
            ("阿里客服县", "阿里客服县"),
            // Only a parenthesis at the very end is a note.
            ("(试点) 中间", "(试点) 中间"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_note(input), want, "input {input:?}");
        }
    }

    #[test]
    fn entities_match_by_name_alias_or_two_thirds_containment() {
        // (gold name, gold aliases, predicted name, predicted aliases, match)
        let cases: [(&str, &[&str], &str, &[&str], bool); 9] = [
            ("开化县", &["開(kāi)化縣"], "開化縣", &[], true),
            ("开化县", &[], "開化縣", &["“开化县”"], true),
            // Containment covering two thirds of the longer name.
            ("巨鹿县", &[], "巨鹿", &[], true),
            ("阿里巴巴集团", &[], "阿里巴巴", &[], true),
            ("阿里巴巴集团", &[], "阿里", &[], false),
            ("热土计划2022", &[], "热土计划", &[], false),
            // One-character names never match by containment.
            ("义乌", &[], "义", &[], false),
            ("义乌市", &[], "金华市", &[], false),
            // Traditional and simplified differ (no folding).
            ("开化县", &[], "開化縣", &[], false),
        ];
        let strings = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
        for (gn, ga, pn, pa, want) in cases {
            let (ga, pa) = (strings(ga), strings(pa));
            let g = Named::new(gn, &ga, false);
            let p = Named::new(pn, &pa, false);
            assert_eq!(same_entity(&p.names, &g.names), want, "{gn} vs {pn}");
            assert_eq!(same_entity(&g.names, &p.names), want, "{pn} vs {gn}");
        }
    }

    #[test]
    fn matching_is_greedy_one_to_one_in_prediction_order() {
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
        // 阿里 comes first and takes the first gold entity it names (the
        // group). 阿里巴巴 and 阿里巴巴集团 name only the group, which is
        // taken: both are false positives, and 阿里研究院 is missed.
        assert_eq!(s.counts, counts(1, 2, 1));
        assert_eq!(s.false_positives, ["阿里巴巴", "阿里巴巴集团"]);
        assert_eq!(s.missed, ["阿里研究院"]);
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
        }
    }

    #[test]
    fn documents_are_programmes_and_the_pool_matches_across_kinds() {
        let gold = ArticleSummary {
            organizations: vec![org("巨鹿县电商协会", &[])],
            programs: vec![prog("阿里巴巴巨鹿县客户体验中心", &["巨鹿客服中心"])],
            documents: vec![Document {
                name: "县域数字就业报告".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let pred = ArticleSummary {
            organizations: vec![org("巨鹿客服中心", &[])],
            programs: vec![prog("县域数字就业报告", &[])],
            ..Default::default()
        };
        let s = score_article(&gold, &pred);
        // The document is found among the programmes.
        assert_eq!(s.programs.counts, counts(1, 0, 1));
        // The centre predicted as an organisation is wrong there...
        assert_eq!(s.organizations.counts, counts(0, 1, 1));
        // ...and right in the pool, which ignores the kind.
        assert_eq!(s.entities.counts, counts(2, 0, 1));
        assert_eq!(s.entities.missed, ["巨鹿县电商协会"]);
    }

    #[test]
    fn outcome_values_and_units() {
        let r = OutcomeValue::Range;
        // (gold value, gold range, gold unit, predicted value, predicted unit, match)
        let cases = [
            (scalar(100.0), None, "person", scalar(100.0), "person", true),
            (scalar(100.0), None, "person", scalar(101.0), "person", true),
            (scalar(100.0), None, "person", scalar(99.0), "person", true),
            (
                scalar(100.0),
                None,
                "person",
                scalar(102.0),
                "person",
                false,
            ),
            (scalar(100.0), None, "person", scalar(98.0), "person", false),
            (
                scalar(3_000_000.0),
                None,
                "CNY",
                scalar(3_030_000.0),
                "yuan",
                true,
            ),
            (scalar(0.0), None, "count", scalar(0.0), "count", true),
            (scalar(0.0), None, "count", scalar(0.001), "count", false),
            // A range matches by either end, on either side.
            (r(20.0, 35.0), None, "year", scalar(35.0), "years", true),
            (scalar(20.0), None, "year", r(18.0, 20.0), "year", true),
            (
                scalar(23.0),
                Some([23.0, 24.0]),
                "year",
                scalar(24.0),
                "year",
                true,
            ),
            (r(20.0, 35.0), None, "year", r(21.0, 30.0), "year", false),
            // People, person-times and counts are loosely one unit.
            (
                scalar(1000.0),
                None,
                "person-time",
                scalar(1000.0),
                "person",
                true,
            ),
            (
                scalar(1000.0),
                None,
                "person",
                scalar(1000.0),
                "count",
                true,
            ),
            (scalar(1000.0), None, "人", scalar(1000.0), "job", true),
            (scalar(1000.0), None, "CNY", scalar(1000.0), "count", false),
            (scalar(75.0), None, "percent", scalar(75.0), "%", true),
            (scalar(3.0), None, "times", scalar(3.0), "count", false),
        ];
        for (gv, range, gu, pv, pu, matched) in cases {
            let gold = ArticleSummary {
                outcomes: vec![Outcome {
                    range,
                    ..out("x", "m", gv, gu)
                }],
                ..Default::default()
            };
            let pred = ArticleSummary {
                outcomes: vec![out("x", "m", pv, pu)],
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
                    ..out("吴春生", "age", scalar(42.0), "year")
                },
                out("吴春生", "sales", scalar(700.0), "CNY"),
            ],
            ..Default::default()
        };
        let age = out("吴春生", "age", scalar(42.0), "year");
        let sales = out("吴春生", "sales", scalar(700.0), "CNY");
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
    fn metric_families_follow_the_format_keywords() {
        let cases = [
            ("employees", "employment"),
            ("jobs_created", "employment"),
            ("average_monthly_wage", "wage"),
            ("female_share", "share"),
            ("sales_growth", "growth"),
            ("average_age", "age"),
            ("age_range", "age"),
            ("annual_sales", "sales"),
            ("investment", "money"),
            ("trainees", "training"),
            ("counties_covered", "coverage"),
            ("count_of_centres", "facility"),
            ("beneficiaries", "people"),
            ("duration", "time"),
            ("land_area", "area"),
            ("Employees", "employment"),
            ("brands", "other:brands"),
            ("", "other:"),
        ];
        for (metric, family) in cases {
            assert_eq!(metric_family(metric), family, "{metric}");
        }
    }

    /// The vocabulary's families agree with the format's keywords: a metric
    /// in none of the thirteen is one whose name the keywords place in none
    /// (so stating no family means what the gold format reads), and a
    /// metric whose name has a family's keyword is in that family.
    #[test]
    fn the_vocabulary_families_agree_with_the_format_keywords() {
        use crate::lexicon::LEXICON;
        for m in LEXICON.metrics.all() {
            let read = metric_family(m.name());
            match m.family() {
                None => assert_eq!(read, format!("other:{}", m.name()), "{m}"),
                Some(f) => assert!(
                    read == f.as_str() || read.starts_with("other:"),
                    "{m}: in {f} in metrics.tsv, but its name reads as {read}"
                ),
            }
        }
    }

    #[test]
    fn subject_metric_and_family_accuracy() {
        let gold = ArticleSummary {
            organizations: vec![org("义乌市人力资源和社会保障局", &["义乌市人社局"])],
            places: vec![place("宜君县", &["陕西宜君县", "宜君"])],
            outcomes: vec![
                out(
                    "义乌市人社局",
                    "certificates_issued",
                    scalar(550.0),
                    "count",
                ),
                out("宜君县 (乡村特派员)", "income_increase", scalar(3e7), "CNY"),
                out("阿里客服县", "female_share", scalar(75.0), "percent"),
                out("蚂蚁服务星站", "employees", scalar(101.0), "person"),
                Outcome {
                    metric_family: Some("facility".into()),
                    ..out("蚂蚁服务星站", "workstations", scalar(76.0), "count")
                },
            ],
            ..Default::default()
        };
        let pred = ArticleSummary {
            outcomes: vec![
                // The canonical name of the entity the gold alias names.
                out(
                    "义乌市人力资源和社会保障局",
                    "certificates_issued",
                    scalar(550.0),
                    "count",
                ),
                // An alias of the gold subject without its note; another
                // metric name in the same family.
                out("宜君", "income_growth", scalar(3e7), "CNY"),
                out("阿里巴巴集团", "female_share", scalar(75.0), "percent"),
                // Metric names compare exactly: another name, same family.
                out("蚂蚁服务星站", "staff", scalar(101.0), "person"),
                // A stated family wins over the name's.
                out("", "", scalar(76.0), "count"),
            ],
            ..Default::default()
        };
        let s = score_article(&gold, &pred).outcomes;
        assert_eq!(s.counts.counts, counts(5, 0, 0));
        assert_eq!(s.counts.subject_correct, 3);
        assert_eq!(s.counts.metric_correct, 2);
        // income_increase and income_growth are both growth (increase comes
        // before income in the keyword order); the empty metric is no family.
        assert_eq!(s.counts.family_correct, 4);
        assert_eq!(s.counts.subject_accuracy(), Some(0.6));
        let wrong: Vec<(bool, bool)> = s
            .mismatches
            .iter()
            .map(|m| (m.subject_correct, m.family_correct))
            .collect();
        assert_eq!(wrong, [(false, true), (false, false)]);
        assert_eq!(OutcomeCounts::default().subject_accuracy(), None);
    }

    #[test]
    fn precision_recall_and_f1() {
        // (tp, fp, fn, precision, recall, f1); nothing predicted is 0, as score.py.
        let cases = [
            (0, 0, 0, 0.0, 0.0, 0.0),
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
            assert_eq!(
                (o.subject_correct, o.metric_correct, o.family_correct),
                (4, 4, 4)
            );
            assert!(s.outcomes.mismatches.is_empty());
        }
    }

    #[test]
    fn report_sums_articles_and_renders_as_the_reference_scorer() {
        let gold = ArticleSummary::from_json(GOLD).unwrap();
        let mut pred = gold.clone();
        pred.places.pop(); // miss 浙江省
        pred.people.push(Person {
            name: "周建华".into(),
            ..Default::default()
        });
        pred.outcomes[0].subject = "别的".into();
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
            t.entities.tp,
            t.organizations.tp + t.places.tp + t.programs.tp + t.people.tp
        );
        assert_eq!(t.outcomes.counts, counts(4, 0, 4));
        assert_eq!(t.outcomes.subject_correct, 3);
        assert_eq!(report.articles[0].places.missed, ["浙江省"]);
        assert_eq!(report.articles[0].people.false_positives, ["周建华"]);

        let table = report.to_table();
        let lines: Vec<&str> = table.lines().collect();
        // Header, its rule, 3 articles, the legend, 6 totals, the accuracy line.
        assert_eq!(lines.len(), 1 + 1 + 3 + 1 + 6 + 1, "{table}");
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            [
                "article",
                "organizat",
                "places",
                "programs",
                "people",
                "entities",
                "outcomes"
            ]
        );
        assert_eq!(
            lines[2].split_whitespace().collect::<Vec<_>>(),
            [
                "901_sample.txt",
                "2/2/2",
                "1/1/2",
                "2/2/2",
                "1/2/1",
                "6/7/7",
                "4/4/4"
            ]
        );
        assert!(
            lines.contains(&"places         P=1.000 R=0.250 F1=0.400  (1/1/4)"),
            "{table}"
        );
        assert_eq!(
            *lines.last().unwrap(),
            "matched outcomes: subject right 0.750, metric right 1.000, metric family right 1.000"
        );

        let json: serde_json::Value = serde_json::to_value(&report).unwrap();
        let first = &json["articles"][0];
        assert_eq!(first["places"]["fn"], 1);
        assert_eq!(first["places"]["missed"][0], "浙江省");
        assert_eq!(first["outcomes"]["mismatches"][0]["subject_correct"], false);
        assert_eq!(json["totals"]["outcomes"]["subject_accuracy"], 0.75);
        assert_eq!(json["totals"]["places"]["recall"], 0.25);
        assert!(json["articles"][2]["outcomes"]["subject_accuracy"].is_null());
    }
}
