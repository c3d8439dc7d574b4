//! Command-line arguments (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// zhkg: build a knowledge graph of digital employment in Chinese counties
/// from news articles, query it with SPARQL and export it as RDF.
#[derive(Debug, Parser)]
#[command(name = "zhkg", version, about, long_about = None)]
pub struct Cli {
    /// The on-disk store (created on first use).
    #[arg(long, global = true, default_value = zhkg::store::DEFAULT_STORE, env = "ZHKG_STORE")]
    pub store: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the graph from article files or folders (default: seeds/).
    ///
    /// Each article becomes one named graph, replaced in one transaction, so
    /// re-running a build changes nothing and a failing file leaves the others
    /// intact. Unchanged files are skipped (use --force to re-extract).
    ///
    /// Examples:
    ///   zhkg build
    ///   zhkg build seeds/ more-articles/ --store /data/zhkg-store
    ///   zhkg build article.txt --encoding gb18030
    #[command(verbatim_doc_comment)]
    Build(BuildArgs),
    /// Run a SPARQL query: text, -f FILE, or the NAME of a query in queries/.
    ///
    /// Queries see the union of the article graphs as their default graph.
    /// SELECT results print as a table (or --format csv|tsv|json|xml);
    /// CONSTRUCT and DESCRIBE print Turtle (or --format ntriples|…).
    ///
    /// Examples:
    ///   zhkg query --list
    ///   zhkg query programmes
    ///   zhkg query 'SELECT ?c WHERE { ?c zhkg:divisionCode "130529" }'
    ///   zhkg query -f my.rq --format csv > out.csv
    ///   zhkg query county --param county=义乌市
    ///   zhkg query -f heavy.rq --timeout 30
    #[command(verbatim_doc_comment)]
    Query(QueryArgs),
    /// Export the graph as RDF (Turtle by default).
    ///
    /// Output is deterministic: the same store gives byte-identical files.
    /// N-Triples and N-Quads are written one named graph at a time.
    /// --canonical writes RDFC-1.0 canonical N-Quads, byte-identical for any
    /// two stores with the same content. --split-by-article writes one file
    /// per article graph (named by the article id) plus entities.EXT.
    ///
    /// Examples:
    ///   zhkg export -o graph.ttl
    ///   zhkg export --format nquads -o graph.nq
    ///   zhkg export --canonical -o graph.nq
    ///   zhkg export --split-by-article out/ --format trig
    ///   zhkg export --graph https://w3id.org/zhkg/id/article/001_5adaab2c0589cb8c
    #[command(verbatim_doc_comment)]
    Export(ExportArgs),
    /// Load RDF files into the store, each into its own named graph.
    ///
    /// A file goes into https://w3id.org/zhkg/graph/loaded/<file stem> (or
    /// --graph IRI); N-Quads and TriG files keep their own graph names unless
    /// --graph is given. Loading a file again replaces what it loaded before.
    /// Each file is one transaction: a syntax error names the file, line and
    /// column and loads nothing from that file; the other files still load,
    /// and the exit code is 1. `zhkg query` sees loaded graphs.
    ///
    /// Examples:
    ///   zhkg load corrections.ttl
    ///   zhkg load other-store.nq extra.jsonld
    ///   zhkg load fixes.txt --format turtle --graph https://example.org/fixes
    #[command(verbatim_doc_comment)]
    Load(LoadArgs),
    /// Serve the graph as a SPARQL 1.1 Protocol endpoint (read-only by default).
    ///
    /// GET /query?query=… or POST /query (application/sparql-query, or a form
    /// with a `query` field). Results follow the Accept header: SPARQL JSON
    /// (default), XML, CSV or TSV for SELECT and ASK; Turtle (default),
    /// N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE. Queries see
    /// the union of the named graphs. SERVICE and LOAD are refused; a query
    /// over --timeout gets 503, a result over --max-rows is cut (header
    /// X-Zhkg-Truncated), a body over --max-body gets 413. At most --workers
    /// queries are evaluated at once; up to --queue more requests wait their
    /// turn for --queue-wait seconds, and beyond that get 503 with
    /// Retry-After. GET / shows the limits and the load (a browser gets the
    /// home page; entity pages are at /id/…, search at /search?q=…). The
    /// store is opened read-only, so a running build does not block it; the
    /// server notices within seconds when a build has changed the store and
    /// reopens it. With --allow-update --token TOKEN, POST /update
    /// accepts SPARQL updates with `Authorization: Bearer TOKEN`, and the
    /// store is opened for writing.
    ///
    /// Examples:
    ///   zhkg serve
    ///   curl -H 'Accept: text/csv' --data-urlencode 'query=ASK {}' localhost:7878/query
    ///   zhkg serve --bind 127.0.0.1:8080 --timeout 30 --max-rows 50000
    ///   zhkg serve --allow-update --token "$(openssl rand -hex 16)"
    #[command(verbatim_doc_comment)]
    Serve(ServeArgs),
    /// Score extraction against gold files: precision, recall and F1 per
    /// category (organisations, places, programmes with documents, people,
    /// all entities pooled, outcomes), per article and in total, and the
    /// subject, metric and metric-family accuracy of matched outcomes. The
    /// rules and figures are those of the reference scorer score.py.
    ///
    /// Examples:
    ///   zhkg eval
    ///   zhkg eval --gold tests/gold seeds/ --json
    ///   zhkg eval --gold ../shared/dev/gold ../shared/dev/articles
    ///   zhkg eval --gold tests/gold --predictions predicted/
    #[command(verbatim_doc_comment)]
    Eval(EvalArgs),
    /// Run the pipeline on one article without a store and print its graph.
    ///
    /// Examples:
    ///   zhkg extract seeds/001_5adaab2c0589cb8c.txt
    ///   zhkg extract article.html --explain
    ///   zhkg extract article.txt --format nquads
    ///   zhkg extract article.txt --format json
    ///   zhkg extract article.txt --format tokens
    ///   zhkg extract --jsonl < articles.jsonl > graph.nq
    #[command(verbatim_doc_comment)]
    Extract(ExtractArgs),
    /// Check the graph against SHACL shapes (default: the shipped
    /// ontology/shapes.ttl).
    ///
    /// Each violation is reported with its focus node, path and constraint,
    /// and with the sentence of the article the node came from when it has
    /// provenance. The exit code is 1 when there are violations. zhkg
    /// supports a subset of SHACL Core (see src/validate.rs) and refuses
    /// shapes outside it.
    ///
    /// Examples:
    ///   zhkg validate
    ///   zhkg validate --format json
    ///   zhkg validate --data graph.ttl --shapes my-shapes.ttl
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),
}

