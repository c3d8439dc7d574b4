//! Integration tests: the library on the seed articles, and the `zhkg` binary.
//!
//! Golden files: `tests/golden/<query>.tsv` hold the output of each named
//! query on the seeds. After a deliberate change, refresh them with
//! `UPDATE_GOLDEN=1 cargo test` and review the diff.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use assert_cmd::Command;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Quad;
use oxigraph::sparql::QueryResults;
use zhkg::build::BuildOptions;
use zhkg::sparql::partition;
use zhkg::sparql::query::{self, ResultFormat};
use zhkg::store::GraphStore;

use crate::common::root;

fn seeds() -> PathBuf {
    root().join("seeds")
}

/// A new, empty folder `articles` under `dir`.
fn empty_folder(dir: &Path) -> PathBuf {
    let articles = dir.join("articles");
    std::fs::create_dir(&articles).unwrap();
    articles
}

/// A folder `articles` in `dir` holding a copy of every seed article.
fn seed_folder(dir: &Path) -> PathBuf {
    let articles = empty_folder(dir);
    for e in std::fs::read_dir(seeds()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, articles.join(p.file_name().unwrap())).unwrap();
    }
    articles
}

/// Builds the articles of `folder` into `store` with the default options.
fn build_folder(store: &GraphStore, folder: &Path) -> zhkg::build::BuildSummary {
    zhkg::build::build(
        store,
        &[folder.to_path_buf()],
        &BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap()
}

/// Builds `folder` into `store` reading `chunk` files at a time and
/// bulk-loading new articles in groups of at least `load_group` quads.
fn build_in_chunks(
    store: &GraphStore,
    folder: &Path,
    chunk: usize,
    load_group: usize,
) -> zhkg::build::BuildSummary {
    let opts = BuildOptions {
        chunk,
        load_group,
        ..BuildOptions::default()
    };
    zhkg::build::build(store, &[folder.to_path_buf()], &opts, &|_, _| {}).unwrap()
}

/// The rows of a SELECT on `store`, sorted.
fn sorted_select(store: &GraphStore, q: &str) -> Vec<Vec<String>> {
    let mut rows = select(store, q);
    rows.sort();
    rows
}

/// The facts graph's triples, sorted.
fn facts_of(store: &GraphStore) -> Vec<Vec<String>> {
    sorted_select(
        store,
        "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> { ?s ?p ?o } }",
    )
}

/// The store's graphs as N-Quads (zhkg's deterministic export).
fn nquads(store: &GraphStore) -> String {
    let mut out = Vec::new();
    zhkg::sparql::export::export(store, RdfFormat::NQuads, &Default::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The seeds built once into an in-memory store, shared by the tests.
static SEEDED: LazyLock<GraphStore> = LazyLock::new(|| {
    let store = GraphStore::in_memory().unwrap();
    let summary = build_folder(&store, &seeds());
    assert_eq!(summary.written, 5, "{summary:?}");
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    store
});

fn select(store: &GraphStore, q: &str) -> Vec<Vec<String>> {
    rows_of(query::run(store, q).unwrap())
}

/// The solutions of a SELECT's results, each as its terms' display forms.
fn rows_of(results: QueryResults<'_>) -> Vec<Vec<String>> {
    let QueryResults::Solutions(sols) = results else {
        panic!("not a SELECT")
    };
    let vars = sols.variables().to_vec();
    sols.map(|s| {
        let s = s.unwrap();
        vars.iter()
            .map(|v| s.get(v).map(query::display_term).unwrap_or_default())
            .collect()
    })
    .collect()
}

fn eqnice(expected: &str, got: &str, help: &str) {
    if expected != got {
        panic!("\n=== expected ===\n{expected}\n=== got ===\n{got}\n=== help ===\n{help}\n");
    }
}

#[test]
fn named_queries_match_golden_files() {
    for q in query::NAMED_QUERIES {
        let mut out = Vec::new();
        query::write_results(
            query::run(&SEEDED, &query::bind_params(q.text, &[]).unwrap()).unwrap(),
            ResultFormat::Tsv,
            &mut out,
        )
        .unwrap();
        let got = String::from_utf8(out).unwrap();
        let path = root().join("tests/golden").join(format!("{}.tsv", q.name));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        eqnice(
            &expected,
            &got,
            &format!(
                "query {}: if the change is intended, run UPDATE_GOLDEN=1 cargo test",
                q.name
            ),
        );
    }
}

#[test]
fn each_article_has_its_named_graph() {
    let rows = select(
        &SEEDED,
        "SELECT ?id (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g schema:identifier ?id . ?s ?p ?o } } GROUP BY ?id ORDER BY ?id",
    );
    // Entity descriptions are stored once, whichever article mentions them.
    let dup = select(
        &SEEDED,
        "SELECT ?c (COUNT(*) AS ?n) WHERE { ?c zhkg:divisionCode \"130529\" } GROUP BY ?c",
    );
    assert_eq!(dup[0][1], "1", "{dup:?}");
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut files: Vec<String> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(ids, files);
    for r in &rows {
        assert!(r[1].parse::<usize>().unwrap() > 100, "{r:?}");
    }
}

#[test]
fn key_organisations_are_single_nodes_across_articles() {
    for name in ["阿里巴巴集团", "蚂蚁集团", "清华大学"] {
        let rows = select(
            &SEEDED,
            &format!(
                "SELECT DISTINCT ?o WHERE {{ ?o a schema:Organization ; rdfs:label \"{name}\"@zh }}"
            ),
        );
        assert_eq!(rows.len(), 1, "{name}: {rows:?}");
    }
    // Alibaba is named in four seeds (in the fifth only through a unit of it),
    // under several names, and they all meet in one node.
    let rows = select(
        &SEEDED,
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?o rdfs:label \"阿里巴巴集团\"@zh ; zhkg:mentionedIn ?a }",
    );
    assert!(rows[0][0].parse::<u32>().unwrap() >= 4, "{rows:?}");
    let rows = select(
        &SEEDED,
        "SELECT DISTINCT ?unit WHERE { ?u org:subOrganizationOf+ ?o ; rdfs:label ?unit ; zhkg:mentionedIn ?a . ?o rdfs:label \"阿里巴巴集团\"@zh }",
    );
    let units: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    for u in ["阿里巴巴公益", "阿里巴巴集团社会公益部", "淘宝"] {
        assert!(units.contains(&u), "{units:?}");
    }
}

#[test]
fn counties_link_to_prefecture_and_province() {
    for (code, county, pref, prov) in [
        ("130529", "巨鹿县", "邢台市", "河北省"),
        ("630203", "平安区", "海东市", "青海省"),
        ("330782", "义乌市", "金华市", "浙江省"),
    ] {
        let rows = select(
            &SEEDED,
            &format!(
                "SELECT DISTINCT ?c ?p ?v WHERE {{ ?x zhkg:divisionCode \"{code}\" ; rdfs:label ?c ; zhkg:mentionedIn ?a ; schema:containedInPlace ?px . ?px rdfs:label ?p ; schema:containedInPlace ?vx . ?vx rdfs:label ?v }}"
            ),
        );
        assert_eq!(
            rows,
            vec![vec![county.to_owned(), pref.to_owned(), prov.to_owned()]]
        );
    }
}

/// The normaliser's character steps (pinyin and lost characters, width,
/// script) on a piece of original text.
fn normalise(original: &str) -> String {
    use zhkg::ingest::normalize::{
        NormalizeStats, fold_width, strip_pinyin_and_mark_lost, to_simplified,
    };
    let mut stats = NormalizeStats::default();
    let t = strip_pinyin_and_mark_lost(
        &zhkg::ingest::MappedText::from_original(original),
        &mut stats,
    );
    to_simplified(&fold_width(&t), &mut stats).to_string_lossless()
}

#[test]
fn every_string_iri_points_at_its_words_in_the_original() {
    // Mentions, dates, outcomes and sentences are named by their offsets
    // (…#char=begin,end, issue 17): the offsets in the IRI find the words in
    // the article's original text.
    let rows = select(
        &SEEDED,
        "SELECT ?iri ?text ?anchor ?orig ?link WHERE {
           { ?m nif:sentence/nif:referenceContext/nif:isString ?text }
           UNION { ?m a nif:Sentence ; nif:referenceContext/nif:isString ?text }
           ?m nif:anchorOf ?anchor .
           OPTIONAL { ?m zhkg:originalText ?orig }
           OPTIONAL { ?m itsrdf:taIdentRef ?link }
           BIND (STR(?m) AS ?iri) }",
    );
    assert!(rows.len() > 300, "{}", rows.len());
    let mut mentions = 0;
    for r in rows {
        let span =
            zhkg::rdf::iri::span_of(&r[0]).unwrap_or_else(|| panic!("{} has no offsets", r[0]));
        let (b, e) = (span.start as usize, span.end as usize);
        let at: String = r[1].chars().skip(b).take(e - b).collect();
        if !r[3].is_empty() {
            assert_eq!(at, r[3], "original words of {}", r[0]);
        }
        mentions += usize::from(!r[4].is_empty());
        // Normalising the original words gives the anchor.
        assert_eq!(normalise(&at), r[2], "normalised original at {}", r[0]);
    }
    assert!(mentions > 100, "{mentions}");
}

#[test]
fn outcomes_have_provenance_and_units() {
    let rows = select(
        &SEEDED,
        "SELECT ?o ?v ?s WHERE { ?o a zhkg:Outcome ; zhkg:value ?v ; zhkg:unit ?u ; zhkg:metric ?m ; nif:sentence ?s . ?m a zhkg:Metric . ?u a zhkg:Unit }",
    );
    assert!(rows.len() >= 40, "{}", rows.len());
    let all = select(&SEEDED, "SELECT ?o WHERE { ?o a zhkg:Outcome }");
    assert_eq!(
        rows.len(),
        all.len(),
        "every outcome has value, declared unit and metric, and a sentence"
    );
}

#[test]
fn only_sentences_that_hold_a_fact_are_stored_and_every_fact_has_its_sentence() {
    // A sentence node without a mention, outcome, date or relation pointing
    // to it is left out (issue 17: a leaner graph).
    let idle = select(
        &SEEDED,
        "SELECT ?s WHERE { ?s a nif:Sentence FILTER NOT EXISTS { ?x nif:sentence ?s } }",
    );
    assert!(idle.is_empty(), "sentences holding no fact: {idle:?}");
    // …and every fact's sentence is there, with its offsets and words.
    let dangling = select(
        &SEEDED,
        "SELECT ?x ?s WHERE { ?x nif:sentence ?s FILTER NOT EXISTS { ?s a nif:Sentence ; nif:referenceContext ?a ; nif:anchorOf ?w } }",
    );
    assert!(
        dangling.is_empty(),
        "facts whose sentence is missing: {dangling:?}"
    );
    let held = select(&SEEDED, "SELECT DISTINCT ?s WHERE { ?x nif:sentence ?s }");
    assert!(held.len() >= 100, "{}", held.len());
}

#[test]
fn ontology_declares_every_class_and_property_used() {
    let rows = select(
        &SEEDED,
        "SELECT DISTINCT ?term WHERE {
           GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } }
           FILTER (?g != <https://w3id.org/zhkg/graph/ontology>)
           FILTER NOT EXISTS { GRAPH <https://w3id.org/zhkg/graph/ontology> { ?term a ?kind ; rdfs:label ?en, ?zh ; rdfs:comment ?c . FILTER(lang(?en) = 'en' && lang(?zh) = 'zh') } }
         }",
    );
    assert!(
        rows.is_empty(),
        "terms used but not declared (with English and Chinese labels and a comment) in ontology/zhkg.ttl: {rows:?}"
    );
    // Units, qualifiers and metrics used as objects are declared too.
    let rows = select(
        &SEEDED,
        "SELECT DISTINCT ?x WHERE { ?o zhkg:unit|zhkg:metric|zhkg:qualifier ?x . FILTER NOT EXISTS { GRAPH <https://w3id.org/zhkg/graph/ontology> { ?x rdfs:label ?l } } }",
    );
    assert!(rows.is_empty(), "{rows:?}");
}

#[test]
fn furniture_yields_no_entities() {
    // The link list at the end of seed 002 names many counties; none may be extracted.
    let rows = select(
        &SEEDED,
        "SELECT ?name WHERE { ?p zhkg:divisionCode ?c ; rdfs:label ?name ; zhkg:mentionedIn <https://w3id.org/zhkg/id/article/002_1fed51fe8e6e65f5> }",
    );
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    for spam in ["沙湾县", "牙克石市", "玛纳斯县", "东莞市"] {
        assert!(!names.contains(&spam), "{names:?}");
    }
    assert!(names.contains(&"平安区"), "{names:?}");
}

#[test]
fn turtle_export_round_trips_isomorphically() {
    for format in [
        RdfFormat::Turtle,
        RdfFormat::NTriples,
        RdfFormat::RdfXml,
        RdfFormat::NQuads,
        RdfFormat::TriG,
    ] {
        let mut out = Vec::new();
        zhkg::sparql::export::export(&SEEDED, format, &Default::default(), &mut out).unwrap();
        let parsed: Vec<Quad> = RdfParser::from_format(format)
            .for_slice(&out)
            .collect::<Result<_, _>>()
            .unwrap();
        let stored = zhkg::sparql::export::collect(&SEEDED, &Default::default()).unwrap();
        assert!(
            zhkg::sparql::export::isomorphic_triples(&parsed, &stored),
            "{format} export is not isomorphic to the store"
        );
        if format.supports_datasets() {
            let graphs: std::collections::BTreeSet<String> =
                parsed.iter().map(|q| q.graph_name.to_string()).collect();
            assert_eq!(
                graphs.len(),
                8,
                "{format} keeps one graph per article, plus the entities, resolution and facts graphs"
            );
        }
    }
}

#[test]
fn export_is_deterministic() {
    let mut a = Vec::new();
    let mut b = Vec::new();
    zhkg::sparql::export::export(&SEEDED, RdfFormat::Turtle, &Default::default(), &mut a).unwrap();
    let store = GraphStore::in_memory().unwrap();
    build_folder(&store, &seeds());
    zhkg::sparql::export::export(&store, RdfFormat::Turtle, &Default::default(), &mut b).unwrap();
    assert!(a == b, "two builds of the seeds export differently");
    assert!(String::from_utf8(a).unwrap().starts_with("@prefix"));
}

/// A build that bulk-loads more than `compact_every` new articles compacts
/// the store on the way (after each batch of files that crosses the mark),
/// not only at its end, and the store holds every article.
#[test]
fn a_long_bulk_load_compacts_on_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let articles = empty_folder(dir.path());
    assert_eq!(crate::common::seed_copies(&articles, "c", 60), 300);
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    let opts = BuildOptions {
        compact_every: 200,
        ..BuildOptions::default()
    };
    let s = zhkg::build::build(&store, std::slice::from_ref(&articles), &opts, &|_, _| {}).unwrap();
    // Files go in batches of 256: one compaction after the first batch.
    assert_eq!((s.written, s.compactions_during), (300, 1), "{s:?}");
    let graphs = select(
        &store,
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }",
    );
    assert_eq!(graphs, vec![vec!["300".to_owned()]]);
}

