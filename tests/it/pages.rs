//! The HTML pages and Linked Data answers of `zhkg serve`, on a store built
//! from the seeds. Every expected value is asked of the same server's
//! SPARQL endpoint (or read from the article's own text), never written
//! here by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::LazyLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Term, Triple};
use regex::Regex;
use serde_json::Value;

use super::common::{Reply, encode, http, select, serve_built};
use zhkg::build::BuildOptions;
use zhkg::serve::{ServeOptions, start};
use zhkg::store::GraphStore;

const ID: &str = "https://w3id.org/zhkg/id/";
/// What a browser sends.
const BROWSER: (&str, &str) = (
    "Accept",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
);

fn serve(dirs: &[std::path::PathBuf]) -> SocketAddr {
    let server = serve_built(dirs);
    let addr = server.addr();
    std::mem::forget(server); // runs until the test binary exits
    addr
}

/// One server on the seeds, shared by the tests of this file.
static SEEDS: LazyLock<SocketAddr> =
    LazyLock::new(|| serve(&[crate::common::root().join("seeds")]));

/// The one value of a one-solution SELECT.
fn one(addr: SocketAddr, query: &str, var: &str) -> String {
    let rows = select(addr, query);
    assert_eq!(rows.len(), 1, "{query}: {rows:?}");
    rows[0][var].clone()
}

/// A page as a browser gets it, after checking it is a 200 HTML page that
/// forbids scripts.
/// The article text of an article page (the marked text, as HTML).
fn article_text(body: &str) -> &str {
    body.split("<div class=\"text\" id=\"text\">")
        .nth(1)
        .expect("an article page has its text")
        .split("</div>")
        .next()
        .unwrap()
}

/// A page that says why a request cannot be answered: 400, HTML, escaped.
fn refused(addr: SocketAddr, path: &str) -> Reply {
    let r = http(addr, "GET", path, &[BROWSER], b"");
    assert_eq!(r.status, 400, "GET {path}: {}", r.body);
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(
        !r.body.to_ascii_lowercase().contains("<script"),
        "GET {path}"
    );
    r
}

fn page(addr: SocketAddr, path: &str) -> Reply {
    let r = http(addr, "GET", path, &[BROWSER], b"");
    assert_eq!(r.status, 200, "GET {path}: {}", r.body);
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(
        r.header("Content-Security-Policy")
            .is_some_and(|c| c.contains("default-src 'none'")),
        "{:?}",
        r.headers
    );
    assert!(
        !r.body.to_ascii_lowercase().contains("<script"),
        "GET {path}: no script on any page"
    );
    r
}

/// Text of HTML: tags dropped, maud's escapes undone.
fn text(html: &str) -> String {
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap());
    TAG.replace_all(html, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// `s` escaped as the pages escape text.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The local path of an IRI of zhkg (`/id/…`).
fn path(iri: &str) -> String {
    format!("/id/{}", iri.strip_prefix(ID).unwrap())
}

/// The decoded original text of an article, as the store holds it.
fn original(addr: SocketAddr, article: &str) -> Vec<char> {
    one(
        addr,
        &format!("SELECT ?t WHERE {{ GRAPH <{article}> {{ <{article}> nif:isString ?t }} }}"),
        "t",
    )
    .chars()
    .collect()
}

/// Checks every `<mark data-char="b,e">` of `html` shows the characters
/// `b..e` of the article's original text; returns the marks (class,
/// begin, end) found.
fn marks_match_the_original(
    html: &str,
    original: &[char],
    context: &str,
) -> Vec<(String, usize, usize)> {
    marks_show(html, original, false, context)
}

/// The words of `original[b..e]` as a page shows them: as they are, or for
/// an HTML source as its reader reads them (tags out, references decoded).
fn as_shown(original: &[char], html_source: bool) -> String {
    let text: String = original.iter().collect();
    if !html_source {
        return text;
    }
    let (visible, _) =
        zhkg::ingest::markup::html_to_text(&zhkg::ingest::MappedText::from_original(&text));
    visible.chars().iter().collect()
}

/// [`marks_match_the_original`] for a source of either kind.
fn marks_show(
    html: &str,
    original: &[char],
    html_source: bool,
    context: &str,
) -> Vec<(String, usize, usize)> {
    static MARK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?s)<mark class="([a-z]+)"(?: id="[^"]*")? data-char="(\d+),(\d+)"[^>]*>(.*?)</mark>"#)
            .unwrap()
    });
    let mut found = Vec::new();
    for c in MARK.captures_iter(html) {
        let (b, e): (usize, usize) = (c[2].parse().unwrap(), c[3].parse().unwrap());
        let expected = as_shown(&original[b..e], html_source);
        assert_eq!(
            text(&c[4]),
            expected,
            "{context}: the words marked at {b},{e} are the original's\nhelp: the offsets of the graph's RFC 5147 IRIs count characters of nif:isString"
        );
        found.push((c[1].to_owned(), b, e));
    }
    found
}

