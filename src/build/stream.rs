//! The map step for distributed engines: articles as JSON lines on a reader
//! (`{"id": …, "text": …}` or `{"path": …}`), N-Quads of each article's
//! graph and entity descriptions on a writer. It runs as `zhkg extract
//! --jsonl` under Spark's `RDD.pipe`, Hadoop streaming or any engine that
//! pipes records; the union of its outputs (duplicates removed) is the
//! dataset a `zhkg build` of the same articles holds, less the ontology.
//!
//! Records are processed in parallel in chunks and written in input order,
//! so the output does not depend on the number of threads. A bad record
//! (malformed JSON, unreadable path, undecodable text) is reported with its
//! line number and skipped; the others go on.

use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Deserialize;

use crate::build::process_article_guarded;
use crate::error::Error;
use crate::ingest::{Article, ArticleId, IngestOptions, parse_article, read_article};

/// Records per parallel chunk.
const CHUNK: usize = 256;

/// Chunks read ahead at most while the extraction models load (see
/// [`extract_jsonl_reading_ahead`]): a thousand articles, more than one
/// reader gets through while jieba's dictionary loads (about 600).
pub const READ_AHEAD: usize = 4;

/// One input record.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    /// Article id (becomes the article IRI); required with `text`.
    id: Option<String>,
    /// The article's text (any markup the file readers accept).
    text: Option<String>,
    /// A file to read instead of `text`; its stem is the id unless `id` is given.
    path: Option<PathBuf>,
    /// The file extension that says how to read `text` (`html`, `md`, `txt`).
    format: Option<String>,
}

/// A record that could not be turned into quads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line number in the input.
    pub line: usize,
    /// What went wrong and what to do.
    pub message: String,
}

/// What a stream run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Records read (non-blank lines).
    pub records: usize,
    /// Articles written.
    pub articles: usize,
    /// Quads written.
    pub quads: usize,
    /// Records skipped, with the reason.
    pub errors: Vec<RecordError>,
}

/// The N-Quads of one record.
struct RecordQuads {
    /// The N-Quads text, one quad a line.
    bytes: Vec<u8>,
    /// How many quads (lines) it holds.
    quads: usize,
}

/// The article of one record, or why there is none.
fn record_article(line: &str, opts: &IngestOptions) -> Result<Article, String> {
    let r: Record = serde_json::from_str(line).map_err(|e| {
        format!("not a JSON record ({e}): expected {{\"id\": …, \"text\": …}} or {{\"path\": …}}")
    })?;
    let article = match (r.text, r.path) {
        (Some(text), None) => {
            let id =
                r.id.filter(|i| !i.trim().is_empty())
                    .ok_or("a record with \"text\" needs a non-empty \"id\"")?;
            parse_article(
                ArticleId::new(&id),
                text.as_bytes(),
                r.format.as_deref(),
                opts,
            )
            .map_err(|e| format!("{id}: {e}"))?
        }
        (None, Some(path)) => {
            let mut a =
                read_article(&path, opts).map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(id) = r.id {
                a.id = ArticleId::new(&id);
            }
            a
        }
        _ => return Err("a record needs exactly one of \"text\" and \"path\"".into()),
    };
    Ok(article)
}

/// The N-Quads of one article, or why there are none.
fn article_nquads(article: Article) -> Result<RecordQuads, String> {
    let p = process_article_guarded(article).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(256 * p.graph.len());
    p.graph.append_nquads(&mut out);
    Ok(RecordQuads {
        bytes: out,
        quads: p.graph.len(),
    })
}

/// Reads JSON-lines records from `input` and writes N-Quads to `out`.
/// Errors in records are collected in the summary; only I/O errors on the
/// streams themselves stop the run.
pub fn extract_jsonl(
    input: impl BufRead,
    out: impl Write,
    opts: &IngestOptions,
) -> Result<StreamSummary, Error> {
    extract_jsonl_reading_ahead(input, out, opts, || true)
}

/// [`extract_jsonl`] for a caller that builds the extraction models on
/// other threads meanwhile (`zhkg extract --jsonl` runs
/// [`zhkg_text::warm_up`] beside it): until `ready` says they are built,
/// chunks of records are read (parsed, decoded, cleaned: work that needs
/// none of them) ahead, up to [`READ_AHEAD`], instead of a core standing
/// idle while jieba's dictionary loads. The output is the same.
pub fn extract_jsonl_reading_ahead(
    input: impl BufRead,
    mut out: impl Write,
    opts: &IngestOptions,
    ready: impl Fn() -> bool,
) -> Result<StreamSummary, Error> {
    let mut summary = StreamSummary::default();
    let mut lines = input.lines().enumerate();
    let mut ahead: VecDeque<Vec<(usize, Result<Article, String>)>> = VecDeque::new();
    let mut exhausted = false;
    loop {
        while !exhausted && (ahead.is_empty() || (ahead.len() < READ_AHEAD && !ready())) {
            let chunk = next_chunk(&mut lines)?;
            if chunk.is_empty() {
                exhausted = true;
                break;
            }
            summary.records += chunk.len();
            ahead.push_back(read_chunk(&chunk, opts, &ready));
        }
        let Some(articles) = ahead.pop_front() else {
            break;
        };
        let results: Vec<(usize, Result<RecordQuads, String>)> = articles
            .into_par_iter()
            .map(|(n, a)| (n, a.and_then(article_nquads)))
            .collect();
        for (line, r) in results {
            match r {
                Ok(r) => {
                    summary.quads += r.quads;
                    summary.articles += 1;
                    out.write_all(&r.bytes)?;
                }
                Err(message) => summary.errors.push(RecordError { line, message }),
            }
        }
    }
    out.flush()?;
    Ok(summary)
}