/// A build that bulk-loads enough new articles compacts the on-disk store,
/// and so does one that replaces enough articles' graphs; the compacted
/// store holds the same graph as the in-memory build.
#[test]
fn a_large_bulk_load_compacts_the_store_and_keeps_its_graph() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    let opts = BuildOptions {
        compact_after: 5,
        ..BuildOptions::default()
    };
    let s = zhkg::build::build(&store, &[seeds()], &opts, &|_, _| {}).unwrap();
    assert_eq!((s.bulk_loaded, s.compacted), (5, true), "{s:?}");
    assert_eq!(s.compactions_during, 0, "{s:?}");
    assert!(
        nquads(&store) == nquads(&SEEDED),
        "the compacted store exports differently"
    );
    // A forced rebuild replaces every graph: as many as the threshold
    // compact the store again, fewer do not.
    for (compact_after, compacted) in [(5, true), (6, false)] {
        let forced = BuildOptions {
            force: true,
            compact_after,
            ..BuildOptions::default()
        };
        let s = zhkg::build::build(&store, &[seeds()], &forced, &|_, _| {}).unwrap();
        assert_eq!(
            (s.written, s.bulk_loaded, s.compacted),
            (5, 0, compacted),
            "{s:?}"
        );
        assert_eq!(
            s.phases.last().map(|p| p.name == "store compacted"),
            Some(compacted),
            "{s:?}"
        );
        assert!(
            nquads(&store) == nquads(&SEEDED),
            "the rebuilt store exports differently"
        );
    }
}

/// Replacing an article's graph (only the difference is written) leaves the
/// store exactly as a fresh build of the final files would: the new graph,
/// and no entity that only the old version named.
#[test]
fn a_changed_article_leaves_the_store_as_a_fresh_build_would() {
    let dir = tempfile::tempdir().unwrap();
    let articles = seed_folder(dir.path());
    let small = articles.join("small.txt");
    // 临洮县 is in no seed: once the article stops naming it, its
    // description must leave the shared entities graph too.
    std::fs::write(&small, "阿里巴巴在临洮县设立客服中心，有员工196人。\n").unwrap();
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    let build = |s: &GraphStore| build_folder(s, &articles);
    build(&store);
    let before = nquads(&store);
    assert!(before.contains("临洮县"));
    std::fs::write(&small, "蚂蚁集团在桐庐县开设服务站，招聘了35名员工。\n").unwrap();
    assert_eq!(build(&store).written, 1);
    let fresh = GraphStore::in_memory().unwrap();
    build(&fresh);
    let (changed, expected) = (nquads(&store), nquads(&fresh));
    assert!(changed.contains("桐庐县") && !changed.contains("临洮县"));
    eqnice(
        &expected,
        &changed,
        "the incrementally rebuilt store differs from a fresh build",
    );
}

/// Variants of one programme's name in different articles are one
/// programme: the build links them (owl:sameAs in the resolution graph) and
/// the named queries count them as one; when an article stops naming its
/// variant, the link and the orphan node go.
#[test]
fn programme_variants_across_articles_are_one_programme() {
    let dir = tempfile::tempdir().unwrap();
    let articles = empty_folder(dir.path());
    let a = articles.join("a.txt");
    let b = articles.join("b.txt");
    std::fs::write(
        &a,
        "云和县来了乡村特派员\n\n今年，“乡村特派员”张明来到云和县，帮助农户开网店。\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "特派员在丽水\n\n蚂蚁集团启动了“蚂蚁集团乡村振兴特派员”项目，首批特派员已经到岗。\n",
    )
    .unwrap();
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    let build = |s: &GraphStore| build_folder(s, &articles);
    assert_eq!(build(&store).programmes_folded, 1);
    let rows = select(&store, query::named("programmes").unwrap().text);
    let envoys: Vec<&Vec<String>> = rows.iter().filter(|r| r[0].contains("特派员")).collect();
    assert_eq!(envoys.len(), 1, "{rows:?}");
    // The owned, fuller name is the programme; both articles name it.
    assert_eq!(envoys[0][0], "蚂蚁集团乡村振兴特派员");
    assert_eq!(envoys[0].last().unwrap(), "2");
    let same =
        "SELECT ?v WHERE { GRAPH <https://w3id.org/zhkg/graph/resolved> { ?v owl:sameAs ?c } }";
    assert_eq!(select(&store, same).len(), 1);
    // The resolution graph counts the programme's articles, its variant's
    // included; the corroboration listing reads that count and lists no
    // variant, paged as whole, and the drill-down gives both articles.
    let folded = "SELECT ?n WHERE { GRAPH <https://w3id.org/zhkg/graph/resolved> { ?p zhkg:articleCount ?n } }";
    assert_eq!(select(&store, folded), [["2"]]);
    let text = query::named("multi-article-entities").unwrap().text;
    let whole = select(&store, text);
    let p = partition::declared(text).unwrap().unwrap();
    assert_eq!(
        rows_of(partition::page(&store, text, &p, 0, None).unwrap()),
        whole
    );
    let envoys: Vec<&Vec<String>> = whole.iter().filter(|r| r[0].contains("特派员")).collect();
    assert_eq!(envoys.len(), 1, "{whole:?}");
    assert_eq!(envoys[0][0], "蚂蚁集团乡村振兴特派员");
    assert_eq!(envoys[0][2], "2");
    for name in ["蚂蚁集团乡村振兴特派员", "乡村特派员"] {
        let text = query::bind_params(
            query::named("entity-articles").unwrap().text,
            &[("entity".into(), name.into())],
        )
        .unwrap();
        let ids: Vec<String> = select(&store, &text)
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(ids, ["a", "b"], "{name}");
    }

    std::fs::write(
        &a,
        "云和县的网店\n\n今年，张明来到云和县，帮助农户开网店。\n",
    )
    .unwrap();
    assert_eq!(build(&store).programmes_folded, 0);
    assert!(select(&store, same).is_empty());
    assert!(select(&store, folded).is_empty());
    let orphan = "SELECT ?p WHERE { ?p rdfs:label \"乡村特派员\"@zh }";
    assert!(
        select(&store, orphan).is_empty(),
        "the dropped variant's node stays"
    );
}

/// Each figure summary of the facts graph gives what SPARQL's own
/// aggregates give over the article graphs' outcomes.
#[test]
fn figure_summaries_agree_with_the_figures_they_summarise() {
    let sorted = |q: &str| sorted_select(&SEEDED, q);
    let summaries = sorted(
        "SELECT ?x ?m ?n ?l ?h WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> {
           ?f a zhkg:FigureSummary ; zhkg:summarises ?x ; zhkg:metric ?m ;
              zhkg:figureCount ?n ; zhkg:lowestValue ?l ; zhkg:highestValue ?h } }",
    );
    let direct = sorted(
        "SELECT ?x ?m (COUNT(DISTINCT ?o) AS ?n) (MIN(?v) AS ?l) (MAX(?v) AS ?h) WHERE {
           GRAPH ?a { ?o zhkg:subject ?x ; zhkg:metric ?m ; zhkg:value ?v }
           FILTER (STRSTARTS(STR(?a), \"https://w3id.org/zhkg/id/article/\"))
         } GROUP BY ?x ?m",
    );
    assert!(summaries.len() > 20, "{summaries:?}");
    assert_eq!(summaries, direct);
}

/// Each relation summary of the facts graph gives what SPARQL's own
/// aggregates give over the article graphs: for each programme and its
/// operator or funder, how many articles state it and the first by id
/// (each seed states its own; two articles stating one are in
/// `the_facts_graph_is_exact_after_an_incremental_rebuild`).
#[test]
fn relation_summaries_count_the_articles_that_state_them() {
    let sorted = |q: &str| sorted_select(&SEEDED, q);
    let summaries = sorted(
        "SELECT ?s ?p ?o ?n ?first WHERE {
           GRAPH <https://w3id.org/zhkg/graph/facts> {
             ?r a zhkg:RelationSummary ; zhkg:summarises ?s ; zhkg:relation ?p ;
                zhkg:relatedTo ?o ; zhkg:sourceCount ?n ; zhkg:firstSource ?a }
           ?a schema:identifier ?first }",
    );
    let direct = sorted(
        "SELECT ?s ?p ?o (COUNT(DISTINCT ?a) AS ?n) (MIN(?id) AS ?first) WHERE {
           VALUES ?p { zhkg:operatedBy zhkg:fundedBy }
           GRAPH ?a { ?s ?p ?o . ?a schema:identifier ?id }
         } GROUP BY ?s ?p ?o",
    );
    assert!(summaries.len() >= 5, "{summaries:?}");
    assert_eq!(summaries, direct);
}