/// Checks every `/id/…` link of a page answers 200.
fn links_resolve(addr: SocketAddr, html: &str, context: &str) -> usize {
    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r##"href="(/id/[^"#]*)"##).unwrap());
    let links: BTreeSet<&str> = LINK
        .captures_iter(html)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    for l in &links {
        let r = http(addr, "GET", l, &[BROWSER], b"");
        assert_eq!(r.status, 200, "{context}: the link {l} resolves");
    }
    links.len()
}

/// The IRI of the entity of kind `kind` labelled `label`.
fn entity(addr: SocketAddr, kind: &str, label: &str) -> String {
    one(
        addr,
        &format!(
            "SELECT ?x WHERE {{ GRAPH <https://w3id.org/zhkg/graph/entities> {{ ?x rdfs:label \"{label}\"@zh }} FILTER STRSTARTS(STR(?x), \"{ID}{kind}/\") }}"
        ),
        "x",
    )
}

#[test]
fn home_counts_what_the_store_holds() {
    let addr = *SEEDS;
    let r = page(addr, "/");
    let cell = |attr: &str, key: &str| -> Option<usize> {
        let re = Regex::new(&format!(r#"{attr}="{}">(\d+)<"#, regex::escape(key))).unwrap();
        re.captures(&r.body).map(|c| c[1].parse().unwrap())
    };
    let articles: usize = one(
        addr,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a schema:NewsArticle } }",
        "n",
    )
    .parse()
    .unwrap();
    assert!(articles > 0);
    assert!(
        r.body
            .contains(&format!("id=\"count-articles\">{articles}<")),
        "{}",
        r.body
    );
    // Entities by the kind their IRI names.
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for row in select(
        addr,
        "SELECT ?x WHERE { GRAPH <https://w3id.org/zhkg/graph/entities> { ?x rdfs:label ?l } }",
    ) {
        let kind = row["x"]
            .strip_prefix(ID)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        *kinds.entry(kind).or_default() += 1;
    }
    assert!(kinds.len() >= 4, "{kinds:?}");
    for (kind, n) in &kinds {
        assert_eq!(cell("data-kind", kind), Some(*n), "entities of kind {kind}");
    }
    // Outcomes by the family of their metric, as the ontology says.
    let families = select(
        addr,
        "SELECT ?family (COUNT(?o) AS ?n) WHERE { GRAPH ?a { ?o zhkg:metric ?m } ?m skos:broader ?f . ?f skos:notation ?family } GROUP BY ?family",
    );
    assert!(families.len() >= 5, "{families:?}");
    for row in &families {
        assert_eq!(
            cell("data-family", &row["family"]),
            Some(row["n"].parse().unwrap()),
            "outcomes of family {}",
            row["family"]
        );
    }
    // The named queries, each a page with a form that posts to /query.
    for q in zhkg::sparql::query::NAMED_QUERIES {
        assert!(
            r.body.contains(&format!("href=\"/queries/{}\"", q.name)),
            "{}",
            q.name
        );
    }
    let q = page(addr, "/queries/county");
    assert!(q.body.contains("<form action=\"/sparql\" method="));
    assert!(
        r.body.contains("href=\"/sparql\""),
        "the home page links the query page"
    );
    // A client that does not ask for HTML keeps the status text.
    let status = http(addr, "GET", "/", &[], b"");
    assert!(
        status.body.starts_with("zhkg SPARQL endpoint"),
        "{}",
        status.body
    );
}

/// A quoted sentence on an entity page, and the article it links to.
static QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r##"(?s)<blockquote>(.*?)</blockquote><span class="muted">— <a class="source" href="(/id/article/[^"#]+)#char=(\d+),(\d+)""##,
    )
    .unwrap()
});

/// Entity pages of the seeds: (what, kind segment, label).
const ENTITY_PAGES: &[(&str, &str, &str)] = &[
    ("county", "place", "巨鹿县"),
    ("programme", "programme", "阿里巴巴乡村特派员"),
    ("organisation", "org", "阿里巴巴集团"),
    ("person", "person", "王晖"),
];

