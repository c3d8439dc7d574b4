//! Helpers shared by the integration tests.

// Each test crate uses some of these helpers, not all of them.
#![allow(dead_code)]

use std::path::Path;

/// Writes `rounds` copies of every seed article into `dir`, named
/// `{prefix}{round:02}_{seed file name}`, each made distinct by a closing
/// line (so each is a new article with its own content hash). Returns how
/// many files it wrote.
pub fn seed_copies(dir: &Path, prefix: &str, rounds: usize) -> usize {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut n = 0;
    for round in 0..rounds {
        for e in std::fs::read_dir(&seeds).unwrap() {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            let name = format!(
                "{prefix}{round:02}_{}",
                p.file_name().unwrap().to_string_lossy()
            );
            std::fs::write(dir.join(name), format!("{text}\n（第{round}次转载）\n")).unwrap();
            n += 1;
        }
    }
    n
}

/// The standard output of a finished command, after checking that it
/// succeeded (its standard error is the failure message otherwise).
pub fn success_stdout(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
