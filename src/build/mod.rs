//! The pipeline over files and folders: discover articles, ingest and extract
//! them in parallel (rayon), a chunk of files at a time, and write each
//! article's graph into the store atomically: new articles gathered into
//! groups of about [`LOAD_GROUP`] quads, each group in one bulk load on a
//! thread of its own while the next chunks are extracted; articles already
//! in the store each in its own transaction that replaces its graph. A
//! file that cannot be read is reported and skipped; the rest of the batch
//! is built.
//!
//! [`file_index`] spares a rebuild the reading of unchanged files;
//! [`stream`] is the same per-article work over JSON lines, for map steps.

pub mod facts;
pub mod file_index;
pub mod resolve;
pub mod stream;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use serde::Serialize;

use crate::build::file_index::{FileIndex, FileStat};
use crate::error::{Error, IngestError, StoreError};
use crate::extract::{EntityKind, Extraction, extract};
use crate::ingest::{
    Article, ArticleId, IngestOptions, check_file, content_hash, parse_file, read_article,
};
use crate::rdf::stamp::Stamp;
use crate::rdf::{ArticleGraph, article_quads};
use crate::store::GraphStore;
use oxigraph::model::NamedNode;

/// File extensions read from folders.
pub const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "html", "htm", "xhtml", "shtml", "md", "markdown",
];

pub use crate::rdf::stamp::{EXTRACTOR_VERSION, GRAPH_FINGERPRINT};

/// Options of a build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Ingest options (forced encoding).
    pub ingest: IngestOptions,
    /// Rebuild articles whose content is unchanged.
    pub force: bool,
    /// Compact the store when at least this many new articles were
    /// bulk-loaded, or this many articles' graphs replaced
    /// ([`COMPACT_AFTER`] by default).
    pub compact_after: usize,
    /// During a build, compact the store again each time this many more
    /// new articles were bulk-loaded ([`COMPACT_EVERY`] by default), so
    /// that the disk never holds more than that many uncompacted articles.
    pub compact_every: usize,
    /// How many files are read and extracted together ([`CHUNK`] by
    /// default).
    pub chunk: usize,
    /// New articles are bulk-loaded in groups of at least this many quads
    /// ([`LOAD_GROUP`] by default), each group on a thread of its own while
    /// the next chunks are extracted.
    pub load_group: usize,
}

/// How many files a build reads and extracts together: enough to keep the
/// cores busy, few enough that memory stays flat.
pub const CHUNK: usize = 256;

/// How many quads of new articles a build gathers before it bulk-loads
/// them (about a thousand generated articles). Each load adds its own
/// sorted files to RocksDB, which compaction merges later: few large loads
/// cost less to load and to compact than many small ones. Memory holds a
/// group being gathered and one being loaded.
pub const LOAD_GROUP: usize = 400_000;

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            ingest: IngestOptions::default(),
            force: false,
            compact_after: COMPACT_AFTER,
            compact_every: COMPACT_EVERY,
            chunk: CHUNK,
            load_group: LOAD_GROUP,
        }
    }
}

/// A file that failed.
#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// The message.
    pub message: String,
}

/// What a build did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildSummary {
    /// Articles found.
    pub files: usize,
    /// Articles whose graphs were written.
    pub written: usize,
    /// Articles skipped because their content and zhkg version are unchanged.
    pub unchanged: usize,
    /// Files that failed.
    pub errors: Vec<FileError>,
    /// Warnings per file.
    pub warnings: Vec<FileError>,
    /// Quads of the article graphs written by this build (not the shared
    /// entity descriptions, nor the store's other graphs). The store's own
    /// total is not counted here: counting means reading every quad, seconds
    /// on a store of 20,000 articles, which a rebuild of one article must not
    /// pay; `zhkg query 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'` counts it.
    pub quads: usize,
    /// Distinct entities written, by kind.
    pub entities: BTreeMap<String, usize>,
    /// Outcome observations written.
    pub outcomes: usize,
    /// Of those, outcomes whose subject zhkg could not find (marked
    /// `zhkg:subjectUnknown`).
    pub subject_unknown: usize,
    /// Relations written.
    pub relations: usize,
    /// Programme nodes linked to another as a variant of its name across
    /// the corpus (see [`resolve`]).
    pub programmes_folded: usize,
    /// Articles bulk-loaded (new graphs), a subset of `written`.
    pub bulk_loaded: usize,
    /// Whether the store was compacted after the build (see [`COMPACT_AFTER`]).
    pub compacted: bool,
    /// How many times the store was compacted during the build, before its
    /// end (see [`COMPACT_EVERY`]).
    pub compactions_during: usize,
    /// The stages of the build in order, with their time and the process's
    /// peak memory at their end: where a long build spends its time and
    /// which stage raises its memory.
    pub phases: Vec<Phase>,
}

