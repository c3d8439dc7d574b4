//! Export: canonical N-Quads, streamed line formats, one file per article,
//! and JSON-LD that parses back to the graph of the Turtle export.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::LazyLock;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::{Literal, Quad, Term};
use zhkg::build::BuildOptions;
use zhkg::sparql::export::{ExportOptions, export};
use zhkg::store::GraphStore;

fn seeds() -> PathBuf {
    crate::common::root().join("seeds")
}

fn build(store: &GraphStore) {
    let s = zhkg::build::build(store, &[seeds()], &BuildOptions::default(), &|_, _| {}).unwrap();
    assert_eq!(s.written, 5, "{s:?}");
}

static SEEDED: LazyLock<GraphStore> = LazyLock::new(|| {
    let store = GraphStore::in_memory().unwrap();
    build(&store);
    store
});

fn exported(store: &GraphStore, format: RdfFormat, opts: &ExportOptions) -> Vec<u8> {
    let mut out = Vec::new();
    export(store, format, opts, &mut out).unwrap();
    out
}

fn parse(format: RdfFormat, bytes: &[u8]) -> Vec<Quad> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A quad in N-Quads form with its language tag in lower case: parsers
/// lower-case tags (RDF compares them case-insensitively) while the builder
/// keeps `zh-Hant`.
fn norm(q: &Quad) -> String {
    let mut q = q.clone();
    if let Term::Literal(l) = &q.object
        && let Some(lang) = l.language()
    {
        q.object =
            Literal::new_language_tagged_literal_unchecked(l.value(), lang.to_lowercase()).into();
    }
    q.to_string()
}

/// The distinct triples of `quads` (graph names dropped), as N-Triples
/// lines, language tags compared case-insensitively (parsers lower-case them).
fn triple_set(quads: &[Quad]) -> std::collections::BTreeSet<String> {
    quads
        .iter()
        .map(|q| {
            let object = match &q.object {
                Term::Literal(l) => match l.language() {
                    Some(lang) => format!("{:?}@{}", l.value(), lang.to_lowercase()),
                    None => l.to_string(),
                },
                other => other.to_string(),
            };
            format!("{} {} {object}", q.subject, q.predicate)
        })
        .collect()
}

#[test]
fn canonical_export_is_byte_identical_across_builds_and_back_ends() {
    let canonical = ExportOptions {
        canonical: true,
        ..Default::default()
    };
    let a = exported(&SEEDED, RdfFormat::NQuads, &canonical);
    let dir = tempfile::tempdir().unwrap();
    let disk = GraphStore::open(&dir.path().join("store")).unwrap();
    build(&disk);
    let b = exported(&disk, RdfFormat::NQuads, &canonical);
    assert!(
        a == b,
        "two builds of the seeds give different canonical N-Quads"
    );
    // Canonical N-Quads: sorted lines, and the same dataset as the store.
    let text = String::from_utf8(a.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.windows(2).all(|w| w[0] < w[1]),
        "lines are sorted and unique"
    );
    let parsed = parse(RdfFormat::NQuads, &a);
    let stored = zhkg::sparql::export::collect(&SEEDED, &Default::default()).unwrap();
    assert_eq!(parsed.len(), stored.len());
    let (p, s): (BTreeSet<String>, BTreeSet<String>) = (
        parsed.iter().map(norm).collect(),
        stored.iter().map(norm).collect(),
    );
    assert!(
        p == s,
        "the seeds have no blank nodes, so the quads are equal"
    );
}

#[test]
fn canonical_export_relabels_blank_nodes() {
    let store = GraphStore::in_memory().unwrap();
    zhkg::sparql::query::update(
        &store,
        "INSERT DATA { GRAPH <https://example.org/g> { _:a <https://example.org/p> _:b . _:b <https://example.org/p> \"x\" } }",
    )
    .unwrap();
    let opts = ExportOptions {
        canonical: true,
        ..Default::default()
    };
    let out = String::from_utf8(exported(&store, RdfFormat::NQuads, &opts)).unwrap();
    assert_eq!(
        out,
        "_:c14n0 <https://example.org/p> \"x\" <https://example.org/g> .\n\
         _:c14n1 <https://example.org/p> _:c14n0 <https://example.org/g> .\n"
    );
}

#[test]
fn streamed_line_formats_are_deterministic_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let disk = GraphStore::open(&dir.path().join("store")).unwrap();
    build(&disk);
    let opts = ExportOptions::default();
    let stored = zhkg::sparql::export::collect(&SEEDED, &opts).unwrap();

    let nq = exported(&SEEDED, RdfFormat::NQuads, &opts);
    assert!(
        nq == exported(&disk, RdfFormat::NQuads, &opts),
        "N-Quads differ"
    );
    // Streaming one graph at a time gives the same bytes as sorting all quads.
    let mut sorted = Vec::new();
    zhkg::sparql::export::write_quads(&stored, RdfFormat::NQuads, &mut sorted).unwrap();
    assert!(
        nq == sorted,
        "streamed N-Quads differ from the sorted export"
    );

    let nt = exported(&SEEDED, RdfFormat::NTriples, &opts);
    assert!(
        nt == exported(&disk, RdfFormat::NTriples, &opts),
        "N-Triples differ"
    );
    let text = String::from_utf8(nt.clone()).unwrap();
    let unique: BTreeSet<&str> = text.lines().collect();
    assert_eq!(
        unique.len(),
        text.lines().count(),
        "N-Triples repeats a triple"
    );
    assert_eq!(
        triple_set(&parse(RdfFormat::NTriples, &nt)),
        triple_set(&stored)
    );
}