/// Each class's article count in the facts graph is what SPARQL counts
/// over the article graphs: the articles that mention an entity of it.
#[test]
fn class_counts_are_the_articles_that_mention_the_class() {
    let sorted = |q: &str| sorted_select(&SEEDED, q);
    let kept = sorted(
        "SELECT ?c ?n WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> { ?c zhkg:articlesMentioning ?n } }",
    );
    let direct = sorted(
        "SELECT ?c (COUNT(DISTINCT ?a) AS ?n) WHERE {
           GRAPH ?a { ?e zhkg:mentionedIn ?a }
           GRAPH <https://w3id.org/zhkg/graph/entities> { ?e a ?c }
         } GROUP BY ?c",
    );
    assert!(kept.len() >= 5, "{kept:?}");
    assert!(kept.iter().any(|r| r[1] != "1"), "{kept:?}");
    assert_eq!(kept, direct);
}

/// Each month summary of the facts graph counts the outcomes about its
/// entity dated (to the day or the month) in its month, as SPARQL counts
/// them over the article graphs; a year alone is in no month.
#[test]
fn month_summaries_count_the_figures_dated_in_their_month() {
    let sorted = |q: &str| sorted_select(&SEEDED, q);
    let summaries = sorted(
        "SELECT ?x (STR(?m) AS ?month) ?n WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> {
           ?f a zhkg:MonthSummary ; zhkg:summarises ?x ; zhkg:month ?m ; zhkg:figureCount ?n } }",
    );
    let direct = sorted(
        "SELECT ?x ?month (COUNT(DISTINCT ?o) AS ?n) WHERE {
           GRAPH ?a { ?o zhkg:subject ?x ; zhkg:asOf ?d }
           FILTER (STRSTARTS(STR(?a), \"https://w3id.org/zhkg/id/article/\"))
           FILTER (DATATYPE(?d) IN (xsd:date, xsd:gYearMonth))
           BIND (SUBSTR(STR(?d), 1, 7) AS ?month)
         } GROUP BY ?x ?month",
    );
    assert!(summaries.len() >= 3, "{summaries:?}");
    assert_eq!(summaries, direct);
}

/// The family counts of the facts graph are what SPARQL counts over the
/// article graphs: outcomes, distinct metrics, articles and targets of each
/// metric family.
#[test]
fn family_counts_are_the_counts_over_the_article_graphs() {
    let sorted = |q: &str| sorted_select(&SEEDED, q);
    let kept = sorted(
        "SELECT ?f ?outcomes ?metrics ?articles ?targets WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> {
           ?f zhkg:outcomeCount ?outcomes ; zhkg:metricCount ?metrics ; zhkg:reportCount ?articles ; zhkg:targetCount ?targets } }",
    );
    let direct = sorted(
        "SELECT ?f (COUNT(DISTINCT ?o) AS ?outcomes) (COUNT(DISTINCT ?m) AS ?metrics) (COUNT(DISTINCT ?a) AS ?articles) (SUM(?t) AS ?targets) WHERE {
           GRAPH ?a { ?o zhkg:metric ?m . OPTIONAL { ?o zhkg:isTarget ?target } }
           FILTER (STRSTARTS(STR(?a), \"https://w3id.org/zhkg/id/article/\"))
           BIND (IF(BOUND(?target) && ?target, 1, 0) AS ?t)
           ?m skos:broader ?f .
         } GROUP BY ?f",
    );
    assert!(kept.len() >= 5, "{kept:?}");
    assert!(
        kept.iter().any(|r| r[4] != "0"),
        "some family has targets: {kept:?}"
    );
    assert_eq!(kept, direct);
}

/// Each county's `zhkg:mentionedWith` organisations are the organisations
/// mentioned in the articles that mention the county.
#[test]
fn counties_are_mentioned_with_the_organisations_of_their_articles() {
    let sorted = |q: &str| sorted_select(&SEEDED, q);
    let kept = sorted(
        "SELECT ?c ?org WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> { ?c zhkg:mentionedWith ?org } }",
    );
    let direct = sorted(
        "SELECT DISTINCT ?c ?org WHERE {
           ?c zhkg:level \"county\" ; zhkg:mentionedIn ?a .
           ?org zhkg:mentionedIn ?a ; a schema:Organization .
         }",
    );
    assert!(kept.len() > 20, "{kept:?}");
    assert_eq!(kept, direct);
}

/// The facts graph (each entity fact once, article counts, summaries)
/// after an incremental rebuild is exactly the one a fresh build of the
/// same files writes; the lookups read it.
#[test]
fn the_facts_graph_is_exact_after_an_incremental_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let articles = empty_folder(dir.path());
    let write = |name: &str, text: &str| std::fs::write(articles.join(name), text).unwrap();
    write(
        "a.txt",
        "云和县的客服中心

阿里巴巴在云和县建立了云和客户服务中心，员工王芳担任主管。截至2023年5月，云和客户服务中心有80名员工。
",
    );
    write(
        "b.txt",
        "再访云和

阿里巴巴在云和县建立的云和客户服务中心发展很快，王芳说，截至2024年3月，云和客户服务中心有200名员工。
",
    );
    let build = |store: &GraphStore| build_folder(store, &articles);
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    build(&store);
    let before = facts_of(&store);
    assert!(
        before
            .iter()
            .any(|r| r[1] == "zhkg:articleCount" && r[2] == "2"),
        "an entity both articles mention counts 2: {before:?}"
    );
    // The two figures about the centre, one from each article, are one
    // summary: two figures, 80 to 200.
    let summary = |rows: &[Vec<String>], p: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r[0].contains("#figures-employees") && r[1] == p)
            .map(|r| r[2].clone())
            .collect()
    };
    assert_eq!(summary(&before, "zhkg:figureCount"), ["2"], "{before:?}");
    assert_eq!(summary(&before, "zhkg:lowestValue"), ["80"]);
    assert_eq!(summary(&before, "zhkg:highestValue"), ["200"]);
    // Each dated figure counts in its month.
    let months = |rows: &[Vec<String>]| -> Vec<String> {
        let mut m: Vec<String> = rows
            .iter()
            .filter(|r| r[0].contains("#month-") && r[1] == "zhkg:month")
            .map(|r| r[2].clone())
            .collect();
        m.sort();
        m
    };
    assert_eq!(months(&before), ["2023-05", "2024-03"], "{before:?}");
    // Both articles say that Alibaba runs the centre: one relation
    // summary, two sources, the first article a.
    let operated = |rows: &[Vec<String>], p: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r[0].contains("#operatedBy-") && r[1] == p)
            .map(|r| r[2].clone())
            .collect()
    };
    assert_eq!(operated(&before, "zhkg:sourceCount"), ["2"], "{before:?}");
    assert_eq!(
        operated(&before, "zhkg:firstSource"),
        ["<https://w3id.org/zhkg/id/article/a>"]
    );
    // Article a changes: one fact goes, the counts change.
    write(
        "a.txt",
        "云和县的网店

今年，张明来到云和县，帮助农户开网店。
",
    );
    assert_eq!(build(&store).written, 1);
    let after = facts_of(&store);
    assert_ne!(after, before);
    assert_eq!(summary(&after, "zhkg:figureCount"), ["1"], "{after:?}");
    assert_eq!(summary(&after, "zhkg:lowestValue"), ["200"]);
    assert_eq!(months(&after), ["2024-03"], "{after:?}");
    assert_eq!(operated(&after, "zhkg:sourceCount"), ["1"], "{after:?}");
    assert_eq!(
        operated(&after, "zhkg:firstSource"),
        ["<https://w3id.org/zhkg/id/article/b>"]
    );
    // One article fewer reports a headcount, and 云和县 is mentioned with
    // the organisations of article b only.
    let values = |rows: &[Vec<String>], p: &str| -> Vec<String> {
        let mut v: Vec<String> = rows
            .iter()
            .filter(|r| r[1] == p)
            .map(|r| r[0].clone() + " " + &r[2])
            .collect();
        v.sort();
        v
    };
    assert_ne!(
        values(&after, "zhkg:reportCount"),
        values(&before, "zhkg:reportCount")
    );
    assert!(
        !values(&after, "zhkg:mentionedWith").is_empty(),
        "{after:?}"
    );
    let fresh = GraphStore::in_memory().unwrap();
    build(&fresh);
    assert_eq!(after, facts_of(&fresh));
    // Nothing changed: the graph stays as it is.
    assert_eq!(build(&store).written, 0);
    assert_eq!(facts_of(&store), after);
}

/// The metric family counts after incremental rebuilds are a fresh
/// build's: an article that drops a family's only metric, one that adds
/// metrics of other families, a metric another article still reports, a
/// target added with a new article.
#[test]
fn family_counts_follow_changed_and_new_articles() {
    let dir = tempfile::tempdir().unwrap();
    let articles = empty_folder(dir.path());
    let write = |name: &str, text: &str| std::fs::write(articles.join(name), text).unwrap();
    write(
        "a.txt",
        "云和县客服中心\n\n截至2023年5月，云和客户服务中心有80名员工，员工月均工资4500元。\n",
    );
    write(
        "b.txt",
        "青田县直播基地\n\n青田县直播电商基地去年销售额达到3亿元。\n",
    );
    write(
        "c.txt",
        "景宁县客服中心\n\n截至2024年1月，景宁客户服务中心有50名员工。\n",
    );
    let build = |store: &GraphStore| build_folder(store, &articles);
    let family = |rows: &[Vec<String>], name: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = rows
            .iter()
            .filter(|r| r[0].contains(&format!("family-{name}")) && r[1].ends_with("Count"))
            .map(|r| (r[1].clone(), r[2].clone()))
            .collect();
        v.sort();
        v
    };
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    build(&store);
    let before = facts_of(&store);
    assert_eq!(
        family(&before, "wage"),
        [
            ("zhkg:metricCount".to_string(), "1".to_string()),
            ("zhkg:outcomeCount".to_string(), "1".to_string()),
            ("zhkg:reportCount".to_string(), "1".to_string()),
            ("zhkg:targetCount".to_string(), "0".to_string()),
        ],
        "{before:?}"
    );
    // a drops its wage (the family's only figure) and its headcount (c
    // still reports one), and reports a share and new shops instead.
    write(
        "a.txt",
        "云和县网店\n\n云和县今年新开网店120家，其中女性店主占比60%。\n",
    );
    assert_eq!(build(&store).written, 1);
    let changed = facts_of(&store);
    assert!(family(&changed, "wage").is_empty(), "{changed:?}");
    assert!(!family(&changed, "share").is_empty(), "{changed:?}");
    let fresh = GraphStore::in_memory().unwrap();
    build(&fresh);
    assert_eq!(changed, facts_of(&fresh));
    // A new article with a target, into the store that has the others.
    write(
        "d.txt",
        "遂昌县直播培训\n\n遂昌县计划到2025年培训1000名主播。\n",
    );
    assert_eq!(build(&store).written, 1);
    let added = facts_of(&store);
    assert_ne!(added, changed);
    let fresh = GraphStore::in_memory().unwrap();
    build(&fresh);
    assert_eq!(added, facts_of(&fresh));
}

