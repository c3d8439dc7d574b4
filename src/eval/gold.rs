//! Serde types for the article-summary JSON format described in `FORMAT.md`.
//!
//! The same shape serves hand-made gold annotations and the summary that
//! `zhkg extract --format json` prints for one article. Reading is lenient:
//! unknown keys (`source`, `script`, `note`, `run_by`, …) are ignored, optional
//! keys may be missing or `null`, `operator`/`place` of a programme may be a
//! string, a list of strings or `null`, and an outcome's `value` may be a
//! number or a `[a, b]` range. Writing skips `None`, `false` and empty
//! optional fields, so a summary round-trips to the same shape.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One article's entities, outcomes and dates (one JSON file per article).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    /// The article's file name, e.g. `001_5adaab2c0589cb8c.txt`.
    #[serde(default, deserialize_with = "nullable")]
    pub article: String,
    /// Organisations named in the article.
    #[serde(default, deserialize_with = "nullable")]
    pub organizations: Vec<Organization>,
    /// Places of county level and above.
    #[serde(default, deserialize_with = "nullable")]
    pub places: Vec<Place>,
    /// Named initiatives, facilities, trainings, competitions, plans and brands.
    #[serde(default, deserialize_with = "nullable")]
    pub programs: Vec<Program>,
    /// People named in the article.
    #[serde(default, deserialize_with = "nullable")]
    pub people: Vec<Person>,
    /// Reports and policy documents.
    #[serde(default, deserialize_with = "nullable")]
    pub documents: Vec<Document>,
    /// Quantitative outcomes (figures) reported in the article.
    #[serde(default, deserialize_with = "nullable")]
    pub outcomes: Vec<Outcome>,
    /// Dated events.
    #[serde(default, deserialize_with = "nullable")]
    pub dates: Vec<DateMention>,
    /// Free-text notes; ignored by the scorer.
    #[serde(default, deserialize_with = "nullable")]
    pub notes: Vec<String>,
}

/// An organisation: company, university, government body, association, ….
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// Canonical simplified full name.
    pub name: String,
    /// Surface forms exactly as in the text (may be traditional, with pinyin).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases_in_text: Vec<String>,
    /// Organisation type (`company`, `university`, `government`, …).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub org_type: Option<String>,
    /// Canonical name of the parent organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Gold only: not part of the story; neither rewarded nor penalised.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub incidental: bool,
}

/// A place of county level or above.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Canonical simplified full name, e.g. `巨鹿县`.
    pub name: String,
    /// Administrative level (`province`, `prefecture`, `county`, `district`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Province the place belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// Prefecture the place belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefecture: Option<String>,
    /// Surface forms exactly as in the text.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases_in_text: Vec<String>,
    /// GB/T 2260 division code (read from a number or a string of digits).
    #[serde(
        default,
        deserialize_with = "division_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<u32>,
    /// Gold only: not part of the story; neither rewarded nor penalised.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub incidental: bool,
}

/// A named initiative, facility, training, competition, plan or brand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// Canonical simplified name.
    pub name: String,
    /// Kind (`initiative`, `facility`, `training`, `competition`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Operators' canonical names (JSON: a string, a list or `null`).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        serialize_with = "ser_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub operator: Vec<String>,
    /// Who runs it day to day, when that differs from the operator.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        serialize_with = "ser_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub run_by: Vec<String>,
    /// Places' canonical names (JSON: a string, a list or `null`).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        serialize_with = "ser_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub place: Vec<String>,
    /// Surface forms exactly as in the text.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases_in_text: Vec<String>,
    /// Gold only: not part of the story; neither rewarded nor penalised.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub incidental: bool,
}

impl Program {
    /// Whether this programme is a facility (customer-service centre, talent
    /// base, service station, …), which the scorer also accepts as an
    /// organisation.
    pub fn is_facility(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| k.trim().eq_ignore_ascii_case("facility"))
    }
}

