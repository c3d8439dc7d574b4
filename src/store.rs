//! The Oxigraph store: on disk (RocksDB) for the CLI, in memory for tests and
//! `zhkg extract`. Each article is written as one transaction that replaces
//! its named graph, so a rebuild never duplicates facts and a failure leaves
//! every other article intact. The ontology lives in its own named graph.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad, QuadRef};
use oxigraph::store::Store;

use crate::error::StoreError;
use crate::rdf::ArticleGraph;
use crate::rdf::vocab::ONTOLOGY_GRAPH;

/// The ontology (Turtle), embedded.
pub const ONTOLOGY: &str = include_str!("../ontology/zhkg.ttl");

/// The file in the store folder naming the process that opened it for writing.
pub const PID_FILE: &str = "zhkg.pid";

/// The default on-disk location of the store.
pub const DEFAULT_STORE: &str = "zhkg-store";

/// Removes the sorted files a bulk load killed before its commit left in the
/// store folder (`bulk-<n>.sst`; never part of the database until ingested,
/// and unlinked by the loader once they are). Called with the store's lock
/// held, so no other process is loading.
fn remove_stray_bulk_files(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// What went wrong with a store, as far as advice to the user goes: a
/// failure of any store operation sorted into the cases a user can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreProblem {
    /// Another process holds the write lock ([`StoreError::Locked`]).
    Locked,
    /// The user may not read or write the store's files (or the file
    /// system is read-only).
    PermissionDenied,
    /// The disk is full or a file-size limit was reached.
    DiskFull,
    /// The folder holds a store whose creation never finished.
    Unfinished,
    /// The folder holds no store at all (when opening read-only).
    NotAStore,
    /// Anything else.
    Other,
}

impl StoreProblem {
    /// Sorts `error` (and its causes), met by an operation on the store at
    /// `path` opened read-only or not. I/O errors are told apart by their
    /// kind; RocksDB reports its own I/O failures only as text, so those are
    /// told apart by the text, here and nowhere else.
    pub fn of(error: &(dyn std::error::Error + 'static), path: &Path, read_only: bool) -> Self {
        use std::io::ErrorKind;
        let mut text = String::new();
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(e) = cause {
            if matches!(
                e.downcast_ref::<StoreError>(),
                Some(StoreError::Locked { .. })
            ) {
                return Self::Locked;
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                        return Self::PermissionDenied;
                    }
                    ErrorKind::StorageFull | ErrorKind::FileTooLarge => return Self::DiskFull,
                    _ => {}
                }
            }
            text.push_str(&e.to_string());
            text.push('\n');
            cause = e.source();
        }
        let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
        let no_current = path.is_dir() && !path.join("CURRENT").exists();
        if has(&[
            "Permission denied",
            "Operation not permitted",
            "Read-only file system",
        ]) {
            Self::PermissionDenied
        } else if has(&["No space left", "File too large", "Space limit reached"]) {
            Self::DiskFull
        } else if has(&[
            "only possible on read-write instances",
            "Column family not found",
        ]) || (read_only
            && no_current
            && (path.join("LOCK").exists() || path.join(PID_FILE).exists()))
        {
            Self::Unfinished
        } else if read_only && no_current {
            Self::NotAStore
        } else {
            Self::Other
        }
    }
}

/// The most quads of one bulk-load batch, per thread: large batches make
/// few large sorted files, which cost less to load and to compact (the
/// loader holds a batch and its encoded copy in memory).
const LOAD_BATCH: usize = 200_000;

/// A zhkg graph store. A clone is another handle on the same store (its
/// queries run in parallel with the first's).
#[derive(Clone)]
pub struct GraphStore {
    store: Store,
    path: Option<PathBuf>,
}

