//! `zhkg export`: the store as RDF, to a file, standard output or one file per article.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use oxigraph::model::NamedNode;
use zhkg::sparql::export::ExportOptions;

use super::{export_format, open_store_read_only, require_store};
use crate::cli::ExportArgs;

/// Runs `zhkg export` with the store at `location`.
pub fn run(location: &Path, args: ExportArgs) -> Result<ExitCode> {
    let ExportArgs {
        format,
        output,
        canonical,
        split_by_article,
        graph,
        include_ontology,
    } = args;
    require_store(location)?;
    let store = open_store_read_only(location)?;
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
        let files = zhkg::sparql::export::export_split(&store, rdf, &opts, &dir)
            .with_context(|| format!("writing files into {}", dir.display()))?;
        eprintln!("zhkg: wrote {} files into {}", files.len(), dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    match output {
        Some(path) => {
            // Write to a temporary file first so a failure never leaves half a file.
            zhkg::sparql::export::write_atomically(&path, |w| {
                zhkg::sparql::export::export(&store, rdf, &opts, w)
            })
            .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            zhkg::sparql::export::export(&store, rdf, &opts, &mut w)?;
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