/// A person named in the article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// The person's name (simplified).
    pub name: String,
    /// Role or title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Canonical name of the organisation the person belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// Canonical names of the places the person is associated with (JSON:
    /// a string, a list or `null`).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        serialize_with = "ser_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub place: Vec<String>,
    /// Surface forms exactly as in the text.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases_in_text: Vec<String>,
    /// Gold only: not part of the story; neither rewarded nor penalised.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub incidental: bool,
}

/// A report or policy document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Title without book-title marks.
    pub name: String,
    /// Canonical name of the publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Publication date (ISO or partial ISO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Surface forms exactly as in the text.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases_in_text: Vec<String>,
    /// Gold only: not part of the story; neither rewarded nor penalised.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub incidental: bool,
}

/// The value of an outcome: a number, or a `[low, high]` range.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OutcomeValue {
    /// A single number, e.g. `196` or `65.7`.
    Scalar(f64),
    /// A range `[low, high]`, e.g. `[20, 35]`.
    Range(f64, f64),
}

impl Default for OutcomeValue {
    fn default() -> Self {
        Self::Scalar(0.0)
    }
}

impl Serialize for OutcomeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Scalar(x) => Num(x).serialize(s),
            Self::Range(a, b) => [Num(a), Num(b)].serialize(s),
        }
    }
}

impl fmt::Display for OutcomeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Scalar(x) => write!(f, "{}", Num(x)),
            Self::Range(a, b) => write!(f, "[{}, {}]", Num(a), Num(b)),
        }
    }
}

/// A figure reported in the article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Canonical name of the entity the figure is about.
    #[serde(default, deserialize_with = "nullable")]
    pub subject: String,
    /// Metric name (`employees`, `average_monthly_wage`, …).
    #[serde(default, deserialize_with = "nullable")]
    pub metric: String,
    /// Extractor output only: no subject was found, and the graph says so
    /// (`zhkg:subjectUnknown`) rather than leaving it silently empty.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub subject_unknown: bool,
    /// The metric's family (`employment`, `wage`, …; see `FORMAT.md`); when
    /// absent a scorer reads it from the metric's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_family: Option<String>,
    /// The number, or a `[a, b]` range.
    pub value: OutcomeValue,
    /// Unit (`person`, `person-time`, `CNY`, `percent`, `year`, `count`, …).
    #[serde(default, deserialize_with = "nullable")]
    pub unit: String,
    /// The exact words in the article.
    #[serde(default, deserialize_with = "nullable")]
    pub text: String,
    /// Approximate (约, 左右, 近, 几).
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub approx: bool,
    /// `"lower"` (超过, 多, 余, 以上, 破) or `"upper"` (不到, 最多, 近).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<String>,
    /// A range such as 二十三四岁 → `[23, 24]`.
    #[serde(
        default,
        serialize_with = "ser_opt_pair",
        skip_serializing_if = "Option::is_none"
    )]
    pub range: Option<[f64; 2]>,
    /// A plan or pledge rather than an achieved result.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub target: bool,
    /// The date the text gives for the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// A number that is not a programme outcome (age, distance, …). In gold,
    /// such a figure is neither rewarded nor penalised; in extractor output
    /// it marks a `zhkg:ContextFigure` (scorers ignore it there).
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub context: bool,
}

/// A dated event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    /// Short description of the event.
    #[serde(default, deserialize_with = "nullable")]
    pub event: String,
    /// ISO or partial ISO date (`2022-05-17`, `2023-06`, `2020`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The exact words in the article.
    #[serde(default, deserialize_with = "nullable")]
    pub text: String,
    /// The date is approximate (近日, 半年前, …).
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub approx: bool,
    /// The year comes from the article date rather than the sentence.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub year_inferred: bool,
}