/// A build into a store without articles gathers the facts graph while it
/// loads them; the graph is exactly the one recomputed from the stored
/// articles. When an article is written twice in one build (two files of
/// one id), the build gives up gathering and recomputes the graph whole.
#[test]
fn the_gathered_facts_graph_is_the_recomputed_one() {
    let dir = tempfile::tempdir().unwrap();
    let articles = seed_folder(dir.path());
    std::fs::write(
        articles.join("yunhe-a.txt"),
        "云和县的客服中心\n\n阿里巴巴在云和县建立了云和客户服务中心，员工王芳担任主管。截至2023年5月，云和客户服务中心有80名员工，月薪4000元。\n",
    )
    .unwrap();
    std::fs::write(
        articles.join("yunhe-b.txt"),
        "再访云和\n\n阿里巴巴在云和县建立的云和客户服务中心发展很快，王芳说，截至2024年3月，云和客户服务中心有200名员工，月薪4000.0元。\n",
    )
    .unwrap();
    let phases =
        |s: &zhkg::build::BuildSummary| -> Vec<&str> { s.phases.iter().map(|p| p.name).collect() };
    let store = GraphStore::in_memory().unwrap();
    let summary = build_folder(&store, &articles);
    assert!(
        phases(&summary).iter().any(|p| p.contains("gathered")),
        "{:?}",
        phases(&summary)
    );
    let gathered = facts_of(&store);
    for p in [
        "zhkg:articleCount",
        "zhkg:mentionedWith",
        "zhkg:figureCount",
        "zhkg:outcomeCount",
        "zhkg:sourceCount",
        "zhkg:articlesMentioning",
        "zhkg:role",
    ] {
        assert!(gathered.iter().any(|r| r[1] == p), "no {p}: {gathered:?}");
    }
    assert!(zhkg::build::facts::is_current(&store).unwrap());
    zhkg::build::facts::rebuild(&store).unwrap();
    assert_eq!(facts_of(&store), gathered);

    // One article id, two files: written twice, so not gathered.
    std::fs::write(
        articles.join("yunhe-a.md"),
        "# 云和县的网店\n\n今年，张明来到云和县，帮助农户开网店。\n",
    )
    .unwrap();
    let twice = GraphStore::in_memory().unwrap();
    let summary = build_folder(&twice, &articles);
    assert!(
        !phases(&summary).iter().any(|p| p.contains("gathered")),
        "{:?}",
        phases(&summary)
    );
    let recomputed = facts_of(&twice);
    zhkg::build::facts::rebuild(&twice).unwrap();
    assert_eq!(facts_of(&twice), recomputed);
}

/// New articles are gathered into groups, each bulk-loaded while the next
/// chunks are extracted. A later file of one article id, taken for new
/// while the earlier was still gathered or loading, replaces it as in two
/// builds: the article's graph is the one the last file alone gives, and
/// every other graph is as a build one file at a time writes it, whatever
/// the chunk and group sizes.
#[test]
fn an_article_id_in_two_chunks_is_replaced_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let articles = seed_folder(dir.path());
    let alone_dir = tempfile::tempdir().unwrap();
    // Files are read in name order: yunhe-N.md, yunhe-N.text (for half of
    // them), then yunhe-N.txt. Whether the .md file is still loading when
    // the next is stamped is a race: eight ids give it eight chances.
    let ids: Vec<String> = (0..8).map(|n| format!("yunhe-{n}")).collect();
    for (n, id) in ids.iter().enumerate() {
        std::fs::write(
            articles.join(format!("{id}.md")),
            format!(
                "# 云和县的网店\n\n今年，张明来到云和县，帮助农户开网店，有{}名学员。\n",
                30 + n
            ),
        )
        .unwrap();
        let later = format!(
            "云和县的客服中心\n\n阿里巴巴在云和县建立了云和客户服务中心，员工王芳担任主管，有{}名员工。\n",
            80 + n
        );
        if n % 2 == 0 {
            std::fs::write(
                articles.join(format!("{id}.text")),
                format!("云和县的农产品\n\n李强在云和县收购了{}吨茶叶。\n", 5 + n),
            )
            .unwrap();
        }
        std::fs::write(articles.join(format!("{id}.txt")), &later).unwrap();
        std::fs::write(alone_dir.path().join(format!("{id}.txt")), &later).unwrap();
    }
    let graph_of = |store: &GraphStore, id: &str| {
        sorted_select(
            store,
            &format!(
                "SELECT ?s ?p ?o WHERE {{ GRAPH <https://w3id.org/zhkg/id/article/{id}> {{ ?s ?p ?o }} }}"
            ),
        )
    };
    let all_quads = |store: &GraphStore| {
        sorted_select(store, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    };
    // The later file alone gives each article's graph.
    let alone = GraphStore::in_memory().unwrap();
    build_in_chunks(&alone, alone_dir.path(), 1, 1);
    let mut first: Option<Vec<Vec<String>>> = None;
    // One file a chunk, each loaded while the next is extracted; one file a
    // chunk, all gathered into one group; all files in one chunk and group.
    for (chunk, load_group) in [(1, 1), (1, usize::MAX), (1000, usize::MAX)] {
        let store = GraphStore::in_memory().unwrap();
        let s = build_in_chunks(&store, &articles, chunk, load_group);
        assert_eq!((s.files, s.written, s.errors.len()), (25, 25, 0), "{s:?}");
        for id in &ids {
            let graph = graph_of(&store, id);
            assert!(
                graph.iter().any(|r| r[2].contains("王芳")),
                "{id} ({chunk}, {load_group}): the last file's words are missing: {graph:?}"
            );
            assert!(
                !graph
                    .iter()
                    .any(|r| r[2].contains("张明") || r[2].contains("李强")),
                "{id} ({chunk}, {load_group}): an earlier file's words are left: {graph:?}"
            );
            assert_eq!(graph_of(&alone, id), graph, "{id} ({chunk}, {load_group})");
        }
        let quads = all_quads(&store);
        match &first {
            None => first = Some(quads),
            Some(q) => assert_eq!(&quads, q, "({chunk}, {load_group})"),
        }
    }
}

/// A build bulk-loads each entity description once, however many new
/// articles name the entity. An article written over an earlier file of
/// its id may sweep descriptions of entities no article names any more;
/// a new article that names one of them again later in the build describes
/// it again: the entities graph is the one the files that remain give.
#[test]
fn entity_descriptions_swept_during_a_build_are_loaded_again() {
    let (all_dir, last_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (all, last) = (empty_folder(all_dir.path()), empty_folder(last_dir.path()));
    // Read in name order: a.md (缙云县), then a.txt over it (no 缙云县:
    // swept), then b.txt and c.txt, which name 缙云县 again.
    let earlier = "# 丽水的直播\n\n赵丽是丽水市缙云县的主播，今年带领30名学员开网店。\n";
    let later =
        "云和县的客服中心\n\n阿里巴巴在云和县建立了客户服务中心，员工王芳担任主管，有80名员工。\n";
    let again = "丽水的主播\n\n丽水市缙云县的主播赵丽说，直播基地今年培训了200名农民。\n";
    let also = "缙云的直播基地\n\n赵丽在丽水市缙云县的直播基地工作，月薪6000元。\n";
    std::fs::write(all.join("a.md"), earlier).unwrap();
    for folder in [&all, &last] {
        std::fs::write(folder.join("a.txt"), later).unwrap();
        std::fs::write(folder.join("b.txt"), again).unwrap();
        std::fs::write(folder.join("c.txt"), also).unwrap();
    }
    let entities = |store: &GraphStore| {
        sorted_select(
            store,
            "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/zhkg/graph/entities> { ?s ?p ?o } }",
        )
    };
    let want_store = GraphStore::in_memory().unwrap();
    build_in_chunks(&want_store, &last, 1, 1);
    let want = entities(&want_store);
    assert!(
        want.iter().any(|r| r[2] == "缙云县"),
        "the test needs 缙云县 described: {want:?}"
    );
    for (chunk, load_group) in [(1, 1), (1, usize::MAX), (1000, usize::MAX)] {
        let store = GraphStore::in_memory().unwrap();
        let s = build_in_chunks(&store, &all, chunk, load_group);
        assert_eq!((s.files, s.written, s.errors.len()), (4, 4, 0), "{s:?}");
        assert_eq!(entities(&store), want, "({chunk}, {load_group})");
    }
}

/// A facts graph written by another version of zhkg (or left half-written
/// by a build that stopped) is recomputed whole at the next build, even
/// when no article changed: triples of predicates this version does not
/// write go, the version statement is this version's only, and the graph
/// is what a fresh build writes.
#[test]
fn a_facts_graph_of_another_version_is_recomputed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let articles = seed_folder(dir.path());
    let build = |store: &GraphStore| build_folder(store, &articles);
    let fresh = GraphStore::in_memory().unwrap();
    build(&fresh);
    let want = facts_of(&fresh);
    assert!(zhkg::build::facts::is_current(&fresh).unwrap());
    let versions = |rows: &[Vec<String>]| rows.iter().filter(|r| r[1] == "owl:versionInfo").count();
    assert_eq!(versions(&want), 1, "{want:?}");

    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    build(&store);
    let update = |u: &str| {
        store
            .inner()
            .update(&format!(
                "PREFIX owl: <http://www.w3.org/2002/07/owl#>
                 PREFIX zhkg: <https://w3id.org/zhkg/ontology#> {u}"
            ))
            .unwrap()
    };
    // An older version: its own version statement, a predicate it wrote
    // that this one does not, and a summary this one would not keep.
    update(
        "DELETE WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> { ?g owl:versionInfo ?v } } ;
         INSERT DATA { GRAPH <https://w3id.org/zhkg/graph/facts> {
           <https://w3id.org/zhkg/graph/facts> owl:versionInfo \"facts 1\" .
           <https://w3id.org/zhkg/id/place/331125> zhkg:retiredProperty 3 .
           <https://w3id.org/zhkg/id/place/331125#figures-nothing> zhkg:figureCount 9 } }",
    );
    assert!(!zhkg::build::facts::is_current(&store).unwrap());
    assert_eq!(build(&store).written, 0, "no article changed");
    assert_eq!(facts_of(&store), want);
    // A build stopped half-way through recomputing: no version statement.
    update(
        "DELETE WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> { ?g owl:versionInfo ?v } } ;
         DELETE WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> { ?s zhkg:articleCount ?n } }",
    );
    assert!(!zhkg::build::facts::is_current(&store).unwrap());
    build(&store);
    assert_eq!(facts_of(&store), want);
}

/// A rebuild takes the hash of a file whose stat is unchanged from the file
/// index kept in the store's folder; a file rewritten with the same size and
/// modification time is still noticed (its change time moved), and a damaged
/// index only costs reading the files again.
#[test]
fn the_file_index_spares_reading_unchanged_files_but_never_hides_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let store = GraphStore::open(&store_dir).unwrap();
    let articles = seed_folder(dir.path());
    // Modified an hour ago: files changed just before a build are not
    // recorded (see zhkg::build::file_index::RACY_SECONDS).
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let age = |p: &Path| {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    };
    for e in std::fs::read_dir(&articles).unwrap() {
        age(&e.unwrap().path());
    }
    let build = || build_folder(&store, &articles);
    assert_eq!(build().written, 5);
    assert_eq!(
        zhkg::build::file_index::FileIndex::load(&store_dir).len(),
        5
    );
    assert_eq!((build().written, build().unchanged), (0, 5));

    // Same length, same modification time, other words.
    let one = articles.join("001_5adaab2c0589cb8c.txt");
    let text = std::fs::read_to_string(&one).unwrap();
    let changed = text.replacen('县', "市", 1);
    assert_eq!(changed.len(), text.len());
    std::fs::write(&one, changed).unwrap();
    age(&one);
    let s = build();
    assert_eq!((s.written, s.unchanged), (1, 4), "{s:?}");

    std::fs::write(
        store_dir.join(zhkg::build::file_index::FILE_NAME),
        "garbage",
    )
    .unwrap();
    let s = build();
    assert_eq!((s.written, s.unchanged), (0, 5), "{s:?}");
    assert_eq!(
        zhkg::build::file_index::FileIndex::load(&store_dir).len(),
        5
    );
}

