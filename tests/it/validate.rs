//! SHACL validation (`ontology/shapes.ttl`, `zhkg validate`): the seeds'
//! graph conforms, and each kind of defect gives the violation it should.

use assert_cmd::Command;
use oxigraph::io::RdfFormat;
use zhkg::build::BuildOptions;
use zhkg::shacl::{self as validate, Shapes, Violation};
use zhkg::store::GraphStore;

/// A small graph that conforms to the shapes: an article, one sentence, a
/// county with its code, a programme, a mention and a percentage outcome.
/// Each test row breaks it in one place.
const VALID: &str = r#"
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@prefix zhkg: <https://w3id.org/zhkg/ontology#> .
@prefix id: <https://w3id.org/zhkg/id/> .

id:a a schema:NewsArticle, nif:Context ;
    schema:identifier "a" ; nif:isString "巨鹿县基地本科生占比65%。" ;
    schema:inLanguage "zh" ; zhkg:script "simplified" ;
    zhkg:contentHash "sha256:0000000000000000000000000000000000000000000000000000000000000000;zhkg-0.1.0" ;
    zhkg:sourceEncoding "UTF-8" ; zhkg:sourceFormat "text" .
<https://w3id.org/zhkg/id/a#char=0,15> a nif:Sentence ;
    nif:referenceContext id:a ; nif:anchorOf "巨鹿县基地本科生占比65%。" .
<https://w3id.org/zhkg/id/place/130529> a schema:AdministrativeArea ;
    <http://www.w3.org/2000/01/rdf-schema#label> "巨鹿县"@zh ;
    zhkg:divisionCode "130529" ; zhkg:level "county" ; zhkg:category "county" ;
    zhkg:mentionedIn id:a .
<https://w3id.org/zhkg/id/a#char=0,3> nif:sentence <https://w3id.org/zhkg/id/a#char=0,15> ;
    nif:anchorOf "巨鹿县" ;
    itsrdf:taIdentRef <https://w3id.org/zhkg/id/place/130529> .
<https://w3id.org/zhkg/id/a#char=10,13> a zhkg:Outcome ;
    zhkg:subject <https://w3id.org/zhkg/id/place/130529> ;
    zhkg:metric <https://w3id.org/zhkg/metric/bachelor_share> ;
    zhkg:value "65"^^xsd:decimal ;
    zhkg:unit <http://qudt.org/vocab/unit/PERCENT> ;
    zhkg:qualifier zhkg:Exact ;
    nif:anchorOf "65%" ;
    nif:sentence <https://w3id.org/zhkg/id/a#char=0,15> .
<https://w3id.org/zhkg/id/place/130529#figures-bachelor_share> a zhkg:FigureSummary ;
    zhkg:summarises <https://w3id.org/zhkg/id/place/130529> ;
    zhkg:metric <https://w3id.org/zhkg/metric/bachelor_share> ;
    zhkg:figureCount 2 ;
    zhkg:lowestValue "65"^^xsd:decimal ;
    zhkg:highestValue "70"^^xsd:decimal .
"#;

const OUTCOME: &str = "<https://w3id.org/zhkg/id/a#char=10,13>";
const PLACE: &str = "<https://w3id.org/zhkg/id/place/130529>";
/// The figure summary of the facts graph (derived data: no sentence).
const SUMMARY: &str = "<https://w3id.org/zhkg/id/place/130529#figures-bachelor_share>";
/// The mention, once moved out of its sentence (offsets 10..30 of a
/// sentence that ends at 15).
const MENTION_OUTSIDE: &str = "<https://w3id.org/zhkg/id/a#char=10,30>";
/// The mention, once its IRI has lost its offsets.
const MENTION_NO_OFFSETS: &str = "<https://w3id.org/zhkg/id/a/mention/0>";
/// The mention, once its IRI names another article.
const MENTION_ELSEWHERE: &str = "<https://w3id.org/zhkg/id/b#char=0,3>";
const SENTENCE: &str = "巨鹿县基地本科生占比65%。";

fn check(ttl: &str) -> Vec<Violation> {
    let store = validate::load_bytes(ttl.as_bytes(), RdfFormat::Turtle, "test").unwrap();
    validate::validate(&store, &Shapes::builtin().unwrap())
        .unwrap()
        .violations
}

