//! `zhkg query`: a SPARQL query (text, file or named) and its results.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use oxigraph::io::RdfFormat;
use zhkg::sparql::partition;
use zhkg::sparql::query::{self, ResultFormat};

use super::{open_store, open_store_read_only, require_store};
use crate::cli::{QueryArgs, QueryFormat};

/// Runs `zhkg query` with the store at `location`.
pub fn run(location: &Path, args: QueryArgs) -> Result<ExitCode> {
    let QueryArgs {
        query,
        file,
        list,
        format,
        update,
        timeout,
        params,
        limit,
        offset,
        explain,
    } = args;
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
    let mut text = query::bind_params(&text, &params)?;
    let paged = limit.is_some() || offset > 0;
    // A listing that declares its partitions (`# pages`) is read one
    // partition at a time instead of sorting the whole result first: a
    // page stops at its last row, and a whole listing streams from its
    // first row in flat memory, its partitions evaluated in parallel.
    if !update && !explain {
        if let Some(partitioning) = partition::declared(&text)? {
            require_store(location)?;
            let store = open_store_read_only(location)?;
            let results = partition::page(&store, &text, &partitioning, offset, limit)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            query::write_results(results, result_format(format), &mut out)?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    if paged {
        if update {
            bail!("--limit and --offset page query results; they do not apply to --update");
        }
        let page = query::page(&text, offset, limit)?;
        if !page.ordered {
            eprintln!(
                "zhkg: note: the query has no ORDER BY; its pages follow the store's order, which holds while the store does not change"
            );
        }
        text = page.text;
    }
    require_store(location)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if update {
        let store = open_store(location)?;
        match query::update(&store, &text) {
            Ok(()) => return Ok(ExitCode::SUCCESS),
            Err(zhkg::error::QueryError::Syntax { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let results = query::run(&store, &text)?;
        query::write_results(results, result_format(format), &mut out)?;
    } else if explain {
        let store = open_store_read_only(location)?;
        let (results, plan) = query::explain(&store, &text)?;
        query::write_results(results, result_format(format), &mut out)?;
        out.flush()?;
        let mut err = std::io::stderr().lock();
        plan.write_in_json(&mut err)?;
        writeln!(err)?;
    } else {
        let store = open_store_read_only(location)?;
        let results = query::run_sorted(&store, &text)?;
        query::write_results(results, result_format(format), &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
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
