//! File and store errors of `zhkg build`, as a table: an unreadable article,
//! a store the user cannot write or read, and a disk that fills up during a
//! build. Each gives one clear line naming the file or the store and saying
//! what to do, a non-zero exit code, no panic, and a store that still opens
//! with everything committed before the failure intact.
//!
//! The tests run as root in CI, where file permissions stop nothing: the
//! permission cases then run zhkg as `nobody` (uid 65534) through `setpriv`
//! or `runuser`, from a copy of the binary that user can read. As another
//! user they run zhkg directly.

#![cfg(unix)]
// libc calls: the effective uid, and a file-size limit set in the child.
#![allow(unsafe_code)]

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOBODY: u32 = 65534;

fn good_article() -> &'static str {
    "巨鹿县客服中心有员工196人，平均工资5000元左右。阿里巴巴在巨鹿县设立了客户体验中心。"
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// How to run zhkg as a user that file permissions apply to.
struct Runner {
    /// The program and the arguments before zhkg's own.
    prefix: Vec<String>,
    /// A tempdir holding a copy of the binary readable by that user.
    _bin: Option<tempfile::TempDir>,
}

impl Runner {
    /// As root: drops to `nobody` with setpriv or runuser, whichever works.
    /// As another user: runs zhkg directly. `None` (the caller skips; this
    /// says so) only when root can use neither.
    #[allow(clippy::print_stderr, reason = "a skipped test says why")]
    fn unprivileged() -> Option<Self> {
        let zhkg = PathBuf::from(env!("CARGO_BIN_EXE_zhkg"));
        if !is_root() {
            return Some(Self {
                prefix: vec![zhkg.display().to_string()],
                _bin: None,
            });
        }
        // The target directory may be unreadable for nobody: a copy in a
        // folder everyone can read (this also keeps a concurrent build from
        // replacing the binary mid-test).
        let bin = tempfile::tempdir().unwrap();
        chmod(bin.path(), 0o755);
        let copy = bin.path().join("zhkg");
        std::fs::copy(&zhkg, &copy).unwrap();
        chmod(&copy, 0o755);
        let copy = copy.display().to_string();
        let candidates = [
            vec![
                "setpriv".to_owned(),
                format!("--reuid={NOBODY}"),
                format!("--regid={NOBODY}"),
                "--clear-groups".to_owned(),
            ],
            vec![
                "runuser".to_owned(),
                "-u".to_owned(),
                "nobody".to_owned(),
                "--".to_owned(),
            ],
        ];
        for mut prefix in candidates {
            let works = Command::new(&prefix[0])
                .args(&prefix[1..])
                .arg(&copy)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            if works {
                prefix.push(copy);
                return Some(Self {
                    prefix,
                    _bin: Some(bin),
                });
            }
        }
        eprintln!("SKIPPED: running as root, and neither setpriv nor runuser can drop to nobody");
        None
    }

    fn zhkg(&self, store: &Path) -> Command {
        let mut c = Command::new(&self.prefix[0]);
        c.args(&self.prefix[1..]).arg("--store").arg(store);
        c
    }
}

/// A work folder every user can write (tempdirs are private by default).
fn shared_tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o777);
    dir
}

fn zhkg(store: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhkg"));
    c.arg("--store").arg(store);
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// No panic, no backtrace: a message for a person.
fn assert_no_panic(err: &str) {
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!err.contains(bad), "{bad:?} in {err}");
    }
}

