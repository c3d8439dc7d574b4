//! One module per subcommand: each turns its parsed arguments into library
//! calls and prints what the user asked for. What several share (opening the
//! store with advice on failure, ingest options, formats) is here.

pub mod build;
pub mod eval;
pub mod export;
pub mod extract;
pub mod load;
pub mod query;
pub mod serve;
pub mod validate;

use std::path::Path;

use anyhow::Result;
use oxigraph::io::RdfFormat;
use zhkg::ingest::IngestOptions;
use zhkg::ingest::decode::encoding_for_label;
use zhkg::sparql::export::format_by_name;
use zhkg::store::GraphStore;

use crate::cli::ExportFormat;

pub fn ingest_options(encoding: Option<&str>) -> Result<IngestOptions> {
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

/// The error and its causes on one line, each cause once: the store's
/// errors repeat their source in their own message.
pub fn report(e: &anyhow::Error) -> String {
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
pub enum StoreUse {
    /// Opening it for writing.
    Open,
    /// Opening it read-only.
    OpenReadOnly,
    /// Writing articles into it.
    Build,
}

/// Fails with advice when there is no store at `path` yet (for commands
/// that only read it).
pub fn require_store(path: &Path) -> Result<()> {
    if !path.exists() {
        anyhow::bail!(
            "no store at {}: run `zhkg build` first (or pass --store)",
            path.display()
        );
    }
    Ok(())
}

/// Opens the store for writing, with an error that says what to do.
pub fn open_store(path: &std::path::Path) -> Result<GraphStore> {
    GraphStore::open(path).map_err(|e| store_failure(path, StoreUse::Open, e.into()))
}

/// Opens the store read-only, with an error that says what to do.
pub fn open_store_read_only(path: &std::path::Path) -> Result<GraphStore> {
    GraphStore::open_read_only(path)
        .map_err(|e| store_failure(path, StoreUse::OpenReadOnly, e.into()))
}

/// Turns a store failure into one message naming the store, the cause
/// (permissions, a full disk, an unfinished store) and what to do. RocksDB
/// reports its I/O errors as text, so the causes are told apart by it.
pub fn store_failure(path: &std::path::Path, doing: StoreUse, e: anyhow::Error) -> anyhow::Error {
    use zhkg::store::StoreProblem;
    let problem = StoreProblem::of(e.as_ref(), path, doing == StoreUse::OpenReadOnly);
    if problem == StoreProblem::Locked {
        return e; // its own message says what to do
    }
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
    let (verb, adjective) = if doing == StoreUse::OpenReadOnly {
        ("read", "readable")
    } else {
        ("write to", "writable")
    };
    let advice = match problem {
        StoreProblem::PermissionDenied => format!(
            "permission denied: this user{} cannot {verb} it; run zhkg as the store's owner, make the folder {adjective} (chown or chmod), or pass another --store",
            current_uid()
                .map(|u| format!(" (uid {u})"))
                .unwrap_or_default(),
        ),
        StoreProblem::DiskFull => format!(
            "the disk is full, or a file-size limit (ulimit -f) was reached; free some space, then {again}"
        ),
        StoreProblem::Unfinished => "the store was never completely created (a build was stopped as it began); run `zhkg build` to finish it".to_owned(),
        StoreProblem::NotAStore => "this folder holds no zhkg store; pass the right --store, or run `zhkg build` to make one there".to_owned(),
        _ if doing == StoreUse::Build => format!(
            "{again} (if it fails again, the store may be damaged: rebuild it into a new --store)"
        ),
        _ => return e.context(what),
    };
    anyhow::anyhow!("{what}: {advice} ({detail})")
}

/// The user id zhkg runs as, for messages (Linux: the owner of
/// /proc/self).
pub fn current_uid() -> Option<u32> {
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

pub fn export_format(f: ExportFormat) -> RdfFormat {
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