/// The articles of `chunk`'s records. While the models load (`ready` is
/// false) they are read on this thread alone, one by one, leaving the other
/// cores to the threads building the models; the rest in parallel.
fn read_chunk(
    chunk: &[(usize, String)],
    opts: &IngestOptions,
    ready: &impl Fn() -> bool,
) -> Vec<(usize, Result<Article, String>)> {
    let mut out = Vec::with_capacity(chunk.len());
    let mut rest = chunk;
    while let Some(((n, line), tail)) = rest.split_first()
        && !ready()
    {
        out.push((*n, record_article(line, opts)));
        rest = tail;
    }
    out.par_extend(rest.par_iter().map(|(n, l)| (*n, record_article(l, opts))));
    out
}

/// The next [`CHUNK`] non-blank lines with their 1-based numbers (fewer at
/// the end of the input, none after it).
fn next_chunk(
    lines: &mut impl Iterator<Item = (usize, std::io::Result<String>)>,
) -> Result<Vec<(usize, String)>, Error> {
    let mut chunk = Vec::with_capacity(CHUNK);
    for (i, line) in lines.by_ref() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        chunk.push((i + 1, line));
        if chunk.len() == CHUNK {
            break;
        }
    }
    Ok(chunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_quads_and_bad_records_are_named_by_line() {
        let input = concat!(
            "{\"id\": \"a1\", \"text\": \"巨鹿县政府与阿里巴巴合作，建成客户体验中心。\"}\n",
            "\n",
            "not json\n",
            "{\"text\": \"没有编号\"}\n",
            "{\"path\": \"/nonexistent/zhkg/article.txt\"}\n",
            "{\"id\": \"a2\", \"text\": \"<p>义乌市人社局举办直播电商培训。</p>\", \"format\": \"html\"}\n",
        );
        let mut out = Vec::new();
        let s = extract_jsonl(input.as_bytes(), &mut out, &IngestOptions::default()).unwrap();
        assert_eq!(s.records, 5);
        assert_eq!(s.articles, 2);
        let lines: Vec<usize> = s.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5], "{:?}", s.errors);
        assert!(
            s.errors[2]
                .message
                .contains("/nonexistent/zhkg/article.txt")
        );
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), s.quads);
        assert!(text.contains("/article/a1>"));
        assert!(text.contains("/article/a2>"));
        assert!(text.contains("/place/130529>"), "巨鹿县 resolved");
    }

    #[test]
    fn reading_ahead_while_the_models_load_changes_nothing() {
        // More records than READ_AHEAD chunks, a bad one among them.
        let n = CHUNK * READ_AHEAD + 40;
        let input: String = (0..n)
            .map(|i| match i {
                300 => "not json\n".to_owned(),
                i => format!("{{\"id\": \"a{i}\", \"text\": \"县里第{i}批学员{i}人结业。\"}}\n"),
            })
            .collect();
        let run = |ready: &dyn Fn() -> bool| {
            let mut out = Vec::new();
            let s = extract_jsonl_reading_ahead(
                input.as_bytes(),
                &mut out,
                &IngestOptions::default(),
                ready,
            )
            .unwrap();
            (s, out)
        };
        let (expected, expected_out) = run(&|| true);
        assert_eq!(expected.articles, n - 1);
        assert_eq!(expected.errors.len(), 1);
        // Models never ready (every chunk it may read ahead read on this
        // thread), or ready halfway through a chunk.
        let calls = std::cell::Cell::new(0);
        let halfway = || {
            calls.set(calls.get() + 1);
            calls.get() > CHUNK + CHUNK / 2
        };
        let never = || false;
        let readiness: [&dyn Fn() -> bool; 2] = [&never, &halfway];
        for ready in readiness {
            let (s, out) = run(ready);
            assert_eq!(s, expected);
            assert!(out == expected_out, "the same N-Quads in the same order");
        }
        assert!(calls.get() > CHUNK, "read ahead alone until ready");
    }
}