#[test]
fn entity_pages_show_what_the_graph_says_with_its_sentences() {
    let addr = *SEEDS;
    for &(what, kind, label) in ENTITY_PAGES {
        let iri = entity(addr, kind, label);
        let r = page(addr, &path(&iri));
        let body = &r.body;
        assert!(
            body.contains(&format!("<h1>{label}<")),
            "{what}: the label heads the page"
        );
        // Every entity the facts graph relates it to, either way, is listed.
        for row in select(
            addr,
            &format!(
                "SELECT DISTINCT ?l WHERE {{ GRAPH <https://w3id.org/zhkg/graph/facts> {{ {{ <{iri}> ?p ?y }} UNION {{ ?y ?p <{iri}> }} FILTER (isIRI(?y)) }} GRAPH <https://w3id.org/zhkg/graph/entities> {{ ?y rdfs:label ?l }} }}"
            ),
        ) {
            assert!(
                body.contains(&format!(">{}</a>", esc(&row["l"]))),
                "{what}: related {} is listed",
                row["l"]
            );
        }
        // Its aliases.
        for row in select(
            addr,
            &format!(
                "SELECT ?a WHERE {{ GRAPH <https://w3id.org/zhkg/graph/facts> {{ <{iri}> skos:altLabel ?a }} }}"
            ),
        ) {
            assert!(body.contains(&esc(&row["a"])), "{what}: alias {}", row["a"]);
        }
        // The outcomes about it (and, for a place, about what is in it).
        let outcomes: usize = one(
            addr,
            &format!(
                "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {{ BIND (<{iri}> AS ?x) }} UNION {{ GRAPH <https://w3id.org/zhkg/graph/facts> {{ ?x zhkg:locatedIn <{iri}> }} FILTER (STRSTARTS(STR(<{iri}>), \"{ID}place/\")) }} ?o zhkg:subject ?x }}"
            ),
            "n",
        )
        .parse()
        .unwrap();
        let rows = body.split("<table id=\"outcomes\">").nth(1).map_or(0, |t| {
            t.split("</table>").next().unwrap().matches("<tr>").count() - 1
        });
        assert_eq!(rows, outcomes, "{what}: one row per outcome");
        // The table by metric counts them all.
        static BY_METRIC: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"<tr><td>.*?</td><td>[a-z]*</td><td class="num">(\d+)</td>"#).unwrap()
        });
        let by_metric: usize = body
            .split("<table id=\"by-metric\">")
            .nth(1)
            .map_or(0, |t| {
                BY_METRIC
                    .captures_iter(t.split("</table>").next().unwrap())
                    .map(|c| c[1].parse::<usize>().unwrap())
                    .sum()
            });
        assert_eq!(by_metric, outcomes, "{what}: the figures by metric add up");
        // Each quoted sentence shows the article's own words where it marks them.
        let quote = &*QUOTE;
        let mut quotes = 0;
        for c in quote.captures_iter(body) {
            let article = format!("https://w3id.org/zhkg{}", &c[2]);
            let marks = marks_match_the_original(&c[1], &original(addr, &article), what);
            assert!(
                !marks.is_empty(),
                "{what}: a quote marks the words it cites"
            );
            quotes += 1;
        }
        assert!(quotes > 0, "{what}: facts are shown with their sentences");
        let links = links_resolve(addr, body, what);
        assert!(links > 1, "{what}");
    }
    // The county's division chain is its containedInPlace parents.
    let county = entity(addr, "place", "巨鹿县");
    let body = page(addr, &path(&county)).body;
    let up = body
        .split("id=\"up\">")
        .nth(1)
        .unwrap()
        .split("</td>")
        .next()
        .unwrap();
    for row in select(
        addr,
        &format!(
            "SELECT ?l WHERE {{ GRAPH <https://w3id.org/zhkg/graph/entities> {{ <{county}> schema:containedInPlace+ ?p . ?p rdfs:label ?l }} }}"
        ),
    ) {
        assert!(up.contains(&row["l"]), "division chain has {}", row["l"]);
    }
}

#[test]
fn article_pages_mark_every_mention_with_the_original_words() {
    article_pages_are_faithful(*SEEDS, 5);
}

#[test]
fn article_pages_of_html_and_markdown_sources_are_shown_as_read() {
    // tests/data holds an HTML page (shown as its reader reads it, tags
    // out) and text with front matter (shown as it is).
    let data = crate::common::root().join("tests/data");
    let addr = serve(std::slice::from_ref(&data));
    article_pages_are_faithful(addr, 3);
    // The furniture the reader removes from each file is listed.
    let mut listed = 0;
    for e in std::fs::read_dir(&data).unwrap() {
        let file = e.unwrap().path();
        let bytes = std::fs::read(&file).unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let read = zhkg::ingest::parse_article(
            zhkg::ingest::ArticleId::new(&stem),
            &bytes,
            file.extension().and_then(|x| x.to_str()),
            &zhkg::ingest::IngestOptions::default(),
        )
        .unwrap();
        let body = page(addr, &format!("/id/article/{stem}")).body;
        let rows = body.split("<table id=\"removed\">").nth(1).map_or(0, |t| {
            t.split("</table>").next().unwrap().matches("<tr>").count() - 1
        });
        assert_eq!(rows, read.removed.len(), "{stem}: removed furniture");
        listed += rows;
    }
    assert!(listed > 0, "some furniture is removed from these files");
}

