//! The build's record of the files it has read, kept beside the store like
//! git's index: for each article file, its size, times and inode when it was
//! last read, and the SHA-256 of its bytes then. A rebuild trusts the
//! recorded hash of a file whose metadata has not changed instead of reading
//! it again, so that checking 20,000 unchanged files costs 20,000 `stat`
//! calls, not 77 MB of reading and hashing.
//!
//! The record is only a shortcut to the content hash: the store still decides
//! whether an article is unchanged (its graph must carry the stamp made from
//! that hash), so a missing, stale or damaged record costs time, never
//! correctness. Files modified within [`RACY_SECONDS`] of the build are not
//! recorded: a later write in the same clock tick could leave their
//! metadata unchanged (git's "racy" entries).

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The record's file name inside the store's folder.
pub const FILE_NAME: &str = "zhkg-files.tsv";

/// First line of the record: its format version.
const HEADER: &str = "# zhkg file index v1: path\tsize\tmtime_ns\tctime_ns\tinode\tsha256";

/// Files modified less than this long before the build started are not
/// recorded (their metadata may not show a change made in the same tick).
pub const RACY_SECONDS: u64 = 2;

/// What the index compares to decide that a file has not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u128,
    /// Status change time, nanoseconds since the Unix epoch (0 where the
    /// platform has none).
    pub ctime_ns: u128,
    /// Inode number (0 where the platform has none).
    pub inode: u64,
}

impl FileStat {
    /// The stat of a file from its metadata.
    pub fn of(md: &std::fs::Metadata) -> Self {
        let mtime_ns = md
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let (ctime_ns, inode) = {
            use std::os::unix::fs::MetadataExt as _;
            let ctime = u128::try_from(md.ctime()).unwrap_or(0) * 1_000_000_000
                + u128::try_from(md.ctime_nsec()).unwrap_or(0);
            (ctime, md.ino())
        };
        #[cfg(not(unix))]
        let (ctime_ns, inode) = (0, 0);
        Self {
            size: md.len(),
            mtime_ns,
            ctime_ns,
            inode,
        }
    }

    /// True when the file was modified less than [`RACY_SECONDS`] before
    /// `since` (a write sets the modification time to the present; the
    /// change time, which also moves on renames and permission changes, is
    /// compared but not needed here).
    fn is_racy(&self, since: SystemTime) -> bool {
        let limit = since
            .checked_sub(Duration::from_secs(RACY_SECONDS))
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        self.mtime_ns >= limit
    }
}

/// One recorded file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    stat: FileStat,
    hash: String,
}

/// The record of a store's files (see the module documentation).
#[derive(Debug, Default)]
pub struct FileIndex {
    entries: HashMap<PathBuf, Entry>,
}

impl FileIndex {
    /// Reads the index kept in the store folder `store`; an absent or
    /// unreadable index, or one of another version, is an empty index
    /// (every file is then read and hashed).
    pub fn load(store: &Path) -> Self {
        let Ok(text) = std::fs::read_to_string(store.join(FILE_NAME)) else {
            return Self::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Self::default();
        }
        let entries = lines
            .filter_map(|line| {
                let mut f = line.split('\t');
                let path = PathBuf::from(f.next()?);
                let stat = FileStat {
                    size: f.next()?.parse().ok()?,
                    mtime_ns: f.next()?.parse().ok()?,
                    ctime_ns: f.next()?.parse().ok()?,
                    inode: f.next()?.parse().ok()?,
                };
                let hash = f.next()?;
                (hash.len() == 64 && f.next().is_none()).then(|| {
                    (
                        path,
                        Entry {
                            stat,
                            hash: hash.to_owned(),
                        },
                    )
                })
            })
            .collect();
        Self { entries }
    }

    /// The recorded hash of `path` if its stat is still `stat`.
    pub fn hash_of(&self, path: &Path, stat: &FileStat) -> Option<&str> {
        self.entries
            .get(path)
            .filter(|e| e.stat == *stat)
            .map(|e| e.hash.as_str())
    }

    /// Records `path` with its stat and hash, unless it changed less than
    /// [`RACY_SECONDS`] before `build_start`. Paths with a tab or a line
    /// break are not recorded (the record is one line per file).
    pub fn record(&mut self, path: &Path, stat: FileStat, hash: &str, build_start: SystemTime) {
        let printable = path
            .to_str()
            .is_some_and(|p| !p.contains(['\t', '\n', '\r']));
        if printable && !stat.is_racy(build_start) {
            self.entries.insert(
                path.to_path_buf(),
                Entry {
                    stat,
                    hash: hash.to_owned(),
                },
            );
        }
    }

    /// Adds the entries of `newer`, replacing this index's entries for the
    /// same paths (files of earlier builds that this one did not see stay).
    pub fn merge(&mut self, newer: FileIndex) {
        self.entries.extend(newer.entries);
    }

    /// Number of files recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no file is recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the index into the store folder `store`, replacing the old one
    /// at once (written to a temporary file, then renamed).
    pub fn save(&self, store: &Path) -> std::io::Result<()> {
        let mut rows: Vec<(&PathBuf, &Entry)> = self.entries.iter().collect();
        rows.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::with_capacity(rows.len() * 120);
        writeln!(out, "{HEADER}")?;
        for (path, e) in rows {
            let s = &e.stat;
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                path.display(),
                s.size,
                s.mtime_ns,
                s.ctime_ns,
                s.inode,
                e.hash
            )?;
        }
        let tmp = store.join(format!("{FILE_NAME}.tmp"));
        std::fs::write(&tmp, out)?;
        std::fs::rename(&tmp, store.join(FILE_NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(size: u64) -> FileStat {
        FileStat {
            size,
            mtime_ns: 1_000_000_000,
            ctime_ns: 1_000_000_000,
            inode: 7,
        }
    }

    #[test]
    fn a_saved_index_reads_back_and_matches_only_the_same_stat() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = FileIndex::default();
        let now = SystemTime::now();
        let hash = "a".repeat(64);
        index.record(Path::new("/c/001.txt"), stat(10), &hash, now);
        index.record(Path::new("/c/odd\tname.txt"), stat(10), &hash, now);
        index.save(dir.path()).unwrap();
        let back = FileIndex::load(dir.path());
        assert_eq!(back.len(), 1, "the path with a tab is not recorded");
        assert_eq!(
            back.hash_of(Path::new("/c/001.txt"), &stat(10)),
            Some(hash.as_str())
        );
        assert_eq!(back.hash_of(Path::new("/c/001.txt"), &stat(11)), None);
        assert_eq!(back.hash_of(Path::new("/c/002.txt"), &stat(10)), None);
    }

    #[test]
    fn files_changed_just_before_the_build_are_not_recorded() {
        let mut index = FileIndex::default();
        let now = SystemTime::now();
        let mut just_now = stat(10);
        just_now.mtime_ns = now.duration_since(UNIX_EPOCH).unwrap().as_nanos();
        index.record(Path::new("racy.txt"), just_now, &"b".repeat(64), now);
        assert!(index.is_empty());
    }

    #[test]
    fn a_damaged_or_foreign_index_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        for text in [
            "not an index\n",
            &format!("{HEADER}\n/c/1.txt\tten\t1\t1\t1\t{}\n", "a".repeat(64)),
            &format!("{HEADER}\n/c/1.txt\t1\t1\t1\t1\tshort\n"),
        ] {
            std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
            assert!(FileIndex::load(dir.path()).is_empty(), "{text}");
        }
    }
}
