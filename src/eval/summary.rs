//! The per-article summary in the gold format (`tests/gold/FORMAT.md`),
//! produced from the graph by the SPARQL queries in `queries/summary/`. It is
//! what `zhkg extract --format json` prints and what `zhkg eval` scores, so
//! that the evaluation measures the graph itself rather than an internal
//! structure.

use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::QueryResults;

use crate::error::QueryError;
use crate::eval::{
    ArticleSummary, Document, Organization, Outcome, OutcomeValue, Person, Place, Program,
};
use crate::ingest::ArticleId;
use crate::rdf::iri;
use crate::sparql::query;
use crate::store::GraphStore;

const ORGS: &str = include_str!("../../queries/summary/organizations.rq");
const PLACES: &str = include_str!("../../queries/summary/places.rq");
const PROGRAMS: &str = include_str!("../../queries/summary/programs.rq");
const DOCUMENTS: &str = include_str!("../../queries/summary/documents.rq");
const PEOPLE: &str = include_str!("../../queries/summary/people.rq");
const OUTCOMES: &str = include_str!("../../queries/summary/outcomes.rq");
const DATES: &str = include_str!("../../queries/summary/dates.rq");

/// One result row: a value per variable (empty string when unbound).
struct Row(Vec<(String, Option<Term>)>);

impl Row {
    fn get(&self, var: &str) -> Option<&Term> {
        self.0
            .iter()
            .find(|(v, _)| v == var)
            .and_then(|(_, t)| t.as_ref())
    }

    fn text(&self, var: &str) -> Option<String> {
        self.get(var).map(|t| match t {
            Term::Literal(l) => l.value().to_owned(),
            other => other.to_string(),
        })
    }