/// Checks every article page of the server: headline, the whole text
/// unchanged, every mention and figure marked with the original's words,
/// every link answering.
fn article_pages_are_faithful(addr: SocketAddr, expected: usize) {
    let articles = select(
        addr,
        "SELECT ?a ?h WHERE { GRAPH ?a { ?a a schema:NewsArticle OPTIONAL { ?a schema:headline ?h } } } ORDER BY ?a",
    );
    assert_eq!(articles.len(), expected);
    for row in &articles {
        let a = &row["a"];
        let body = page(addr, &path(a)).body;
        if let Some(h) = row.get("h") {
            assert!(body.contains(&format!("<h1>{}<", esc(h))), "{a}: headline");
        }
        let original = original(addr, a);
        let html_source = select(
            addr,
            &format!("SELECT ?f WHERE {{ GRAPH <{a}> {{ <{a}> zhkg:sourceFormat ?f }} }}"),
        )
        .iter()
        .any(|r| r["f"] == "html");
        let shown = article_text(&body);
        // The text is all there, in order (an HTML page as its reader
        // reads it).
        assert_eq!(
            text(shown),
            as_shown(&original, html_source),
            "{a}: the whole text, unchanged"
        );
        let marks = marks_show(shown, &original, html_source, a);
        // Every mention is marked with its kind, unless it lies inside
        // another mark (a place inside an organisation's name).
        for m in select(
            addr,
            &format!("SELECT ?m ?e WHERE {{ GRAPH <{a}> {{ ?m itsrdf:taIdentRef ?e }} }}"),
        ) {
            let (b, e) = span(&m["m"]);
            let kind = m["e"].strip_prefix(ID).unwrap().split('/').next().unwrap();
            let marked = marks
                .iter()
                .any(|(c, mb, me)| c == kind && (*mb, *me) == (b, e));
            let covered = marks.iter().any(|(_, mb, me)| *mb < e && b < *me);
            assert!(
                marked || covered,
                "{a}: mention {b},{e} of {} is marked",
                m["e"]
            );
        }
        for o in select(
            addr,
            &format!("SELECT ?o WHERE {{ GRAPH <{a}> {{ ?o a zhkg:Outcome }} }}"),
        ) {
            let (b, e) = span(&o["o"]);
            assert!(
                marks.iter().any(|(_, mb, me)| *mb < e && b < *me),
                "{a}: figure {b},{e} is marked"
            );
        }
        links_resolve(addr, &body, a);
    }
}

/// The offsets of an RFC 5147 IRI.
fn span(iri: &str) -> (usize, usize) {
    let (_, frag) = iri.rsplit_once("#char=").unwrap();
    let (b, e) = frag.split_once(',').unwrap();
    (b.parse().unwrap(), e.parse().unwrap())
}

/// Linked Data clients: (Accept, the syntax to parse the answer with).
const RDF_SYNTAXES: &[(&str, &str)] = &[
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    (
        "application/rdf+xml;q=0.9, text/html;q=0.1",
        "application/rdf+xml",
    ),
];

#[test]
fn entities_and_articles_negotiate_rdf() {
    let addr = *SEEDS;
    let county = entity(addr, "place", "巨鹿县");
    let article = one(
        addr,
        "SELECT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } } ORDER BY ?a LIMIT 1",
        "a",
    );
    let label = one(
        addr,
        &format!(
            "SELECT ?l WHERE {{ GRAPH <https://w3id.org/zhkg/graph/entities> {{ <{county}> rdfs:label ?l }} }}"
        ),
        "l",
    );
    let facts: usize = one(
        addr,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <https://w3id.org/zhkg/graph/facts> {{ {{ <{county}> ?p ?o }} UNION {{ ?s ?p <{county}> }} }} }}"),
        "n",
    )
    .parse()
    .unwrap();
    let article_quads: usize = one(
        addr,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}"),
        "n",
    )
    .parse()
    .unwrap();
    for &(accept, syntax) in RDF_SYNTAXES {
        let format = RdfFormat::from_media_type(syntax).unwrap();
        let get = |iri: &str| -> Vec<Triple> {
            let r = http(addr, "GET", &path(iri), &[("Accept", accept)], b"");
            assert_eq!(r.status, 200, "{accept} {iri}: {}", r.body);
            assert!(
                r.header("Content-Type").unwrap().starts_with(syntax),
                "{:?}",
                r.headers
            );
            assert_eq!(r.header("Vary"), Some("Accept"));
            RdfParser::from_format(format)
                .for_slice(r.body.as_bytes())
                .map(|q| Triple::from(q.unwrap()))
                .collect()
        };
        let triples = get(&county);
        let me = NamedNode::new(&county).unwrap();
        assert!(
            triples.iter().any(|t| t.subject == me.clone().into()
                && t.predicate.as_str() == "http://www.w3.org/2000/01/rdf-schema#label"
                && matches!(&t.object, Term::Literal(l) if l.value() == label)),
            "{accept}: the county's label"
        );
        assert!(
            triples
                .iter()
                .all(|t| t.subject == me.clone().into() || t.object == Term::from(me.clone())),
            "{accept}: only triples about the county"
        );
        assert!(
            triples.len() >= facts,
            "{accept}: its facts ({facts}) are all there"
        );
        let a = get(&article);
        assert_eq!(a.len(), article_quads, "{accept}: the article's graph");
    }
    let r = http(addr, "GET", &path(&county), &[("Accept", "image/png")], b"");
    assert_eq!(r.status, 406);
}