/// One stage of a build (reading and loading the articles, the facts
/// graph, the programme variants, the final compaction).
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    /// What the stage does, in a few words.
    pub name: &'static str,
    /// Its wall-clock time in seconds.
    pub seconds: f64,
    /// The process's peak resident memory so far, in bytes, read when the
    /// stage ended (Linux's `VmHWM`; `None` where the system does not say).
    /// The peak only grows: the first stage that raises it holds the memory.
    pub peak_bytes: Option<u64>,
}

/// Times the stages of a build.
struct Phases {
    started: std::time::Instant,
    done: Vec<Phase>,
}

impl Phases {
    fn new() -> Self {
        Phases {
            started: std::time::Instant::now(),
            done: Vec::new(),
        }
    }

    /// Ends the stage `name`, begun when the previous one ended.
    fn end(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.done.push(Phase {
            name,
            seconds: (now - self.started).as_secs_f64(),
            peak_bytes: peak_resident_bytes(),
        });
        self.started = now;
    }
}

/// The process's peak resident memory in bytes (`VmHWM` in
/// `/proc/self/status`), where the system reports it.
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// A build that bulk-loads at least this many new articles compacts the
/// store afterwards. Each bulk-loaded chunk adds its own sorted files to
/// RocksDB, and until they are merged every term lookup of a query probes
/// all of them: on 20,000 generated articles compaction takes about 30 s
/// and makes queries three to four times faster. A build that replaces
/// this many articles' graphs (`--force`, a new zhkg version) compacts too:
/// their old quads linger as deletion markers that every scan of a query
/// steps over until RocksDB merges them away (at 20,000 articles a forced
/// build's store shrinks from 3.0 to 2.6 GB, and the outcomes table reads
/// about a tenth faster). Small builds skip it (RocksDB's background
/// compaction is enough for them).
pub const COMPACT_AFTER: usize = 1000;

/// How many new articles a build bulk-loads between two compactions.
/// Until compacted, RocksDB keeps every bulk-loaded batch as its own sorted
/// files, about 2.5 times the compacted size: 200,000 generated articles
/// would need some 55 GB of disk before the final compaction brings them to
/// about 25 GB. Compacting every 50,000 bounds that to one batch's worth.
pub const COMPACT_EVERY: usize = 50_000;

/// Finds article files under `paths` (files are taken as given; folders are
/// walked recursively for known extensions, following no symlink twice).
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileError>) {
    let (files, errors, _) = discover_with_warnings(paths);
    (files, errors)
}

/// Like [`discover`], also returning warnings: folders reached a second time
/// through a symbolic link (a loop, or two links to one folder), skipped.
pub fn discover_with_warnings(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileError>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    for p in paths {
        walk(p, true, &mut files, &mut errors, &mut warnings, &mut seen);
    }
    files.sort();
    files.dedup();
    (files, errors, warnings)
}

fn walk(
    p: &Path,
    explicit: bool,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<FileError>,
    warnings: &mut Vec<FileError>,
    seen: &mut BTreeSet<PathBuf>,
) {
    let md = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            errors.push(FileError {
                path: p.to_path_buf(),
                message: if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or folder".into()
                } else {
                    format!("cannot read: {e}")
                },
            });
            return;
        }
    };
    if md.is_dir() {
        let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if !seen.insert(canon.clone()) {
            // A symlink loop or a folder reached twice: skipped, and said so.
            if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
                warnings.push(FileError {
                    path: p.to_path_buf(),
                    message: format!(
                        "link to {} which is already being read (a loop?): skipped",
                        canon.display()
                    ),
                });
            }
            return;
        }
        let entries = match std::fs::read_dir(p) {
            Ok(e) => e,
            Err(e) => {
                errors.push(FileError {
                    path: p.to_path_buf(),
                    message: format!("cannot list folder: {e}"),
                });
                return;
            }
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for c in children {
            if c.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            walk(&c, false, files, errors, warnings, seen);
        }
    } else if explicit
        || p.extension().is_some_and(|e| {
            ARTICLE_EXTENSIONS.contains(&e.to_string_lossy().to_ascii_lowercase().as_str())
        })
    {
        files.push(p.to_path_buf());
    }
}

