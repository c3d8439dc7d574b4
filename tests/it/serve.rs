//! The SPARQL endpoint over loopback, with a minimal HTTP/1.1 client.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use super::common::{Reply, encode, http, parse_reply};
use zhkg::build::BuildOptions;
use zhkg::serve::{ServeOptions, start};
use zhkg::store::GraphStore;

fn seeded() -> GraphStore {
    let store = GraphStore::in_memory().unwrap();
    let seeds = crate::common::root().join("seeds");
    let s = zhkg::build::build(&store, &[seeds], &BuildOptions::default(), &|_, _| {}).unwrap();
    assert_eq!(s.written, 5);
    store
}

fn local() -> ServeOptions {
    ServeOptions {
        bind: "127.0.0.1:0".to_owned(),
        ..Default::default()
    }
}

/// One read-only server on the seeds, shared by the tests.
static SERVER: LazyLock<SocketAddr> = LazyLock::new(|| {
    let server = start(seeded(), local()).unwrap();
    let addr = server.addr();
    std::mem::forget(server); // runs until the test binary exits
    addr
});

/// Sends `bytes` exactly as given and reads until the server closes the
/// connection (it must, after a malformed request).
fn raw_request(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    // The server may answer and close before reading everything.
    let _ = s.write_all(bytes);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_reply(raw)
}

/// A GET of `path` that asks for CSV results.
fn get_csv(addr: SocketAddr, path: &str) -> Reply {
    http(addr, "GET", path, &[("Accept", "text/csv")], b"")
}

const COUNTY: &str = "SELECT ?name WHERE { ?c zhkg:divisionCode \"130529\" ; rdfs:label ?name }";

#[test]
fn get_query_returns_sparql_json_by_default() {
    let r = http(
        *SERVER,
        "GET",
        &format!("/query?query={}", encode(COUNTY)),
        &[],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.header("Content-Type"),
        Some("application/sparql-results+json")
    );
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["head"]["vars"][0], "name");
    let names: Vec<&str> = v["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"]["value"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"巨鹿县"), "{names:?}");
    assert!(r.header("X-Zhkg-Truncated").is_none());
}

#[test]
fn post_query_as_body_and_as_form() {
    let r = http(
        *SERVER,
        "POST",
        "/query",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "text/csv"),
        ],
        COUNTY.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("Content-Type").unwrap().starts_with("text/csv"));
    assert!(
        r.body.starts_with("name\r\n") && r.body.contains("巨鹿县"),
        "{}",
        r.body
    );

    let form = format!("query={}", encode(COUNTY));
    let r = http(
        *SERVER,
        "POST",
        "/query",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "text/tab-separated-values"),
        ],
        form.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.starts_with("?name\n") && r.body.contains("\"巨鹿县\""),
        "{}",
        r.body
    );

    let r = http(
        *SERVER,
        "POST",
        "/query",
        &[("Content-Type", "text/plain")],
        COUNTY.as_bytes(),
    );
    assert_eq!(r.status, 415);
}

#[test]
fn accept_negotiates_result_and_graph_formats() {
    let ask = encode("ASK { ?c zhkg:divisionCode \"130529\" }");
    let r = http(
        *SERVER,
        "GET",
        &format!("/query?query={ask}"),
        &[("Accept", "application/sparql-results+xml")],
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("Content-Type"),
        Some("application/sparql-results+xml")
    );
    assert!(r.body.contains("<boolean>true</boolean>"), "{}", r.body);

    let construct = encode(
        "CONSTRUCT { ?c rdfs:label ?n } WHERE { ?c zhkg:divisionCode \"130529\" ; rdfs:label ?n }",
    );
    let path = format!("/query?query={construct}");
    let r = http(*SERVER, "GET", &path, &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.header("Content-Type").unwrap().starts_with("text/turtle"));
    assert!(
        r.body.contains("@prefix rdfs:") && r.body.contains("巨鹿县"),
        "{}",
        r.body
    );

    // (Accept, the Content-Type chosen, a check of the body.)
    let offers: [(&str, &str, fn(&str) -> bool); 2] = [
        ("application/n-triples", "application/n-triples", |body| {
            body.contains("<http://www.w3.org/2000/01/rdf-schema#label> \"巨鹿县\"@zh .")
        }),
        (
            "text/html;q=0.9, application/ld+json;q=0.5",
            "application/ld+json",
            |body| serde_json::from_str::<serde_json::Value>(body).is_ok(),
        ),
    ];
    for (accept, media, body_ok) in offers {
        let r = http(*SERVER, "GET", &path, &[("Accept", accept)], b"");
        assert_eq!(r.header("Content-Type"), Some(media), "Accept: {accept}");
        assert!(body_ok(&r.body), "Accept: {accept}: {}", r.body);
    }

    let r = get_csv(*SERVER, &path);
    assert_eq!(r.status, 406, "CSV is not a graph format");
}

