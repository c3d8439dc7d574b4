//! The metric vocabulary (`data/metrics.tsv`) and the cue rules that select
//! a metric (`data/metric_cues.tsv`).
//!
//! A [`Metric`] is a typed value backed by a row of the vocabulary: its name,
//! its [`Family`] (one of the thirteen of the gold format, or none where the
//! format's own definitions place it in none: brands, projects, policy
//! measures), its labels and the units it admits. Outcomes carry a `Metric`,
//! never a loose string.

use std::fmt;

use serde::{Serialize, Serializer};

use super::{LEXICON, LexiconError, tsv_rows};

/// The thirteen metric families of the gold format (`FORMAT.md`), in its
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Growth, increases, multiples.
    Growth,
    /// A share or rate of a whole.
    Share,
    /// Ages and age ranges.
    Age,
    /// Wages, salaries, people's income.
    Wage,
    /// Sales, revenue, turnover.
    Sales,
    /// Other sums: investment, subsidies, prizes.
    Money,
    /// People trained, certificates, courses, talent.
    Training,
    /// People employed: staff, jobs, workstations, envoys.
    Employment,
    /// Provinces, counties, villages a programme reaches.
    Coverage,
    /// Centres, bases, stations, studios, parks, shops.
    Facility,
    /// Other counts of people or firms.
    People,
    /// Durations and periods.
    Time,
    /// Areas.
    Area,
}

impl Family {
    /// Every family, in the gold format's order.
    pub const ALL: [Family; 13] = [
        Self::Growth,
        Self::Share,
        Self::Age,
        Self::Wage,
        Self::Sales,
        Self::Money,
        Self::Training,
        Self::Employment,
        Self::Coverage,
        Self::Facility,
        Self::People,
        Self::Time,
        Self::Area,
    ];

    /// The family's name in the gold format (`employment`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Growth => "growth",
            Self::Share => "share",
            Self::Age => "age",
            Self::Wage => "wage",
            Self::Sales => "sales",
            Self::Money => "money",
            Self::Training => "training",
            Self::Employment => "employment",
            Self::Coverage => "coverage",
            Self::Facility => "facility",
            Self::People => "people",
            Self::Time => "time",
            Self::Area => "area",
        }
    }

    /// The family of this name, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Chinese and English labels.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Self::Growth => ("增长", "growth"),
            Self::Share => ("占比", "share"),
            Self::Age => ("年龄", "age"),
            Self::Wage => ("工资收入", "wage"),
            Self::Sales => ("销售", "sales"),
            Self::Money => ("金额", "money"),
            Self::Training => ("培训", "training"),
            Self::Employment => ("就业", "employment"),
            Self::Coverage => ("覆盖", "coverage"),
            Self::Facility => ("设施", "facility"),
            Self::People => ("人群与企业", "people and firms"),
            Self::Time => ("时长", "time"),
            Self::Area => ("面积", "area"),
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A row of the metric vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricDef {
    /// snake_case notation (`employees`).
    pub name: String,
    /// Its family; `None` (`-` in the table) where none of the thirteen
    /// fits, so that the metric is its own family (`other:<name>` in the
    /// gold format) rather than lumped with unlike figures.
    pub family: Option<Family>,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// Notations of the units it admits (`person`, `CNY`, …).
    pub units: Vec<String>,
}

/// A metric of the vocabulary (an index into it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Metric(u16);

impl Metric {
    /// The metric named `name`, if the vocabulary has it.
    pub fn named(name: &str) -> Option<Self> {
        LEXICON.metrics.by_name(name)
    }

    /// Its definition.
    pub fn def(self) -> &'static MetricDef {
        &LEXICON.metrics.defs[usize::from(self.0)]
    }

    /// Its notation (`employees`).
    pub fn name(self) -> &'static str {
        &self.def().name
    }

    /// Its family, if it has one of the thirteen.
    pub fn family(self) -> Option<Family> {
        self.def().family
    }
}