/// One article run through ingest, extraction and modelling.
pub struct Processed {
    /// The article.
    pub article: Article,
    /// What was extracted.
    pub extraction: Extraction,
    /// The quads it contributes.
    pub graph: ArticleGraph,
}

/// Runs ingest → extract → model on one file.
pub fn process_file(path: &Path, opts: &IngestOptions) -> Result<Processed, IngestError> {
    let article = read_article(path, opts)?;
    process_article_guarded(article)
}

/// [`process_article`], with a panic in the extractors turned into an error
/// for this article, so that one bad article never stops a batch.
pub fn process_article_guarded(article: Article) -> Result<Processed, IngestError> {
    guarded(|| process_article(article))
}

/// Runs `work`, turning a panic into [`IngestError::ExtractorFailed`] with
/// the panic's message.
fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, IngestError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "panic".to_owned());
        IngestError::ExtractorFailed(msg)
    })
}

#[cfg(test)]
mod guard_tests {
    use super::*;

    #[test]
    fn stamps_read_in_one_scan_agree_with_lookups() {
        let dir = std::env::temp_dir().join(format!("zhkg-scan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "巨鹿县客服中心有员工196人。\n").unwrap();
        // Malformed UTF-8: built with a read warning.
        std::fs::write(
            dir.join("b.txt"),
            b"\xe4\xb9\x89\xe4\xb9\x8c\xe5\xb8\x82\xe6\x9c",
        )
        .unwrap();
        let store = GraphStore::in_memory().unwrap();
        let s = build(
            &store,
            std::slice::from_ref(&dir),
            &BuildOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(s.written, 2, "{s:?}");
        let mut scanned = StoredStamps::new(&store, true).unwrap();
        let looked_up = StoredStamps::new(&store, false).unwrap();
        for id in ["a", "b", "never-built"] {
            let g = crate::rdf::iri::article(&crate::ingest::ArticleId::new(id));
            assert_eq!(scanned.stamp(&g), looked_up.stamp(&g), "{id}");
            assert_eq!(scanned.warnings(&g), looked_up.warnings(&g), "{id}");
            assert_eq!(scanned.stamp(&g).is_some(), id != "never-built", "{id}");
        }
        let b = crate::rdf::iri::article(&crate::ingest::ArticleId::new("b"));
        assert!(!scanned.warnings(&b).is_empty());
        // Once the build writes a graph, the scan no longer speaks for it.
        assert!(scanned.scanned(&b).is_some());
        scanned.write(&b);
        assert!(scanned.scanned(&b).is_none());
    }

    #[test]
    fn of_two_files_with_one_article_id_the_later_is_the_graph() {
        let dir = std::env::temp_dir().join(format!("zhkg-same-id-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.md"), "巨鹿县客服中心有员工196人。\n").unwrap();
        std::fs::write(dir.join("a.txt"), "义乌市有电商主体108万户。\n").unwrap();
        let store = GraphStore::in_memory().unwrap();
        let s = build(
            &store,
            std::slice::from_ref(&dir),
            &BuildOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(s.written, 2, "{s:?}");
        let graph = crate::rdf::iri::article(&crate::ingest::ArticleId::new("a"));
        let stamps = store
            .inner()
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(oxigraph::model::NamedNodeRef::new_unchecked(
                    crate::rdf::vocab::zhkg::CONTENT_HASH,
                )),
                None,
                None,
            )
            .count();
        assert_eq!(stamps, 1, "one graph, one stamp");
        let text = |t: &str| {
            store
                .inner()
                .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
                .filter_map(Result::ok)
                .any(|q| q.object.to_string().contains(t))
        };
        assert!(text("义乌市") && !text("巨鹿县"), "a.txt, read last, wins");
    }

    #[test]
    fn a_panic_becomes_an_error_for_that_article() {
        let r: Result<(), _> = guarded(|| panic!("index out of bounds"));
        let e = r.unwrap_err().to_string();
        assert!(
            e.contains("index out of bounds") && e.contains("bug in zhkg"),
            "{e}"
        );
        assert_eq!(guarded(|| 7).unwrap(), 7);
    }
}

/// Runs extract → model on an article.
pub fn process_article(article: Article) -> Processed {
    let extraction = extract(&article);
    let graph = article_quads(&article, &extraction);
    Processed {
        article,
        extraction,
        graph,
    }
}

/// What happened to one file in a build.
enum Step {
    /// Its graph is in the store with the same stamp: not extracted again
    /// (its read warnings still count).
    Unchanged(Vec<String>),
    /// Extracted, to be written; `fresh` when the store had no quad of its
    /// graph when the file was stamped (it is then bulk-loaded with other
    /// new articles, unless this build wrote that graph already).
    Extracted(Box<Processed>, bool),
}

/// What the store says about the articles a build looks at: their content
/// stamps and read warnings, read in one scan each when the build covers
/// many files, looked up article by article otherwise.
struct StoredStamps<'a> {
    store: &'a GraphStore,
    /// What one scan of the store read (`None`: look each article up).
    scan: Option<Scan>,
    /// Graphs this build has written, loads or gathered, each as a 64-bit
    /// hash of its IRI ([`graph_key`]): the scan no longer speaks for them,
    /// and a later file of one of them replaces it. Should two IRIs share a
    /// hash, the later article is only written the slower way, as one that
    /// replaces its graph, and its stamp read from the store.
    written: rustc_hash::FxHashSet<u64>,
}

/// The key of an article graph in [`StoredStamps::written`]: the
/// [`key64`] of its IRI (8 bytes where the IRI takes some 90 in a set of
/// strings: 200,000 of them in a large build).
fn graph_key(graph: &NamedNode) -> u64 {
    key64(graph.as_str())
}

/// A 64-bit SipHash-1-3 of `x`, for the sets a build keeps of all its
/// articles or entities: among a million keys, two share one with odds of
/// about 1 in 10^7.
fn key64<T: std::hash::Hash + ?Sized>(x: &T) -> u64 {
    std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(x)
}

/// Every article's stamp and read warnings, by graph IRI.
struct Scan {
    stamps: HashMap<String, Stamp>,
    warnings: HashMap<String, Vec<String>>,
}

impl<'a> StoredStamps<'a> {
    /// Builds of at least this many files read all stamps in one scan.
    const SCAN_FROM: usize = 256;

    /// The store's stamps, read in one scan when `scan`.
    fn new(store: &'a GraphStore, scan: bool) -> Result<Self, Error> {
        let scan = if scan {
            Some(Scan {
                stamps: store
                    .content_stamps()?
                    .into_iter()
                    .map(|(g, s)| (g, Stamp::read(&s)))
                    .collect(),
                warnings: store.all_read_warnings()?,
            })
        } else {
            None
        };
        Ok(Self {
            store,
            scan,
            written: rustc_hash::FxHashSet::default(),
        })
    }

    /// Notes that this build writes `graph`; false when it wrote it already
    /// (a second file with the same article id).
    fn write(&mut self, graph: &NamedNode) -> bool {
        self.written.insert(graph_key(graph))
    }

    /// The scan, when it speaks for `graph`.
    fn scanned(&self, graph: &NamedNode) -> Option<&Scan> {
        self.scan
            .as_ref()
            .filter(|_| !self.written.contains(&graph_key(graph)))
    }

    /// The stamp of `graph` in the store.
    fn stamp(&self, graph: &NamedNode) -> Option<Stamp> {
        match self.scanned(graph) {
            Some(scan) => scan.stamps.get(graph.as_str()).cloned(),
            None => self
                .store
                .content_hash(graph)
                .ok()
                .flatten()
                .map(|s| Stamp::read(&s)),
        }
    }

    /// The read warnings recorded in `graph`.
    fn warnings(&self, graph: &NamedNode) -> Vec<String> {
        match self.scanned(graph) {
            Some(scan) => scan
                .warnings
                .get(graph.as_str())
                .cloned()
                .unwrap_or_default(),
            None => self.store.read_warnings(graph).unwrap_or_default(),
        }
    }
}

/// A file as this build found it, for the [`FileIndex`].
struct Seen {
    key: PathBuf,
    stat: FileStat,
    hash: String,
}

/// Decides whether the file at `path` is unchanged and, if not, reads and
/// processes it. The stamp is of the file's bytes: an unchanged file is not
/// decoded, nor even read when the file index knows its hash, and its
/// recorded read warnings stand for the ones reading it would give. `seen`
/// receives the file's stat and hash once they are known.
fn stamp_and_process(
    stored_stamps: &StoredStamps<'_>,
    index: &FileIndex,
    path: &Path,
    opts: &BuildOptions,
    seen: &mut Option<Seen>,
) -> Result<Step, IngestError> {
    let stat = FileStat::of(&check_file(path)?);
    // Checked just above: read without a second `stat`.
    let read = || std::fs::read(path).map_err(IngestError::Io);
    let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let known = index
        .hash_of(&key, &stat)
        .filter(|_| !opts.force)
        .map(str::to_owned);
    let mut bytes = None;
    let hash = match known {
        Some(h) => h,
        None => content_hash(bytes.insert(read()?)),
    };
    let graph = crate::rdf::iri::article(&ArticleId::from_path(path));
    let stored = stored_stamps.stamp(&graph);
    if !opts.force && stored.as_ref().is_some_and(|s| s.is_current_for(&hash)) {
        *seen = Some(Seen { key, stat, hash });
        return Ok(Step::Unchanged(stored_stamps.warnings(&graph)));
    }
    // To be extracted: read it now if the index spared the reading (and hash
    // what was read, in case the index was wrong).
    let bytes = match bytes {
        Some(b) => b,
        None => read()?,
    };
    *seen = Some(Seen {
        key,
        stat,
        hash: content_hash(&bytes),
    });
    let article = parse_file(path, &bytes, &opts.ingest)?;
    drop(bytes);
    let fresh = stored.is_none() && stored_stamps.store.graph_is_empty(&graph).unwrap_or(false);
    process_article_guarded(article).map(|p| Step::Extracted(Box::new(p), fresh))
}

/// New articles being bulk-loaded on a thread of their own while the next
/// chunks are extracted.
struct PendingLoad<'scope> {
    handle: std::thread::ScopedJoinHandle<'scope, Result<(), StoreError>>,
}

impl<'scope> PendingLoad<'scope> {
    /// Starts loading `group` (with the facts they state when `stated`);
    /// nothing to wait for when there is nothing to load.
    fn start<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        store: &'env GraphStore,
        group: Vec<ArticleGraph>,
        stated: bool,
    ) -> Option<Self> {
        if group.is_empty() {
            return None;
        }
        let handle = scope.spawn(move || write_fresh(store, group, stated));
        Some(Self { handle })
    }

