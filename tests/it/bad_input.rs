//! Bad input, as a table: each kind of broken file gets a clear error or
//! warning naming it (and the line where one applies), the rest of the batch
//! is built, and nothing panics.

use std::path::{Path, PathBuf};

use zhkg::build::{BuildOptions, BuildSummary, build};
use zhkg::store::GraphStore;

/// What a file must produce.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// The file fails with a message containing this.
    Error(&'static str),
    /// The file is built, with a warning containing this.
    Warning(&'static str),
    /// The file is built without complaint.
    Built,
}

fn good_article() -> &'static [u8] {
    "巨鹿县客服中心有员工196人，平均工资5000元左右。阿里巴巴在巨鹿县设立了客户体验中心。".as_bytes()
}

/// (file name, contents, expectation). Contents are written as bytes.
fn cases() -> Vec<(&'static str, Vec<u8>, Expect)> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([0u8; 64]);
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend([0u8; 64]);
    let mut bad_utf8 = "巨鹿县的客服".as_bytes().to_vec();
    bad_utf8.extend(b"\xff\xfe");
    bad_utf8.extend("中心有员工196人，返乡人员占比65.7%。".as_bytes());
    let mut nul = "巨鹿县客服中心\0有员工196人。".as_bytes().to_vec();
    nul.extend("其中返乡人员占比65.7%。".as_bytes());
    let (gbk, _, _) = encoding_rs::GB18030.encode("义乌市人社局举办直播电商培训，学员300人。");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "平安区蚂蚁服务星站有员工40名。"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let nested = format!(
        "{}<div>巨鹿县客服中心有员工196人。<p>没有闭合的段落",
        "<div><span>".repeat(5000)
    );
    // One line of about 256 KB: the good article over and over.
    let long_line = String::from_utf8(good_article().to_vec())
        .unwrap()
        .repeat(1 << 18 >> 7);
    vec![
        ("empty.txt", Vec::new(), Expect::Error("empty")),
        ("blank.txt", b"  \n\t \n".to_vec(), Expect::Error("empty")),
        ("image.txt", png, Expect::Error("binary")),
        ("program.txt", elf, Expect::Error("binary")),
        ("nul.txt", nul, Expect::Warning("line 1: 1 NUL byte")),
        (
            "bad-utf8.txt",
            bad_utf8,
            Expect::Warning("line 1: 2 malformed UTF-8"),
        ),
        ("gbk.txt", gbk.into_owned(), Expect::Built),
        ("utf16.txt", utf16, Expect::Built),
        ("nested.html", nested.into_bytes(), Expect::Built),
        (
            "front.md",
            "---\ntitle: [unclosed\n---\n巨鹿县客服中心有员工196人。\n"
                .as_bytes()
                .to_vec(),
            Expect::Warning("line 2: front matter value of `title` is malformed YAML"),
        ),
        (
            "english.txt",
            b"The county call centre employs 196 people.\n".to_vec(),
            Expect::Warning("Chinese character"),
        ),
        ("long-line.txt", long_line.into_bytes(), Expect::Built),
        (
            "ten-megabytes.txt",
            ten_megabyte_line(),
            Expect::Error("over the 1000000-character limit for one article: split it"),
        ),
    ]
}

fn message_for<'a>(list: &'a [zhkg::build::FileError], path: &Path) -> Option<&'a str> {
    list.iter()
        .find(|e| e.path == path)
        .map(|e| e.message.as_str())
}

fn run(dir: &Path, extra: &[PathBuf]) -> BuildSummary {
    let store = GraphStore::in_memory().unwrap();
    let mut paths = vec![dir.to_path_buf()];
    paths.extend_from_slice(extra);
    build(&store, &paths, &BuildOptions::default(), &|_, _| {}).unwrap()
}

#[test]
fn every_bad_file_is_named_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), good_article()).unwrap();
    let cases = cases();
    for (name, bytes, _) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    // Over the size limit: a sparse file, so the test stays light.
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    // A folder that links back to itself.
    let sub = dir.path().join("loop");
    std::fs::create_dir(&sub).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&sub, sub.join("again")).unwrap();
    let missing = dir.path().join("missing.txt");

    let s = run(dir.path(), std::slice::from_ref(&missing));
    let mut failures = Vec::new();
    for (name, _, expect) in &cases {
        let path = dir.path().join(name);
        let error = message_for(&s.errors, &path);
        let warning = message_for(&s.warnings, &path);
        let ok = match expect {
            Expect::Error(m) => error.is_some_and(|e| e.contains(m)),
            Expect::Warning(m) => error.is_none() && warning.is_some_and(|w| w.contains(m)),
            Expect::Built => error.is_none(),
        };
        if !ok {
            failures.push(format!(
                "{name}: want {expect:?}, error {error:?}, warning {warning:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(message_for(&s.errors, &huge).is_some_and(|e| e.contains("limit")));
    assert!(message_for(&s.errors, &missing).is_some_and(|e| e.contains("no such file")));
    #[cfg(unix)]
    assert!(
        message_for(&s.warnings, &sub.join("again")).is_some_and(|w| w.contains("already")),
        "{:?}",
        s.warnings
    );
    // Everything that is an article was built: the good one and the Built
    // and Warning cases.
    let built = cases
        .iter()
        .filter(|(_, _, e)| !matches!(e, Expect::Error(_)))
        .count()
        + 1;
    assert_eq!(s.written, built, "{s:?}");
}

#[test]
fn the_command_line_exit_code_says_something_failed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), good_article()).unwrap();
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let out = assert_cmd::Command::cargo_bin("zhkg")
        .unwrap()
        .arg("--store")
        .arg(dir.path().join("store"))
        .arg("build")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt: file is empty"), "{err}");
    // One line per problem.
    assert_eq!(
        err.lines().filter(|l| l.contains("empty.txt")).count(),
        1,
        "{err}"
    );
}

#[test]
fn a_query_over_its_time_limit_is_stopped_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), good_article()).unwrap();
    let store = dir.path().join("store");
    let zhkg = || {
        let mut c = assert_cmd::Command::cargo_bin("zhkg").unwrap();
        c.arg("--store").arg(&store);
        c
    };
    zhkg().arg("build").arg(dir.path()).assert().success();
    // A cross product of the whole store with itself, three times.
    let out = zhkg()
        .args([
            "query",
            "--timeout",
            "0.5",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("time limit (--timeout)"), "{err}");
    // The store is intact: a normal query still answers.
    zhkg()
        .args(["query", "--timeout", "60", "articles"])
        .assert()
        .success();
    zhkg()
        .args(["query", "--timeout", "-1", "articles"])
        .assert()
        .failure();
}

/// A 10 MB article on one line: the good article over and over, about 3.5
/// million characters, over the limit of characters one article may have.
fn ten_megabyte_line() -> Vec<u8> {
    let line = good_article();
    let text = line.repeat((10 << 20) / line.len());
    assert!(text.len() > 10_000_000 && !text.contains(&b'\n'));
    text
}
