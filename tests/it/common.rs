//! Helpers shared by the integration tests.

// Each test crate uses some of these helpers, not all of them.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The package's folder (seeds, queries, ontology, test data), read when
/// the test runs: `cargo test` sets `CARGO_MANIFEST_DIR` for the binary it
/// runs, so a test binary built in another checkout that shares the target
/// folder still reads this checkout's files. The folder at build time when
/// the binary runs outside cargo.
pub fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

/// Writes `rounds` copies of every seed article into `dir`, named
/// `{prefix}{round:02}_{seed file name}`, each made distinct by a closing
/// line (so each is a new article with its own content hash). Returns how
/// many files it wrote.
pub fn seed_copies(dir: &Path, prefix: &str, rounds: usize) -> usize {
    let seeds = root().join("seeds");
    let mut n = 0;
    for round in 0..rounds {
        for e in std::fs::read_dir(&seeds).unwrap() {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            let name = format!(
                "{prefix}{round:02}_{}",
                p.file_name().unwrap().to_string_lossy()
            );
            std::fs::write(dir.join(name), format!("{text}\n（第{round}次转载）\n")).unwrap();
            n += 1;
        }
    }
    n
}

/// The standard output of a finished command, after checking that it
/// succeeded (its standard error is the failure message otherwise).
pub fn success_stdout(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A reply of the server under test.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body (UTF-8).
    pub body: String,
}

impl Reply {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a whole reply as the server sent it (everything after the first
/// head is the body, so a second reply would show there).
pub fn parse_reply(raw: Vec<u8>) -> Reply {
    let text = String::from_utf8(raw).expect("UTF-8 reply");
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete reply");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// Sends one HTTP/1.1 request (`Connection: close`) and reads the whole reply.
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading everything.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_reply(raw)
}

/// Percent-encodes a query-string value.
pub fn encode(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

/// The solutions of a SELECT sent to a server's `/query`, each variable's
/// value as a string.
pub fn select(addr: SocketAddr, query: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let r = http(
        addr,
        "GET",
        &format!("/query?query={}", encode(query)),
        &[],
        b"",
    );
    assert_eq!(r.status, 200, "{query}\n{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].as_str().unwrap().to_owned()))
                .collect()
        })
        .collect()
}

/// A server on a free loopback port over an in-memory store built from
/// `dirs` with the default options; it stops when dropped.
pub fn serve_built(dirs: &[std::path::PathBuf]) -> zhkg::serve::Server {
    let store = zhkg::store::GraphStore::in_memory().unwrap();
    zhkg::build::build(
        &store,
        dirs,
        &zhkg::build::BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    zhkg::serve::start(
        store,
        zhkg::serve::ServeOptions {
            bind: "127.0.0.1:0".to_owned(),
            ..Default::default()
        },
    )
    .unwrap()
}