#[test]
fn unknown_entities_and_articles_are_not_found() {
    let addr = *SEEDS;
    for p in [
        "/id/place/999999",
        "/id/org/nobody",
        "/id/article/none",
        "/id/thing/x",
        "/queries/none",
    ] {
        let r = http(addr, "GET", p, &[BROWSER], b"");
        assert_eq!(r.status, 404, "{p}");
        assert_eq!(
            r.header("Content-Type"),
            Some("text/html; charset=utf-8"),
            "{p}"
        );
        let r = http(addr, "GET", p, &[("Accept", "text/turtle")], b"");
        assert_eq!(r.status, 404, "{p} as Turtle");
    }
    // The SPARQL endpoint is where it was.
    let r = http(addr, "GET", "/elsewhere", &[], b"");
    assert_eq!(r.status, 404);
}

/// Searches: (words, the label whose entity must be found).
const SEARCHES: &[(&str, &str)] = &[
    ("巨鹿县", "巨鹿县"),
    ("巨鹿", "巨鹿县"),
    // Part of a name only.
    ("鹿县", "巨鹿县"),
    ("淘寶", "淘宝"),
    ("130529", "巨鹿县"),
    ("乡村特派员", "阿里巴巴乡村特派员"),
    ("阿里巴巴", "阿里巴巴集团"),
];

#[test]
fn search_finds_labels_and_aliases_in_either_script() {
    let addr = *SEEDS;
    for &(q, label) in SEARCHES {
        let r = page(addr, &format!("/search?q={}", encode(q)));
        let iris = select(
            addr,
            &format!(
                "SELECT ?x WHERE {{ GRAPH <https://w3id.org/zhkg/graph/entities> {{ ?x rdfs:label \"{label}\"@zh }} }}"
            ),
        );
        assert!(!iris.is_empty(), "{label}");
        let hits = r
            .body
            .split("<table id=\"hits\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{q}: {}", r.body));
        assert!(
            iris.iter()
                .any(|x| hits.contains(&format!("href=\"{}\"", path(&x["x"])))),
            "{q}: finds {label}"
        );
    }
    // Quotes and backslashes are words like others, not query text.
    for q in ["\") } }", "\\", "'", "鹿县\" || true || \""] {
        let r = page(addr, &format!("/search?q={}", encode(q)));
        assert!(r.body.contains("id=\"no-hits\""), "{q}: {}", r.body);
    }
    let r = page(
        addr,
        &format!("/search?q={}", encode("<script>alert(1)</script>")),
    );
    assert!(
        r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        r.body
    );
}

/// An article written for this test (not news): markup and character
/// entities in its text, which must be shown as text.
const UNTRUSTED: &str = "巨鹿县电商培训班结业 <script>alert(1)</script>

2024-05-06 10:00:00 来源:测试日报

本报讯 近日，巨鹿县电商协会在巨鹿县举办第三期直播电商培训班，共培训学员120人，结业学员中返乡青年占比超过60%。

培训班的讲义里有一段网页代码<script>alert(1)</script>，讲师用它说明网店页面不能直接执行陌生脚本，学员们随后练习了 &amp; 、&lt;b&gt; 、<b>粗体</b> 和 &#x5de8; 这样的字符实体写法。

巨鹿县电商协会负责人在讲义<img src=x onerror=alert(2)>旁写道，明年将再培训学员200名以上。
";

/// An article written for this test whose front matter is malformed, with
/// markup in the bad value: the read warning quotes it.
const WARNED: &str = "---
title: \"<script>alert(3)</script>
---
巨鹿县电商协会在巨鹿县举办培训班，共培训学员120人。
";

