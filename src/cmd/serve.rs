//! `zhkg serve`: the SPARQL endpoint over the store.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::{open_store, open_store_read_only, require_store};
use crate::cli::ServeArgs;

/// Runs `zhkg serve` with the store at `location`.
pub fn run(location: &Path, args: ServeArgs) -> Result<ExitCode> {
    let ServeArgs {
        bind,
        timeout,
        max_rows,
        max_body,
        workers,
        queue,
        queue_wait,
        allow_update,
        token,
        cors,
    } = args;
    require_store(location)?;
    if !(timeout.is_finite() && timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    if !(queue_wait.is_finite() && queue_wait >= 0.0) {
        bail!("--queue-wait must be a number of seconds, 0 or more");
    }
    let store = if allow_update {
        open_store(location)?
    } else {
        open_store_read_only(location)?
    };
    let opts = zhkg::serve::ServeOptions {
        bind,
        timeout: std::time::Duration::from_secs_f64(timeout),
        max_rows: usize::try_from(max_rows).unwrap_or(usize::MAX),
        max_body: usize::try_from(max_body).unwrap_or(usize::MAX),
        update_token: token.filter(|_| allow_update),
        workers: usize::try_from(workers).unwrap_or(usize::MAX),
        queue: usize::try_from(queue).unwrap_or(usize::MAX),
        queue_wait: std::time::Duration::from_secs_f64(queue_wait),
        cors,
        // A read-only server follows the builds of the store it reads.
        watch: (!allow_update).then(|| location.to_path_buf()),
    };
    let updates = opts.update_token.is_some();
    let server = zhkg::serve::start(store, opts)?;
    let addr = server.addr();
    eprintln!(
        "zhkg: SPARQL endpoint at http://{addr}/query ({}), graphs at http://{addr}/store?graph=IRI, pages for a browser at http://{addr}/; Ctrl-C stops it",
        if updates {
            "updates at /update with the token"
        } else {
            "read-only; a build into the store shows within seconds"
        }
    );
    server.join();
    Ok(ExitCode::SUCCESS)
}