    fn list(&self, var: &str) -> Vec<String> {
        self.text(var)
            .map(|s| {
                s.split('|')
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn number(&self, var: &str) -> Option<f64> {
        self.text(var).and_then(|s| s.parse().ok())
    }
}

fn rows(store: &GraphStore, text: &str, article: &NamedNode) -> Result<Vec<Row>, QueryError> {
    // The queries name the article as ?article; it is bound by writing the IRI in.
    let text = text.replace("?article", &format!("<{}>", article.as_str()));
    let mut q = query::parse(&text)?;
    q.dataset_mut().set_default_graph_as_union();
    let QueryResults::Solutions(sols) = q.on_store(store.inner()).execute()? else {
        return Ok(Vec::new());
    };
    let vars = sols.variables().to_vec();
    let mut out = Vec::new();
    for s in sols {
        let s = s?;
        out.push(Row(vars
            .iter()
            .map(|v| (v.as_str().to_owned(), s.get(v).cloned()))
            .collect()));
    }
    Ok(out)
}

/// Summarises the graph of article `id` in `store`; `file_name` fills the
/// `article` key.
pub fn summarize(
    store: &GraphStore,
    id: &ArticleId,
    file_name: &str,
) -> Result<ArticleSummary, QueryError> {
    let a = iri::article(id);
    let mut s = ArticleSummary {
        article: file_name.to_owned(),
        ..ArticleSummary::default()
    };
    for r in rows(store, ORGS, &a)? {
        s.organizations.push(Organization {
            name: r.text("name").unwrap_or_default(),
            aliases_in_text: r.list("aliases"),
            org_type: r.text("kind"),
            parent: r.text("parent"),
            ..Organization::default()
        });
    }
    for r in rows(store, PLACES, &a)? {
        s.places.push(Place {
            name: r.text("name").unwrap_or_default(),
            level: r.text("level"),
            province: r.text("province"),
            prefecture: r.text("prefecture"),
            aliases_in_text: r.list("aliases"),
            code: r.text("code").and_then(|c| c.parse().ok()),
            ..Place::default()
        });
    }
    for r in rows(store, PROGRAMS, &a)? {
        s.programs.push(Program {
            name: r.text("name").unwrap_or_default(),
            kind: r.text("kind"),
            operator: r.list("operators"),
            place: r.list("places"),
            aliases_in_text: r.list("aliases"),
            ..Program::default()
        });
    }
    for r in rows(store, DOCUMENTS, &a)? {
        s.documents.push(Document {
            name: r.text("name").unwrap_or_default(),
            publisher: r.text("publisher"),
            aliases_in_text: r.list("aliases"),
            ..Document::default()
        });
    }
    for r in rows(store, PEOPLE, &a)? {
        s.people.push(Person {
            name: r.text("name").unwrap_or_default(),
            role: r.text("role"),
            affiliation: r.text("affiliation"),
            place: r.text("place").into_iter().collect(),
            aliases_in_text: r.list("aliases"),
            ..Person::default()
        });
    }
    for r in rows(store, OUTCOMES, &a)? {
        let value = r.number("value").unwrap_or_default();
        let qualifier = r.text("qualifier").unwrap_or_default();
        s.outcomes.push(Outcome {
            subject: r.text("subject").unwrap_or_default(),
            subject_unknown: r.text("unknown").as_deref() == Some("true"),
            metric: r.text("metric").unwrap_or_default(),
            metric_family: r.text("family"),
            value: match r.number("max") {
                Some(max) => OutcomeValue::Range(value, max),
                None => OutcomeValue::Scalar(value),
            },
            unit: r.text("unit").unwrap_or_default(),
            text: r.text("text").unwrap_or_default(),
            approx: qualifier == "approximate",
            bound: match qualifier.as_str() {
                "lower_bound" => Some("lower".into()),
                "upper_bound" => Some("upper".into()),
                _ => None,
            },
            target: r.text("target").as_deref() == Some("true"),
            context: r.text("context").as_deref() == Some("true"),
            as_of: r.text("asOf"),
            ..Outcome::default()
        });
    }
    for r in rows(store, DATES, &a)? {
        s.dates.push(crate::eval::DateMention {
            event: r
                .text("sentence")
                .map(|t| t.chars().take(60).collect())
                .unwrap_or_default(),
            date: r.text("date"),
            text: r.text("text").unwrap_or_default(),
            year_inferred: r.text("inferred").as_deref() == Some("true"),
            ..crate::eval::DateMention::default()
        });
    }
    Ok(s)
}

/// Summarises one processed article (named `name`) through a fresh
/// in-memory store holding its graph.
pub fn summarize_processed(
    p: &crate::build::Processed,
    name: &str,
) -> Result<ArticleSummary, crate::Error> {
    let store = GraphStore::in_memory()?;
    store.write_article(&p.graph)?;
    Ok(summarize(&store, &p.article.id, name)?)
}

/// Reads, extracts and summarises one article file (see [`summarize`]).
pub fn summarize_file(
    path: &std::path::Path,
    opts: &crate::ingest::IngestOptions,
) -> Result<(crate::build::Processed, ArticleSummary), crate::Error> {
    let p = crate::build::process_file(path, opts).map_err(|source| crate::Error::Ingest {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let summary = summarize_processed(&p, &name)?;
    Ok((p, summary))
}

/// What `zhkg eval` produced: the report, and the inputs it could not score.
pub struct Evaluation {
    /// Scores per article and in total.
    pub report: crate::eval::Report,
    /// Inputs without a gold file, or that failed, with the reason.
    pub skipped: Vec<(std::path::PathBuf, String)>,
}

/// Scores the articles under `inputs` against the gold files in `gold_dir`
/// (matched by file stem: `x.txt` ↔ `x.json`).
pub fn evaluate(
    gold_dir: &std::path::Path,
    inputs: &[std::path::PathBuf],
    opts: &crate::ingest::IngestOptions,
) -> Result<Evaluation, crate::Error> {
    let (files, errors) = crate::build::discover(inputs);
    let mut skipped: Vec<(std::path::PathBuf, String)> =
        errors.into_iter().map(|e| (e.path, e.message)).collect();
    let mut pairs = Vec::new();
    for f in files {
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let gold_path = gold_dir.join(format!("{stem}.json"));
        if !gold_path.is_file() {
            skipped.push((f, format!("no gold file {}", gold_path.display())));
            continue;
        }
        let gold = match ArticleSummary::from_path(&gold_path) {
            Ok(g) => g,
            Err(e) => {
                skipped.push((f, e.to_string()));
                continue;
            }
        };
        match summarize_file(&f, opts) {
            Ok((_, predicted)) => pairs.push((gold, predicted)),
            Err(e) => skipped.push((f, e.to_string())),
        }
    }
    Ok(Evaluation {
        report: crate::eval::score_all(&pairs),
        skipped,
    })
}

/// Scores already written summaries, as the reference scorer does: every
/// `*.json` file in `gold_dir`, in name order, against the file of the same
/// name in `predicted_dir` (`zhkg extract --format json` output). A missing
/// prediction scores as an empty summary; a gold or predicted file that
/// cannot be read is skipped with its reason.
pub fn evaluate_predictions(
    gold_dir: &std::path::Path,
    predicted_dir: &std::path::Path,
) -> Result<Evaluation, crate::Error> {
    let gold_files = crate::eval::gold::summary_files(gold_dir)?;
    let mut skipped = Vec::new();
    let mut pairs = Vec::new();
    for gold_path in gold_files {
        let gold = match ArticleSummary::from_path(&gold_path) {
            Ok(g) => g,
            Err(e) => {
                skipped.push((gold_path, e.to_string()));
                continue;
            }
        };
        let pred_path = predicted_dir.join(gold_path.file_name().unwrap_or_default());
        let predicted = if pred_path.is_file() {
            match ArticleSummary::from_path(&pred_path) {
                Ok(p) => p,
                Err(e) => {
                    skipped.push((pred_path, e.to_string()));
                    continue;
                }
            }
        } else {
            ArticleSummary::default()
        };
        pairs.push((gold, predicted));
    }
    Ok(Evaluation {
        report: crate::eval::score_all(&pairs),
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_summary_query_parses() {
        for q in [ORGS, PLACES, PROGRAMS, DOCUMENTS, PEOPLE, OUTCOMES, DATES] {
            if let Err(e) = query::parse(q) {
                panic!("{e}\n{q}");
            }
        }
    }
}