#[test]
fn rebuilding_changes_nothing_and_bad_files_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    let articles = seed_folder(dir.path());
    std::fs::write(articles.join("empty.txt"), b"").unwrap();
    std::fs::write(
        articles.join("image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    )
    .unwrap();
    std::os::unix::fs::symlink(articles.join("gone.txt"), articles.join("dangling.txt")).unwrap();
    std::fs::create_dir(articles.join("folder.txt")).unwrap();
    // A GB18030 file cut in the middle of a character: built, with a warning.
    let text = std::fs::read_to_string(seeds().join("001_5adaab2c0589cb8c.txt")).unwrap();
    let half: String = text.chars().take(text.chars().count() / 2).collect();
    let half = half.trim_end_matches(|c: char| !zhkg::ingest::normalize::is_han(c));
    let (gb, _, _) = encoding_rs::GB18030.encode(half);
    std::fs::write(articles.join("truncated.txt"), &gb[..gb.len() - 1]).unwrap();
    let s1 = build_folder(&store, &articles);
    assert_eq!((s1.written, s1.errors.len()), (6, 3), "{s1:?}");
    let has = |name: &str, what: &str| {
        s1.errors
            .iter()
            .any(|e| e.path.ends_with(name) && e.message.contains(what))
    };
    assert!(
        has("empty.txt", "empty")
            && has("image.txt", "binary")
            && has("dangling.txt", "no such file"),
        "{:?}",
        s1.errors
    );
    assert!(
        s1.warnings
            .iter()
            .any(|w| w.path.ends_with("truncated.txt") && w.message.contains("replaced")),
        "{:?}",
        s1.warnings
    );
    assert!(
        !s1.compacted,
        "six articles are below the compaction threshold"
    );
    let forced = BuildOptions {
        force: true,
        ..BuildOptions::default()
    };
    let before = store.len().unwrap();
    let s2 =
        zhkg::build::build(&store, std::slice::from_ref(&articles), &forced, &|_, _| {}).unwrap();
    assert_eq!(
        s1.quads, s2.quads,
        "a forced rebuild writes the same graphs"
    );
    assert_eq!(
        store.len().unwrap(),
        before,
        "a forced rebuild must replace, not add"
    );
    assert_eq!(
        s2.bulk_loaded, 0,
        "a rebuild replaces graphs, it does not bulk-load"
    );
    let s3 = build_folder(&store, &articles);
    assert_eq!((s3.written, s3.unchanged, s3.quads), (0, 6, 0));
    assert_eq!(store.len().unwrap(), before);
    // The unchanged file is not read again, yet its read warnings are
    // reported as on the first build (they are recorded in its graph).
    let warnings = |s: &zhkg::build::BuildSummary| {
        let mut w: Vec<String> = s
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.path.display(), w.message))
            .collect();
        w.sort();
        w
    };
    assert_eq!(warnings(&s3), warnings(&s1));
    // The summary names each stage the build went through, in order.
    let stages =
        |s: &zhkg::build::BuildSummary| -> Vec<&str> { s.phases.iter().map(|p| p.name).collect() };
    assert_eq!(
        stages(&s1),
        [
            "articles read and loaded",
            "facts graph written (gathered while loading)",
            "programme variants linked",
            "store flushed, file index saved"
        ]
    );
    assert!(
        !stages(&s3).iter().any(|p| p.starts_with("facts")),
        "a build that wrote nothing leaves the facts graph alone: {:?}",
        s3.phases
    );
    // The peak memory only grows, and Linux reports it.
    let peaks: Vec<u64> = s1.phases.iter().filter_map(|p| p.peak_bytes).collect();
    assert_eq!(peaks.len(), s1.phases.len(), "{:?}", s1.phases);
    assert!(
        peaks.windows(2).all(|w| w[0] <= w[1]) && peaks[0] > 0,
        "{peaks:?}"
    );
}

/// A second writer gets a clear message naming the holder; readers still read.
#[test]
fn a_locked_store_is_reported_not_corrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let first = GraphStore::open(&path).unwrap();
    zhkg::build::build(
        &first,
        &[seeds().join("001_5adaab2c0589cb8c.txt")],
        &BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    let err = zhkg_cmd(&path).args(["build", "seeds"]).failing_stderr();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("locked by another zhkg process")
            && err.contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    let out = zhkg_cmd(&path)
        .args(["query", "articles", "--format", "tsv"])
        .ok_stdout();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("001_5adaab2c0589cb8c")
    );
}

/// Runs a command that must succeed (stdout) or fail with exit code 2 (stderr).
trait Run {
    fn ok_stdout(&mut self) -> Vec<u8>;
    fn failing_stderr(&mut self) -> Vec<u8>;
}

impl Run for Command {
    fn ok_stdout(&mut self) -> Vec<u8> {
        self.assert().success().get_output().stdout.clone()
    }

    fn failing_stderr(&mut self) -> Vec<u8> {
        self.assert().code(2).get_output().stderr.clone()
    }
}

fn zhkg_cmd(store: &Path) -> Command {
    let mut c = Command::cargo_bin("zhkg").unwrap();
    c.arg("--store").arg(store).current_dir(root());
    c
}

#[test]
fn every_named_query_pages_its_rows() {
    // --offset 3 --limit 4 of a named query gives rows 3 to 6 of its whole
    // result, in the same order.
    for q in query::NAMED_QUERIES {
        let text = query::bind_params(q.text, &[]).unwrap();
        let all = select(&SEEDED, &text);
        let page = query::page(&text, 3, Some(4)).unwrap();
        assert!(
            page.ordered,
            "{}: a listing needs an ORDER BY for stable pages",
            q.name
        );
        let rows = select(&SEEDED, &page.text);
        let end = all.len().min(7);
        let expected = if all.len() > 3 {
            &all[3..end]
        } else {
            &all[..0]
        };
        assert_eq!(rows, expected, "{}", q.name);
    }
}

/// A listing that declares its partitions (`# pages`) gives, page by page,
/// exactly the rows of its whole result in the same order, whatever the
/// page (inside one partition, across several windows of partitions read
/// in parallel, past the end, or the whole listing as `zhkg query` reads
/// it without `--limit`).
#[test]
fn partitioned_listings_page_like_the_whole_query() {
    let mut partitioned = Vec::new();
    for q in query::NAMED_QUERIES {
        let text = query::bind_params(q.text, &[]).unwrap();
        let Some(p) = partition::declared(&text).unwrap() else {
            continue;
        };
        partitioned.push(q.name);
        let all = select(&SEEDED, &text);
        // The seeds' five articles are the fewest rows a listing has here.
        assert!(all.len() >= 5, "{}: too few rows to page", q.name);
        for (offset, limit) in [
            (0, None),
            (0, Some(1)),
            (0, Some(7)),
            (5, Some(9)),
            (2, None),
            (0, Some(100_000)),
            (all.len() - 1, Some(5)),
            (all.len() + 3, Some(5)),
        ] {
            let got = rows_of(partition::page(&SEEDED, &text, &p, offset, limit).unwrap());
            let end = limit.map_or(all.len(), |l| (offset + l).min(all.len()));
            let want = all.get(offset..end).unwrap_or_default();
            assert_eq!(got, want, "{} --offset {offset} --limit {limit:?}", q.name);
        }
    }
    assert!(partitioned.len() >= 6, "{partitioned:?}");
}

/// Pages of listings of our own that declare their partitions give the
/// rows of the whole query, whatever the query does with the anchor: a
/// GROUP BY per anchor ordered by a key it does not project, a MINUS and
/// a NOT EXISTS that share the anchor, a sub-query that projects it and
/// one whose variable of the same name is its own, a join, an OPTIONAL
/// and a FILTER that do not mention it (evaluated once per batch), and a
/// DISTINCT listing whose partitions share their key (entities of one
/// category); and listings whose partitions are listed by their keys
/// alone (`(keys first)`).
#[test]
fn partitioned_listings_of_any_shape_page_like_the_whole_query() {
    let by_article = "# pages ?a by ?article: ?a schema:identifier ?article\n";
    let queries = [
        format!(
            "{by_article}SELECT (COUNT(?o) AS ?n) WHERE {{ ?a schema:identifier ?article .
               GRAPH ?a {{ ?o a zhkg:Outcome }} }} GROUP BY ?article ?a ORDER BY ?article ?a"
        ),
        format!(
            "{by_article}SELECT ?article ?o WHERE {{ ?a schema:identifier ?article .
               GRAPH ?a {{ ?o a zhkg:Outcome }}
               MINUS {{ GRAPH ?a {{ ?o zhkg:asOf ?d }} }} }} ORDER BY ?article ?a ?o"
        ),
        format!(
            "{by_article}SELECT ?article ?o ?v WHERE {{ ?a schema:identifier ?article .
               GRAPH ?a {{ ?o zhkg:value ?v }}
               FILTER NOT EXISTS {{ GRAPH ?a {{ ?o zhkg:subject ?s }} }} }} ORDER BY ?article ?a DESC(?v) ?o"
        ),
        format!(
            "{by_article}SELECT ?article ?mentions ?articles WHERE {{ ?a schema:identifier ?article .
               {{ SELECT ?a (COUNT(?m) AS ?mentions) WHERE {{ GRAPH ?a {{ ?m nif:anchorOf ?w }} }} GROUP BY ?a }}
               {{ SELECT (COUNT(?a) AS ?articles) WHERE {{ ?a a schema:NewsArticle }} }}
             }} ORDER BY ?article ?a"
        ),
        format!(
            "{by_article}SELECT ?article ?o ?metric ?broader WHERE {{ ?a schema:identifier ?article .
               {{ GRAPH ?a {{ ?o zhkg:metric ?m }} }}
               ?m skos:notation ?metric OPTIONAL {{ ?m skos:broader ?broader }}
               FILTER (?metric != \"count\") }} ORDER BY ?article ?a ?o ?metric"
        ),
        "# pages ?e by ?category: ?e zhkg:category ?category
         SELECT DISTINCT ?category ?kind WHERE { ?e zhkg:category ?category ; a ?kind }
         ORDER BY ?category ?e ?kind"
            .to_owned(),
        // Partitions listed by their keys alone, each batch looking its
        // anchors up: one key of many anchors (entities of one category),
        // and a key that is not projected.
        "# pages ?e by ?category (keys first): ?e zhkg:category ?category
         SELECT DISTINCT ?category ?label WHERE { ?e zhkg:category ?category ; rdfs:label ?label }
         ORDER BY ?category ?e ?label"
            .to_owned(),
        "# pages ?e by ?category (keys first): ?e zhkg:category ?category
         SELECT ?label WHERE { ?e zhkg:category ?category ; rdfs:label ?label }
         ORDER BY ?category ?e DESC(?label)"
            .to_owned(),
    ];
    for text in &queries {
        let p = partition::declared(text).unwrap().unwrap();
        let all = select(&SEEDED, text);
        assert!(all.len() >= 5, "too few rows to page: {text}");
        for (offset, limit) in [
            (0, None),
            (0, Some(3)),
            (4, Some(10)),
            (all.len() - 2, None),
        ] {
            let got = rows_of(partition::page(&SEEDED, text, &p, offset, limit).unwrap());
            let end = limit.map_or(all.len(), |l| (offset + l).min(all.len()));
            assert_eq!(
                got,
                all[offset..end],
                "{text} --offset {offset} --limit {limit:?}"
            );
        }
    }
    // The sub-query with a variable of its own counts every article in
    // every row, as the whole query does.
    let articles = select(
        &SEEDED,
        "SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }",
    );
    let rows = rows_of(
        partition::page(
            &SEEDED,
            &queries[3],
            &partition::declared(&queries[3]).unwrap().unwrap(),
            0,
            None,
        )
        .unwrap(),
    );
    assert!(rows.iter().all(|r| r[2] == articles[0][0]), "{rows:?}");
}

/// A listing read from a thread of a pool (one thread: nothing else could
/// run the batches it would send there) is read whole, as from outside.
#[test]
fn a_partitioned_listing_read_inside_the_thread_pool_finishes() {
    let text = query::named("outcomes").unwrap().text;
    let p = partition::declared(text).unwrap().unwrap();
    let want = rows_of(partition::page(&SEEDED, text, &p, 0, None).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let rows = pool.install(|| rows_of(partition::page(&SEEDED, text, &p, 0, None).unwrap()));
        tx.send(rows).unwrap();
    });
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the listing was read within a minute");
    assert_eq!(got, want);
    assert!(!want.is_empty());
}