#[test]
fn split_by_article_writes_one_file_per_graph() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("split");
    let files = zhkg::sparql::export::export_split(
        &SEEDED,
        RdfFormat::TriG,
        &ExportOptions::default(),
        &out,
    )
    .unwrap();
    let names: BTreeSet<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // Five articles, the entities graph, the resolution graph (the seeds
    // name one programme in several ways across articles) and the facts
    // graph.
    assert_eq!(files.len(), 8, "{names:?}");
    assert_eq!(names.len(), 8, "no temporary files are left: {names:?}");
    assert!(names.contains("entities.trig"), "{names:?}");
    assert!(names.contains("resolved.trig"), "{names:?}");
    assert!(names.contains("facts.trig"), "{names:?}");
    for seed in std::fs::read_dir(seeds()).unwrap() {
        let stem = seed
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(names.contains(&format!("{stem}.trig")), "{stem}: {names:?}");
    }
    let mut all: Vec<String> = Vec::new();
    for f in &files {
        let quads = parse(RdfFormat::TriG, &std::fs::read(f).unwrap());
        let graphs: BTreeSet<String> = quads.iter().map(|q| q.graph_name.to_string()).collect();
        assert_eq!(graphs.len(), 1, "{}: {graphs:?}", f.display());
        all.extend(quads.iter().map(norm));
    }
    all.sort();
    let mut stored: Vec<String> = zhkg::sparql::export::collect(&SEEDED, &Default::default())
        .unwrap()
        .iter()
        .map(norm)
        .collect();
    stored.sort();
    assert!(all == stored, "the files together hold the whole store");
}

#[test]
fn jsonld_export_parses_back_to_the_turtle_graph() {
    let opts = ExportOptions::default();
    let jsonld = RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    };
    let json = exported(&SEEDED, jsonld, &opts);
    let ttl = exported(&SEEDED, RdfFormat::Turtle, &opts);
    assert!(zhkg::sparql::export::isomorphic_triples(
        &parse(jsonld, &json),
        &parse(RdfFormat::Turtle, &ttl)
    ));
    // The JSON-LD uses the vocabulary's prefixes as its context.
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    for (p, ns) in zhkg::rdf::vocab::PREFIXES {
        assert_eq!(v["@context"][p], *ns, "prefix {p}");
    }
}

/// The ontology's metric scheme is the one the metric vocabulary gives:
/// every metric zhkg emits, `skos:broader` its family.
#[test]
fn the_ontology_metric_scheme_is_current() {
    let path = crate::common::root().join("ontology/zhkg.ttl");
    let on_disk = std::fs::read_to_string(&path).unwrap();
    let current = zhkg::rdf::metrics::with_current_scheme(&on_disk);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &current).unwrap();
    }
    assert!(
        on_disk == current,
        "the metric scheme in ontology/zhkg.ttl is out of date\nhelp: refresh it with UPDATE_GOLDEN=1 cargo test --test it the_ontology_metric_scheme"
    );
}

#[test]
fn the_jsonld_context_file_is_current() {
    let path = crate::common::root().join("ontology/context.jsonld");
    let generated =
        serde_json::to_string_pretty(&zhkg::sparql::export::jsonld_context()).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "ontology/context.jsonld is out of date\nhelp: refresh it with UPDATE_GOLDEN=1 cargo test --test export"
    );
    let v: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    let ctx = &v["@context"];
    for (p, ns) in zhkg::rdf::vocab::PREFIXES {
        assert_eq!(ctx[p], *ns, "prefix {p}");
    }
    assert_eq!(ctx["Programme"], "zhkg:Programme");
    assert_eq!(ctx["operatedBy"]["@type"], "@id");
    // A document using the context expands to zhkg IRIs.
    let doc = format!(
        r#"{{"@context": {}, "@id": "id:x", "@type": "Programme", "operatedBy": "id:y"}}"#,
        serde_json::to_string(ctx).unwrap()
    );
    let quads = parse(
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        doc.as_bytes(),
    );
    let text: Vec<String> = quads.iter().map(ToString::to_string).collect();
    assert!(
        text.contains(&"<https://w3id.org/zhkg/id/x> <https://w3id.org/zhkg/ontology#operatedBy> <https://w3id.org/zhkg/id/y>".to_owned()),
        "{text:#?}"
    );
}

#[test]
fn cli_export_canonical_and_split() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let zhkg = || {
        let mut c = assert_cmd::Command::cargo_bin("zhkg").unwrap();
        c.arg("--store").arg(&store);
        c
    };
    zhkg().arg("build").arg(seeds()).assert().success();
    let nq = dir.path().join("graph.nq");
    zhkg()
        .args(["export", "--canonical", "-o"])
        .arg(&nq)
        .assert()
        .success();
    let canonical = ExportOptions {
        canonical: true,
        ..Default::default()
    };
    assert!(
        std::fs::read(&nq).unwrap() == exported(&SEEDED, RdfFormat::NQuads, &canonical),
        "the CLI's canonical export differs from the library's"
    );
    zhkg()
        .args(["export", "--canonical", "--format", "turtle"])
        .assert()
        .failure();
    let split = dir.path().join("split");
    zhkg()
        .args(["export", "--format", "ntriples", "--split-by-article"])
        .arg(&split)
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(&split)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 8, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".nt")), "{names:?}");
}
