//! `zhkg load`: RDF files back into the store, one graph per file, one
//! transaction per file.

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use oxigraph::model::NamedNode;
use oxigraph::sparql::QueryResults;
use zhkg::sparql::load::{LOADED_GRAPH_BASE, LoadError, LoadOptions, load_file, load_files};
use zhkg::sparql::query;
use zhkg::store::GraphStore;

const CORRECTION: &str = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/zhkg/id/place/130529> rdfs:label \"巨鹿县（更正）\"@zh .
";

fn labels(store: &GraphStore) -> Vec<String> {
    let QueryResults::Solutions(sols) = query::run(
        store,
        "SELECT ?l WHERE { <https://w3id.org/zhkg/id/place/130529> rdfs:label ?l } ORDER BY ?l",
    )
    .unwrap() else {
        panic!("not a SELECT")
    };
    sols.map(|s| query::display_term(s.unwrap().get("l").unwrap()))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_loaded_correction_is_queryable_and_reloading_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::in_memory().unwrap();
    let file = write(dir.path(), "fix.ttl", CORRECTION);
    let loaded = load_file(&store, &file, &LoadOptions::default()).unwrap();
    assert_eq!(loaded.quads, 1);
    assert_eq!(
        loaded.graphs,
        [NamedNode::new(format!("{LOADED_GRAPH_BASE}fix")).unwrap()]
    );
    assert_eq!(labels(&store), ["巨鹿县（更正）"]);

    write(dir.path(), "fix.ttl", &CORRECTION.replace("更正", "再更正"));
    load_file(&store, &file, &LoadOptions::default()).unwrap();
    assert_eq!(
        labels(&store),
        ["巨鹿县（再更正）"],
        "the second load replaces the first"
    );
}

#[test]
fn a_malformed_file_names_its_position_and_does_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::in_memory().unwrap();
    let before = store.len().unwrap();
    let bad = write(
        dir.path(),
        "bad.ttl",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<https://e/a> rdfs:label \"a\" .\n<https://e/b> rdfs:label \"b\" ;; oops\n",
    );
    let good = write(dir.path(), "good.ttl", CORRECTION);
    let results = load_files(&store, &[bad.clone(), good], &LoadOptions::default());
    let Err(err) = &results[0] else {
        panic!("the malformed file loaded")
    };
    assert!(matches!(err, LoadError::Syntax { line: 3, .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with(&format!("{}:3:", bad.display())), "{msg}");
    assert!(results[1].is_ok(), "{:?}", results[1]);
    assert_eq!(labels(&store), ["巨鹿县（更正）"]);
    assert_eq!(
        store.len().unwrap(),
        before + 1,
        "nothing from the malformed file is in the store (its valid first triple neither)"
    );
}

#[test]
fn quad_files_keep_their_graphs_unless_one_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::in_memory().unwrap();
    let file = write(
        dir.path(),
        "two.trig",
        "<https://e/g1> { <https://e/a> <https://e/p> 1 . }\n<https://e/g2> { <https://e/b> <https://e/p> 2 . }\n<https://e/c> <https://e/p> 3 .\n",
    );
    let loaded = load_file(&store, &file, &LoadOptions::default()).unwrap();
    let names: Vec<&str> = loaded.graphs.iter().map(NamedNode::as_str).collect();
    assert_eq!(
        names,
        [
            "https://e/g1",
            "https://e/g2",
            &format!("{LOADED_GRAPH_BASE}two")
        ]
    );
    let one = NamedNode::new("https://example.org/one").unwrap();
    let opts = LoadOptions {
        graph: Some(one.clone()),
        format: None,
    };
    let loaded = load_file(&store, &file, &opts).unwrap();
    assert_eq!(loaded.graphs, std::slice::from_ref(&one));
    let n = store
        .inner()
        .quads_for_pattern(None, None, None, Some(one.as_ref().into()))
        .count();
    assert_eq!(n, 3);
}

#[test]
fn the_ontology_graph_cannot_be_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::in_memory().unwrap();
    let before = store.len().unwrap();
    let file = write(
        dir.path(),
        "evil.nq",
        "<https://e/a> <https://e/p> <https://e/o> <https://w3id.org/zhkg/graph/ontology> .\n",
    );
    let err = load_file(&store, &file, &LoadOptions::default()).unwrap_err();
    assert!(matches!(err, LoadError::Graph { .. }), "{err}");
    assert_eq!(store.len().unwrap(), before);
}

#[test]
fn cli_load_reports_failures_and_query_sees_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let bad = write(dir.path(), "bad.nt", "<https://e/a> <https://e/p> .\n");
    let good = write(dir.path(), "fix.ttl", CORRECTION);
    let out = Command::cargo_bin("zhkg")
        .unwrap()
        .args(["--store", store.to_str().unwrap(), "load"])
        .arg(&bad)
        .arg(&good)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stderr}\nhelp: the target dir is shared; was the zhkg binary rebuilt from another branch?"
    );
    assert!(
        stderr.contains(&format!("{}:1:", bad.display())),
        "{stderr}"
    );
    let out = Command::cargo_bin("zhkg")
        .unwrap()
        .args([
            "--store",
            store.to_str().unwrap(),
            "query",
            "--format",
            "tsv",
        ])
        .arg("SELECT ?l WHERE { <https://w3id.org/zhkg/id/place/130529> rdfs:label ?l }")
        .output()
        .unwrap();
    assert!(common::success_stdout(out).contains("巨鹿县（更正）"));
}