/// Two people of one name are two subjects: their different wages are not
/// a contested figure, while two wages reported about one of them are.
#[test]
fn contested_figures_are_about_one_subject_not_one_name() {
    let store = GraphStore::in_memory().unwrap();
    let outcome = |article: &str, n: usize, person: &str, value: u32| {
        format!(
            "GRAPH <https://w3id.org/zhkg/id/article/{article}> {{
               <https://w3id.org/zhkg/id/article/{article}> schema:identifier \"{article}\" .
               <https://w3id.org/zhkg/id/article/{article}#s> nif:referenceContext <https://w3id.org/zhkg/id/article/{article}> .
               <https://w3id.org/zhkg/id/article/{article}#o{n}> a zhkg:Outcome ;
                 zhkg:subject <https://w3id.org/zhkg/id/person/{person}> ;
                 zhkg:metric <https://w3id.org/zhkg/metric/monthly_wage> ; zhkg:value {value} ;
                 nif:anchorOf \"月薪{value}元\" ; nif:sentence <https://w3id.org/zhkg/id/article/{article}#s> }}"
        )
    };
    let data = [
        outcome("a", 1, "x1", 3000),
        outcome("b", 1, "x2", 5000),
        outcome("c", 1, "y", 4000),
        outcome("d", 1, "y", 4500),
    ]
    .join("\n");
    store
        .inner()
        .update(&format!(
            "PREFIX schema: <https://schema.org/> PREFIX zhkg: <https://w3id.org/zhkg/ontology#>
             PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
             PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
             INSERT DATA {{ {data}
               GRAPH <https://w3id.org/zhkg/graph/entities> {{
                 <https://w3id.org/zhkg/id/person/x1> rdfs:label \"李明\" .
                 <https://w3id.org/zhkg/id/person/x2> rdfs:label \"李明\" .
                 <https://w3id.org/zhkg/id/person/y> rdfs:label \"王芳\" }}
               GRAPH <https://w3id.org/zhkg/graph/ontology> {{
                 <https://w3id.org/zhkg/metric/monthly_wage> skos:notation \"monthly_wage\" }} }}"
        ))
        .unwrap();
    zhkg::build::facts::rebuild(&store).unwrap();
    let text = query::named("contested-figures").unwrap().text;
    let whole = select(&store, text);
    let p = partition::declared(text).unwrap().unwrap();
    let paged = rows_of(partition::page(&store, text, &p, 0, Some(10)).unwrap());
    assert_eq!(paged, whole);
    let subjects: Vec<&str> = whole.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(subjects, ["王芳"], "{whole:?}");
}

/// Two people of one name, neither with an affiliation, named in two
/// articles, are two people: the `people` listing gives each its own row
/// with its own article, paged and whole alike.
#[test]
fn people_of_one_name_without_an_affiliation_are_two_rows() {
    let dir = tempfile::tempdir().unwrap();
    let articles = [
        (
            "a1.txt",
            "山前村的电商直播间里，村民周晓燕说，今年家里的收入比去年多了一倍。",
        ),
        (
            "a2.txt",
            "河湾镇的快递站开张那天，村民周晓燕说，寄橙子再也不用跑到县城。",
        ),
    ];
    for (name, text) in articles {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let store = GraphStore::in_memory().unwrap();
    zhkg::build::build(
        &store,
        &[dir.path().to_path_buf()],
        &BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    let text = query::named("people").unwrap().text;
    let whole = select(&store, text);
    let p = partition::declared(text).unwrap().unwrap();
    let paged = rows_of(partition::page(&store, text, &p, 0, Some(10)).unwrap());
    assert_eq!(paged, whole);
    let rows: Vec<&Vec<String>> = whole.iter().filter(|r| r[0] == "周晓燕").collect();
    assert_eq!(rows.len(), 2, "{whole:?}");
    let mut ids: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["a1", "a2"], "{whole:?}");
}

/// A listing read by partitions keeps its MINUS: the excluded anchor stays
/// out of the pages as it is out of the whole result.
#[test]
fn a_minus_excludes_the_same_rows_paged_and_whole() {
    let store = GraphStore::in_memory().unwrap();
    store
        .inner()
        .update(
            "PREFIX ex: <http://example.org/> INSERT DATA {
               ex:a ex:n 3 . ex:b ex:n 2 . ex:c ex:n 1 .
               GRAPH ex:g { ex:b ex:hidden true } }",
        )
        .unwrap();
    let text = "# pages ?x by DESC(?n): ?x <http://example.org/n> ?n
        SELECT ?x ?n WHERE {
          ?x <http://example.org/n> ?n
          MINUS { GRAPH <http://example.org/g> { ?x <http://example.org/hidden> ?h } }
        } ORDER BY DESC(?n) ?x";
    let whole = select(&store, text);
    assert_eq!(whole.len(), 2, "{whole:?}");
    let p = partition::declared(text).unwrap().unwrap();
    let paged = rows_of(partition::page(&store, text, &p, 0, Some(10)).unwrap());
    assert_eq!(paged, whole);
}

/// A `# pages` line whose query is not ordered by its key and anchor is
/// refused with a message, not answered in another order.
#[test]
fn a_partitioned_listing_must_be_ordered_by_its_partitions() {
    let text = "# pages ?a by ?article: ?a schema:identifier ?article
        SELECT ?article WHERE { ?a schema:identifier ?article } ORDER BY DESC(?article)";
    let p = partition::declared(text).unwrap().unwrap();
    let Err(e) = partition::page(&SEEDED, text, &p, 0, Some(3)) else {
        panic!("a query in another order was paged by partitions")
    };
    assert!(e.to_string().contains("ORDER BY with ?article ?a"), "{e}");
    // Partitions looked up by their keys need a pattern that takes them
    // bound: one that BINDs its key cannot, whole listing or page.
    let text = "# pages ?a by ?day (keys first): ?a schema:datePublished ?d BIND (STR(?d) AS ?day)
        SELECT ?day WHERE { ?a schema:datePublished ?d BIND (STR(?d) AS ?day) } ORDER BY ?day ?a";
    let p = partition::declared(text).unwrap().unwrap();
    for limit in [None, Some(3)] {
        let Err(e) = partition::page(&SEEDED, text, &p, 0, limit) else {
            panic!("a (keys first) pattern that binds its key was paged")
        };
        assert!(e.to_string().contains("(keys first)"), "{e}");
    }
}

#[test]
fn cli_build_query_export() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = zhkg_cmd(&store).args(["build", "seeds"]).ok_stdout();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("5 found, 5 written"), "{out}");

    let list = zhkg_cmd(&store).args(["query", "--list"]).ok_stdout();
    let list = String::from_utf8(list).unwrap();
    for q in query::NAMED_QUERIES {
        assert!(
            list.contains(q.name) && list.contains(q.description()),
            "{list}"
        );
    }

    let table = zhkg_cmd(&store).args(["query", "places"]).ok_stdout();
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.contains("巨鹿县") && table.contains("rows)"),
        "{table}"
    );

    let csv = zhkg_cmd(&store)
        .args([
            "query",
            "SELECT ?n WHERE { ?x zhkg:divisionCode \"130529\" ; rdfs:label ?n } LIMIT 1",
            "--format",
            "csv",
        ])
        .ok_stdout();
    assert_eq!(String::from_utf8(csv).unwrap(), "n\r\n巨鹿县\r\n");

    let err = zhkg_cmd(&store)
        .args(["query", "SELECT ?x WHERE {\n  ?x ?y }"])
        .failing_stderr();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains('^'), "{err}");

    zhkg_cmd(&store)
        .args(["query", "no-such-query"])
        .assert()
        .code(2);
    // SPARQL JSON and XML results, and CONSTRUCT as Turtle.
    let q = "SELECT ?n WHERE { ?x zhkg:divisionCode \"130529\" ; rdfs:label ?n }";
    let json = zhkg_cmd(&store)
        .args(["query", q, "--format", "json"])
        .ok_stdout();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["results"]["bindings"][0]["n"]["value"], "巨鹿县");
    let xml = zhkg_cmd(&store)
        .args(["query", q, "--format", "xml"])
        .ok_stdout();
    assert!(String::from_utf8(xml).unwrap().contains("巨鹿县</literal>"));
    let ttl = zhkg_cmd(&store)
        .args(["query", "CONSTRUCT { ?x rdfs:label ?n } WHERE { ?x zhkg:divisionCode \"130529\" ; rdfs:label ?n }"])
        .ok_stdout();
    let ttl = String::from_utf8(ttl).unwrap();
    let parsed: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(ttl.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(parsed.len(), 1, "{ttl}");
    // Updates need --update.
    zhkg_cmd(&store)
        .args(["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
        .assert()
        .code(2);
    // Pages of a listing: --offset and --limit cut the ordered rows.
    let tsv = |extra: &[&str]| -> Vec<String> {
        let out = zhkg_cmd(&store)
            .args(["query", "provenance", "--format", "tsv"])
            .args(extra)
            .ok_stdout();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .skip(1)
            .map(str::to_owned)
            .collect()
    };
    let all = tsv(&[]);
    assert!(all.len() > 20, "{}", all.len());
    assert_eq!(tsv(&["--limit", "5"]), all[..5]);
    assert_eq!(tsv(&["--offset", "10", "--limit", "5"]), all[10..15]);
    assert_eq!(
        tsv(&["--offset", &(all.len() - 2).to_string()]),
        all[all.len() - 2..]
    );
    zhkg_cmd(&store)
        .args(["query", "ASK { ?s ?p ?o }", "--limit", "1"])
        .assert()
        .code(2);

    let ttl = dir.path().join("graph.ttl");
    zhkg_cmd(&store)
        .args(["export", "-o"])
        .arg(&ttl)
        .assert()
        .success();
    let ttl2 = dir.path().join("graph2.ttl");
    zhkg_cmd(&store)
        .args(["export", "--format", "turtle", "-o"])
        .arg(&ttl2)
        .assert()
        .success();
    assert_eq!(std::fs::read(&ttl).unwrap(), std::fs::read(&ttl2).unwrap());
    for f in ["ntriples", "nquads", "trig", "rdfxml", "jsonld"] {
        zhkg_cmd(&store)
            .args(["export", "--format", f])
            .assert()
            .success();
    }
}

#[test]
fn cli_encoding_override() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seeds().join("003_9421ed248777a9a2.txt")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let file = dir.path().join("a.md");
    std::fs::write(&file, &gbk).unwrap();
    let out = zhkg_cmd(&dir.path().join("unused"))
        .args(["extract", "--encoding", "gbk"])
        .arg(&file)
        .ok_stdout();
    let ttl = String::from_utf8(out).unwrap();
    assert!(
        ttl.contains("清华大学社会科学学院县域治理研究中心")
            && ttl.contains("zhkg:sourceEncoding \"GBK\""),
        "{}",
        &ttl[..ttl.len().min(2000)]
    );
    let err = zhkg_cmd(&dir.path().join("unused"))
        .args(["extract", "--encoding", "klingon"])
        .arg(&file)
        .failing_stderr();
    assert!(String::from_utf8(err).unwrap().contains("unknown encoding"));
}

#[test]
fn cli_extract_prints_one_article_graph() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhkg_cmd(&dir.path().join("unused"))
        .args(["extract", "seeds/003_9421ed248777a9a2.txt"])
        .ok_stdout();
    let ttl = String::from_utf8(out).unwrap();
    assert!(ttl.contains("清华大学社会科学学院县域治理研究中心"));
    assert!(
        !dir.path().join("unused").exists(),
        "extract must not create a store"
    );
    let err = zhkg_cmd(&dir.path().join("unused"))
        .args(["extract", "seeds/002_1fed51fe8e6e65f5.txt", "--explain"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("list of links"), "{err}");
    zhkg_cmd(&dir.path().join("unused"))
        .args(["extract", "does-not-exist.txt"])
        .assert()
        .code(2);
}

/// The evaluator on the seeds against `tests/gold`: the scores reached so far
/// are floors that later changes must not fall below (raise them as
/// extraction improves).
#[test]
fn extraction_scores_hold_on_the_seeds() {
    let ev =
        zhkg::eval::summary::evaluate(&root().join("tests/gold"), &[seeds()], &Default::default())
            .unwrap();
    assert!(ev.skipped.is_empty(), "{:?}", ev.skipped);
    assert_eq!(ev.report.articles.len(), 5);
    let t = &ev.report.totals;
    let floors = [
        ("organizations", t.organizations.f1(), 0.925),
        ("places", t.places.f1(), 0.97),
        ("programs", t.programs.f1(), 0.94),
        ("people", t.people.f1(), 0.95),
        ("outcomes", t.outcomes.counts.f1(), 0.94),
        ("entities", t.entities.f1(), 0.945),
    ];
    let table = ev.report.to_table();
    let metric = t.outcomes.metric_accuracy().unwrap_or(0.0);
    let subject = t.outcomes.subject_accuracy().unwrap_or(0.0);
    let family = t.outcomes.family_accuracy().unwrap_or(0.0);
    assert!(
        metric >= 0.73 && subject >= 0.88 && family >= 0.95,
        "outcome metric {metric:.3} / subject {subject:.3} / family {family:.3} accuracy fell\n{table}"
    );
    for (name, f1, floor) in floors {
        assert!(
            f1 >= floor,
            "{name}: F1 {f1:.3} fell below {floor}\n{table}"
        );
    }
}

/// The evaluator on the development set (`../shared/dev`: ten real articles
/// the extractors were not written from, with gold): floors at the scores
/// reached so far, held apart from the seeds' (raise them as extraction
/// improves; a fall means the extractors lost something on unseen text).
#[test]
fn extraction_scores_hold_on_the_dev_set() {
    let dev = root().join("../shared/dev");
    assert!(
        dev.join("gold").is_dir(),
        "the development set is missing at {}: the project's checkout sits beside shared/",
        dev.display()
    );
    let ev = zhkg::eval::summary::evaluate(
        &dev.join("gold"),
        &[dev.join("articles")],
        &Default::default(),
    )
    .unwrap();
    assert!(ev.skipped.is_empty(), "{:?}", ev.skipped);
    assert_eq!(ev.report.articles.len(), 10);
    let t = &ev.report.totals;
    let floors = [
        ("organizations", t.organizations.f1(), 0.89),
        ("places", t.places.f1(), 0.98),
        ("programs", t.programs.f1(), 0.92),
        ("people", t.people.f1(), 0.97),
        ("outcomes", t.outcomes.counts.f1(), 0.90),
        ("entities", t.entities.f1(), 0.955),
    ];
    let table = ev.report.to_table();
    for (name, f1, floor) in floors {
        assert!(
            f1 >= floor,
            "{name}: F1 {f1:.3} fell below {floor} on the dev set\n{table}"
        );
    }
    let subject = t.outcomes.subject_accuracy().unwrap_or(0.0);
    let family = t.outcomes.family_accuracy().unwrap_or(0.0);
    assert!(
        subject >= 0.76 && family >= 0.84,
        "dev outcome subject {subject:.3} / family {family:.3} accuracy fell\n{table}"
    );
    // What the extractors know only from the seeds: the pooled F1 on the
    // seeds may exceed the dev set's by 0.05 at most (issue 15).
    let seeds =
        zhkg::eval::summary::evaluate(&root().join("tests/gold"), &[seeds()], &Default::default())
            .unwrap();
    let gap = seeds.report.totals.entities.f1() - t.entities.f1();
    assert!(
        gap <= 0.05,
        "seeds exceed the dev set by {gap:.3} (pooled entities F1)"
    );
}

/// No outcome of the seeds or the dev set has an empty subject without the
/// explicit marker (`zhkg:subjectUnknown`, `"subject_unknown": true`), and no
/// outcome has both.
#[test]
fn no_outcome_subject_is_silently_empty() {
    let dev = root().join("../shared/dev/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(seeds())
        .unwrap()
        .chain(std::fs::read_dir(&dev).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    let mut unknown = 0;
    for f in &files {
        let (_, s) = zhkg::eval::summary::summarize_file(f, &Default::default()).unwrap();
        for o in &s.outcomes {
            assert_eq!(
                o.subject.is_empty(),
                o.subject_unknown,
                "{}: {:?} has subject {:?} and unknown marker {}",
                f.display(),
                o.text,
                o.subject,
                o.subject_unknown
            );
            unknown += usize::from(o.subject_unknown);
        }
    }
    // The marker is really written where the subject is missing.
    assert!(unknown > 0);
}

/// `zhkg eval` and the reference scorer (`../shared/gold/score.py`) give the
/// same figures on the same files: the seeds and the development set,
/// extracted once to `extract --format json` files, scored by both, every
/// count and accuracy compared; and `zhkg eval` on the articles themselves
/// gives the same totals as on the files.
#[test]
fn eval_agrees_with_the_reference_scorer() {
    let shared = root().join("../shared");
    let scorer = shared.join("gold/score.py");
    assert!(
        scorer.is_file(),
        "the reference scorer is missing at {}: the project's checkout sits beside shared/",
        scorer.display()
    );
    let sets = [
        ("seeds", root().join("tests/gold"), seeds()),
        ("dev", shared.join("dev/gold"), shared.join("dev/articles")),
    ];
    for (set, gold, articles) in sets {
        let predicted = tempfile::tempdir().unwrap();
        let mut names: Vec<PathBuf> = std::fs::read_dir(&articles)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for article in &names {
            let (_, summary) =
                zhkg::eval::summary::summarize_file(article, &Default::default()).unwrap();
            let stem = article.file_stem().unwrap().to_string_lossy();
            std::fs::write(
                predicted.path().join(format!("{stem}.json")),
                summary.to_json_pretty(),
            )
            .unwrap();
        }
        let out = std::process::Command::new("python3")
            .arg(&scorer)
            .arg(&gold)
            .arg(predicted.path())
            .arg("--json")
            .output()
            .expect("python3 runs the reference scorer (install python3)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let reference: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

        let on_files = zhkg::eval::summary::evaluate_predictions(&gold, predicted.path()).unwrap();
        assert!(on_files.skipped.is_empty(), "{:?}", on_files.skipped);
        let on_articles = zhkg::eval::summary::evaluate(
            &gold,
            std::slice::from_ref(&articles),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(
            on_articles.report.totals, on_files.report.totals,
            "{set}: articles vs files"
        );

        let t = &on_files.report.totals;
        let mut rows: Vec<(&str, zhkg::eval::Counts)> = t
            .entity_rows()
            .into_iter()
            .map(|(c, n)| (c.as_str(), *n))
            .collect();
        rows.push(("outcomes", t.outcomes.counts));
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        for (cat, c) in rows {
            let r = &reference[cat];
            let ours = (
                c.tp,
                c.predicted(),
                c.gold(),
                round(c.precision()),
                round(c.recall()),
                round(c.f1()),
            );
            let theirs = (
                r["tp"].as_u64().unwrap() as usize,
                r["pred"].as_u64().unwrap() as usize,
                r["gold"].as_u64().unwrap() as usize,
                r["p"].as_f64().unwrap(),
                r["r"].as_f64().unwrap(),
                r["f1"].as_f64().unwrap(),
            );
            assert_eq!(ours, theirs, "{set} {cat}: zhkg eval vs score.py");
        }
        for (key, ours) in [
            ("outcome_subject_acc", t.outcomes.subject_accuracy()),
            ("outcome_metric_acc", t.outcomes.metric_accuracy()),
            ("outcome_metric_family_acc", t.outcomes.family_accuracy()),
        ] {
            assert_eq!(
                round(ours.unwrap_or(0.0)),
                reference[key].as_f64().unwrap(),
                "{set} {key}"
            );
        }
    }
}

#[test]
fn cli_extract_json_is_the_gold_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhkg_cmd(&dir.path().join("unused"))
        .args([
            "extract",
            "seeds/001_5adaab2c0589cb8c.txt",
            "--format",
            "json",
        ])
        .ok_stdout();
    let s = zhkg::eval::ArticleSummary::from_json(&String::from_utf8(out).unwrap()).unwrap();
    assert_eq!(s.article, "001_5adaab2c0589cb8c.txt");
    let county = s
        .places
        .iter()
        .find(|p| p.name == "巨鹿县")
        .expect("巨鹿县 in the summary");
    assert_eq!(
        (
            county.code,
            county.prefecture.as_deref(),
            county.province.as_deref()
        ),
        (Some(130529), Some("邢台市"), Some("河北省"))
    );
    assert!(
        s.outcomes
            .iter()
            .any(|o| o.metric == "employees" && o.text.contains("196"))
    );
    let table = zhkg_cmd(&dir.path().join("unused"))
        .args(["eval"])
        .ok_stdout();
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.lines().any(|l| l.starts_with("entities       P=")),
        "{table}"
    );
    zhkg_cmd(&dir.path().join("unused"))
        .args(["eval", "--gold", "no-such-dir"])
        .assert()
        .failure();
    // Scoring written summaries: a missing gold folder is named.
    let err = zhkg_cmd(&dir.path().join("unused"))
        .args(["eval", "--gold", "no-such-dir", "--predictions", "."])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&err).contains("no-such-dir"));
}

/// Entities (by IRI) and outcomes (metric, value, unit) extracted from bytes.
fn facts(
    bytes: &[u8],
    ext: Option<&str>,
) -> (
    std::collections::BTreeSet<String>,
    std::collections::BTreeSet<String>,
) {
    let a = zhkg::ingest::parse_article(
        zhkg::ingest::ArticleId::new("variant"),
        bytes,
        ext,
        &Default::default(),
    )
    .unwrap();
    let p = zhkg::build::process_article(a);
    let entities = p
        .extraction
        .mentions
        .iter()
        .map(|m| zhkg::rdf::iri::entity(&m.entity).as_str().to_owned())
        .collect();
    let outcomes = p
        .extraction
        .observations
        .iter()
        .map(|o| {
            format!(
                "{} {} {}",
                o.metric,
                zhkg::extract::numbers::decimal(o.quantity.value),
                o.quantity.unit.as_str()
            )
        })
        .collect();
    (entities, outcomes)
}

fn html_wrap(text: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = text
        .lines()
        .map(|l| format!("<p>{}</p>\n", esc(l)))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>新闻</title><script>var 巨鹿县 = 1;</script><style>p {{ margin: 0 }}</style></head>\n<body><nav>首页 | 沙湾县 | 牙克石市</nav>\n<article>{body}</article></body></html>"
    )
}