#[test]
fn markup_and_entities_in_an_article_are_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("untrusted.txt"), UNTRUSTED).unwrap();
    std::fs::write(dir.path().join("warned.md"), WARNED).unwrap();
    let addr = serve(&[dir.path().to_path_buf()]);
    let article = format!("{ID}article/untrusted");
    let body = page(addr, &path(&article)).body;
    for shown in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&amp;amp;",
        "&amp;lt;b&amp;gt;",
        "&lt;b&gt;粗体&lt;/b&gt;",
        "&amp;#x5de8;",
        "&lt;img src=x onerror=alert(2)&gt;",
    ] {
        assert!(
            body.contains(shown),
            "{shown} is in the page as text\n{body}"
        );
    }
    for raw in ["<script", "<img", "<b>粗体"] {
        assert!(
            !body.contains(raw),
            "{raw} never reaches the page as markup"
        );
    }
    // The text, unescaped, is the original exactly.
    let shown = article_text(&body);
    assert_eq!(
        text(shown),
        original(addr, &article).iter().collect::<String>()
    );
    // The entity pages quote its sentences escaped too.
    let org = entity(addr, "org", "巨鹿县电商协会");
    let body = page(addr, &path(&org)).body;
    assert!(
        body.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{body}"
    );
    assert!(!body.contains("<img"));
    // Read warnings are listed, escaped.
    let warned = format!("{ID}article/warned");
    let warnings = select(
        addr,
        &format!("SELECT ?w WHERE {{ GRAPH <{warned}> {{ <{warned}> zhkg:readWarning ?w }} }}"),
    );
    assert!(
        !warnings.is_empty(),
        "the malformed front matter is warned of"
    );
    let body = page(addr, &path(&warned)).body;
    let listed = body
        .split("<ul id=\"warnings\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    for w in &warnings {
        assert!(listed.contains(&esc(&w["w"])), "{}\n{listed}", w["w"]);
    }
}

