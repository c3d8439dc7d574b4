//! The `zhkg` binary: parses arguments and calls the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::Parser;
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;

use cli::{Cli, Command, ExportFormat, ExtractFormat, QueryFormat, ValidateFormat};
use zhkg::export::{ExportOptions, format_by_name};
use zhkg::ingest::IngestOptions;
use zhkg::ingest::decode::encoding_for_label;
use zhkg::pipeline::{BuildOptions, BuildSummary};
use zhkg::query::{self, ResultFormat};
use zhkg::store::GraphStore;

/// mimalloc instead of the system allocator: extraction makes many small,
/// short-lived strings and vectors, and glibc's malloc and free were a fifth
/// of its time. Its `override` feature makes C's malloc and free mimalloc's
/// too: Oxigraph frees RocksDB's C-allocated error messages through Rust's
/// allocator (`CString::from_raw`), which crashes when the two differ.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("zhkg: {}", report(&e));
            ExitCode::from(2)
        }
    }
}

fn ingest_options(encoding: Option<&str>) -> Result<IngestOptions> {
    Ok(IngestOptions {
        encoding: match encoding {
            Some(l) => Some(
                encoding_for_label(l)
                    .ok_or_else(|| zhkg::error::IngestError::UnknownEncoding(l.to_owned()))?,
            ),
            None => None,
        },
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            paths,
            encoding,
            force,
            json,
        } => {
            let opts = BuildOptions {
                ingest: ingest_options(encoding.as_deref())?,
                force,
                ..BuildOptions::default()
            };
            let store = open_store(&cli.store)?;
            let bar = std::io::stderr().is_terminal().then(|| {
                let b = indicatif::ProgressBar::new(0);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} articles {per_sec} ETA {eta}",
                    )
                    .expect("valid template"),
                );
                b
            });
            let progress = |done: usize, total: usize| {
                if let Some(b) = &bar
                    && total >= 50
                {
                    b.set_length(total as u64);
                    b.set_position(done as u64);
                }
            };
            let summary = zhkg::pipeline::build(&store, &paths, &opts, &progress)
                .map_err(|e| store_failure(&cli.store, StoreUse::Build, e.into()))?;
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            for e in &summary.errors {
                eprintln!("zhkg: {}: {}", e.path.display(), e.message);
            }
            for w in &summary.warnings {
                eprintln!("zhkg: warning: {}: {}", w.path.display(), w.message);
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                print_summary(&summary, &cli.store);
            }
            Ok(if summary.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Query {
            query,
            file,
            list,
            format,
            update,
            timeout,
            params,
        } => {
            if let Some(secs) = timeout {
                watchdog(secs)?;
            }
            if list {
                let width = query::NAMED_QUERIES
                    .iter()
                    .map(|q| q.name.len())
                    .max()
                    .unwrap_or(0);
                for q in query::NAMED_QUERIES {
                    println!("{:width$}  {}", q.name, q.description());
                }
                return Ok(ExitCode::SUCCESS);
            }
            let text = match (query, file) {
                (_, Some(f)) => std::fs::read_to_string(&f)
                    .with_context(|| format!("reading query file {}", f.display()))?,
                (Some(q), None) => resolve_query(&q)?,
                (None, None) => {
                    bail!("give a query, -f FILE, or a query name (zhkg query --list shows them)")
                }
            };
            let text = query::bind_params(&text, &params)?;
            if !cli.store.exists() {
                bail!(
                    "no store at {}: run `zhkg build` first (or pass --store)",
                    cli.store.display()
                );
            }
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if update {
                let store = open_store(&cli.store)?;
                match query::update(&store, &text) {
                    Ok(()) => return Ok(ExitCode::SUCCESS),
                    Err(zhkg::error::QueryError::Syntax { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
                let results = query::run(&store, &text)?;
                query::write_results(results, result_format(format), &mut out)?;
            } else {
                let store = open_store_read_only(&cli.store)?;
                let results = query::run(&store, &text)?;
                query::write_results(results, result_format(format), &mut out)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate {
            shapes,
            data,
            format,
        } => {
            let shapes = match &shapes {
                Some(p) => zhkg::validate::Shapes::from_file(p)?,
                None => zhkg::validate::Shapes::builtin()?,
            };
            let store = match &data {
                Some(p) => zhkg::validate::load_file(p)?,
                None => {
                    if !cli.store.exists() {
                        bail!(
                            "no store at {}: run `zhkg build` first (or pass --store, or --data FILE)",
                            cli.store.display()
                        );
                    }
                    open_store_read_only(&cli.store)?
                }
            };
            let report = zhkg::validate::validate(&store, &shapes)?;
            let mut out = std::io::stdout().lock();
            match format {
                ValidateFormat::Text => report.write_text(&mut out)?,
                ValidateFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &report)?;
                    writeln!(out)?;
                }
            }
            out.flush()?;
            Ok(if report.conforms {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Export {
            format,
            output,
            canonical,
            split_by_article,
            graph,
            include_ontology,
        } => {
            if !cli.store.exists() {
                bail!(
                    "no store at {}: run `zhkg build` first (or pass --store)",
                    cli.store.display()
                );
            }
            let store = open_store_read_only(&cli.store)?;
            let opts = ExportOptions {
                graph: match graph {
                    Some(g) => Some(
                        NamedNode::new(&g)
                            .with_context(|| format!("the graph name {g} is not a valid IRI"))?,
                    ),
                    None => None,
                },
                include_ontology,
                canonical,
            };
            let rdf = export_format(format);
            if let Some(dir) = split_by_article {
                let files = zhkg::export::export_split(&store, rdf, &opts, &dir)
                    .with_context(|| format!("writing files into {}", dir.display()))?;
                eprintln!("zhkg: wrote {} files into {}", files.len(), dir.display());
                return Ok(ExitCode::SUCCESS);
            }
            match output {
                Some(path) => {
                    // Write to a temporary file first so a failure never leaves half a file.
                    zhkg::export::write_atomically(&path, |w| {
                        zhkg::export::export(&store, rdf, &opts, w)
                    })
                    .with_context(|| format!("writing {}", path.display()))?;
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::new(stdout.lock());
                    zhkg::export::export(&store, rdf, &opts, &mut w)?;
                    w.flush()?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Load {
            files,
            format,
            graph,
        } => {
            let opts = zhkg::load::LoadOptions {
                format: format.map(export_format),
                graph: match graph {
                    Some(g) => Some(
                        NamedNode::new(&g)
                            .with_context(|| format!("the graph name {g} is not a valid IRI"))?,
                    ),
                    None => None,
                },
            };
            let store = open_store(&cli.store)?;
            let mut failed = 0;
            for r in zhkg::load::load_files(&store, &files, &opts) {
                match r {
                    Ok(l) => {
                        let graphs: Vec<String> =
                            l.graphs.iter().map(ToString::to_string).collect();
                        println!(
                            "{}: {} quads into {}",
                            l.path.display(),
                            l.quads,
                            graphs.join(", ")
                        );
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("zhkg: {e}");
                    }
                }
            }
            store.flush()?;
            if failed > 0 {
                eprintln!("zhkg: {failed} of {} files failed to load", files.len());
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            bind,
            timeout,
            max_rows,
            max_body,
            workers,
            queue,
            queue_wait,
            allow_update,
            token,
        } => {
            if !cli.store.exists() {
                bail!(
                    "no store at {}: run `zhkg build` first (or pass --store)",
                    cli.store.display()
                );
            }
            if !(timeout.is_finite() && timeout > 0.0) {
                bail!("--timeout must be a positive number of seconds");
            }
            if !(queue_wait.is_finite() && queue_wait >= 0.0) {
                bail!("--queue-wait must be a number of seconds, 0 or more");
            }
            let store = if allow_update {
                open_store(&cli.store)?
            } else {
                open_store_read_only(&cli.store)?
            };
            let opts = zhkg::serve::ServeOptions {
                bind,
                timeout: std::time::Duration::from_secs_f64(timeout),
                max_rows: usize::try_from(max_rows).unwrap_or(usize::MAX),
                max_body: usize::try_from(max_body).unwrap_or(usize::MAX),
                update_token: token.filter(|_| allow_update),
                workers: usize::try_from(workers).unwrap_or(usize::MAX),
                queue: usize::try_from(queue).unwrap_or(usize::MAX),
                queue_wait: std::time::Duration::from_secs_f64(queue_wait),
            };
            let updates = opts.update_token.is_some();
            let server = zhkg::serve::start(store, opts)?;
            eprintln!(
                "zhkg: SPARQL endpoint at http://{}/query ({}); Ctrl-C stops it",
                server.addr(),
                if updates {
                    "updates at /update with the token"
                } else {
                    "read-only"
                }
            );
            server.join();
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(args) => {
            let ev = zhkg::summary::evaluate(&args.gold, &args.inputs, &IngestOptions::default())?;
            for (path, why) in &ev.skipped {
                eprintln!("zhkg: {}: not scored: {why}", path.display());
            }
            if args.json {
                println!("{}", serde_json::to_string_pretty(&ev.report)?);
            } else {
                print!("{}", ev.report.to_table());
            }
            if ev.report.articles.is_empty() {
                bail!("no article was scored: check --gold and the inputs");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract {
            file,
            jsonl,
            format,
            encoding,
            explain,
        } => {
            let opts = ingest_options(encoding.as_deref())?;
            let Some(file) = file.filter(|_| !jsonl) else {
                let s = zhkg::stream::extract_jsonl(
                    std::io::stdin().lock(),
                    std::io::BufWriter::new(std::io::stdout().lock()),
                    &opts,
                )?;
                for e in &s.errors {
                    eprintln!("error: line {}: {}", e.line, e.message);
                }
                eprintln!(
                    "{} records, {} articles, {} quads, {} failed",
                    s.records,
                    s.articles,
                    s.quads,
                    s.errors.len()
                );
                return Ok(if s.errors.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            };
            let p = zhkg::pipeline::process_file(&file, &opts)
                .with_context(|| format!("{}", file.display()))?;
            if explain {
                for r in &p.article.removed {
                    eprintln!(
                        "removed [{}..{}] {}: {}",
                        r.span.start,
                        r.span.end,
                        r.reason.explain(),
                        r.text
                    );
                }
                for w in &p.article.warnings {
                    eprintln!("warning: {w}");
                }
            }
            let rdf = match format {
                ExtractFormat::Turtle => RdfFormat::Turtle,
                ExtractFormat::Nquads => RdfFormat::NQuads,
                ExtractFormat::Trig => RdfFormat::TriG,
                ExtractFormat::Tokens => {
                    let cx = zhkg::extract::Context::new(&p.article);
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::new(stdout.lock());
                    for t in &cx.tokens {
                        writeln!(
                            w,
                            "{}\t{}..{}\t{}\t{}",
                            cx.sentence_of(t.start),
                            t.start,
                            t.end,
                            t.tag,
                            t.word
                        )?;
                    }
                    w.flush()?;
                    return Ok(ExitCode::SUCCESS);
                }
                ExtractFormat::Json => {
                    let (_, summary) = zhkg::summary::summarize_file(&file, &opts)?;
                    println!("{}", summary.to_json_pretty());
                    return Ok(ExitCode::SUCCESS);
                }
            };
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let quads: Vec<_> = p
                .graph
                .quads
                .iter()
                .chain(&p.graph.entities)
                .cloned()
                .collect();
            zhkg::export::write_quads(&quads, rdf, &mut w)?;
            w.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A closed standard output (`zhkg export | head`) is not an error. The
/// serializers wrap I/O errors transparently, so look inside them too.
/// The error and its causes on one line, each cause once: the store's
/// errors repeat their source in their own message.
fn report(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// What zhkg was doing with the store when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StoreUse {
    /// Opening it for writing.
    Open,
    /// Opening it read-only.
    OpenReadOnly,
    /// Writing articles into it.
    Build,
}

/// Opens the store for writing, with an error that says what to do.
fn open_store(path: &std::path::Path) -> Result<GraphStore> {
    GraphStore::open(path).map_err(|e| store_failure(path, StoreUse::Open, e.into()))
}

/// Opens the store read-only, with an error that says what to do.
fn open_store_read_only(path: &std::path::Path) -> Result<GraphStore> {
    GraphStore::open_read_only(path)
        .map_err(|e| store_failure(path, StoreUse::OpenReadOnly, e.into()))
}

/// Turns a store failure into one message naming the store, the cause
/// (permissions, a full disk, an unfinished store) and what to do. RocksDB
/// reports its I/O errors as text, so the causes are told apart by it.
fn store_failure(path: &std::path::Path, doing: StoreUse, e: anyhow::Error) -> anyhow::Error {
    if matches!(
        e.downcast_ref::<zhkg::error::StoreError>(),
        Some(zhkg::error::StoreError::Locked { .. })
    ) {
        return e; // its own message says what to do
    }
    let text = report(&e);
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    let p = path.display();
    let detail = e.root_cause().to_string();
    let what = match doing {
        StoreUse::Open => format!("cannot open the store {p} for writing"),
        StoreUse::OpenReadOnly => format!("cannot read the store {p}"),
        StoreUse::Build => format!("writing to the store {p} failed"),
    };
    let again = if doing == StoreUse::Build {
        "run the same build again: the articles written before the failure are kept, and it skips them"
    } else {
        "run the command again"
    };
    let advice = if has(&[
        "Permission denied",
        "Operation not permitted",
        "Read-only file system",
    ]) {
        format!(
            "permission denied: this user{} cannot {} it; run zhkg as the store's owner, make the folder {} (chown or chmod), or pass another --store",
            current_uid()
                .map(|u| format!(" (uid {u})"))
                .unwrap_or_default(),
            if doing == StoreUse::OpenReadOnly {
                "read"
            } else {
                "write to"
            },
            if doing == StoreUse::OpenReadOnly {
                "readable"
            } else {
                "writable"
            }
        )
    } else if has(&["No space left", "File too large", "Space limit reached"]) {
        format!(
            "the disk is full, or a file-size limit (ulimit -f) was reached; free some space, then {again}"
        )
    } else if has(&[
        "only possible on read-write instances",
        "Column family not found",
    ]) || (doing == StoreUse::OpenReadOnly
        && path.is_dir()
        && !path.join("CURRENT").exists()
        && (path.join("LOCK").exists() || path.join(zhkg::store::PID_FILE).exists()))
    {
        "the store was never completely created (a build was stopped as it began); run `zhkg build` to finish it".to_owned()
    } else if doing == StoreUse::OpenReadOnly && path.is_dir() && !path.join("CURRENT").exists() {
        "this folder holds no zhkg store; pass the right --store, or run `zhkg build` to make one there".to_owned()
    } else if doing == StoreUse::Build {
        format!(
            "{again} (if it fails again, the store may be damaged: rebuild it into a new --store)"
        )
    } else {
        return e.context(what);
    };
    anyhow::anyhow!("{what}: {advice} ({detail})")
}

/// The user id zhkg runs as, for messages (Linux: the owner of
/// /proc/self).
fn current_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    use oxigraph::store::SerializerError;
    use zhkg::error::StoreError;
    let io = e.downcast_ref::<std::io::Error>().or_else(|| {
        match e
            .downcast_ref::<StoreError>()
            .or_else(|| match e.downcast_ref::<zhkg::Error>() {
                Some(zhkg::Error::Store(s)) => Some(s),
                _ => None,
            })? {
            StoreError::Serialize(SerializerError::Io(io)) | StoreError::Write(io) => Some(io),
            _ => None,
        }
    });
    io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Ends the process after `secs` seconds with a message and exit code 3: a
/// query that runs over its time limit is stopped, whatever it is doing (a
/// read-only query leaves nothing behind; an uncommitted update is dropped).
fn watchdog(secs: f64) -> Result<()> {
    if !(secs.is_finite() && secs > 0.0) {
        bail!("--timeout must be a positive number of seconds, not {secs}");
    }
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs_f64(secs));
        eprintln!(
            "zhkg: the query ran over the {secs} s time limit (--timeout) and was stopped: add LIMIT, narrow the patterns, or allow more time"
        );
        std::process::exit(3);
    });
    Ok(())
}

fn resolve_query(q: &str) -> Result<String> {
    if let Some(n) = query::named(q) {
        return Ok(n.text.to_owned());
    }
    let local = PathBuf::from("queries").join(format!("{q}.rq"));
    if !q.contains(char::is_whitespace) && local.is_file() {
        return std::fs::read_to_string(&local)
            .with_context(|| format!("reading {}", local.display()));
    }
    if !q.contains(char::is_whitespace) && !q.contains('{') {
        return Err(zhkg::error::QueryError::UnknownName(q.to_owned()).into());
    }
    Ok(q.to_owned())
}

fn result_format(f: QueryFormat) -> ResultFormat {
    match f {
        QueryFormat::Table => ResultFormat::Table,
        QueryFormat::Csv => ResultFormat::Csv,
        QueryFormat::Tsv => ResultFormat::Tsv,
        QueryFormat::Json => ResultFormat::Json,
        QueryFormat::Xml => ResultFormat::Xml,
        QueryFormat::Turtle => ResultFormat::Rdf(RdfFormat::Turtle),
        QueryFormat::Ntriples => ResultFormat::Rdf(RdfFormat::NTriples),
        QueryFormat::Rdfxml => ResultFormat::Rdf(RdfFormat::RdfXml),
    }
}

fn export_format(f: ExportFormat) -> RdfFormat {
    let name = match f {
        ExportFormat::Turtle => "turtle",
        ExportFormat::Ntriples => "ntriples",
        ExportFormat::Nquads => "nquads",
        ExportFormat::Trig => "trig",
        ExportFormat::Rdfxml => "rdfxml",
        ExportFormat::Jsonld => "jsonld",
    };
    format_by_name(name).expect("every export format has a name")
}

fn print_summary(s: &BuildSummary, store: &std::path::Path) {
    println!("store        {}", store.display());
    println!(
        "articles     {} found, {} written, {} unchanged, {} failed",
        s.files,
        s.written,
        s.unchanged,
        s.errors.len()
    );
    println!("quads        {} written", s.quads);
    let ents: Vec<String> = s.entities.iter().map(|(k, v)| format!("{v} {k}")).collect();
    println!("entities     {}", ents.join(", "));
    println!("outcomes     {}", s.outcomes);
    println!("relations    {}", s.relations);
    println!("warnings     {}", s.warnings.len());
    if s.compacted {
        println!(
            "store        compacted after bulk-loading {} new articles",
            s.bulk_loaded
        );
    }
}
