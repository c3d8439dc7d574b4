//! `zhkg load`: RDF files into named graphs of the store.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use oxigraph::model::NamedNode;

use super::{export_format, open_store};
use crate::cli::LoadArgs;

/// Runs `zhkg load` with the store at `location`.
pub fn run(location: &Path, args: LoadArgs) -> Result<ExitCode> {
    let LoadArgs {
        files,
        format,
        graph,
    } = args;
    let opts = zhkg::sparql::load::LoadOptions {
        format: format.map(export_format),
        graph: match graph {
            Some(g) => Some(
                NamedNode::new(&g)
                    .with_context(|| format!("the graph name {g} is not a valid IRI"))?,
            ),
            None => None,
        },
    };
    let store = open_store(location)?;
    let mut failed = 0;
    for r in zhkg::sparql::load::load_files(&store, &files, &opts) {
        match r {
            Ok(l) => {
                let graphs: Vec<String> = l.graphs.iter().map(ToString::to_string).collect();
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
