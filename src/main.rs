//! The `zhkg` binary: parses the arguments and hands each subcommand to its
//! module in `cmd/`, which calls the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod cmd;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use cli::{Cli, Command};

/// mimalloc instead of the system allocator: extraction makes many small,
/// short-lived strings and vectors, and glibc's malloc and free were a fifth
/// of its time. Its `override` feature makes C's malloc and free mimalloc's
/// too: Oxigraph frees RocksDB's C-allocated error messages through Rust's
/// allocator (`CString::from_raw`), which crashes when the two differ.
/// Built without transparent huge pages (`no_thp`, see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("zhkg: {}", cmd::report(&e));
            ExitCode::from(2)
        }
    }
}

/// Dispatches a parsed command line to its subcommand.
fn run(cli: Cli) -> Result<ExitCode> {
    let location = cli.store.as_path();
    match cli.command {
        Command::Build(args) => cmd::build::run(location, args),
        Command::Query(args) => cmd::query::run(location, args),
        Command::Validate(args) => cmd::validate::run(location, args),
        Command::Export(args) => cmd::export::run(location, args),
        Command::Load(args) => cmd::load::run(location, args),
        Command::Serve(args) => cmd::serve::run(location, args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Extract(args) => cmd::extract::run(args),
    }
}

/// A closed standard output (`zhkg export | head`) is not an error. The
/// serializers wrap I/O errors transparently, so look inside them too.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    use oxigraph::store::SerializerError;
    use zhkg::error::StoreError;
    let io = e.downcast_ref::<std::io::Error>().or_else(|| {
        match e
            .downcast_ref::<StoreError>()
            .or_else(|| match e.downcast_ref::<zhkg::Error>() {
                Some(zhkg::Error::Store(s)) => Some(s),
                _ => None,
            })? {
            StoreError::Serialize(SerializerError::Io(io)) | StoreError::Write(io) => Some(io),
            _ => None,
        }
    });
    io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