/// The article graphs in the store that have their content stamp, and those
/// that have not (there must never be any).
fn stamped_graphs(store: &Path) -> (usize, usize) {
    let out = zhkg(store)
        .args([
            "query",
            "--format",
            "tsv",
            "SELECT (COUNT(DISTINCT ?g) AS ?with) (COUNT(DISTINCT ?h) AS ?without) WHERE { \
             { GRAPH ?g { ?g zhkg:contentHash ?x } } UNION \
             { GRAPH ?h { ?s ?p ?o } FILTER (STRSTARTS(STR(?h), \"https://w3id.org/zhkg/id/article/\")) \
               FILTER NOT EXISTS { GRAPH ?h { ?h zhkg:contentHash ?y } } } }",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "the store opens: {}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let row: Vec<usize> = text
        .lines()
        .nth(1)
        .unwrap()
        .split('\t')
        .map(|n| n.split('"').nth(1).unwrap_or(n).parse().unwrap())
        .collect();
    (row[0], row[1])
}

/// A folder `articles` in `dir`, readable by all, holding the good article
/// under each name with its mode.
fn articles_folder(dir: &Path, files: &[(&str, u32)]) -> PathBuf {
    let articles = dir.join("articles");
    std::fs::create_dir(&articles).unwrap();
    chmod(&articles, 0o755);
    for &(name, mode) in files {
        let p = articles.join(name);
        std::fs::write(&p, good_article()).unwrap();
        chmod(&p, mode);
    }
    articles
}

#[test]
fn an_unreadable_file_is_named_and_the_rest_is_built() {
    let Some(runner) = Runner::unprivileged() else {
        return;
    };
    let dir = shared_tempdir();
    let articles = articles_folder(dir.path(), &[("good.txt", 0o644), ("secret.txt", 0o000)]);
    let out = runner
        .zhkg(&dir.path().join("store"))
        .arg("build")
        .arg(&articles)
        .arg("--json")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_no_panic(&err);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    assert!(
        lines[0].contains("secret.txt") && lines[0].contains("Permission denied"),
        "{err}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary["written"], 1,
        "the good article is built: {summary}"
    );
    assert_eq!(summary["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn a_store_the_user_may_not_use_is_named_with_what_to_do() {
    let Some(runner) = Runner::unprivileged() else {
        return;
    };
    let dir = shared_tempdir();
    let articles = articles_folder(dir.path(), &[("good.txt", 0o644)]);
    // A store built by someone else and left read-only; a store in a folder
    // the user may not write; a store the user may not even read.
    let built = dir.path().join("built");
    let ok = zhkg(&built).arg("build").arg(&articles).output().unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    chmod(&built, 0o555);
    // (A path with "lock" in it once made any failure read as "locked by
    // another zhkg process".)
    let locked_parent = dir.path().join("locked");
    std::fs::create_dir(&locked_parent).unwrap();
    chmod(&locked_parent, 0o555);
    let private = dir.path().join("private");
    let ok = zhkg(&private).arg("build").arg(&articles).output().unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    chmod(&private, 0o000);

    let cases: [(&Path, &[&str], &str); 3] = [
        (&built, &["build"], "writable (chown or chmod)"),
        (
            &locked_parent.join("store"),
            &["build"],
            "writable (chown or chmod)",
        ),
        (
            &private,
            &["query", "articles"],
            "readable (chown or chmod)",
        ),
    ];
    let mut failures = Vec::new();
    for (store, args, advice) in cases {
        let mut c = runner.zhkg(store);
        c.args(args);
        if args[0] == "build" {
            c.arg(&articles);
        }
        let out = c.output().unwrap();
        let err = stderr(&out);
        assert_no_panic(&err);
        let one_line = err.lines().count() == 1;
        let says = err.contains(&store.display().to_string())
            && err.contains("permission denied")
            && err.contains(advice);
        if out.status.success() || !one_line || !says {
            failures.push(format!(
                "{} {args:?}: exit {:?}: {err}",
                store.display(),
                out.status.code()
            ));
        }
    }
    chmod(&private, 0o755);
    chmod(&built, 0o755);
    chmod(&locked_parent, 0o755);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `zhkg` with a file-size limit: any write past `bytes` in a file fails
/// with EFBIG ("File too large"), as on a full disk (SIGXFSZ is ignored so
/// that the write returns the error instead of killing the process).
fn with_file_size_limit(mut c: Command, bytes: u64) -> Command {
    // SAFETY: only async-signal-safe calls (signal, setrlimit) between fork
    // and exec.
    unsafe {
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c
}

#[test]
fn a_full_disk_stops_the_build_cleanly_and_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = crate::common::root().join("seeds");
    let store = dir.path().join("store");
    let ok = zhkg(&store).arg("build").arg(&seeds).output().unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    let export = |store: &Path| {
        let out = zhkg(store)
            .args(["export", "--format", "nquads"])
            .output()
            .unwrap();
        assert!(out.status.success(), "the store opens: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    // The seeds' article graphs, line by line.
    let seed_graphs = |nquads: &str| -> Vec<String> {
        let mut v: Vec<String> = nquads
            .lines()
            .filter(|l| {
                l.trim_end_matches(" .")
                    .rsplit(' ')
                    .next()
                    .is_some_and(|g| g.starts_with("<https://w3id.org/zhkg/id/article/00"))
            })
            .map(str::to_owned)
            .collect();
        v.sort();
        v
    };
    let before = seed_graphs(&export(&store));
    assert!(!before.is_empty());

    // 300 more articles: new articles are bulk-loaded in batches of sorted
    // files, which grow past a 2 MiB file-size limit.
    let more = dir.path().join("more");
    std::fs::create_dir(&more).unwrap();
    assert_eq!(common::seed_copies(&more, "r", 60), 300);
    let mut build = zhkg(&store);
    build.arg("build").arg(&more);
    let out = with_file_size_limit(build, 2 << 20).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_no_panic(&err);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&store.display().to_string())
            && err.contains("the disk is full")
            && err.contains("run the same build again"),
        "{err}"
    );

    // The store opens; no article is half written; the seeds are as before.
    let (with, without) = stamped_graphs(&store);
    assert_eq!(without, 0, "an article graph without its stamp");
    assert!((5..305).contains(&with), "{with} stamped graphs");
    assert_eq!(seed_graphs(&export(&store)), before);

    // With room again, the same build completes the store.
    let out = zhkg(&store).arg("build").arg(&more).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stamped_graphs(&store), (305, 0));
}

#[test]
fn a_folder_without_a_store_and_an_unfinished_store_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    // What a build killed just after RocksDB took its lock leaves.
    let unfinished = dir.path().join("unfinished");
    std::fs::create_dir(&unfinished).unwrap();
    std::fs::write(unfinished.join("LOCK"), b"").unwrap();
    for (store, says) in [
        (&empty, "holds no zhkg store"),
        (&unfinished, "never completely created"),
    ] {
        let out = zhkg(store).args(["query", "articles"]).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_no_panic(&err);
        assert!(
            err.lines().count() == 1
                && err.contains(&store.display().to_string())
                && err.contains(says)
                && err.contains("zhkg build"),
            "{err}"
        );
    }
}