/// Arguments of `zhkg build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Article files or folders (walked recursively for .txt, .html, .md).
    #[arg(default_value = "seeds")]
    pub paths: Vec<PathBuf>,
    /// Decode every file with this encoding (utf-8, gb18030, big5, utf-16le…).
    #[arg(long)]
    pub encoding: Option<String>,
    /// Re-extract articles even when unchanged.
    #[arg(long)]
    pub force: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `zhkg query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Query text or the name of a named query.
    pub query: Option<String>,
    /// Read the query from this file.
    #[arg(short = 'f', long = "file", conflicts_with = "query")]
    pub file: Option<PathBuf>,
    /// List the named queries with their descriptions.
    #[arg(long)]
    pub list: bool,
    /// Result format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    /// Allow SPARQL updates (INSERT, DELETE…).
    #[arg(long)]
    pub update: bool,
    /// Stop the query after this many seconds (exit code 3). Queries only
    /// read, so stopping one leaves the store as it was; an update that is
    /// stopped is not committed.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// A value for a query parameter (`# param NAME` in the query, `$NAME` in its text).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
    /// Return at most this many results (solutions of a SELECT; for
    /// CONSTRUCT and DESCRIBE, the solutions their template is filled
    /// from). Combined with a LIMIT in the query, the smaller wins.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Skip this many results first: `--offset 1000 --limit 1000` is the
    /// second page. Pages follow the query's ORDER BY (every named listing
    /// query has one); a query without one is paged in the store's order,
    /// stable while the store does not change.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// After the results, write Oxigraph's plan of the query to standard
    /// error as JSON, with the rows and time of each step: where a slow
    /// query spends its time.
    #[arg(long)]
    pub explain: bool,
}

/// Arguments of `zhkg export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// RDF format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Turtle)]
    pub format: ExportFormat,
    /// Output file (default: standard output).
    #[arg(short, long, conflicts_with = "split_by_article")]
    pub output: Option<PathBuf>,
    /// Write canonical N-Quads (RDFC-1.0) instead of --format.
    #[arg(long, conflicts_with = "format")]
    pub canonical: bool,
    /// Write one file per named graph into this folder.
    #[arg(long, value_name = "DIR")]
    pub split_by_article: Option<PathBuf>,
    /// Only this named graph (an article IRI).
    #[arg(long)]
    pub graph: Option<String>,
    /// Include the ontology graph.
    #[arg(long)]
    pub include_ontology: bool,
}

