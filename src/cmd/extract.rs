//! `zhkg extract`: one article's graph, gold-format summary or tokens; or JSON lines in, N-Quads out.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use oxigraph::io::RdfFormat;
use oxigraph::model::QuadRef;

use super::ingest_options;
use crate::cli::{ExtractArgs, ExtractFormat};

/// Runs `zhkg extract` (it needs no store).
pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let ExtractArgs {
        file,
        jsonl,
        format,
        encoding,
        explain,
    } = args;
    let opts = ingest_options(encoding.as_deref())?;
    let Some(file) = file.filter(|_| !jsonl) else {
        // The models load beside the first records' reading.
        let warm = std::thread::spawn(zhkg_text::warm_up);
        let s = zhkg::build::stream::extract_jsonl_reading_ahead(
            std::io::stdin().lock(),
            std::io::BufWriter::new(std::io::stdout().lock()),
            &opts,
            || warm.is_finished(),
        )?;
        if let Err(panic) = warm.join() {
            std::panic::resume_unwind(panic);
        }
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
    zhkg_text::warm_up();
    let article =
        zhkg::ingest::read_article(&file, &opts).with_context(|| format!("{}", file.display()))?;
    if explain {
        for r in &article.removed {
            eprintln!(
                "removed [{}..{}] {}: {}",
                r.span.start,
                r.span.end,
                r.reason.explain(),
                r.text
            );
        }
        for w in &article.warnings {
            eprintln!("warning: {w}");
        }
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let rdf = match format {
        ExtractFormat::Turtle => RdfFormat::Turtle,
        ExtractFormat::Nquads => RdfFormat::NQuads,
        ExtractFormat::Trig => RdfFormat::TriG,
        ExtractFormat::Tokens => {
            // The segmentation stage alone: no extraction.
            let seg = zhkg::segment::segment(&article);
            for t in &seg.tokens {
                writeln!(
                    w,
                    "{}\t{}..{}\t{}\t{}",
                    seg.sentence_of(t.start),
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
            let p = zhkg::build::process_article_guarded(article)
                .with_context(|| format!("{}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let summary = zhkg::eval::summary::summarize_processed(&p, &name)?;
            writeln!(w, "{}", summary.to_json_pretty())?;
            w.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let p = zhkg::build::process_article_guarded(article)
        .with_context(|| format!("{}", file.display()))?;
    let quads: Vec<_> = p.graph.all().map(QuadRef::into_owned).collect();
    zhkg::sparql::export::write_quads(&quads, rdf, &mut w)?;
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
