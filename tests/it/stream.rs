//! The JSON-lines map step (`zhkg extract --jsonl`) against a direct build,
//! and rebuilds that drop what an article no longer says.

use std::collections::BTreeSet;
use std::path::PathBuf;

use oxigraph::io::RdfFormat;
use zhkg::build::stream::extract_jsonl;
use zhkg::build::{BuildOptions, build};
use zhkg::ingest::IngestOptions;
use zhkg::sparql::export::{ExportOptions, collect, write_quads};
use zhkg::store::GraphStore;

fn articles() -> Vec<PathBuf> {
    let root = crate::common::root();
    let mut v: Vec<PathBuf> = ["seeds", "tests/data"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "txt" || e == "html" || e == "md")
        })
        .collect();
    v.sort();
    v
}

fn jsonl(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| serde_json::json!({ "path": p }).to_string() + "\n")
        .collect()
}

fn lines(nq: &[u8]) -> BTreeSet<String> {
    String::from_utf8_lossy(nq)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn union_of_map_outputs_equals_a_direct_build() {
    let paths = articles();
    assert!(paths.len() >= 6, "{paths:?}");
    // Two "partitions", as an engine would pipe them.
    let (a, b) = paths.split_at(paths.len() / 2);
    let mut mapped = BTreeSet::new();
    for part in [a, b] {
        let mut out = Vec::new();
        let s = extract_jsonl(jsonl(part).as_bytes(), &mut out, &IngestOptions::default()).unwrap();
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        mapped.extend(lines(&out));
    }
    let store = GraphStore::in_memory().unwrap();
    build(&store, &paths, &BuildOptions::default(), &|_, _| {}).unwrap();
    let mut built = Vec::new();
    write_quads(
        &collect(&store, &ExportOptions::default()).unwrap(),
        RdfFormat::NQuads,
        &mut built,
    )
    .unwrap();
    // The resolution graph links programme variants across the corpus and
    // the facts graph gathers each entity fact once: the build derives both
    // from all articles, not the per-article map step.
    let resolved = format!("<{}> .", zhkg::rdf::vocab::RESOLVED_GRAPH);
    let facts = format!("<{}> .", zhkg::rdf::vocab::FACTS_GRAPH);
    let built: BTreeSet<String> = lines(&built)
        .into_iter()
        .filter(|l| !l.ends_with(&resolved) && !l.ends_with(&facts))
        .collect();
    let only_mapped: Vec<_> = mapped.difference(&built).take(3).collect();
    let only_built: Vec<_> = built.difference(&mapped).take(3).collect();
    assert!(
        only_mapped.is_empty() && only_built.is_empty(),
        "only in map output: {only_mapped:#?}\nonly in build: {only_built:#?}"
    );
}

#[test]
fn map_output_does_not_depend_on_the_thread_count() {
    let input = jsonl(&articles());
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut out = Vec::new();
            extract_jsonl(input.as_bytes(), &mut out, &IngestOptions::default()).unwrap();
            out
        })
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn a_rebuilt_article_leaves_no_stale_entities() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "阿里巴巴在张北县设立了数字就业中心，员工200人。").unwrap();
    let store = GraphStore::in_memory().unwrap();
    let opts = BuildOptions::default();
    build(&store, std::slice::from_ref(&article), &opts, &|_, _| {}).unwrap();
    let labels = |store: &GraphStore| -> BTreeSet<String> {
        collect(store, &ExportOptions::default())
            .unwrap()
            .into_iter()
            .filter(|q| q.predicate.as_str().ends_with("rdf-schema#label"))
            .map(|q| q.object.to_string())
            .collect()
    };
    assert!(labels(&store).iter().any(|l| l.contains("数字就业中心")));
    std::fs::write(&article, "义乌市人社局举办直播电商培训会，学员300人。").unwrap();
    build(&store, &[article], &opts, &|_, _| {}).unwrap();
    let after = labels(&store);
    assert!(
        !after
            .iter()
            // Parents too: nothing else names 张北县's prefecture and province.
            .any(|l| ["数字就业中心", "张北县", "张家口市", "河北省"]
                .iter()
                .any(|n| l.contains(n))),
        "{after:?}"
    );
    assert!(after.iter().any(|l| l.contains("义乌市")), "{after:?}");
}

// See: issue 7. A two-character verb as the article's first token, before an
// organisation head word (共享|联盟), made `start_of_name` index token -1 and
// panic, which stopped the whole `extract --jsonl` run.
#[test]
fn r7_a_verb_before_a_head_word_at_the_start_of_an_article() {
    let input = "{\"id\": \"r7\", \"text\": \"共享联盟·竹山 陈卫东 摄随着时代发展。\"}\n";
    let mut out = Vec::new();
    let s = extract_jsonl(input.as_bytes(), &mut out, &IngestOptions::default()).unwrap();
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.articles, 1);
}
