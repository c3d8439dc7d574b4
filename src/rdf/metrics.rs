//! The ontology's metric concept scheme, written from the metric vocabulary
//! (`crates/zhkg-text/src/lexicon/data/metrics.tsv`).
//!
//! `ontology/zhkg.ttl` holds the rendered scheme after the line
//! [`BEGIN`]; a test checks that it is current (`UPDATE_GOLDEN=1 cargo test`
//! rewrites it), so the ontology and the extractors cannot disagree on a
//! metric or its family.

use std::fmt::Write as _;

use crate::extract::Family;
use crate::lexicon::LEXICON;

/// The line that starts the generated part of `ontology/zhkg.ttl` (it runs
/// to the end of the file).
pub const BEGIN: &str =
    "# ---------------------------------------------------------------- metrics (generated)";

/// The IRI local name of a family's concept (`family-employment`).
pub fn family_local(f: Family) -> String {
    format!("family-{}", f.as_str())
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The Turtle of the metric scheme: the families as top concepts of
/// `zhkg:MetricFamilyScheme`, and every metric of the vocabulary in
/// `zhkg:MetricScheme`, `skos:broader` its family when it has one, with its
/// labels and admitted units.
pub fn scheme_turtle() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{BEGIN}");
    out.push_str(
        "# Written from crates/zhkg-text/src/lexicon/data/metrics.tsv by src/rdf/metrics.rs:\n\
         # do not edit here; edit the table and run UPDATE_GOLDEN=1 cargo test.\n\n",
    );
    out.push_str(
        "zhkg:MetricScheme a skos:ConceptScheme ;\n    \
         rdfs:label \"zhkg metrics\"@en, \"zhkg 指标体系\"@zh ;\n    \
         rdfs:comment \"What outcomes measure; notations are the metric names zhkg writes in the gold format. A metric in one of the thirteen families is skos:broader it; one in none (brands, projects, policy measures) is its own family.\"@en .\n\n\
         zhkg:MetricFamilyScheme a skos:ConceptScheme ;\n    \
         rdfs:label \"zhkg metric families\"@en, \"zhkg 指标类别\"@zh ;\n    \
         rdfs:comment \"The thirteen metric families of the gold format (FORMAT.md), by which outcomes of different metrics compare.\"@en .\n\n",
    );
    for f in Family::ALL {
        let (zh, en) = f.labels();
        let _ = write!(
            out,
            "metric:{local} a skos:Concept ;\n    \
             skos:inScheme zhkg:MetricFamilyScheme ;\n    \
             skos:topConceptOf zhkg:MetricFamilyScheme ;\n    \
             skos:notation \"{name}\" ;\n    \
             skos:prefLabel \"{en}\"@en, \"{zh}\"@zh ;\n    \
             rdfs:label \"{en}\"@en, \"{zh}\"@zh .\n\n",
            local = family_local(f),
            name = f.as_str(),
        );
    }
    for d in &LEXICON.metrics.defs {
        let (en, zh) = (escape(&d.label_en), escape(&d.label_zh));
        let broader = d.family.map_or(String::new(), |f| {
            format!("skos:broader metric:{} ;\n    ", family_local(f))
        });
        let _ = write!(
            out,
            "metric:{name} a skos:Concept, zhkg:Metric ;\n    \
             skos:inScheme zhkg:MetricScheme ;\n    \
             {broader}skos:notation \"{name}\" ;\n    \
             skos:prefLabel \"{en}\"@en, \"{zh}\"@zh ;\n    \
             rdfs:label \"{en}\"@en, \"{zh}\"@zh ;\n    \
             rdfs:comment \"Units: {units}.\"@en .\n\n",
            name = d.name,
            units = d.units.join(", "),
        );
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `ontology` with its generated part replaced by [`scheme_turtle`] (or
/// appended when it has none).
pub fn with_current_scheme(ontology: &str) -> String {
    let head = ontology.find(BEGIN).map_or(ontology, |i| &ontology[..i]);
    format!("{}\n\n{}", head.trim_end(), scheme_turtle())
}
