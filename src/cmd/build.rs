//! `zhkg build`: articles into the store, and the build summary.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use zhkg::build::{BuildOptions, BuildSummary};

use super::{StoreUse, ingest_options, open_store, store_failure};
use crate::cli::BuildArgs;

/// Runs `zhkg build` with the store at `location`.
pub fn run(location: &Path, args: BuildArgs) -> Result<ExitCode> {
    let BuildArgs {
        paths,
        encoding,
        force,
        json,
    } = args;
    let opts = BuildOptions {
        ingest: ingest_options(encoding.as_deref())?,
        force,
        ..BuildOptions::default()
    };
    let store = open_store(location)?;
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
    let summary = zhkg::build::build(&store, &paths, &opts, &progress)
        .map_err(|e| store_failure(location, StoreUse::Build, e.into()))?;
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
        print_summary(&summary, location);
    }
    Ok(if summary.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
    println!(
        "outcomes     {} ({} with subject unknown)",
        s.outcomes, s.subject_unknown
    );
    println!("relations    {}", s.relations);
    println!(
        "variants     {} programme names folded into another's node across articles",
        s.programmes_folded
    );
    println!("warnings     {}", s.warnings.len());
    if s.compactions_during > 0 {
        println!(
            "store        compacted {} times while bulk-loading (every {} new articles)",
            s.compactions_during,
            zhkg::build::COMPACT_EVERY
        );
    }
    if s.compacted && s.bulk_loaded == s.written {
        println!(
            "store        compacted after bulk-loading {} new articles",
            s.bulk_loaded
        );
    } else if s.compacted {
        println!(
            "store        compacted after writing {} articles ({} new, {} replaced)",
            s.written,
            s.bulk_loaded,
            s.written - s.bulk_loaded
        );
    }
    for p in &s.phases {
        let peak = p
            .peak_bytes
            .map(|b| format!(", peak memory so far {:.2} GB", b as f64 / 1e9))
            .unwrap_or_default();
        println!("time         {:.1} s {}{peak}", p.seconds, p.name);
    }
}
