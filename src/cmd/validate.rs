//! `zhkg validate`: the graph (the store or a file) against the SHACL shapes.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::open_store_read_only;
use crate::cli::{ValidateArgs, ValidateFormat};

/// Runs `zhkg validate` with the store at `location`.
pub fn run(location: &Path, args: ValidateArgs) -> Result<ExitCode> {
    let ValidateArgs {
        shapes,
        data,
        format,
    } = args;
    let shapes = match &shapes {
        Some(p) => zhkg::shacl::Shapes::from_file(p)?,
        None => zhkg::shacl::Shapes::builtin()?,
    };
    let store = match &data {
        Some(p) => zhkg::shacl::load_file(p)?,
        None => {
            if !location.exists() {
                bail!(
                    "no store at {}: run `zhkg build` first (or pass --store, or --data FILE)",
                    location.display()
                );
            }
            open_store_read_only(location)?
        }
    };
    let report = zhkg::shacl::validate(&store, &shapes)?;
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
