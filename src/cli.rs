//! Command-line arguments (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
    Build {
        /// Article files or folders (walked recursively for .txt, .html, .md).
        #[arg(default_value = "seeds")]
        paths: Vec<PathBuf>,
        /// Decode every file with this encoding (utf-8, gb18030, big5, utf-16le…).
        #[arg(long)]
        encoding: Option<String>,
        /// Re-extract articles even when unchanged.
        #[arg(long)]
        force: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
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
    #[command(verbatim_doc_comment)]
    Query {
        /// Query text or the name of a named query.
        query: Option<String>,
        /// Read the query from this file.
        #[arg(short = 'f', long = "file", conflicts_with = "query")]
        file: Option<PathBuf>,
        /// List the named queries with their descriptions.
        #[arg(long)]
        list: bool,
        /// Result format.
        #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
        format: QueryFormat,
        /// Allow SPARQL updates (INSERT, DELETE…).
        #[arg(long)]
        update: bool,
        /// A value for a query parameter (`# param NAME` in the query, `$NAME` in its text).
        #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
        params: Vec<(String, String)>,
    },
    /// Export the graph as RDF (Turtle by default).
    ///
    /// Output is deterministic: the same store gives byte-identical files.
    ///
    /// Examples:
    ///   zhkg export -o graph.ttl
    ///   zhkg export --format nquads -o graph.nq
    ///   zhkg export --graph https://w3id.org/zhkg/id/article/001_5adaab2c0589cb8c
    #[command(verbatim_doc_comment)]
    Export {
        /// RDF format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Turtle)]
        format: ExportFormat,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Only this named graph (an article IRI).
        #[arg(long)]
        graph: Option<String>,
        /// Include the ontology graph.
        #[arg(long)]
        include_ontology: bool,
    },
    /// Score extraction against gold files: precision, recall and F1 per
    /// category (organisations, places, programmes, people, documents,
    /// outcomes), per article and in total.
    ///
    /// Examples:
    ///   zhkg eval
    ///   zhkg eval --gold tests/gold seeds/ --json
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
    #[command(verbatim_doc_comment)]
    Extract {
        /// The article file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Turtle)]
        format: ExtractFormat,
        /// Decode with this encoding.
        #[arg(long)]
        encoding: Option<String>,
        /// Show what ingest removed as page furniture and why (on stderr).
        #[arg(long)]
        explain: bool,
    },
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
    Validate {
        /// Shapes file (Turtle); default: the shapes built into zhkg, the
        /// same as ontology/shapes.ttl.
        #[arg(long)]
        shapes: Option<PathBuf>,
        /// Validate this RDF file (with the ontology) instead of the store.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
        format: ValidateFormat,
    },
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
    #[arg(default_value = "seeds")]
    pub inputs: Vec<PathBuf>,
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