    /// Waits for the load to end.
    fn wait(self) -> Result<(), StoreError> {
        self.handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// Bulk-loads new articles, with the facts they state when `stated`.
fn write_fresh(
    store: &GraphStore,
    fresh: Vec<ArticleGraph>,
    stated: bool,
) -> Result<(), StoreError> {
    let facts: Vec<oxigraph::model::Quad> = match stated {
        true => fresh.iter().flat_map(facts::Gathered::stated).collect(),
        false => Vec::new(),
    };
    store.write_new_articles(fresh, facts)
}

/// New article graphs gathered for one bulk load, and the entity
/// descriptions the build has loaded so far (kept across loads).
#[derive(Default)]
struct Group {
    graphs: Vec<ArticleGraph>,
    /// Their quads, entity descriptions included.
    quads: usize,
    /// The entity descriptions this build has bulk-loaded or gathered so
    /// far, by [`description_key`] (an entity is described the same way by
    /// every article that names it: 2.0 million description quads at
    /// 20,000 articles, 1.5 million distinct at 200,000). Keys, not quads:
    /// 16 bytes each where a quad's strings take some 350.
    described: rustc_hash::FxHashSet<u128>,
}

/// A 128-bit key of an entity description: the 128-bit SipHash-1-3 of the
/// quad. Two distinct quads of one build share a key with a probability of
/// about n²/2¹²⁹ (under 10⁻²⁶ for 10 million).
fn description_key(q: oxigraph::model::QuadRef<'_>) -> u128 {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hash;
    let mut h = SipHasher13::new();
    q.hash(&mut h);
    h.finish128().as_u128()
}

impl Group {
    /// Adds a graph, without the entity descriptions already loaded or
    /// gathered.
    fn push(&mut self, mut g: ArticleGraph) {
        let described = &mut self.described;
        g.retain_entities(|q| described.insert(description_key(q)));
        self.quads += g.len();
        self.graphs.push(g);
    }

    /// Forgets the descriptions loaded so far: an article written in a
    /// transaction may have swept some of them from the store.
    fn forget_described(&mut self) {
        self.described.clear();
    }

    /// The graphs gathered so far; the group is left empty.
    fn take(&mut self) -> Vec<ArticleGraph> {
        self.quads = 0;
        std::mem::take(&mut self.graphs)
    }
}

/// Builds the graphs of the articles under `paths` into `store`. Files whose
/// stamp (content hash and extractor fingerprint) matches the store's are
/// not extracted again (nor read, when the [`FileIndex`] kept in the store's
/// folder knows their hash); the entity, outcome and relation counts of
/// the summary cover the articles written.
/// `progress` is called with (done, total) after each article.
pub fn build(
    store: &GraphStore,
    paths: &[PathBuf],
    opts: &BuildOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildSummary, Error> {
    let mut phases = Phases::new();
    let (files, errors, warnings) = discover_with_warnings(paths);
    let mut summary = BuildSummary {
        files: files.len(),
        errors,
        warnings,
        ..BuildSummary::default()
    };
    // The distinct entities written, by kind, each as the [`key64`] of its
    // key: a count needs no names (750,000 people at 200,000 articles).
    let mut entity_keys: rustc_hash::FxHashSet<(EntityKind, u64)> = Default::default();
    let total = files.len();
    let mut done = 0;
    let started = SystemTime::now();
    let mut index = store.path().map(FileIndex::load).unwrap_or_default();
    let mut seen_now = FileIndex::default();
    let mut stored_stamps = StoredStamps::new(store, files.len() >= StoredStamps::SCAN_FROM)?;
    // Links between programme variants are derived from all articles: they
    // are dropped first (no stale link keeps a dropped node alive) and
    // written anew once every article is in.
    resolve::clear(store)?;
    // Articles bulk-loaded when the store was last compacted.
    let mut compacted_at = 0;
    // Entities the written articles refer to (see facts::update).
    let mut touched: BTreeSet<NamedNode> = BTreeSet::new();
    let mut families = facts::FamilyChange::default();
    // Into a store without articles the facts graph is gathered as the
    // articles are loaded; should any article be written another way (two
    // files of one article id), it is recomputed whole after all.
    let mut gathered = if facts::Gathered::possible(store)? {
        Some(facts::Gathered::default())
    } else {
        None
    };
    // New articles are gathered into groups and each group is bulk-loaded
    // on a thread of its own while the next chunks are read and extracted.
    // Anything else that writes the store (a changed article, a second
    // file of an article id this build wrote, a compaction) first waits for
    // the load and loads the group gathered so far.
    std::thread::scope(|scope| -> Result<(), Error> {
        let mut pending: Option<PendingLoad<'_>> = None;
        let mut group = Group::default();
        for chunk in files.chunks(opts.chunk.max(1)) {
            // Stamp each file first; only changed articles are extracted.
            let results: Vec<(PathBuf, Option<Seen>, Result<Step, IngestError>)> = chunk
                .par_iter()
                .map(|p| {
                    let mut seen = None;
                    let step = stamp_and_process(&stored_stamps, &index, p, opts, &mut seen);
                    (p.clone(), seen, step)
                })
                .collect();
            for (path, seen, result) in results {
                done += 1;
                if result.is_ok()
                    && let Some(s) = seen
                {
                    seen_now.record(&s.key, s.stat, &s.hash, started);
                }
                let warnings = match &result {
                    Ok(Step::Unchanged(w)) => w.clone(),
                    Ok(Step::Extracted(p, _)) => p.article.warnings.clone(),
                    Err(_) => Vec::new(),
                };
                for w in warnings {
                    summary.warnings.push(FileError {
                        path: path.clone(),
                        message: w,
                    });
                }
                match result {
                    Err(e) => summary.errors.push(FileError {
                        path,
                        message: e.to_string(),
                    }),
                    Ok(Step::Unchanged(_)) => summary.unchanged += 1,
                    Ok(Step::Extracted(p, is_fresh)) => {
                        // Two files with one article id (a.txt, a.html): the
                        // later replaces the earlier, as in separate builds.
                        let is_fresh = stored_stamps.write(&p.graph.graph) && is_fresh;
                        if !is_fresh {
                            // The store must hold what this build loads before
                            // an article is written over it.
                            if let Some(load) = pending.take() {
                                load.wait()?;
                            }
                            write_fresh(store, group.take(), gathered.is_some())?;
                            group.forget_described();
                            gathered = None;
                        }
                        if let Some(g) = &mut gathered {
                            g.add(store, &p.graph)?;
                        } else {
                            // The entities whose facts may change, and how the
                            // family counts do; past facts::UPDATE_MAX the
                            // facts graph is recomputed whole.
                            let counted = touched.len() <= facts::UPDATE_MAX;
                            if counted && !is_fresh {
                                families.before(store, &p.graph.graph)?;
                            }
                            let refs = if is_fresh {
                                crate::store::entity_refs(p.graph.quads())
                            } else {
                                store.write_article(&p.graph)?
                            };
                            if counted {
                                families.after(store, &p.graph)?;
                                touched.extend(refs);
                            }
                        }
                        summary.written += 1;
                        summary.quads += p.graph.quads().len();
                        for k in p.extraction.entities.keys() {
                            entity_keys.insert((k.kind, key64(&k.local)));
                        }
                        summary.outcomes += p.extraction.observations.len();
                        summary.subject_unknown += p
                            .extraction
                            .observations
                            .iter()
                            .filter(|o| o.subject.is_none())
                            .count();
                        summary.relations += p.extraction.relations.len();
                        if is_fresh {
                            summary.bulk_loaded += 1;
                            group.push(p.graph);
                        }
                    }
                }
                progress(done, total);
            }
            let compact = summary.bulk_loaded - compacted_at >= opts.compact_every.max(1);
            if compact || group.quads >= opts.load_group {
                if let Some(load) = pending.take() {
                    load.wait()?;
                }
                pending = PendingLoad::start(scope, store, group.take(), gathered.is_some());
            }
            if compact {
                if let Some(load) = pending.take() {
                    load.wait()?;
                }
                store.compact()?;
                compacted_at = summary.bulk_loaded;
                summary.compactions_during += 1;
            }
        }
        if let Some(load) = pending.take() {
            load.wait()?;
        }
        write_fresh(store, group.take(), gathered.is_some())?;
        Ok(())
    })?;
    for (kind, _) in &entity_keys {
        *summary
            .entities
            .entry(format!("{kind:?}").to_lowercase())
            .or_default() += 1;
    }
    phases.end("articles read and loaded");
    // Entities that re-extracted articles no longer name are swept as each
    // article is written (GraphStore::write_article).
    // Entity facts, each once: those of the entities the written articles
    // touch, or all of them (before the variants, whose owner names it reads).
    if let Some(g) = gathered.filter(|_| summary.written > 0) {
        g.write(store)?;
        phases.end("facts graph written (gathered while loading)");
    } else if touched.len() > facts::UPDATE_MAX || !facts::is_current(store)? {
        facts::rebuild(store)?;
        phases.end("facts graph recomputed");
    } else if !touched.is_empty() {
        facts::update(store, &touched, families)?;
        phases.end("facts graph updated");
    }
    summary.programmes_folded = resolve::programmes(store)?;
    phases.end("programme variants linked");
    store.flush()?;
    if let Some(dir) = store.path() {
        index.merge(seen_now);
        if let Err(e) = index.save(dir) {
            summary.warnings.push(FileError {
                path: dir.join(crate::build::file_index::FILE_NAME),
                message: format!(
                    "could not save the file index ({e}); the next build reads every file again"
                ),
            });
        }
    }
    phases.end("store flushed, file index saved");
    let replaced = summary.written - summary.bulk_loaded;
    if (summary.bulk_loaded > compacted_at && summary.bulk_loaded >= opts.compact_after)
        || replaced >= opts.compact_after
    {
        store.compact()?;
        summary.compacted = true;
        phases.end("store compacted");
    }
    summary.phases = phases.done;
    Ok(summary)
}