/// The same article in other encodings, wrapped in HTML, or in traditional
/// script yields the same entities and outcomes as the UTF-8 original.
#[test]
fn encodings_markup_and_script_variants_yield_the_same_facts() {
    let s2t =
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2t).unwrap();
    for name in ["001_5adaab2c0589cb8c.txt", "004_ea3e46f43a65e07f.txt"] {
        let original = std::fs::read_to_string(seeds().join(name)).unwrap();
        let expected = facts(original.as_bytes(), Some("txt"));
        assert!(
            expected.0.len() > 20 && expected.1.len() > 10,
            "{name}: too little extracted to compare"
        );

        let (gb, _, bad) = encoding_rs::GB18030.encode(&original);
        assert!(!bad);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in original.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let traditional = s2t.convert(&original);
        // Big5 text uses the Taiwan forms of the two OpenCC variants Big5 lacks.
        let taiwan = traditional.replace('爲', "為").replace('衆', "眾");
        let (big5, _, bad) = encoding_rs::BIG5.encode(&taiwan);
        assert!(!bad, "{name}: the traditional text does not fit Big5");
        let variants: Vec<(&str, Vec<u8>, Option<&str>)> = vec![
            ("GB18030", gb.into_owned(), Some("txt")),
            ("UTF-16LE", utf16, Some("txt")),
            ("HTML", html_wrap(&original).into_bytes(), Some("html")),
            ("traditional", traditional.clone().into_bytes(), Some("txt")),
            ("Big5 traditional", big5.into_owned(), Some("txt")),
        ];
        for (label, bytes, ext) in variants {
            let got = facts(&bytes, ext);
            let missing: Vec<_> = expected.0.difference(&got.0).collect();
            let extra: Vec<_> = got.0.difference(&expected.0).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{name} as {label}: entities differ\nmissing {missing:?}\nextra {extra:?}"
            );
            assert_eq!(got.1, expected.1, "{name} as {label}: outcomes differ");
        }
    }
}

/// `../shared/bench/gen_corpus.py`, which CI has beside the checkout.
fn generator() -> PathBuf {
    let p = root().join("../shared/bench/gen_corpus.py");
    assert!(
        p.is_file(),
        "{} is missing: the generated-corpus tests need ../shared/bench",
        p.display()
    );
    p
}