impl ArticleSummary {
    /// Parses one summary from JSON text.
    ///
    /// # Errors
    ///
    /// Fails when the text is not JSON or lacks a required key (an entity's
    /// `name`, an outcome's `value`) or has a value of the wrong shape.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Reads and parses one summary file.
    ///
    /// # Errors
    ///
    /// [`EvalError::Io`] when the file cannot be read and [`EvalError::Json`]
    /// when it is not a valid summary; both name the file.
    pub fn from_path(path: &Path) -> Result<Self, EvalError> {
        let text = fs::read_to_string(path).map_err(|source| EvalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text).map_err(|source| EvalError::Json {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Renders the summary as pretty-printed JSON with a one-space indent, the
    /// layout of the gold files.
    pub fn to_json_pretty(&self) -> String {
        let mut out = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
        // Writing strings, numbers and booleans into memory cannot fail, and
        // serde_json only writes valid UTF-8.
        match self.serialize(&mut ser) {
            Ok(()) => String::from_utf8(out).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

/// Parses every `*.json` file directly inside `dir`, sorted by file name.
///
/// Other files (such as `FORMAT.md`) and subdirectories are skipped.
///
/// # Errors
///
/// [`EvalError::Io`] when the directory or a file cannot be read, and
/// [`EvalError::Json`] naming the first file that is not a valid summary.
pub fn parse_dir(dir: &Path) -> Result<Vec<ArticleSummary>, EvalError> {
    summary_files(dir)?
        .iter()
        .map(|p| ArticleSummary::from_path(p))
        .collect()
}

/// The `*.json` files directly in `dir`, in name order (the order the
/// reference scorer reads them in).
///
/// # Errors
///
/// [`EvalError::Io`] when the directory cannot be read.
pub fn summary_files(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let io_err = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_err)? {
        let path = entry.map_err(io_err)?.path();
        let is_json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// An error while reading gold or predicted summaries.
#[derive(Debug)]
pub enum EvalError {
    /// A file or directory could not be read.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// A file is not a valid summary.
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying JSON error (with line and column).
        source: serde_json::Error,
    },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            Self::Json { path, source } => {
                write!(f, "invalid summary JSON in {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for EvalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Json { source, .. } => Some(source),
        }
    }
}

/// A number that serialises as an integer when it has no fractional part.
#[derive(Clone, Copy)]
struct Num(f64);

/// Largest magnitude below which every integral `f64` converts exactly to `i64`.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

impl Num {
    fn as_integer(self) -> Option<i64> {
        (self.0.fract() == 0.0 && self.0.abs() < EXACT_INT).then_some(self.0 as i64)
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_integer() {
            Some(i) => s.serialize_i64(i),
            None => s.serialize_f64(self.0),
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_integer() {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.0),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Reads `null` as the type's default.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<Option<String>>),
}

/// Reads a string, a list of strings (nulls skipped) or `null` as a list;
/// blank strings are dropped.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let names = match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v.into_iter().flatten().collect(),
    };
    Ok(names.into_iter().filter(|s| !s.trim().is_empty()).collect())
}

/// Writes one name as a string and several as a list.
fn ser_one_or_many<S: Serializer>(names: &[String], s: S) -> Result<S::Ok, S::Error> {
    match names {
        [one] => s.serialize_str(one),
        _ => names.serialize(s),
    }
}

fn ser_opt_pair<S: Serializer>(pair: &Option<[f64; 2]>, s: S) -> Result<S::Ok, S::Error> {
    match pair {
        Some([a, b]) => {
            let mut seq = s.serialize_seq(Some(2))?;
            seq.serialize_element(&Num(*a))?;
            seq.serialize_element(&Num(*b))?;
            seq.end()
        }
        None => s.serialize_none(),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCode {
    Number(u64),
    Text(String),
}

/// Reads a division code from a number or a string of digits; anything else
/// (including `null`) becomes `None`.
fn division_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(match Option::<RawCode>::deserialize(d)? {
        Some(RawCode::Number(n)) => u32::try_from(n).ok(),
        Some(RawCode::Text(s)) => s.trim().parse().ok(),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "article": "900_sample.txt",
      "source": "http://example.invalid/",
      "script": "traditional",
      "organizations": [
        {"name": "阿里巴巴集团", "aliases_in_text": ["阿里巴巴", "阿里"], "type": "company"},
        {"name": "河北日报", "aliases_in_text": null, "type": "publisher", "incidental": true,
         "note": "credit line"}
      ],
      "places": [
        {"name": "巨鹿县", "level": "county", "province": "河北省", "prefecture": "邢台市",
         "aliases_in_text": ["巨鹿"], "code": "130529"},
        {"name": "河北省", "level": "province", "province": "河北省", "prefecture": null,
         "code": 130000}
      ],
      "programs": [
        {"name": "巨鹿客服中心", "kind": "facility", "operator": "阿里巴巴集团",
         "run_by": "某公司", "place": ["巨鹿县", "张北县"], "aliases_in_text": ["客服中心"]},
        {"name": "数字木兰", "kind": "initiative", "operator": null, "place": null}
      ],
      "people": [
        {"name": "周建华", "role": "组长", "affiliation": null, "place": "巨鹿县"}
      ],
      "documents": [
        {"name": "报告", "publisher": "清华大学", "date": null,
         "aliases_in_text": ["《报告》"]}
      ],
      "outcomes": [
        {"subject": "巨鹿客服中心", "metric": "employees", "value": 196, "unit": "person",
         "text": "员工196人"},
        {"subject": "巨鹿客服中心", "metric": "age_range", "value": [20, 35.5], "unit": "year",
         "text": "20岁至35岁", "approx": null, "range": [20, 35]},
        {"subject": "巨鹿客服中心", "metric": "returnee_share", "value": 65.7,
         "unit": "percent", "text": "65.7%", "bound": "lower", "target": true,
         "as_of": "2023-06", "context": false, "kind": "share"}
      ],
      "dates": [
        {"event": "report", "date": "2022-05-17", "text": "5月17日", "year_inferred": true}
      ],
      "notes": ["free text"]
    }"#;

    #[test]
    fn parses_lenient_shapes() {
        let s = ArticleSummary::from_json(SAMPLE).unwrap();
        assert_eq!(s.article, "900_sample.txt");
        assert_eq!(s.organizations[0].org_type.as_deref(), Some("company"));
        assert!(s.organizations[1].incidental);
        assert!(s.organizations[1].aliases_in_text.is_empty());
        assert_eq!(s.places[0].code, Some(130_529));
        assert_eq!(s.places[1].code, Some(130_000));
        assert_eq!(s.places[1].prefecture, None);
        let p = &s.programs[0];
        assert!(p.is_facility());
        assert_eq!(p.operator, ["阿里巴巴集团"]);
        assert_eq!(p.run_by, ["某公司"]);
        assert_eq!(p.place, ["巨鹿县", "张北县"]);
        assert!(!s.programs[1].is_facility());
        assert!(s.programs[1].operator.is_empty() && s.programs[1].place.is_empty());
        assert_eq!(s.people[0].affiliation, None);
        assert_eq!(s.documents[0].date, None);
        assert_eq!(s.outcomes[0].value, OutcomeValue::Scalar(196.0));
        assert_eq!(s.outcomes[1].value, OutcomeValue::Range(20.0, 35.5));
        assert_eq!(s.outcomes[1].range, Some([20.0, 35.0]));
        assert!(!s.outcomes[1].approx);
        let o = &s.outcomes[2];
        assert_eq!(o.bound.as_deref(), Some("lower"));
        assert!(o.target && !o.context);
        assert_eq!(o.as_of.as_deref(), Some("2023-06"));
        assert!(s.dates[0].year_inferred);
        assert_eq!(s.notes, ["free text"]);
    }

    #[test]
    fn missing_optional_lists_default_to_empty() {
        let s = ArticleSummary::from_json(r#"{"article": "x.txt"}"#).unwrap();
        assert_eq!(
            s,
            ArticleSummary {
                article: "x.txt".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn rejects_malformed_input() {
        let cases = [
            r#"{"organizations": [{"aliases_in_text": ["无名"]}]}"#,
            r#"{"outcomes": [{"subject": "x", "unit": "person"}]}"#,
            r#"{"outcomes": [{"value": "many", "unit": "person"}]}"#,
            r#"{"programs": [{"name": "x", "operator": 3}]}"#,
            "not json",
        ];
        for case in cases {
            assert!(ArticleSummary::from_json(case).is_err(), "accepted {case}");
        }
    }

    #[test]
    fn round_trip_keeps_shape_and_skips_empty_fields() {
        let s = ArticleSummary::from_json(SAMPLE).unwrap();
        let json = s.to_json_pretty();
        assert_eq!(ArticleSummary::from_json(&json).unwrap(), s);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let outcomes = &v["outcomes"];
        assert_eq!(outcomes[0]["value"].to_string(), "196");
        assert_eq!(outcomes[1]["value"].to_string(), "[20,35.5]");
        assert_eq!(outcomes[1]["range"].to_string(), "[20,35]");
        assert_eq!(outcomes[2]["value"].to_string(), "65.7");
        for key in ["approx", "context", "bound", "range", "as_of", "target"] {
            assert!(outcomes[0].get(key).is_none(), "{key} written");
        }
        assert_eq!(v["programs"][0]["operator"], "阿里巴巴集团");
        assert_eq!(v["programs"][0]["place"][1], "张北县");
        assert!(v["programs"][1].get("operator").is_none());
        assert!(v["organizations"][0].get("incidental").is_none());
        assert_eq!(v["organizations"][1]["incidental"], true);
        assert_eq!(v["places"][0]["code"], 130_529);
        assert!(v["places"][1].get("prefecture").is_none());
        assert_eq!(v["documents"].as_array().map(Vec::len), Some(1));
        assert!(v.get("source").is_none());
    }

    #[test]
    fn displays_values() {
        let cases = [
            (OutcomeValue::Scalar(3_000_000.0), "3000000"),
            (OutcomeValue::Scalar(65.7), "65.7"),
            (OutcomeValue::Range(20.0, 35.0), "[20, 35]"),
        ];
        for (value, want) in cases {
            assert_eq!(value.to_string(), want);
        }
    }

    /// A scratch directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "zhkg-eval-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn parse_dir_reads_json_files_in_name_order() {
        let dir = TempDir::new("ok");
        fs::write(dir.0.join("b.json"), SAMPLE).unwrap();
        fs::write(
            dir.0.join("a.json"),
            r#"{"article": "a.txt", "documents": []}"#,
        )
        .unwrap();
        fs::write(dir.0.join("FORMAT.md"), "# not json").unwrap();
        fs::create_dir(dir.0.join("sub.json")).unwrap();
        let all = parse_dir(&dir.0).unwrap();
        let names: Vec<_> = all.iter().map(|s| s.article.as_str()).collect();
        assert_eq!(names, ["a.txt", "900_sample.txt"]);
    }

    #[test]
    fn parse_dir_errors_name_the_file() {
        let dir = TempDir::new("bad");
        fs::write(dir.0.join("good.json"), SAMPLE).unwrap();
        fs::write(dir.0.join("broken.json"), r#"{"article": "#).unwrap();
        let err = parse_dir(&dir.0).unwrap_err();
        assert!(matches!(err, EvalError::Json { .. }));
        assert!(err.to_string().contains("broken.json"), "{err}");
        assert!(std::error::Error::source(&err).is_some());

        let missing = dir.0.join("missing");
        let err = parse_dir(&missing).unwrap_err();
        assert!(matches!(err, EvalError::Io { .. }));
        assert!(err.to_string().contains("missing"), "{err}");
    }
}