/// Outcome figures of every kind conform: a described group as subject, a
/// context figure, a target and an unknown subject (invented articles).
#[test]
fn groups_context_targets_and_unknown_subjects_conform() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "试点村的新收入\n\n2023年，“青禾计划”继续推进。120个试点村在平台上的销售额达3亿元。全县常住人口12万。项目将为当地提供500个岗位。\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "天气\n\n有人说很累。她说月收入有3000元。\n",
    )
    .unwrap();
    let store = GraphStore::in_memory().unwrap();
    zhkg::build::build(
        &store,
        &[dir.path().to_path_buf()],
        &BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    for (what, ask) in [
        (
            "a described group",
            "ASK { ?o zhkg:subject ?g . ?g a zhkg:DescribedGroup }",
        ),
        ("a context figure", "ASK { ?o a zhkg:ContextFigure }"),
        ("a target", "ASK { ?o zhkg:isTarget true }"),
        ("an unknown subject", "ASK { ?o zhkg:subjectUnknown true }"),
    ] {
        let oxigraph::sparql::QueryResults::Boolean(yes) =
            zhkg::sparql::query::run(&store, ask).unwrap()
        else {
            panic!("not an ASK")
        };
        assert!(yes, "the articles give no outcome with {what}");
    }
    let report = validate::validate(&store, &Shapes::builtin().unwrap()).unwrap();
    let mut text = Vec::new();
    report.write_text(&mut text).unwrap();
    assert!(report.conforms, "{}", String::from_utf8_lossy(&text));
}

