//! `zhkg eval`: extraction scored against gold annotations.

use std::process::ExitCode;

use anyhow::{Result, bail};
use zhkg::ingest::IngestOptions;

use crate::cli::EvalArgs;

/// Runs `zhkg eval` (it needs no store: each article is scored alone).
pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let ev = match &args.predictions {
        Some(dir) => zhkg::eval::summary::evaluate_predictions(&args.gold, dir)?,
        None => zhkg::eval::summary::evaluate(&args.gold, &args.inputs, &IngestOptions::default())?,
    };
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