/// Arguments of `zhkg load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// RDF files (.ttl, .nt, .nq, .trig, .rdf, .jsonld).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The syntax of every file (default: from the extension).
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Load everything into this named graph.
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,
}

/// Arguments of `zhkg serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback only by default).
    #[arg(long, default_value = zhkg::serve::DEFAULT_BIND)]
    pub bind: String,
    /// Time limit per query, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Most result rows (or triples) returned.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_rows: u64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_body: u64,
    /// Most queries evaluated at once (timed-out ones still stopping
    /// count).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub workers: u64,
    /// Most requests waiting for a turn beyond those being evaluated;
    /// more get 503 at once.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(0..=65536))]
    pub queue: u64,
    /// Longest wait for a turn, in seconds; then 503 with Retry-After.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub queue_wait: f64,
    /// Accept SPARQL updates at POST /update (needs --token).
    #[arg(long, requires = "token")]
    pub allow_update: bool,
    /// The bearer token updates must present.
    #[arg(
        long,
        env = "ZHKG_TOKEN",
        requires = "allow_update",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Allow cross-origin reads (queries, pages, graphs) from pages served
    /// elsewhere: adds `Access-Control-Allow-Origin: *` and answers
    /// preflights. Off by default; updates are never cross-origin.
    #[arg(long)]
    pub cors: bool,
}

/// Arguments of `zhkg extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The article file.
    #[arg(required_unless_present = "jsonl")]
    pub file: Option<PathBuf>,
    /// Read articles as JSON lines on standard input (`{"id": …, "text": …}`
    /// or `{"path": …}`) and write N-Quads on standard output: the map step
    /// for Spark (`RDD.pipe`), Hadoop streaming and the like. Bad records
    /// are reported on standard error with their line number and skipped.
    #[arg(long, conflicts_with_all = ["file", "format", "explain"])]
    pub jsonl: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Turtle)]
    pub format: ExtractFormat,
    /// Decode with this encoding.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Show what ingest removed as page furniture and why (on stderr).
    #[arg(long)]
    pub explain: bool,
}

/// Arguments of `zhkg validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Shapes file (Turtle); default: the shapes built into zhkg, the
    /// same as ontology/shapes.ttl.
    #[arg(long)]
    pub shapes: Option<PathBuf>,
    /// Validate this RDF file (with the ontology) instead of the store.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
}

/// `zhkg validate` report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// One block per violation, then a count.
    Text,
    /// The report as JSON: {"conforms": …, "violations": […]}.
    Json,
}

/// Score extraction against gold annotations.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Folder of gold files (`<article stem>.json`, see tests/gold/FORMAT.md).
    #[arg(long, default_value = "tests/gold")]
    pub gold: PathBuf,
    /// Article files or folders to score (default: seeds/).
    #[arg(default_value = "seeds", conflicts_with = "predictions")]
    pub inputs: Vec<PathBuf>,
    /// Score summaries already written (`zhkg extract --format json` files
    /// named `<article stem>.json`) in this folder instead of extracting:
    /// the same files and figures as `score.py GOLD PREDICTIONS`.
    #[arg(long, value_name = "DIR")]
    pub predictions: Option<PathBuf>,
    /// Print the report as JSON (with unmatched items per article).
    #[arg(long)]
    pub json: bool,
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(n, v)| (n.trim().to_owned(), v.to_owned()))
        .filter(|(n, _)| !n.is_empty())
        .ok_or_else(|| format!("expected NAME=VALUE, got {s:?}"))
}

/// Query result formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// Aligned table (Turtle for graphs).
    Table,
    /// SPARQL CSV.
    Csv,
    /// SPARQL TSV.
    Tsv,
    /// SPARQL JSON.
    Json,
    /// SPARQL XML.
    Xml,
    /// Turtle (graphs).
    Turtle,
    /// N-Triples (graphs).
    Ntriples,
    /// RDF/XML (graphs).
    Rdfxml,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Turtle.
    Turtle,
    /// N-Triples.
    Ntriples,
    /// N-Quads (named graphs kept).
    Nquads,
    /// TriG (named graphs kept).
    Trig,
    /// RDF/XML.
    Rdfxml,
    /// JSON-LD.
    Jsonld,
}

/// `zhkg extract` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// Turtle.
    Turtle,
    /// N-Quads.
    Nquads,
    /// TriG.
    Trig,
    /// The summary in the gold format (tests/gold/FORMAT.md), made by SPARQL from the graph.
    Json,
    /// The segmentation the extractors see: one token per line with its
    /// character span, jieba tag and sentence number (for tuning extraction).
    Tokens,
}