#[test]
fn updates_are_refused_by_a_read_only_server() {
    let update = b"INSERT DATA { <https://e/a> <https://e/b> 1 }";
    for (path, media) in [
        ("/update", "application/sparql-update"),
        ("/query", "application/sparql-query"),
    ] {
        let r = http(*SERVER, "POST", path, &[("Content-Type", media)], update);
        assert_eq!(r.status, 403, "POST {path}: {}", r.body);
    }
    let r = http(
        *SERVER,
        "GET",
        &format!("/query?query={}", encode("ASK { <https://e/a> ?p ?o }")),
        &[],
        b"",
    );
    assert!(r.body.contains("false"), "nothing was inserted: {}", r.body);
}

#[test]
fn service_and_syntax_errors_are_bad_requests() {
    let q = encode("SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }");
    let r = http(*SERVER, "GET", &format!("/query?query={q}"), &[], b"");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("SERVICE"), "{}", r.body);
    let q = encode("SELECT ?x\nWHERE { ?x ?y }");
    let r = http(*SERVER, "GET", &format!("/query?query={q}"), &[], b"");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("line 2"), "{}", r.body);
    // (`GET /query` alone describes the service: see below.)
    let r = http(
        *SERVER,
        "POST",
        "/query",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"default-graph-uri=x",
    );
    assert_eq!(r.status, 400);
    let r = http(*SERVER, "DELETE", "/query", &[], b"");
    assert_eq!(r.status, 405);
    let r = http(*SERVER, "GET", "/elsewhere", &[], b"");
    assert_eq!(r.status, 404);
}

#[test]
fn oversized_bodies_are_refused() {
    let server = start(
        GraphStore::in_memory().unwrap(),
        ServeOptions {
            max_body: 1024,
            ..local()
        },
    )
    .unwrap();
    let big = format!("ASK {{ ?s ?p \"{}\" }}", "x".repeat(2000));
    let r = http(
        server.addr(),
        "POST",
        "/query",
        &[("Content-Type", "application/sparql-query")],
        big.as_bytes(),
    );
    assert_eq!(r.status, 413, "{}", r.body);
    let small = "ASK { ?s ?p \"x\" }";
    let r = http(
        server.addr(),
        "POST",
        "/query",
        &[("Content-Type", "application/sparql-query")],
        small.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    server.shutdown();
}

#[test]
fn results_over_the_row_limit_are_cut_and_flagged() {
    let server = start(
        seeded(),
        ServeOptions {
            max_rows: 3,
            ..local()
        },
    )
    .unwrap();
    let q = encode("SELECT ?s WHERE { ?s a ?t }");
    let r = get_csv(server.addr(), &format!("/query?query={q}"));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body.lines().count(),
        4,
        "header and three rows: {}",
        r.body
    );
    assert_eq!(r.header("X-Zhkg-Truncated"), Some("3"));
    let q = encode("SELECT ?s WHERE { ?s a ?t } LIMIT 2");
    let r = get_csv(server.addr(), &format!("/query?query={q}"));
    assert_eq!(r.body.lines().count(), 3);
    assert!(r.header("X-Zhkg-Truncated").is_none());
    server.shutdown();
}

#[test]
fn a_request_waits_for_a_slot_held_by_a_stopping_query() {
    let server = start(
        seeded(),
        ServeOptions {
            timeout: Duration::from_millis(300),
            workers: 1,
            queue_wait: Duration::from_secs(30),
            ..local()
        },
    )
    .unwrap();
    // A property path reads the store at every step, so it stops promptly
    // once cancelled, but not at once.
    let q = encode(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?b (<urn:x:p>|!<urn:x:p>)* ?c }",
    );
    let r = http(server.addr(), "GET", &format!("/query?query={q}"), &[], b"");
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("time limit"), "{}", r.body);
    // Sent while the cancelled query may still hold the only slot: it waits
    // for it instead of being refused.
    let r = http(
        server.addr(),
        "GET",
        &format!("/query?query={}", encode("ASK {}")),
        &[],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(server.stats().refused_wait, 0);
    server.shutdown();
}