#[test]
fn seeds_conform_to_the_shapes() {
    let store = GraphStore::in_memory().unwrap();
    let root = crate::common::root();
    zhkg::build::build(
        &store,
        &[root.join("seeds")],
        &BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    let report = validate::validate(&store, &Shapes::builtin().unwrap()).unwrap();
    let mut text = Vec::new();
    report.write_text(&mut text).unwrap();
    assert!(
        report.conforms,
        "{}\nhelp: either the extraction wrote a defect or ontology/shapes.ttl is too strict",
        String::from_utf8_lossy(&text)
    );
}

#[test]
fn broken_graphs_give_the_expected_violation() {
    // (what is broken, replace this, by this, focus, path, constraint);
    // the source sentence is SENTENCE unless the focus has no provenance.
    let rows: &[(&str, &str, &str, &str, Option<&str>, &str)] = &[
        (
            "five-digit division code",
            r#"zhkg:divisionCode "130529""#,
            r#"zhkg:divisionCode "13052""#,
            PLACE,
            Some("zhkg:divisionCode"),
            r#"sh:pattern "^[0-9]{6}$""#,
        ),
        (
            "percent over 100",
            r#"zhkg:value "65"^^xsd:decimal"#,
            r#"zhkg:value "120"^^xsd:decimal"#,
            OUTCOME,
            None,
            "sh:sparql <https://w3id.org/zhkg/shapes#PercentInRange>",
        ),
        (
            "observation without a value",
            r#"zhkg:value "65"^^xsd:decimal ;"#,
            "",
            OUTCOME,
            Some("zhkg:value"),
            "sh:minCount 1",
        ),
        (
            "value of the wrong datatype",
            r#"zhkg:value "65"^^xsd:decimal"#,
            r#"zhkg:value "65"^^xsd:integer"#,
            OUTCOME,
            Some("zhkg:value"),
            "sh:datatype xsd:decimal",
        ),
        (
            "ill-typed decimal",
            r#"zhkg:value "65"^^xsd:decimal"#,
            r#"zhkg:value "sixty-five"^^xsd:decimal"#,
            OUTCOME,
            Some("zhkg:value"),
            "sh:datatype xsd:decimal",
        ),
        (
            "unknown unit",
            "<http://qudt.org/vocab/unit/PERCENT>",
            "<http://qudt.org/vocab/unit/FURLONG>",
            OUTCOME,
            Some("zhkg:unit"),
            "sh:class zhkg:Unit",
        ),
        (
            "label without a language tag",
            r#""巨鹿县"@zh ;"#,
            r#""巨鹿县" ;"#,
            PLACE,
            Some("rdfs:label"),
            "sh:datatype rdf:langString",
        ),
        (
            "two division codes",
            r#"zhkg:divisionCode "130529""#,
            r#"zhkg:divisionCode "130529", "130500""#,
            PLACE,
            Some("zhkg:divisionCode"),
            "sh:maxCount 1",
        ),
        (
            "unknown qualifier",
            "zhkg:qualifier zhkg:Exact",
            "zhkg:qualifier zhkg:Roughly",
            OUTCOME,
            Some("zhkg:qualifier"),
            "sh:in (zhkg:Exact zhkg:Approximate zhkg:LowerBound zhkg:UpperBound)",
        ),
        (
            "mention outside its sentence",
            "<https://w3id.org/zhkg/id/a#char=0,3> nif:sentence",
            "<https://w3id.org/zhkg/id/a#char=10,30> nif:sentence",
            MENTION_OUTSIDE,
            None,
            "sh:sparql <https://w3id.org/zhkg/shapes#SpanInSentence>",
        ),
        (
            "mention IRI without offsets",
            "<https://w3id.org/zhkg/id/a#char=0,3> nif:sentence",
            "<https://w3id.org/zhkg/id/a/mention/0> nif:sentence",
            MENTION_NO_OFFSETS,
            None,
            "sh:sparql <https://w3id.org/zhkg/shapes#OffsetIri>",
        ),
        (
            "mention of another article's sentence",
            "<https://w3id.org/zhkg/id/a#char=0,3> nif:sentence",
            "<https://w3id.org/zhkg/id/b#char=0,3> nif:sentence",
            MENTION_ELSEWHERE,
            None,
            "sh:sparql <https://w3id.org/zhkg/shapes#SentenceOfSameArticle>",
        ),
        (
            "outcome about an undescribed entity",
            "zhkg:subject <https://w3id.org/zhkg/id/place/130529>",
            "zhkg:subject <https://w3id.org/zhkg/id/org/nobody>",
            "<https://w3id.org/zhkg/id/org/nobody>",
            Some("rdfs:label"),
            "sh:minCount 1",
        ),
        (
            "figure summary in the wrong order",
            r#"zhkg:highestValue "70"^^xsd:decimal"#,
            r#"zhkg:highestValue "60"^^xsd:decimal"#,
            SUMMARY,
            None,
            "sh:sparql <https://w3id.org/zhkg/shapes#SummaryInOrder>",
        ),
        (
            "figure summary of no figure",
            "zhkg:figureCount 2",
            "zhkg:figureCount 0",
            SUMMARY,
            Some("zhkg:figureCount"),
            "sh:minInclusive 1",
        ),
    ];
    assert_eq!(check(VALID), vec![], "the valid graph must conform");
    for (what, from, to, focus, path, constraint) in rows {
        assert!(VALID.contains(from), "{what}: {from:?} not in the graph");
        let got = check(&VALID.replacen(from, to, 1));
        let summary: Vec<(String, Option<String>, String)> = got
            .iter()
            .map(|v| (v.focus.clone(), v.path.clone(), v.constraint.clone()))
            .collect();
        let hit = got.iter().find(|v| {
            v.focus == *focus && v.path.as_deref() == *path && v.constraint == *constraint
        });
        let Some(hit) = hit else {
            panic!("{what}: expected {focus} {path:?} {constraint}, got {summary:#?}");
        };
        let source = hit.source.as_ref().map(|s| s.text.as_str());
        let has_provenance = !focus.contains("/org/") && !focus.contains("#figures-");
        assert_eq!(
            source,
            has_provenance.then_some(SENTENCE),
            "{what}: the source sentence"
        );
        // No collateral violations except a range check on the same value.
        assert!(
            got.iter().all(|v| v.focus == *focus),
            "{what}: unexpected violations {summary:#?}"
        );
    }
}

#[test]
fn cli_validate_reports_and_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.ttl");
    let bad = dir.path().join("bad.ttl");
    std::fs::write(&good, VALID).unwrap();
    std::fs::write(&bad, VALID.replacen(r#""130529""#, r#""13052""#, 1)).unwrap();
    let store = dir.path().join("no-store");
    let ok = Command::cargo_bin("zhkg")
        .unwrap()
        .args(["--store"])
        .arg(&store)
        .args(["validate", "--data"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("conforms"));
    let out = Command::cargo_bin("zhkg")
        .unwrap()
        .args(["validate", "--format", "json", "--data"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["conforms"], false);
    let v = &json["violations"][0];
    assert_eq!(v["focus"], PLACE);
    assert_eq!(v["path"], "zhkg:divisionCode");
    assert_eq!(v["source"]["text"], SENTENCE);
    // Unsupported SHACL is refused, naming the file.
    let shapes = dir.path().join("shapes.ttl");
    std::fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://ex/S> sh:targetClass <http://ex/C> ; sh:closed true .\n",
    )
    .unwrap();
    let out = Command::cargo_bin("zhkg")
        .unwrap()
        .args(["validate", "--shapes"])
        .arg(&shapes)
        .arg("--data")
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("shapes.ttl") && err.contains("sh:closed"),
        "{err}"
    );
}