#[test]
fn pages_take_an_evaluation_slot_and_keep_the_time_limit() {
    let seeds = crate::common::root().join("seeds");
    let store = GraphStore::in_memory().unwrap();
    zhkg::build::build(&store, &[seeds], &BuildOptions::default(), &|_, _| {}).unwrap();
    let server = start(
        store,
        ServeOptions {
            bind: "127.0.0.1:0".to_owned(),
            workers: 1,
            // No time at all: the answer is given before the page is made.
            timeout: std::time::Duration::ZERO,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(server.stats().peak_evaluating, 0);
    // The page is made on its own thread; on a busy machine that thread
    // may finish before the handler starts to wait, and then the page is
    // the answer. Otherwise the zero limit has passed: 503.
    let r = http(server.addr(), "GET", "/id/place/130529", &[BROWSER], b"");
    match r.status {
        503 => assert!(r.body.contains("time limit"), "{}", r.body),
        200 => assert!(r.body.contains("巨鹿县"), "{}", r.body),
        s => panic!("status {s}: {}", r.body),
    }
    assert_eq!(
        server.stats().peak_evaluating,
        1,
        "the page took the one slot"
    );
    server.shutdown();
}

/// The solutions of a SELECT posted as a form (a text too long for a
/// URL), as [`select`] gives them.
fn select_posted(addr: SocketAddr, query: &str) -> Vec<Value> {
    let r = http(
        addr,
        "POST",
        "/query",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("query={}", encode(query)).as_bytes(),
    );
    assert_eq!(r.status, 200, "{query}\n{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["results"]["bindings"].as_array().unwrap().clone()
}

/// The `<td>` cells of each row of the query page's results table.
fn result_rows(html: &str) -> Vec<Vec<String>> {
    static ROW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<tr>(.*?)</tr>").unwrap());
    static CELL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<td>(.*?)</td>").unwrap());
    let table = html
        .split_once("<table id=\"results\">")
        .map(|(_, t)| t.split_once("</table>").unwrap().0)
        .unwrap_or_default();
    ROW.captures_iter(table)
        .map(|r| {
            CELL.captures_iter(&r[1])
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|cells| !cells.is_empty())
        .collect()
}

#[test]
fn the_query_page_shows_results_with_labels_and_download_links() {
    let addr = *SEEDS;
    let query = "SELECT ?x ?l WHERE { GRAPH <https://w3id.org/zhkg/graph/entities> { ?x a schema:AdministrativeArea ; rdfs:label ?l } } ORDER BY ?l ?x";
    let expected = select(addr, query);
    assert!(!expected.is_empty());
    let r = page(addr, &format!("/sparql?query={}", encode(query)));
    // The query fills the editor again, escaped.
    assert!(r.body.contains(&esc(query)), "the editor holds the query");
    assert!(r.body.contains(&format!("{} rows", expected.len())));
    let rows = result_rows(&r.body);
    assert_eq!(rows.len(), expected.len());
    for (row, want) in rows.iter().zip(&expected) {
        // An entity is a link to its page under its label, not its IRI.
        assert!(
            row[0].contains(&format!("href=\"{}\"", esc(&path(&want["x"])))),
            "{row:?}"
        );
        assert!(
            row[0].contains(&format!(">{}</a>", esc(&want["l"]))),
            "{row:?}"
        );
        assert_eq!(text(&row[1]).split(" @").next(), Some(want["l"].as_str()));
    }
    links_resolve(addr, &r.body, "query page");
    // The download links answer the same query as CSV and JSON.
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"href="(/query\?[^"]*)" data-format="([a-z]+)""#).unwrap());
    let links: BTreeMap<String, String> = LINK
        .captures_iter(&r.body)
        .map(|c| (c[2].to_owned(), c[1].replace("&amp;", "&")))
        .collect();
    for (format, media) in [
        ("csv", "text/csv"),
        ("json", "application/sparql-results+json"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ] {
        let d = http(addr, "GET", &links[format], &[], b"");
        assert_eq!(d.status, 200, "{format}: {}", d.body);
        assert!(
            d.header("Content-Type")
                .is_some_and(|c| c.starts_with(media)),
            "{format}: {:?}",
            d.headers
        );
        if format == "csv" {
            assert_eq!(d.body.lines().count(), expected.len() + 1, "{}", d.body);
        }
    }
    // ASK is a yes or a no, as /query answers it.
    let ask = "ASK { GRAPH ?g { ?a a schema:NewsArticle } }";
    let v: Value = serde_json::from_str(
        &http(
            addr,
            "GET",
            &format!("/query?query={}", encode(ask)),
            &[],
            b"",
        )
        .body,
    )
    .unwrap();
    let yes = v["boolean"].as_bool().unwrap();
    let r = page(addr, &format!("/sparql?query={}", encode(ask)));
    assert!(
        r.body.contains(&format!("data-answer=\"{yes}\"")),
        "{}",
        r.body
    );
    // CONSTRUCT is Turtle, escaped.
    let construct = format!(
        "CONSTRUCT {{ <{}> rdfs:label ?l }} WHERE {{ GRAPH <https://w3id.org/zhkg/graph/entities> {{ <{}> rdfs:label ?l }} }}",
        expected[0]["x"], expected[0]["x"]
    );
    let r = page(addr, &format!("/sparql?query={}", encode(&construct)));
    let turtle = r.body.split_once("<pre id=\"turtle\">").unwrap().1;
    assert!(turtle.contains(&esc(&expected[0]["l"])), "{turtle}");
}

#[test]
fn the_query_page_shows_errors_with_their_position_escaped() {
    let addr = *SEEDS;
    let bad = "SELECT ?x WHERE {\n  ?x rdfs:label \"<script>alert(1)</script>\" .\n  ?x ?y\n}";
    let r = refused(addr, &format!("/sparql?query={}", encode(bad)));
    let error = r
        .body
        .split_once("<pre class=\"error\" id=\"syntax-error\">")
        .unwrap()
        .1;
    let error = error.split_once("</pre>").unwrap().0;
    assert!(error.contains("line 4"), "{error}");
    assert!(!r.body.contains("<script>"), "the query is shown as text");
    assert!(r.body.contains("&lt;script&gt;"));
    // An update is refused, and a SERVICE is not fetched.
    let r = refused(
        addr,
        &format!(
            "/sparql?query={}",
            encode("INSERT DATA { <https://e/a> <https://e/b> 1 }")
        ),
    );
    assert!(r.body.contains("only reads"), "{}", r.body);
    let r = refused(
        addr,
        &format!(
            "/sparql?query={}",
            encode("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        ),
    );
    assert!(r.body.contains("SERVICE is not allowed"), "{}", r.body);
}

#[test]
fn named_queries_open_the_query_page_with_their_parameters() {
    let addr = *SEEDS;
    for q in zhkg::sparql::query::NAMED_QUERIES {
        let r = page(addr, &format!("/queries/{}", q.name));
        // With GET, or POST for a text too long for a URL.
        assert!(
            r.body.contains("<form action=\"/sparql\" method="),
            "{}",
            q.name
        );
        let params = zhkg::sparql::query::declared_params(q.text);
        for (p, d) in &params {
            assert!(
                r.body.contains(&format!("name=\"param.{p}\"")),
                "{}: a field for ${p}",
                q.name
            );
            let Some(d) = d else { continue };
            // Run with the default value: the query page shows the bound
            // query's results, as /query gives them.
            let text = zhkg::sparql::query::bind_params(q.text, &[(p.clone(), d.clone())]).unwrap();
            let expected = select_posted(addr, &text);
            let run = page(
                addr,
                &format!("/sparql?named={}&param.{p}={}", q.name, encode(d)),
            );
            assert!(
                run.body.contains(&esc(&text)),
                "{}: the bound text fills the editor",
                q.name
            );
            // The same text posted (too long for a URL for some queries).
            let posted = http(
                addr,
                "POST",
                "/sparql",
                &[
                    BROWSER,
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ],
                format!("query={}", encode(&text)).as_bytes(),
            );
            assert_eq!(posted.status, 200, "{}", q.name);
            assert_eq!(
                result_rows(&posted.body).len(),
                expected.len().min(1000),
                "{}",
                q.name
            );
            assert_eq!(
                result_rows(&run.body).len(),
                expected.len().min(1000),
                "{}",
                q.name
            );
        }
    }
}

/// The `data-label` and `data-total` of each bar of the chart `id`.
fn chart_bars(html: &str, id: &str) -> Vec<(String, u64)> {
    static BAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<g class="bar" data-label="([^"]*)" data-total="(\d+)""#).unwrap()
    });
    let Some((_, svg)) = html.split_once(&format!("id=\"{id}\"")) else {
        return Vec::new();
    };
    let svg = svg.split_once("</svg>").unwrap().0;
    BAR.captures_iter(svg)
        .map(|c| (text(&c[1]), c[2].parse().unwrap()))
        .collect()
}

#[test]
fn charts_draw_the_figures_the_store_summarises() {
    let addr = *SEEDS;
    let county = format!("{ID}place/130529");
    let r = page(addr, &path(&county));
    let subjects = format!(
        "{{ VALUES ?s {{ <{county}> }} }} UNION {{ GRAPH <https://w3id.org/zhkg/graph/facts> {{ ?s zhkg:locatedIn <{county}> }} }}"
    );
    // Bars by family: the figure summaries of the county and what is in it.
    let families = select(
        addr,
        &format!(
            "SELECT ?label (SUM(?n) AS ?count) WHERE {{ {subjects} GRAPH <https://w3id.org/zhkg/graph/facts> {{ ?f zhkg:summarises ?s ; zhkg:metric ?m ; zhkg:figureCount ?n }} ?m skos:broader ?fam . ?fam skos:prefLabel ?label FILTER (LANG(?label) = \"en\") }} GROUP BY ?label"
        ),
    );
    assert!(!families.is_empty());
    let bars = chart_bars(&r.body, "chart-families");
    assert_eq!(bars.len(), families.len(), "{bars:?}\n{families:?}");
    for f in &families {
        let bar = bars
            .iter()
            .find(|(l, _)| l.starts_with(&format!("{} ", f["label"])))
            .unwrap_or_else(|| panic!("a bar for {}: {bars:?}", f["label"]));
        assert_eq!(bar.1, f["count"].parse::<u64>().unwrap(), "{}", f["label"]);
    }
    // The timeline: one column per month, the dated figures counted, on
    // the county's page and on the page of the entity with most of them.
    timeline_counts_the_dated_figures(addr, &county, &r.body);
    let most_dated = one(
        addr,
        "SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?o zhkg:subject ?s ; zhkg:asOf ?d } } GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 1",
        "s",
    );
    let columns =
        timeline_counts_the_dated_figures(addr, &most_dated, &page(addr, &path(&most_dated)).body);
    assert!(!columns.is_empty(), "{most_dated} has a timeline");
    // The home page: counties by family, most figures first, each as its
    // page counts it.
    let home = page(addr, "/");
    let counties = chart_bars(&home.body, "chart-counties");
    assert!(!counties.is_empty());
    assert!(counties.windows(2).all(|w| w[0].1 >= w[1].1));
    let first = &counties[0];
    let iri = entity(addr, "place", &first.0);
    let total: u64 = chart_bars(&page(addr, &path(&iri)).body, "chart-families")
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(first.1, total, "{}", first.0);
    // Every chart is titled for a screen reader.
    for html in [&r.body, &home.body] {
        assert_eq!(
            html.matches("<svg").count(),
            html.matches("role=\"img\"").count()
        );
        assert!(html.contains("<title id=\"chart-"));
    }
}

/// Checks the timeline of the page `html` of `iri` counts its dated
/// figures (those with a month) by month, in order; returns its columns.
fn timeline_counts_the_dated_figures(
    addr: SocketAddr,
    iri: &str,
    html: &str,
) -> Vec<(String, u64)> {
    let subjects = format!(
        "{{ VALUES ?s {{ <{iri}> }} }} UNION {{ GRAPH <https://w3id.org/zhkg/graph/facts> {{ ?s zhkg:locatedIn <{iri}> }} }}"
    );
    let only_self = format!("VALUES ?s {{ <{iri}> }}");
    let subjects = if iri.starts_with(&format!("{ID}place/")) {
        subjects
    } else {
        only_self
    };
    let dated: u64 = one(
        addr,
        &format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ {subjects} GRAPH ?g {{ ?o zhkg:subject ?s ; zhkg:asOf ?d }} FILTER (STRLEN(STR(?d)) >= 7) }}"
        ),
        "n",
    )
    .parse()
    .unwrap();
    static COLUMN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<g class="column" data-label="(\d{4}-\d{2})" data-count="(\d+)""#).unwrap()
    });
    let columns: Vec<(String, u64)> = COLUMN
        .captures_iter(html)
        .map(|c| (c[1].to_owned(), c[2].parse().unwrap()))
        .collect();
    assert_eq!(columns.iter().map(|(_, n)| n).sum::<u64>(), dated, "{iri}");
    assert_eq!(columns.is_empty(), dated == 0, "{iri}");
    assert!(
        columns.windows(2).all(|w| w[0].0 < w[1].0),
        "{iri}: months in order"
    );
    columns
}