impl fmt::Debug for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Metric({})", self.name())
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<&str> for Metric {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl Serialize for Metric {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Where a cue is looked for (see `metric_cues.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The six characters before the figure (培养80名).
    Verb,
    /// The noun phrase counted right after the figure (30个品牌).
    Counted,
    /// The measure word (分三批).
    Measured,
    /// The rest of the clause after the figure (5万名学生|受益).
    After,
    /// The clause before the figure, the counted phrase, the measure word;
    /// for shares and headcounts also the clause after.
    Clause,
    /// After the others: a figure that counts nothing named after it, and
    /// whose metric is a general one the rule refines, takes the rule's
    /// metric when the sentence before it speaks of the rule's topic
    /// (与电商相关的培训，每年举办400多场: sessions of training, not events).
    Topic,
    /// When nothing else matched: by the measure word's end, or by unit alone.
    Fallback,
}

impl Stage {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "verb" => Self::Verb,
            "counted" => Self::Counted,
            "measured" => Self::Measured,
            "after" => Self::After,
            "clause" => Self::Clause,
            "topic" => Self::Topic,
            "fallback" => Self::Fallback,
            _ => return None,
        })
    }
}

/// A cue rule: in `stage`, any of `cues` selects `metric` for a figure in
/// one of `units`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueRule {
    /// Where the cues are looked for.
    pub stage: Stage,
    /// The metric selected.
    pub metric: Metric,
    /// Unit notations the rule applies to.
    pub units: Vec<String>,
    /// The cue words (may be empty for a fallback).
    pub cues: Vec<String>,
    /// For a topic rule, the general metrics it refines (empty otherwise).
    pub refines: Vec<Metric>,
}

/// The vocabulary and the cue rules.
#[derive(Debug)]
pub struct Metrics {
    /// Every metric, in file order.
    pub defs: Vec<MetricDef>,
    /// Every cue rule, in file order.
    pub rules: Vec<CueRule>,
}

impl Metrics {
    /// Parses `metrics.tsv` and `metric_cues.tsv`.
    pub fn parse(metrics: &str, cues: &str) -> Result<Self, LexiconError> {
        let mut defs: Vec<MetricDef> = Vec::new();
        for (line, f) in tsv_rows(metrics, true) {
            let err = |message: String| LexiconError {
                file: "metrics.tsv",
                line,
                message,
            };
            let [name, family, zh, en, units] = f[..] else {
                return Err(err(
                    "expected name, family, label_zh, label_en, units".into()
                ));
            };
            let family = match family.trim() {
                "-" => None,
                f => Some(Family::parse(f).ok_or_else(|| {
                    err(format!(
                        "{name}: family {family:?} is none of the thirteen (growth, share, age, wage, sales, money, training, employment, coverage, facility, people, time, area); write - for a metric in none"
                    ))
                })?),
            };
            if defs.iter().any(|d| d.name == name) {
                return Err(err(format!("{name} is listed twice")));
            }
            defs.push(MetricDef {
                name: name.trim().to_owned(),
                family,
                label_zh: zh.trim().to_owned(),
                label_en: en.trim().to_owned(),
                units: split(units),
            });
        }
        if defs.len() > usize::from(u16::MAX) {
            return Err(LexiconError {
                file: "metrics.tsv",
                line: 0,
                message: "too many metrics".into(),
            });
        }
        let mut rules = Vec::new();
        for (line, f) in tsv_rows(cues, true) {
            let err = |message: String| LexiconError {
                file: "metric_cues.tsv",
                line,
                message,
            };
            let (stage, metric, units) = match f[..] {
                [s, m, u] | [s, m, u, _] | [s, m, u, _, _] => (s, m, u),
                _ => return Err(err("expected stage, metric, units, cues".into())),
            };
            let stage = Stage::parse(stage.trim())
                .ok_or_else(|| err(format!("unknown stage {stage:?}")))?;
            let position = |name: &str| defs.iter().position(|d| d.name == name.trim());
            let index = position(metric)
                .ok_or_else(|| err(format!("metric {metric:?} is not in metrics.tsv")))?;
            let refines = split(f.get(4).copied().unwrap_or_default())
                .iter()
                .map(|r| {
                    position(r)
                        .map(|i| Metric(i as u16))
                        .ok_or_else(|| err(format!("refined metric {r:?} is not in metrics.tsv")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if refines.is_empty() == (stage == Stage::Topic) {
                return Err(err(
                    "a topic rule, and only a topic rule, names the metrics it refines in a fifth column"
                        .into(),
                ));
            }
            let units = split(units);
            if let Some(u) = units.iter().find(|u| !defs[index].units.contains(u)) {
                return Err(err(format!(
                    "{metric} does not admit the unit {u} in metrics.tsv"
                )));
            }
            let cues = split(f.get(3).copied().unwrap_or_default());
            if cues.is_empty() && stage != Stage::Fallback {
                return Err(err("only a fallback rule may have no cue".into()));
            }
            rules.push(CueRule {
                stage,
                metric: Metric(index as u16),
                units,
                cues,
                refines,
            });
        }
        Ok(Self { defs, rules })
    }

    fn by_name(&self, name: &str) -> Option<Metric> {
        self.defs
            .iter()
            .position(|d| d.name == name)
            .map(|i| Metric(i as u16))
    }

    /// Every metric of the vocabulary.
    pub fn all(&self) -> impl Iterator<Item = Metric> + '_ {
        (0..self.defs.len()).map(|i| Metric(i as u16))
    }

    /// The rules of one stage, in file order.
    pub fn stage(&self, stage: Stage) -> impl Iterator<Item = &CueRule> {
        self.rules.iter().filter(move |r| r.stage == stage)
    }
}

fn split(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_in_a_family_or_none_and_every_rule_names_one() {
        let m = &LEXICON.metrics;
        assert!(m.defs.len() >= 60, "{}", m.defs.len());
        for metric in m.all() {
            assert!(!metric.def().units.is_empty(), "{metric} admits no unit");
            assert!(!metric.def().label_zh.is_empty() && !metric.def().label_en.is_empty());
        }
        assert_eq!(
            Metric::named("employees").map(Metric::family),
            Some(Some(Family::Employment))
        );
        assert_eq!(
            Metric::named("female_share").map(Metric::family),
            Some(Some(Family::Share))
        );
        assert_eq!(Metric::named("brands").map(Metric::family), Some(None));
        assert_eq!(Metric::named("no_such_metric"), None);
        // Each metric is selected by some rule.
        for metric in m.all() {
            assert!(
                m.rules.iter().any(|r| r.metric == metric),
                "{metric} has no rule"
            );
        }
    }

    #[test]
    fn malformed_tables_are_refused_with_file_and_line() {
        let head = "name\tfamily\tlabel_zh\tlabel_en\tunits\n";
        let cues_head = "stage\tmetric\tunits\tcues\n";
        // (metrics.tsv, metric_cues.tsv, file and line of the error, words of the message)
        let cases = [
            (
                format!("{head}brands\tother\t品牌\tbrands\tcount\n"),
                cues_head.to_owned(),
                ("metrics.tsv", 2),
                "none of the thirteen",
            ),
            (
                format!("{head}brands\tpeople\t品牌\tbrands\tcount\n"),
                format!("{cues_head}counted\tlogos\tcount\t标志\n"),
                ("metric_cues.tsv", 2),
                "not in metrics.tsv",
            ),
            (
                format!("{head}brands\tpeople\t品牌\tbrands\tcount\n"),
                format!("{cues_head}counted\tbrands\tperson\t品牌\n"),
                ("metric_cues.tsv", 2),
                "does not admit",
            ),
            (
                format!("{head}brands\tpeople\t品牌\tbrands\tcount\n"),
                format!("{cues_head}counted\tbrands\tcount\t\n"),
                ("metric_cues.tsv", 2),
                "no cue",
            ),
            (
                format!("{head}brands\tpeople\t品牌\tbrands\tcount\n"),
                format!("{cues_head}topic\tbrands\tcount\t品牌\n"),
                ("metric_cues.tsv", 2),
                "fifth column",
            ),
            (
                format!("{head}brands\tpeople\t品牌\tbrands\tcount\n"),
                format!("{cues_head}topic\tbrands\tcount\t品牌\tlogos\n"),
                ("metric_cues.tsv", 2),
                "refined metric \"logos\"",
            ),
            (
                format!("{head}brands\tpeople\t品牌\tbrands\tcount\n"),
                format!("{cues_head}counted\tbrands\tcount\t品牌\tbrands\n"),
                ("metric_cues.tsv", 2),
                "only a topic rule",
            ),
        ];
        for (metrics, cues, (file, line), words) in cases {
            let e = Metrics::parse(&metrics, &cues).unwrap_err();
            assert_eq!((e.file, e.line), (file, line), "{}", e.message);
            assert!(e.message.contains(words), "{}", e.message);
        }
    }
}
