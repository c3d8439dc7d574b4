//! One Aho-Corasick automaton over every name in the lexicon (divisions,
//! countries, organisations), built once. Matching reports all overlapping
//! hits; the extractors choose among them with token boundaries and context.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::lexicon::LEXICON;
use crate::lexicon::divisions::NameForm;

/// What a gazetteer name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A division (code) under a name form.
    Division(u32, NameForm),
    /// A country (index in the lexicon).
    Country(usize),
    /// A curated organisation (index in the lexicon).
    Org(usize),
    /// An organisation of the generated gazetteer (index in the lexicon's
    /// `listed_orgs`).
    Listed(usize),
    /// A world region (index in the lexicon).
    Region(usize),
    /// A region of China that is not a division (index in the lexicon's
    /// `cn_regions`).
    CnRegion(usize),
}

/// A name found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Character range in the text.
    pub range: Range<usize>,
    /// Everything the name may stand for.
    pub entries: Vec<Entry>,
}

/// The automaton and, per pattern, its entries.
pub struct Gazetteer {
    ac: AhoCorasick,
    entries: Vec<Vec<Entry>>,
}

/// The gazetteer built from [`LEXICON`].
pub static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::build);

impl Gazetteer {
    fn build() -> Self {
        let lx = &*LEXICON;
        let mut map: std::collections::BTreeMap<String, Vec<Entry>> =
            std::collections::BTreeMap::new();
        for (name, hits) in lx.divisions.names() {
            for &(code, form) in hits {
                map.entry(name.clone())
                    .or_default()
                    .push(Entry::Division(code, form));
            }
        }
        for (i, c) in lx.countries.iter().enumerate() {
            for n in std::iter::once(&c.name).chain(&c.aliases) {
                if n.chars().count() >= 2 {
                    map.entry(n.clone()).or_default().push(Entry::Country(i));
                }
            }
        }
        for (i, r) in lx.regions.iter().enumerate() {
            map.entry(r.name.clone())
                .or_default()
                .push(Entry::Region(i));
            // 北美洲 → 北美: the name without 洲, when jieba knows that as a place.
            if let Some(stem) = r.name.strip_suffix('洲')
                && stem.chars().count() >= 2
                && crate::segment::SEGMENTER.dict_tag(stem).as_deref() == Some("ns")
            {
                map.entry(stem.to_owned())
                    .or_default()
                    .push(Entry::Region(i));
            }
        }
        for (i, r) in lx.cn_regions.iter().enumerate() {
            map.entry(r.name.clone())
                .or_default()
                .push(Entry::CnRegion(i));
        }
        for (i, o) in lx.orgs.iter().enumerate() {
            for n in std::iter::once(&o.name).chain(&o.aliases) {
                map.entry(n.clone()).or_default().push(Entry::Org(i));
            }
        }
        for (i, o) in lx.listed_orgs.iter().enumerate() {
            for n in std::iter::once(&o.name).chain(&o.short_forms) {
                map.entry(n.clone()).or_default().push(Entry::Listed(i));
            }
        }
        let (names, entries): (Vec<String>, Vec<Vec<Entry>>) = map.into_iter().unzip();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&names)
            .expect("gazetteer automaton builds");
        Self { ac, entries }
    }

    /// All hits in `text` (overlapping), with character ranges.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.find_mapped(text, &crate::ingest::text::byte_to_char_index(text))
    }

    /// [`Gazetteer::find`] with the text's byte-to-character map already made
    /// (see [`crate::ingest::text::byte_to_char_index`]).
    pub fn find_mapped(&self, text: &str, b2c: &[usize]) -> Vec<Hit> {
        self.ac
            .find_overlapping_iter(text)
            .map(|m| Hit {
                range: b2c[m.start()]..b2c[m.end()],
                entries: self.entries[m.pattern().as_usize()].clone(),
            })
            .collect()
    }
}