/// Sends `requests` concurrently (all connect at once) and returns each
/// reply with how long it took.
fn concurrently(addr: SocketAddr, requests: Vec<String>) -> Vec<(Reply, Duration)> {
    let start = std::sync::Arc::new(std::sync::Barrier::new(requests.len()));
    let threads: Vec<_> = requests
        .into_iter()
        .map(|path| {
            let start = std::sync::Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                let t = Instant::now();
                let r = get_csv(addr, &path);
                (r, t.elapsed())
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn more_clients_than_workers_wait_their_turn_and_are_all_answered() {
    let server = start(
        seeded(),
        ServeOptions {
            workers: 2,
            queue: 64,
            queue_wait: Duration::from_secs(120),
            ..local()
        },
    )
    .unwrap();
    let dir = crate::common::root().join("queries");
    let named: Vec<String> = [
        "organisations-per-county",
        "programmes",
        "outcomes-by-county",
    ]
    .iter()
    .map(|n| std::fs::read_to_string(dir.join(format!("{n}.rq"))).unwrap())
    .collect();
    // 48 clients at once, 24 times the workers.
    let paths = (0..48)
        .map(|i| format!("/query?query={}", encode(&named[i % named.len()])))
        .collect();
    let replies = concurrently(server.addr(), paths);
    let failed: Vec<_> = replies
        .iter()
        .filter(|(r, _)| r.status != 200)
        .map(|(r, _)| format!("{} {}", r.status, r.body))
        .collect();
    assert!(failed.is_empty(), "{} failed: {failed:?}", failed.len());
    for (r, _) in &replies {
        assert!(r.body.lines().count() > 1, "rows expected: {}", r.body);
    }
    let stats = server.stats();
    assert!(
        stats.peak_evaluating <= 2,
        "never more evaluations than workers: {stats:?}"
    );
    assert!(stats.peak_waiting > 0, "some had to wait: {stats:?}");
    assert_eq!((stats.refused_full, stats.refused_wait), (0, 0));
    // The status page reports the same.
    let r = http(server.addr(), "GET", "/", &[], b"");
    assert!(
        r.body
            .contains("refused: 0 (queue full), 0 (waited too long)"),
        "{}",
        r.body
    );
    server.shutdown();
}

#[test]
fn a_pathological_query_times_out_and_the_queue_stays_bounded() {
    let server = start(
        seeded(),
        ServeOptions {
            timeout: Duration::from_millis(500),
            workers: 1,
            queue: 2,
            queue_wait: Duration::from_secs(1),
            ..local()
        },
    )
    .unwrap();
    // Three unconstrained patterns: about 10^11 solutions to count.
    let q = encode("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }");
    let t = Instant::now();
    let r = http(server.addr(), "GET", &format!("/query?query={q}"), &[], b"");
    let elapsed = t.elapsed();
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("time limit"), "{}", r.body);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    // oxigraph cannot stop this cross product at once (it is joined in
    // memory, where the token is not checked), so its slot stays taken: the
    // one-slot server lets the next request wait for --queue-wait, then says
    // it is busy instead of piling up work.
    let ask = format!("/query?query={}", encode("ASK {}"));
    let t = Instant::now();
    let r = http(server.addr(), "GET", &ask, &[], b"");
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("busy"), "{}", r.body);
    assert_eq!(r.header("Retry-After"), Some("10"));
    assert!(t.elapsed() >= Duration::from_secs(1), "it waited its turn");
    // Four at once: workers + queue = 3 are held and wait, the fourth is
    // refused at once.
    let replies = concurrently(server.addr(), vec![ask; 4]);
    let full: Vec<_> = replies
        .iter()
        .filter(|(r, _)| r.body.contains("already in hand"))
        .collect();
    let waited: Vec<_> = replies
        .iter()
        .filter(|(r, _)| r.body.contains("waited"))
        .collect();
    assert_eq!((full.len(), waited.len()), (1, 3), "{replies:?}");
    for (r, took) in &replies {
        assert_eq!(r.status, 503);
        assert_eq!(r.header("Retry-After"), Some("10"));
        if r.body.contains("waited") {
            assert!(*took >= Duration::from_secs(1), "{took:?}");
        }
    }
    assert!(full[0].1 < Duration::from_secs(1), "{:?}", full[0].1);
    let stats = server.stats();
    assert_eq!(stats.peak_evaluating, 1, "{stats:?}");
    assert_eq!(
        (stats.refused_full, stats.refused_wait),
        (1, 4),
        "{stats:?}"
    );
}

#[test]
fn updates_need_the_token() {
    let server = start(
        GraphStore::in_memory().unwrap(),
        ServeOptions {
            update_token: Some("s3cret".to_owned()),
            ..local()
        },
    )
    .unwrap();
    let addr = server.addr();
    let update = b"INSERT DATA { GRAPH <https://e/g> { <https://e/a> <https://e/b> 1 } }";
    let ct = ("Content-Type", "application/sparql-update");
    let r = http(addr, "POST", "/update", &[ct], update);
    assert_eq!(r.status, 401);
    let r = http(
        addr,
        "POST",
        "/update",
        &[ct, ("Authorization", "Bearer wrong!")],
        update,
    );
    assert_eq!(r.status, 401);
    let r = http(
        addr,
        "POST",
        "/update",
        &[ct, ("Authorization", "Bearer s3cret")],
        update,
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let ask = encode("ASK { <https://e/a> <https://e/b> 1 }");
    let r = http(addr, "GET", &format!("/query?query={ask}"), &[], b"");
    assert!(r.body.contains("true"), "{}", r.body);
    let r = http(
        addr,
        "POST",
        "/update",
        &[ct, ("Authorization", "Bearer s3cret")],
        b"LOAD <http://127.0.0.1:1/data.ttl>",
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("LOAD"));
    // SERVICE in an update's WHERE: the evaluator (no HTTP client) refuses
    // it, and nothing is changed.
    let r = http(
        addr,
        "POST",
        "/update",
        &[ct, ("Authorization", "Bearer s3cret")],
        b"INSERT { ?s ?p 2 } WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("SERVICE"), "{}", r.body);
    let ask = encode("ASK { ?s ?p 2 }");
    let r = http(addr, "GET", &format!("/query?query={ask}"), &[], b"");
    assert!(r.body.contains("false"), "{}", r.body);
    server.shutdown();
}

#[test]
fn protocol_dataset_parameters_choose_the_graphs() {
    let article = "https://w3id.org/zhkg/id/article/001_5adaab2c0589cb8c";
    let count = encode("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }");
    let n = |extra: &str| {
        let r = get_csv(*SERVER, &format!("/query?query={count}{extra}"));
        assert_eq!(r.status, 200, "{}", r.body);
        r.body.lines().nth(1).unwrap().to_owned()
    };
    assert_eq!(n(""), "5", "the union of the article graphs");
    assert_eq!(n(&format!("&default-graph-uri={}", encode(article))), "1");
    assert_eq!(
        n(&format!("&named-graph-uri={}", encode(article))),
        "0",
        "named graphs only: the default graph is empty"
    );
    let r = http(
        *SERVER,
        "GET",
        &format!("/query?query={count}&default-graph-uri=not%20an%20iri"),
        &[],
        b"",
    );
    assert_eq!(r.status, 400, "{}", r.body);
}

/// The rows of `query` as the store's own ORDER BY gives them, each
/// variable's value as [`crate::common::select`] reads it from the endpoint.
fn store_ordered(
    store: &GraphStore,
    query: &str,
) -> Vec<std::collections::BTreeMap<String, String>> {
    use oxigraph::model::Term;
    let oxigraph::sparql::QueryResults::Solutions(rows) =
        zhkg::sparql::query::run(store, query).unwrap()
    else {
        panic!("a SELECT gives solutions")
    };
    rows.map(|r| {
        r.unwrap()
            .iter()
            .map(|(v, t)| {
                let value = match t {
                    Term::NamedNode(n) => n.as_str().to_owned(),
                    Term::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                };
                (v.as_str().to_owned(), value)
            })
            .collect()
    })
    .collect()
}

/// An ordered query whose ORDER BY is made of projected variables is
/// sorted by the endpoint after decoding: the same rows in the same order
/// as the store's own sort, with its slice, DESC, DISTINCT and the
/// protocol's dataset applied.
#[test]
fn ordered_queries_give_the_stores_order() {
    let store = seeded();
    for query in [
        "SELECT DISTINCT ?name ?code WHERE { ?c zhkg:divisionCode ?code ; rdfs:label ?name } ORDER BY DESC(?code) ?name",
        "SELECT DISTINCT ?name ?code WHERE { ?c zhkg:divisionCode ?code ; rdfs:label ?name } ORDER BY ?code DESC(?name) LIMIT 5 OFFSET 2",
        "SELECT ?o ?v WHERE { ?o a zhkg:Outcome ; zhkg:value ?v } ORDER BY DESC(?v) ?o LIMIT 20",
        "SELECT ?a ?id WHERE { ?a schema:identifier ?id } ORDER BY ?id",
    ] {
        let got = crate::common::select(*SERVER, query);
        assert!(!got.is_empty(), "{query}");
        assert_eq!(got, store_ordered(&store, query), "{query}");
    }
    // The dataset's parameters hold for the query evaluated unordered.
    let article = "https://w3id.org/zhkg/id/article/001_5adaab2c0589cb8c";
    let ids = encode("SELECT ?id WHERE { ?a schema:identifier ?id } ORDER BY DESC(?id)");
    let r = get_csv(
        *SERVER,
        &format!("/query?query={ids}&default-graph-uri={}", encode(article)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body.lines().collect::<Vec<_>>(),
        ["id", "001_5adaab2c0589cb8c"]
    );
}

#[test]
fn cli_serve_reads_a_store_that_a_writer_holds() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let writer = GraphStore::open(&path).unwrap();
    zhkg::sparql::query::update(
        &writer,
        "INSERT DATA { GRAPH <https://e/g> { <https://e/a> <https://e/b> \"held\" } }",
    )
    .unwrap();
    writer.flush().unwrap();
    // `writer` keeps the write lock, as a running `zhkg build` would.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("zhkg"))
        .args([
            "--store",
            path.to_str().unwrap(),
            "serve",
            "--bind",
            "127.0.0.1:0",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The line with the address; the pages' warm-up, on a thread of its
    // own, may report before it.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    for _ in 0..10 {
        line.clear();
        if stderr.read_line(&mut line).unwrap() == 0 || line.contains("http://") {
            break;
        }
    }
    let addr: Option<SocketAddr> = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok());
    let result = addr.map(|addr| {
        get_csv(
            addr,
            &format!(
                "/query?query={}",
                encode("SELECT ?o { ?s <https://e/b> ?o }")
            ),
        )
    });
    let _ = child.kill();
    let _ = child.wait();
    drop(writer);
    let r = result.unwrap_or_else(|| panic!("no address in {line:?}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("held"), "{}", r.body);
}

/// A server that accepts updates with the token `s3cret`, on an empty store.
fn updatable() -> zhkg::serve::Server {
    start(
        GraphStore::in_memory().unwrap(),
        ServeOptions {
            update_token: Some("s3cret".to_owned()),
            ..local()
        },
    )
    .unwrap()
}

const SMUGGLED: &str =
    "INSERT DATA { GRAPH <https://e/g> { <https://e/a> <https://e/b> \"smuggled\" } }";

/// True when the smuggled triple is in the store.
fn smuggled_in(addr: SocketAddr) -> bool {
    let ask = encode("ASK { <https://e/a> <https://e/b> \"smuggled\" }");
    let r = http(addr, "GET", &format!("/query?query={ask}"), &[], b"");
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.contains("true")
}

/// An update request, complete, with the token: what a smuggler hides in a
/// body.
fn update_request(addr: SocketAddr) -> String {
    format!(
        "POST /update HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer s3cret\r\nContent-Type: application/sparql-update\r\nContent-Length: {}\r\n\r\n{SMUGGLED}",
        SMUGGLED.len()
    )
}

#[test]
fn content_length_with_transfer_encoding_is_refused_and_nothing_is_smuggled() {
    let server = updatable();
    let addr = server.addr();
    let hidden = update_request(addr);
    let ask = encode("ASK {}");
    // Both orders of the two headers; a front end that trusted the other
    // header would see the hidden update as a second request.
    let requests = [
        format!(
            "POST /query HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/sparql-query\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{hidden}"
        ),
        format!(
            "GET /query?query={ask} HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\nContent-Length: {}\r\n\r\n0\r\n\r\n{hidden}",
            hidden.len() + 5
        ),
    ];
    for request in requests {
        let r = raw_request(addr, request.as_bytes());
        assert_eq!(r.status, 400, "{request:?}: {}", r.body);
        assert!(
            !r.body.contains("HTTP/1.1"),
            "one reply, then the connection is closed: {}",
            r.body
        );
        assert!(!smuggled_in(addr), "the hidden update was not applied");
    }
    // The same update sent plainly is applied: the test would see it.
    let r = raw_request(
        addr,
        update_request(addr)
            .replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
            .as_bytes(),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(smuggled_in(addr));
    server.shutdown();
}

#[test]
fn line_breaks_inside_header_values_are_refused_without_effect() {
    let server = updatable();
    let addr = server.addr();
    let body = SMUGGLED;
    let n = body.len();
    let requests = [
        // A bare CR in the middle of a value, hiding the token header.
        format!(
            "POST /update HTTP/1.1\r\nHost: {addr}\r\nX-Note: a\rAuthorization: Bearer s3cret\r\nContent-Type: application/sparql-update\r\nContent-Length: {n}\r\n\r\n{body}"
        ),
        // An obsolete line folding (a continuation line), which a lenient
        // parser would join to the header before it.
        format!(
            "POST /update HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer\r\n s3cret\r\nContent-Type: application/sparql-update\r\nContent-Length: {n}\r\n\r\n{body}"
        ),
        // A NUL byte in a value.
        format!(
            "POST /update HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer s3cret\r\nX-Note: a\0b\r\nContent-Type: application/sparql-update\r\nContent-Length: {n}\r\n\r\n{body}"
        ),
    ];
    for request in requests {
        let r = raw_request(addr, request.as_bytes());
        assert_eq!(r.status, 400, "{request:?}: {}", r.body);
        assert!(!smuggled_in(addr), "{request:?} was applied");
    }
    // The server goes on answering.
    let r = http(
        addr,
        "GET",
        &format!("/query?query={}", encode("ASK {}")),
        &[],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    server.shutdown();
}

/// `GET /query` without a query describes the service (SPARQL 1.1 Service
/// Description): its endpoint, languages, features and result formats, in
/// the RDF format asked for.
#[test]
fn the_endpoint_describes_itself() {
    let r = http(*SERVER, "GET", "/query", &[], b"");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/turtle"));
    let graph = GraphStore::in_memory().unwrap();
    graph
        .inner()
        .load_from_slice(oxigraph::io::RdfFormat::Turtle, r.body.as_bytes())
        .unwrap();
    let endpoint = format!("http://{}/query", *SERVER);
    let ask = |q: &str| {
        let oxigraph::sparql::QueryResults::Boolean(b) =
            zhkg::sparql::query::run(&graph, q).unwrap()
        else {
            panic!("not an ASK")
        };
        b
    };
    let sd = "http://www.w3.org/ns/sparql-service-description#";
    assert!(ask(&format!(
        "ASK {{ ?s a <{sd}Service> ; <{sd}endpoint> <{endpoint}> ; <{sd}supportedLanguage> <{sd}SPARQL11Query> ; <{sd}feature> <{sd}UnionDefaultGraph> }}"
    )));
    // A read-only server offers no update language.
    assert!(!ask(&format!(
        "ASK {{ ?s <{sd}supportedLanguage> <{sd}SPARQL11Update> }}"
    )));
    let nt = http(
        *SERVER,
        "GET",
        "/query",
        &[("Accept", "application/n-triples")],
        b"",
    );
    assert_eq!(nt.header("content-type"), Some("application/n-triples"));
    assert!(nt.body.contains(&format!("<{endpoint}>")), "{}", nt.body);
}

/// Graph Store Protocol reads: one named graph, or the default graph (the
/// union), in the RDF format asked for; an unknown graph is 404 and writes
/// are 405.
#[test]
fn graphs_are_read_with_the_graph_store_protocol() {
    let store = seeded();
    let rows = |q: &str| -> usize {
        let oxigraph::sparql::QueryResults::Solutions(s) =
            zhkg::sparql::query::run(&store, q).unwrap()
        else {
            panic!("not a SELECT")
        };
        s.count()
    };
    let facts = "https://w3id.org/zhkg/graph/facts";
    let r = http(
        *SERVER,
        "GET",
        &format!("/store?graph={}", encode(facts)),
        &[("Accept", "application/n-triples")],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let want = rows(&format!(
        "SELECT * WHERE {{ GRAPH <{facts}> {{ ?s ?p ?o }} }}"
    ));
    assert!(want > 0);
    assert_eq!(r.body.lines().filter(|l| !l.is_empty()).count(), want);
    let turtle = http(*SERVER, "GET", "/store?default", &[], b"");
    assert_eq!(turtle.status, 200);
    assert!(
        turtle
            .header("content-type")
            .unwrap()
            .starts_with("text/turtle")
    );
    for (method, path, status) in [
        (
            "GET",
            format!("/store?graph={}", encode("https://e/none")),
            404,
        ),
        ("GET", "/store".to_owned(), 400),
        ("PUT", "/store?default".to_owned(), 405),
        ("DELETE", format!("/store?graph={}", encode(facts)), 405),
    ] {
        let r = http(*SERVER, method, &path, &[], b"");
        assert_eq!(r.status, status, "{method} {path}: {}", r.body);
    }
}

/// Cross-origin reads only with `cors`: the header on queries and pages,
/// preflights answered, never on updates.
#[test]
fn cross_origin_reads_only_when_allowed() {
    let q = format!("/query?query={}", encode(COUNTY));
    let plain = http(*SERVER, "GET", &q, &[], b"");
    assert_eq!(plain.header("access-control-allow-origin"), None);
    assert_eq!(http(*SERVER, "OPTIONS", "/query", &[], b"").status, 405);
    let server = start(
        seeded(),
        ServeOptions {
            cors: true,
            update_token: Some("t0ken".into()),
            ..local()
        },
    )
    .unwrap();
    let addr = server.addr();
    let r = http(
        addr,
        "GET",
        &q,
        &[("Origin", "https://elsewhere.example")],
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let pre = http(
        addr,
        "OPTIONS",
        "/query",
        &[("Origin", "https://elsewhere.example")],
        b"",
    );
    assert_eq!(pre.status, 204);
    assert!(
        pre.header("access-control-allow-headers")
            .unwrap()
            .contains("Content-Type")
    );
    let update = http(
        addr,
        "POST",
        "/update",
        &[
            ("Content-Type", "application/sparql-update"),
            ("Origin", "https://elsewhere.example"),
        ],
        b"INSERT DATA { <https://e/a> <https://e/b> 1 }",
    );
    assert_eq!(update.header("access-control-allow-origin"), None);
    server.shutdown();
}

/// A read-only server shows what a build adds to its store without a
/// restart: it reopens its snapshot once the build has changed the store.
#[test]
fn a_read_only_server_follows_a_build_of_its_store() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    let write = |name: &str, text: &str| std::fs::write(articles.join(name), text).unwrap();
    write(
        "one.txt",
        "茶山来了新客服\n\n遂昌县的客服中心今年招收了六十名员工。\n",
    );
    let path = dir.path().join("store");
    let build = || {
        let store = GraphStore::open(&path).unwrap();
        zhkg::build::build(
            &store,
            std::slice::from_ref(&articles),
            &BuildOptions::default(),
            &|_, _| {},
        )
        .unwrap();
    };
    build();
    let server = start(
        GraphStore::open_read_only(&path).unwrap(),
        ServeOptions {
            watch: Some(path.clone()),
            ..local()
        },
    )
    .unwrap();
    let count = || {
        let r = get_csv(
            server.addr(),
            &format!(
                "/query?query={}",
                encode("SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:NewsArticle }")
            ),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.body.lines().nth(1).unwrap_or_default().trim().to_owned()
    };
    assert_eq!(count(), "1");
    write(
        "two.txt",
        "再访茶山\n\n松阳县的直播基地培训了三百名主播。\n",
    );
    build();
    let deadline = Instant::now() + Duration::from_secs(20);
    while count() != "2" {
        assert!(
            Instant::now() < deadline,
            "the server still shows {} articles",
            count()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    server.shutdown();
}