impl GraphStore {
    /// Opens (creating if needed) the store at `path` and makes sure the
    /// ontology graph is current.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let pid_file = path.join(PID_FILE);
        let store = Store::open(path).map_err(|source| {
            // RocksDB's message names the path, which may itself contain
            // "lock": look at the rest.
            let message = source.to_string().replace(&path.display().to_string(), "");
            if message.to_ascii_lowercase().contains("lock") {
                StoreError::Locked {
                    path: path.to_path_buf(),
                    pid: std::fs::read_to_string(&pid_file)
                        .ok()
                        .and_then(|p| p.trim().parse().ok()),
                }
            } else {
                StoreError::Open {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        // Best effort: lets a second writer say who holds the lock.
        let _ = std::fs::write(&pid_file, std::process::id().to_string());
        remove_stray_bulk_files(path);
        let s = Self {
            store,
            path: Some(path.to_path_buf()),
        };
        s.load_ontology()?;
        Ok(s)
    }

    /// Opens an existing store read-only (it may be in use by a build).
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        // A writer that is compacting may remove files the read-only view
        // was about to open: try again a few times before giving up.
        let mut attempt = 0;
        let store = loop {
            match Store::open_read_only(path) {
                Ok(s) => break s,
                Err(e)
                    if attempt < 5
                        && e.to_string().contains("No such file")
                        && path.join("CURRENT").exists() =>
                {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50 << attempt));
                }
                Err(source) => {
                    return Err(StoreError::Open {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
        };
        Ok(Self {
            store,
            path: Some(path.to_path_buf()),
        })
    }

    /// A fresh in-memory store with the ontology.
    pub fn in_memory() -> Result<Self, StoreError> {
        let s = Self {
            store: Store::new()?,
            path: None,
        };
        s.load_ontology()?;
        Ok(s)
    }

    /// Where the store is on disk, if it is.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The underlying Oxigraph store.
    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// Makes the ontology graph hold exactly [`ONTOLOGY`]; when it already
    /// does (every open but the first after an upgrade), nothing is written.
    fn load_ontology(&self) -> Result<(), StoreError> {
        let graph = NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH);
        let wanted = oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
            .with_default_graph(graph)
            .for_slice(ONTOLOGY.as_bytes())
            .collect::<Result<Vec<Quad>, _>>()
            .map_err(|e| oxigraph::store::LoaderError::Parsing(e.into()))?;
        let stored = self
            .store
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .count();
        let current = stored == wanted.len()
            && wanted
                .iter()
                .all(|q| self.store.contains(q).unwrap_or(false));
        if current {
            return Ok(());
        }
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(graph)?;
        tx.load_from_slice(
            oxigraph::io::RdfParser::from_format(RdfFormat::Turtle).with_default_graph(graph),
            ONTOLOGY.as_bytes(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// True when the store holds no quad in graph `graph` (an article that
    /// was never written, or whose write never committed).
    pub fn graph_is_empty(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self
            .store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()?
            .is_none())
    }

    /// Writes the graphs of articles that are not in the store (see
    /// [`GraphStore::graph_is_empty`]) with Oxigraph's bulk loader: sorted
    /// files handed to RocksDB in one atomic ingestion, so that either every
    /// graph of the batch is in the store, each with its content stamp, or,
    /// if the process dies first, none is. Several times faster than one
    /// transaction per article, whose cost is in RocksDB's memtable inserts.
    /// Articles already in the store go through [`GraphStore::write_article`],
    /// which replaces their graph. `also` are loaded with them (the entity
    /// facts a build gathers for the facts graph).
    pub fn write_new_articles(
        &self,
        graphs: Vec<ArticleGraph>,
        also: Vec<Quad>,
    ) -> Result<(), StoreError> {
        if graphs.is_empty() && also.is_empty() {
            return Ok(());
        }
        let quads: usize = graphs.iter().map(ArticleGraph::len).sum::<usize>() + also.len();
        // Batches of at most LOAD_BATCH quads per thread (the loader
        // allocates a whole batch up front, a million quads by default).
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let per_thread = quads.div_ceil(threads).clamp(1_000, LOAD_BATCH);
        let mut loader = self
            .store
            .bulk_loader()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes((per_thread * threads).div_ceil(1000));
        loader.load_quads(
            graphs
                .iter()
                .flat_map(ArticleGraph::all)
                .map(QuadRef::into_owned)
                .chain(also),
        )?;
        loader.commit()?;
        Ok(())
    }

    /// Writes an article: replaces its named graph and adds its entity
    /// descriptions to the shared entities graph, in one transaction.
    ///
    /// Only the difference is written: quads of the old graph that the new
    /// one lacks are removed, new quads are inserted, and entity descriptions
    /// already present are left alone. Re-extracting an article whose graph
    /// barely changed (a new zhkg, `--force`) then costs reads, not millions
    /// of RocksDB deletions and insertions.
    ///
    /// Returns the entities the old or the new graph refers to: those whose
    /// facts the write may have changed (see `build::facts`).
    pub fn write_article(&self, g: &ArticleGraph) -> Result<BTreeSet<NamedNode>, StoreError> {
        let old: HashSet<Quad> = self
            .store
            .quads_for_pattern(None, None, None, Some(g.graph.as_ref().into()))
            .collect::<Result<_, _>>()?;
        let new: HashSet<QuadRef<'_>> = g.quads().collect();
        let mut tx = self.store.start_transaction()?;
        for q in old.iter().filter(|q| !new.contains(&q.as_ref())) {
            tx.remove(q.as_ref());
        }
        if old.is_empty() {
            tx.insert_named_graph(g.graph.as_ref());
        }
        let stored: HashSet<QuadRef<'_>> = old.iter().map(Quad::as_ref).collect();
        for q in g.quads().filter(|q| !stored.contains(q)) {
            tx.insert(q);
        }
        for q in g.entities() {
            if !self.store.contains(q)? {
                tx.insert(q);
            }
        }
        tx.commit()?;
        // Entities the old version of the graph referred to: those the new
        // version no longer names may have lost their last reference.
        let mut before = entity_refs(old.iter().map(Quad::as_ref));
        let now = entity_refs(g.quads());
        if !before.is_empty() {
            let dropped: Vec<NamedNode> = before.difference(&now).cloned().collect();
            self.sweep(dropped)?;
        }
        before.extend(now);
        Ok(before)
    }

    fn sweep(&self, mut candidates: Vec<NamedNode>) -> Result<usize, StoreError> {
        use oxigraph::model::Term;
        let entities = NamedNodeRef::new_unchecked(crate::rdf::vocab::ENTITIES_GRAPH);
        let mut removed = 0;
        while let Some(c) = candidates.pop() {
            let own: Vec<Quad> = self
                .store
                .quads_for_pattern(
                    Some(c.as_ref().into()),
                    None,
                    None,
                    Some(GraphNameRef::NamedNode(entities)),
                )
                .collect::<Result<_, _>>()?;
            if own.is_empty() {
                continue;
            }
            // The facts graph is derived from the article graphs and
            // rewritten at the end of the build: it keeps nothing alive.
            let facts =
                GraphName::NamedNode(NamedNode::new_unchecked(crate::rdf::vocab::FACTS_GRAPH));
            let entities_graph = GraphName::NamedNode(entities.into_owned());
            let referenced = self
                .store
                .quads_for_pattern(None, None, Some(c.as_ref().into()), None)
                .filter_map(Result::ok)
                .any(|q| q.graph_name != facts)
                || self
                    .store
                    .quads_for_pattern(Some(c.as_ref().into()), None, None, None)
                    .filter_map(Result::ok)
                    .any(|q| q.graph_name != entities_graph && q.graph_name != facts);
            if referenced {
                continue;
            }
            let mut tx = self.store.start_transaction()?;
            for q in &own {
                tx.remove(q.as_ref());
            }
            tx.commit()?;
            removed += own.len();
            candidates.extend(own.into_iter().filter_map(|q| match q.object {
                Term::NamedNode(n) => Some(n),
                _ => None,
            }));
        }
        Ok(removed)
    }

    /// The content hash recorded for an article graph, if the graph exists.
    pub fn content_hash(&self, graph: &NamedNode) -> Result<Option<String>, StoreError> {
        let p = NamedNodeRef::new_unchecked(crate::rdf::vocab::zhkg::CONTENT_HASH);
        let hit = self
            .store
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(p),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()?;
        Ok(hit.and_then(|q| match q.object {
            oxigraph::model::Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
    }

    /// The content stamp of every article graph, by graph IRI: one scan,
    /// far cheaper than one [`GraphStore::content_hash`] per article when a
    /// build looks at most of the store's articles.
    pub fn content_stamps(&self) -> Result<HashMap<String, String>, StoreError> {
        self.article_literals(crate::rdf::vocab::zhkg::CONTENT_HASH)
            .map(|all| {
                all.into_iter()
                    .filter_map(|(g, mut v)| v.pop().map(|s| (g, s)))
                    .collect()
            })
    }

    /// The read warnings of every article graph that has some, by graph IRI.
    pub fn all_read_warnings(&self) -> Result<HashMap<String, Vec<String>>, StoreError> {
        self.article_literals(crate::rdf::vocab::zhkg::READ_WARNING)
    }

    /// The literal values of `predicate` on each article in its own graph,
    /// by graph IRI.
    fn article_literals(
        &self,
        predicate: &str,
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let p = NamedNodeRef::new_unchecked(predicate);
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for q in self.store.quads_for_pattern(None, Some(p), None, None) {
            let q = q?;
            let (oxigraph::model::GraphName::NamedNode(g), oxigraph::model::Term::Literal(l)) =
                (&q.graph_name, &q.object)
            else {
                continue;
            };
            if q.subject == oxigraph::model::NamedOrBlankNode::NamedNode(g.clone()) {
                out.entry(g.as_str().to_owned())
                    .or_default()
                    .push(l.value().to_owned());
            }
        }
        Ok(out)
    }

    /// The read warnings recorded for an article graph (`zhkg:readWarning`),
    /// in store order.
    pub fn read_warnings(&self, graph: &NamedNode) -> Result<Vec<String>, StoreError> {
        let p = NamedNodeRef::new_unchecked(crate::rdf::vocab::zhkg::READ_WARNING);
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(p),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            if let oxigraph::model::Term::Literal(l) = q?.object {
                out.push(l.value().to_owned());
            }
        }
        Ok(out)
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.len()?)
    }

    /// True when the store holds no quads.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.store.is_empty()?)
    }

    /// Flushes to disk (nothing to do for an in-memory store).
    pub fn flush(&self) -> Result<(), StoreError> {
        if self.path.is_some() {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Compacts an on-disk store (Oxigraph's `optimize`: RocksDB merges its
    /// sorted files), which makes later queries faster after bulk loads;
    /// nothing to do in memory.
    pub fn compact(&self) -> Result<(), StoreError> {
        if self.path.is_some() {
            self.store.optimize()?;
        }
        Ok(())
    }
}

/// The entity IRIs (not articles' own nodes) that `quads` mention, as
/// subject or object.
pub fn entity_refs<'a>(quads: impl Iterator<Item = QuadRef<'a>>) -> BTreeSet<NamedNode> {
    use oxigraph::model::{NamedOrBlankNodeRef, TermRef};
    let own = format!("{}article/", crate::rdf::vocab::ID);
    let is_entity = |n: NamedNodeRef<'_>| {
        n.as_str().starts_with(crate::rdf::vocab::ID) && !n.as_str().starts_with(&own)
    };
    let mut out = BTreeSet::new();
    for q in quads {
        if let NamedOrBlankNodeRef::NamedNode(n) = q.subject
            && is_entity(n)
        {
            out.insert(n.into_owned());
        }
        if let TermRef::NamedNode(n) = q.object
            && is_entity(n)
        {
            out.insert(n.into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::QuadRef;

    /// Store failures are sorted by their I/O kind, or by RocksDB's text
    /// when that is all there is, and by what the folder holds.
    #[test]
    fn store_problems_are_sorted_for_advice() {
        use std::io::{Error, ErrorKind};
        let dir = tempfile::tempdir().unwrap();
        let none = dir.path().join("absent");
        let cases: Vec<(Box<dyn std::error::Error>, StoreProblem)> = vec![
            (
                Box::new(Error::from(ErrorKind::PermissionDenied)),
                StoreProblem::PermissionDenied,
            ),
            (
                Box::new(Error::from(ErrorKind::StorageFull)),
                StoreProblem::DiskFull,
            ),
            (
                Box::new(Error::other(
                    "IO error: While appending to file: 000012.log: No space left on device",
                )),
                StoreProblem::DiskFull,
            ),
            (
                Box::new(StoreError::Locked {
                    path: none.clone(),
                    pid: Some(7),
                }),
                StoreProblem::Locked,
            ),
            (
                Box::new(Error::other("something else")),
                StoreProblem::Other,
            ),
        ];
        for (e, want) in cases {
            assert_eq!(StoreProblem::of(e.as_ref(), &none, false), want, "{e}");
        }
        // A folder with no store: nothing there, or a lock left by a build
        // stopped as it began.
        let other = Error::other("open failed");
        assert_eq!(
            StoreProblem::of(&other, dir.path(), true),
            StoreProblem::NotAStore
        );
        std::fs::write(dir.path().join("LOCK"), "").unwrap();
        assert_eq!(
            StoreProblem::of(&other, dir.path(), true),
            StoreProblem::Unfinished
        );
        assert_eq!(
            StoreProblem::of(&other, dir.path(), false),
            StoreProblem::Other
        );
    }

    /// The ontology graph is rewritten only when it differs from the
    /// embedded ontology: a damaged or outdated one is restored on open.
    #[test]
    fn opening_restores_the_ontology_graph_only_when_it_differs() {
        let dir = tempfile::tempdir().unwrap();
        let graph = NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH);
        let count = |s: &GraphStore| {
            s.inner()
                .quads_for_pattern(None, None, None, Some(graph.into()))
                .count()
        };
        let s = GraphStore::open(dir.path()).unwrap();
        let full = count(&s);
        assert!(full > 100, "{full}");
        let first = s
            .inner()
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .next()
            .unwrap()
            .unwrap();
        s.inner().remove(&first).unwrap();
        s.inner()
            .insert(QuadRef::new(graph, graph, graph, graph))
            .unwrap();
        assert_eq!(count(&s), full);
        drop(s);
        let s = GraphStore::open(dir.path()).unwrap();
        assert_eq!(count(&s), full);
        assert!(
            s.inner().contains(&first).unwrap(),
            "the removed triple is back"
        );
        assert!(
            !s.inner()
                .contains(QuadRef::new(graph, graph, graph, graph))
                .unwrap(),
            "the stray triple is gone"
        );
    }
}