/// On generated articles (seed sentences with 155 real counties put in),
/// every county found resolves to the province the generator used, and
/// nearly every county the generator wrote is found.
#[test]
fn counties_in_generated_articles_resolve_to_their_provinces() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let script_path = generator();
    let out = std::process::Command::new("python3")
        .arg(&script_path)
        .args(["--seeds"])
        .arg(seeds())
        .arg("--out")
        .arg(&corpus)
        .args(["-n", "60", "--seed", "7"])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The generator's gazetteer: county → province.
    let script = "import sys, json; sys.path.insert(0, sys.argv[1]); import gen_corpus as g; \
                  print(json.dumps({c['county']: c['province'] for c in g.COUNTIES}, ensure_ascii=False))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(script_path.parent().unwrap())
        .output()
        .unwrap();
    let truth: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&out.stdout).unwrap();

    let store = GraphStore::in_memory().unwrap();
    let s = build_folder(&store, &corpus);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let rows = select(
        &store,
        "SELECT DISTINCT ?county ?prov ?id WHERE { ?c zhkg:level \"county\" ; rdfs:label ?county ; zhkg:mentionedIn ?a ; schema:containedInPlace+ ?p . ?p zhkg:level \"province\" ; rdfs:label ?prov . ?a schema:identifier ?id }",
    );
    let mut found = std::collections::BTreeSet::new();
    for r in &rows {
        if let Some(prov) = truth.get(&r[0]) {
            assert_eq!(
                prov, &r[1],
                "{} resolved to the wrong province in {}",
                r[0], r[2]
            );
            found.insert((r[2].clone(), r[0].clone()));
        }
    }
    // Counties the generator wrote with their full name, by article.
    let mut written = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(&corpus).unwrap() {
        let p = e.unwrap().path();
        let text = zhkg::ingest::read_article(&p, &Default::default())
            .unwrap()
            .body();
        for county in truth.keys() {
            if text.contains(county.as_str()) {
                written.insert((
                    p.file_stem().unwrap().to_string_lossy().into_owned(),
                    county.clone(),
                ));
            }
        }
    }
    let recall = written.intersection(&found).count() as f64 / written.len().max(1) as f64;
    assert!(written.len() > 50, "the corpus should name many counties");
    assert!(
        recall >= 0.95,
        "county recall {recall:.3} on generated articles; missed: {:?}",
        written.difference(&found).take(10).collect::<Vec<_>>()
    );
}

/// No label carries a lost character, a pinyin annotation or page furniture.
#[test]
fn labels_are_clean() {
    let rows = select(
        &SEEDED,
        "SELECT DISTINCT ?l WHERE { ?e zhkg:mentionedIn ?a ; rdfs:label|skos:altLabel ?l }",
    );
    assert!(rows.len() > 100);
    let pinyin = regex::Regex::new(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]").unwrap();
    for r in rows {
        let l = &r[0];
        assert!(
            !l.contains('?') && !l.contains('\u{FFFD}'),
            "lost character in label {l:?}"
        );
        assert!(!pinyin.is_match(l), "pinyin in label {l:?}");
        for furniture in ["|", "供图", "责任编辑", "责编", "返回顶部", "版权"] {
            assert!(
                !l.contains(furniture),
                "furniture {furniture:?} in label {l:?}"
            );
        }
    }
}

/// An article written for this test (not a seed): a company, a county
/// government, an association, a college, quoted programmes, officials and
/// figures, in vocabulary the seeds do not use. The expectations are a
/// hand annotation of it.
#[test]
fn an_unseen_article_is_read_like_an_analyst_would() {
    let path = root().join("tests/data/badong_customer_service.txt");
    let (_, s) = zhkg::eval::summary::summarize_file(&path, &Default::default()).unwrap();
    let names = |v: Vec<&str>| {
        v.into_iter()
            .map(str::to_owned)
            .collect::<std::collections::BTreeSet<String>>()
    };
    let orgs = names(s.organizations.iter().map(|o| o.name.as_str()).collect());
    for o in [
        "京东",
        "巴东县人民政府",
        "巴东县人力资源和社会保障局",
        "巴东县电子商务协会",
    ] {
        assert!(orgs.contains(o), "{o} missing from {orgs:?}");
    }
    let places: Vec<(&str, Option<u32>)> =
        s.places.iter().map(|p| (p.name.as_str(), p.code)).collect();
    let badong = places.iter().find(|(n, _)| *n == "巴东县").expect("巴东县");
    assert_eq!(
        s.places
            .iter()
            .find(|p| p.name == "巴东县")
            .unwrap()
            .prefecture
            .as_deref(),
        Some("恩施土家族苗族自治州")
    );
    assert!(badong.1.is_some_and(|c| c / 10000 == 42), "{badong:?}");
    let programmes = names(s.programs.iter().map(|p| p.name.as_str()).collect());
    for p in ["京东巴东客服中心", "乡村电商带头人", "数商兴农"] {
        assert!(programmes.contains(p), "{p} missing from {programmes:?}");
    }
    let people: Vec<(&str, Option<&str>)> = s
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_deref()))
        .collect();
    assert!(people.contains(&("李红兵", Some("局长"))), "{people:?}");
    assert!(people.iter().any(|(n, _)| *n == "王建国"), "{people:?}");
    let outcome = |text: &str| {
        s.outcomes
            .iter()
            .find(|o| o.text == text)
            .unwrap_or_else(|| panic!("no outcome {text}: {:?}", s.outcomes))
    };
    let o = outcome("320名");
    assert_eq!(
        (o.subject.as_str(), o.metric.as_str(), o.unit.as_str()),
        ("京东巴东客服中心", "employees", "person")
    );
    let o = outcome("约七成");
    assert_eq!(
        (o.metric.as_str(), o.unit.as_str(), o.approx),
        ("female_share", "percent", true)
    );
    let o = outcome("3500元左右");
    assert_eq!(
        (o.subject.as_str(), o.metric.as_str()),
        ("京东巴东客服中心", "average_monthly_wage")
    );
    let o = outcome("1.2万人次");
    assert_eq!(
        (o.metric.as_str(), o.unit.as_str()),
        ("trainees", "person-time")
    );
    // 京东集团与…巴东县人民政府签署合作协议: partners.
    let (p, _) = zhkg::eval::summary::summarize_file(&path, &Default::default()).unwrap();
    assert!(
        p.extraction
            .relations
            .iter()
            .any(|r| r.kind == zhkg::extract::RelationKind::PartnerOf
                && r.subject.local == "京东"
                && r.object.local == "巴东县人民政府"),
        "{:?}",
        p.extraction.relations
    );
    let o = outcome("1500余家");
    assert_eq!(
        (o.metric.as_str(), o.bound.as_deref()),
        ("shops_opened", Some("lower"))
    );
}

/// A second article written for the tests, as an HTML page with navigation,
/// a byline paragraph, share buttons and a copyright line.
#[test]
fn an_unseen_html_page_is_read_without_its_furniture() {
    let path = root().join("tests/data/menghai_live_commerce.html");
    let (p, s) = zhkg::eval::summary::summarize_file(&path, &Default::default()).unwrap();
    let m = &p.article.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("云南勐海:直播带货让普洱茶走出大山")
    );
    assert_eq!(m.published.unwrap().to_xsd(), "2023-11-05T08:30:00+08:00");
    assert_eq!(m.publisher.as_deref(), Some("云南网"));
    assert_eq!(m.authors, ["刀艳芳"]);
    let body = p.article.body();
    for furniture in ["首页", "分享到", "版权所有", "记者 刀艳芳"] {
        assert!(!body.contains(furniture), "{furniture:?} left in the body");
    }
    let county = s
        .places
        .iter()
        .find(|p| p.name == "勐海县")
        .expect("勐海县");
    assert_eq!(county.prefecture.as_deref(), Some("西双版纳傣族自治州"));
    let orgs: Vec<&str> = s.organizations.iter().map(|o| o.name.as_str()).collect();
    for o in [
        "云南农业大学",
        "勐海县人民政府",
        "中国社会科学院农村发展研究所",
    ] {
        assert!(orgs.contains(&o), "{o} missing from {orgs:?}");
    }
    let report = s
        .documents
        .iter()
        .find(|d| d.name == "2023中国县域电商发展报告")
        .expect("the report");
    assert_eq!(
        report.publisher.as_deref(),
        Some("中国社会科学院农村发展研究所")
    );
    let metric = |text: &str| {
        s.outcomes
            .iter()
            .find(|o| o.text == text)
            .map(|o| (o.subject.as_str(), o.metric.as_str()))
    };
    // The growth of a sales figure (零售额达4.6亿元，同比增长35%) is sales growth.
    assert_eq!(metric("35%"), Some(("勐海县", "sales_growth")));
    // 带动就业1200余人: jobs the park created.
    assert_eq!(
        metric("1200余人"),
        Some(("勐海县电商产业园", "jobs_created"))
    );
    assert_eq!(
        metric("超过四成"),
        Some(("勐海县电商产业园", "returnee_share"))
    );
    // 勐海县电商产业园由勐海县人民政府投资…建设: the government funds the park.
    let funded = p.extraction.relations.iter().any(|r| {
        r.kind == zhkg::extract::RelationKind::Funds
            && r.subject.local == "勐海县人民政府"
            && r.object.local == "勐海县电商产业园"
    });
    assert!(funded, "{:?}", p.extraction.relations);
}

/// An article pasted as one long line, ending in a copyright notice, is still
/// an article (only short lines are notices).
#[test]
fn one_long_line_with_a_notice_is_still_an_article() {
    let text = std::fs::read_to_string(seeds().join("001_5adaab2c0589cb8c.txt"))
        .unwrap()
        .replace('\n', " ");
    let a = zhkg::ingest::parse_article(
        zhkg::ingest::ArticleId::new("one-line"),
        text.repeat(3).as_bytes(),
        None,
        &Default::default(),
    )
    .unwrap();
    let ex = zhkg::extract::extract(&a);
    assert!(ex.entities.values().any(|e| e.label == "巨鹿县"));
    assert!(ex.observations.len() >= 30, "{}", ex.observations.len());
}

/// Names before speech verbs after 据/对/向… (据李红兵介绍).
#[test]
fn names_after_reporting_prepositions() {
    let text = "据李红兵介绍,该中心首批招聘客服人员320名。";
    let a = zhkg::ingest::parse_article(
        zhkg::ingest::ArticleId::new("p"),
        text.as_bytes(),
        None,
        &Default::default(),
    )
    .unwrap();
    let ex = zhkg::extract::extract(&a);
    assert!(
        ex.entities
            .values()
            .any(|e| e.label == "李红兵" && e.key.kind == zhkg::extract::EntityKind::Person)
    );
}

/// A third article written for the tests: an autonomous prefecture's short
/// name (黔东南州), a quoted training programme, a village Party secretary.
#[test]
fn an_unseen_article_with_an_autonomous_prefecture() {
    let path = root().join("tests/data/leishan_silver.txt");
    let (_, s) = zhkg::eval::summary::summarize_file(&path, &Default::default()).unwrap();
    let orgs: Vec<&str> = s.organizations.iter().map(|o| o.name.as_str()).collect();
    assert!(
        orgs.contains(&"黔东南苗族侗族自治州人力资源和社会保障局"),
        "{orgs:?}"
    );
    assert!(
        orgs.contains(&"雷山县商务局") && orgs.contains(&"贵州大学"),
        "{orgs:?}"
    );
    let people: Vec<(&str, Option<&str>)> = s
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_deref()))
        .collect();
    assert!(
        people.contains(&("杨光明", Some("党支部书记"))),
        "{people:?}"
    );
    assert!(
        people.iter().all(|(n, _)| !n.starts_with('占')),
        "{people:?}"
    );
    assert!(
        s.programs.iter().any(|p| p.name == "黔货出山"),
        "{:?}",
        s.programs
    );
    let leishan = s
        .places
        .iter()
        .find(|p| p.name == "雷山县")
        .expect("雷山县");
    assert_eq!(leishan.prefecture.as_deref(), Some("黔东南苗族侗族自治州"));
}
