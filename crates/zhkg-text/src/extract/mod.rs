//! Extraction: from an [`Article`] to an [`Extraction`] of entities, their
//! mentions, outcome observations and relations, each tied to a sentence and
//! a character span. Extraction never fails: what it cannot read it skips.
//!
//! The extractors run in order, each seeing what the earlier ones found:
//! [`places`] → [`orgs`] → [`programmes`] → [`people`] → [`outcomes`] →
//! [`relations`].

pub mod credits;
pub mod dates;
pub mod gazetteer;
pub mod names;
pub mod numbers;
pub mod orgs;
pub mod outcomes;
pub mod people;
pub mod person_model;
pub mod phrases;
pub mod places;
pub mod programmes;
pub mod relations;
pub mod short_forms;
pub mod subjects;
pub mod surveys;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::ingest::{Article, OriginalSpan};
use crate::segment::{Segmentation, Token, segment};

pub use self::numbers::{Qualifier, Quantity, Unit};
pub use crate::segment::Sentence;

/// The kinds of entity the graph holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// Companies, universities, governments, platforms, associations…
    Organization,
    /// Administrative divisions, villages, countries.
    Place,
    /// Named initiatives, facilities, trainings, events, certificates…
    Programme,
    /// Reports and policy documents.
    Document,
    /// People.
    Person,
    /// A group an article describes without naming it (832个脱贫县), the
    /// subject of figures about it.
    Group,
}

impl EntityKind {
    /// True for the kinds whose mentions are proper names written out
    /// (organisations, programmes, documents), as opposed to places, people
    /// and described groups.
    pub fn is_written_name(self) -> bool {
        matches!(self, Self::Organization | Self::Programme | Self::Document)
    }

    /// The IRI path segment for this kind.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Organization => "org",
            Self::Place => "place",
            Self::Programme => "programme",
            Self::Document => "document",
            Self::Person => "person",
            Self::Group => "group",
        }
    }
}

/// A stable key for an entity: its kind and a local id (a division code, a
/// canonical name, or name plus affiliation for people). Equal keys in two
/// articles mean the same node in the graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntityKey {
    /// Kind.
    pub kind: EntityKind,
    /// Local id within the kind.
    pub local: String,
}

impl EntityKey {
    /// A key of `kind` with local id `local`.
    pub fn new(kind: EntityKind, local: impl Into<String>) -> Self {
        Self {
            kind,
            local: local.into(),
        }
    }
}

/// An entity found in an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// Its key.
    pub key: EntityKey,
    /// Canonical simplified label.
    pub label: String,
    /// Finer type: company, platform, county, facility, initiative…, one
    /// of its kind's.
    pub category: Category,
    /// Other names seen in the article (simplified).
    pub aliases: BTreeSet<String>,
    /// Parent: containing place, parent organisation, or the programme an
    /// edition belongs to.
    pub parent: Option<EntityKey>,
    /// The place an organisation, programme or person belongs to.
    pub place: Option<EntityKey>,
    /// What only entities of its kind have.
    pub details: Details,
}

/// What only entities of one kind have.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Details {
    /// An organisation.
    Organization {
        /// Its Wikidata id, when verified.
        wikidata: Option<String>,
    },
    /// A place.
    Place {
        /// The GB/T 2260 code of a division.
        code: Option<u32>,
    },
    /// A person.
    Person {
        /// Role or title as written.
        role: Option<String>,
        /// The organisation the person belongs to.
        affiliation: Option<EntityKey>,
    },
    /// Programmes, documents and described groups have nothing of their own.
    Nothing,
}

impl Details {
    /// The empty details of an entity of `kind`.
    pub fn empty(kind: EntityKind) -> Self {
        match kind {
            EntityKind::Organization => Self::Organization { wikidata: None },
            EntityKind::Place => Self::Place { code: None },
            EntityKind::Person => Self::Person {
                role: None,
                affiliation: None,
            },
            EntityKind::Programme | EntityKind::Document | EntityKind::Group => Self::Nothing,
        }
    }
}

impl Entity {
    /// A new entity with no aliases or links. The category must be one of
    /// the key's kind.
    pub fn new(key: EntityKey, label: impl Into<String>, category: Category) -> Self {
        debug_assert_eq!(category.kind(), key.kind, "{category} is no {:?}", key.kind);
        Self {
            label: label.into(),
            category,
            aliases: BTreeSet::new(),
            parent: None,
            place: None,
            details: Details::empty(key.kind),
            key,
        }
    }

    /// The GB/T 2260 code of a division.
    pub fn code(&self) -> Option<u32> {
        match self.details {
            Details::Place { code } => code,
            _ => None,
        }
    }

    /// The verified Wikidata id of an organisation.
    pub fn wikidata(&self) -> Option<&str> {
        match &self.details {
            Details::Organization { wikidata } => wikidata.as_deref(),
            _ => None,
        }
    }

    /// A person's role or title as written.
    pub fn role(&self) -> Option<&str> {
        match &self.details {
            Details::Person { role, .. } => role.as_deref(),
            _ => None,
        }
    }

    /// The organisation a person belongs to.
    pub fn affiliation(&self) -> Option<&EntityKey> {
        match &self.details {
            Details::Person { affiliation, .. } => affiliation.as_ref(),
            _ => None,
        }
    }

    /// Keys of the other entities this one points to (parent, place,
    /// affiliation), to rewrite when entities merge.
    pub fn links_mut(&mut self) -> impl Iterator<Item = &mut EntityKey> {
        let affiliation = match &mut self.details {
            Details::Person { affiliation, .. } => affiliation.as_mut(),
            _ => None,
        };
        [self.parent.as_mut(), self.place.as_mut(), affiliation]
            .into_iter()
            .flatten()
    }

    /// Keys of the other entities this one points to.
    pub fn links(&self) -> impl Iterator<Item = &EntityKey> {
        [
            self.parent.as_ref(),
            self.place.as_ref(),
            self.affiliation(),
        ]
        .into_iter()
        .flatten()
    }
}

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The entity.
    pub entity: EntityKey,
    /// Span in the normalised article text (characters).
    pub range: Range<usize>,
    /// Span in the decoded original (characters).
    pub span: OriginalSpan,
    /// The normalised surface form.
    pub text: String,
    /// Index of the sentence.
    pub sentence: usize,
}

/// The finer type of an entity (`lexicon::categories`).
pub use crate::lexicon::Category;

/// The metric an outcome measures: a row of the metric vocabulary
/// (`lexicon/data/metrics.tsv`).
pub use crate::lexicon::metrics::{Family, Metric};

/// A figure reported about an entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// What the figure is about, when known.
    pub subject: Option<EntityKey>,
    /// The metric's notation (`employees`, `average_monthly_wage`…).
    pub metric: Metric,
    /// The quantity with unit and qualifier.
    pub quantity: Quantity,
    /// Reference date (`2023-06`, `2023-06-30`), when the text dates the figure.
    pub as_of: Option<String>,
    /// True for targets and pledges rather than achievements.
    pub target: bool,
    /// Context rather than a programme's result: a population, a distance,
    /// a journey, a price, a person's own age.
    pub context: bool,
    /// Span of the figure's words in the normalised text.
    pub range: Range<usize>,
    /// Span in the original.
    pub span: OriginalSpan,
    /// The figure's words.
    pub text: String,
    /// Index of the sentence.
    pub sentence: usize,
}

/// The kinds of relation between entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// An organisation runs a programme (运营, 设立, 建立, 开展).
    Operates,
    /// An organisation funds or provides for a programme (提供, 投入, 出资).
    Funds,
    /// Two organisations work together (联合, 合作, 携手).
    PartnerOf,
    /// An organisation or programme is located in a place.
    LocatedIn,
    /// An organisation publishes a document.
    Publishes,
    /// A document or organisation studies a place.
    Studies,
    /// A person is dispatched to a place (派驻, 特派员).
    DispatchedTo,
    /// A person is a member of an organisation.
    MemberOf,
    /// An organisation or programme trains people of a place or organisation
    /// (培训, 培养, 授课).
    Trains,
    /// A person works for an organisation or at a facility (入职, 就职于).
    WorksFor,
}

/// A relation between two entities, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    /// Subject.
    pub subject: EntityKey,
    /// Kind.
    pub kind: RelationKind,
    /// Object.
    pub object: EntityKey,
    /// Sentence index.
    pub sentence: usize,
    /// The trigger word, when one was used.
    pub trigger: Option<String>,
    /// Confidence in [0, 1].
    pub confidence: f32,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    /// Sentences of the normalised text.
    pub sentences: Vec<Sentence>,
    /// Entities by key.
    pub entities: BTreeMap<EntityKey, Entity>,
    /// Mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Outcome observations.
    pub observations: Vec<Observation>,
    /// Relations.
    pub relations: Vec<Relation>,
    /// Dates written in the text.
    pub dates: Vec<dates::DateMention>,
    /// The publisher, authors and editors from the metadata.
    pub credits: credits::Credits,
}

impl Extraction {
    /// Adds an entity, merging aliases and filling empty fields when it exists.
    pub fn add_entity(&mut self, e: Entity) -> EntityKey {
        let key = e.key.clone();
        match self.entities.get_mut(&key) {
            Some(old) => {
                old.aliases.extend(e.aliases);
                if old.parent.is_none() {
                    old.parent = e.parent;
                }
                if old.place.is_none() {
                    old.place = e.place;
                }
                if let (
                    Details::Person { role, affiliation },
                    Details::Person {
                        role: new_role,
                        affiliation: new_affiliation,
                    },
                ) = (&mut old.details, e.details)
                {
                    if role.is_none() {
                        *role = new_role;
                    }
                    if affiliation.is_none() {
                        *affiliation = new_affiliation;
                    }
                }
            }
            None => {
                self.entities.insert(key.clone(), e);
            }
        }
        key
    }

    /// Merges entity `from` into `into`: its label becomes an alias, and its
    /// mentions, relations and observations point to `into`.
    pub fn merge_entity(&mut self, from: &EntityKey, into: &EntityKey) {
        if from == into {
            return;
        }
        let Some(old) = self.entities.remove(from) else {
            return;
        };
        if let Some(e) = self.entities.get_mut(into) {
            e.aliases.insert(old.label);
            e.aliases.extend(old.aliases);
            if e.place.is_none() {
                e.place = old.place;
            }
            e.aliases.remove(&e.label.clone());
        }
        let swap = |k: &mut EntityKey| {
            if k == from {
                *k = into.clone();
            }
        };
        for m in &mut self.mentions {
            swap(&mut m.entity);
        }
        for r in &mut self.relations {
            swap(&mut r.subject);
            swap(&mut r.object);
        }
        for o in &mut self.observations {
            if let Some(s) = &mut o.subject {
                swap(s);
            }
        }
        for e in self.entities.values_mut() {
            for k in e.links_mut() {
                swap(k);
            }
        }
    }

    /// Mentions of kind `kind`, in text order.
    pub fn mentions_of(&self, kind: EntityKind) -> impl Iterator<Item = &Mention> {
        self.mentions.iter().filter(move |m| m.entity.kind == kind)
    }

    fn sort(&mut self) {
        self.mentions.sort_by(|a, b| {
            (a.range.start, std::cmp::Reverse(a.range.end), &a.entity).cmp(&(
                b.range.start,
                std::cmp::Reverse(b.range.end),
                &b.entity,
            ))
        });
        self.mentions
            .dedup_by(|a, b| a.range == b.range && a.entity == b.entity);
        self.observations.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(a.range.end.cmp(&b.range.end))
                .then(a.metric.name().cmp(b.metric.name()))
        });
        // One figure, one outcome: the graph names an outcome by the offsets
        // of its words, so two readings of the same words keep the first.
        self.observations.dedup_by(|a, b| a.range == b.range);
        self.relations.sort_by(|a, b| {
            (&a.subject, a.kind, &a.object, a.sentence)
                .cmp(&(&b.subject, b.kind, &b.object, b.sentence))
        });
        self.relations
            .dedup_by(|a, b| a.subject == b.subject && a.kind == b.kind && a.object == b.object);
    }
}

/// What every extractor sees: the article, its text as characters, sentences
/// and tokens.
pub struct Context<'a> {
    /// The article.
    pub article: &'a Article,
    /// The normalised text's characters.
    pub chars: Vec<char>,
    /// The normalised text as one string, for regular expressions and
    /// substring search (byte offsets map to characters by [`Context::char_at_byte`]).
    pub string: String,
    /// For each byte offset of `string` (and its end), the character offset.
    byte_to_char: Vec<usize>,
    /// For each character offset (and the end), the byte offset in `string`.
    char_to_byte: Vec<usize>,
    /// The sentences.
    pub sentences: Vec<Sentence>,
    /// Tokens of all sentences, in order.
    pub tokens: Vec<Token>,
    /// Character offsets where a token starts.
    pub token_starts: Boundaries,
    /// Character offsets where a token ends.
    pub token_ends: Boundaries,
    /// Gazetteer hits over the whole text.
    pub hits: Vec<gazetteer::Hit>,
}

impl<'a> Context<'a> {
    /// The context of `article`, cut into sentences and tokens by the
    /// segmentation stage ([`segment`]).
    pub fn new(article: &'a Article, segmentation: Segmentation) -> Self {
        let Segmentation {
            text,
            char_to_byte,
            sentences,
            tokens,
        } = segmentation;
        let chars: Vec<char> = article.text.chars().to_vec();
        let token_starts = Boundaries::new(chars.len(), tokens.iter().map(|t| t.start));
        let token_ends = Boundaries::new(chars.len(), tokens.iter().map(|t| t.end));
        let byte_to_char = crate::ingest::text::byte_to_char_index(&text);
        let hits = gazetteer::GAZETTEER.find_mapped(&text, &byte_to_char);
        Self {
            hits,
            article,
            chars,
            string: text,
            byte_to_char,
            char_to_byte,
            sentences,
            tokens,
            token_starts,
            token_ends,
        }
    }

    /// The text of `range`.
    pub fn text(&self, range: Range<usize>) -> String {
        self.slice(range).to_owned()
    }

    /// The text of `range`, borrowed from [`Context::string`] (character
    /// offsets past the end are clamped to it).
    pub fn slice(&self, range: Range<usize>) -> &str {
        let n = self.chars.len();
        &self.string[self.char_to_byte[range.start.min(n)]..self.char_to_byte[range.end.min(n)]]
    }

    /// The character offset of byte offset `byte` of [`Context::string`].
    pub fn char_at_byte(&self, byte: usize) -> usize {
        self.byte_to_char[byte]
    }

    /// The sentence containing character `at`.
    pub fn sentence_of(&self, at: usize) -> usize {
        crate::segment::sentences::index_of(&self.sentences, at)
    }

    /// The original span of a normalised range.
    pub fn original_span(&self, range: Range<usize>) -> OriginalSpan {
        self.article.text.original_span(range)
    }

    /// Builds a mention of `entity` at `range`.
    pub fn mention(&self, entity: EntityKey, range: Range<usize>) -> Mention {
        Mention {
            text: self.text(range.clone()),
            span: self.original_span(range.clone()),
            sentence: self.sentence_of(range.start),
            entity,
            range,
        }
    }

    /// Index of the token starting at `at`.
    pub fn token_at(&self, at: usize) -> Option<usize> {
        let i = self.tokens.partition_point(|t| t.start < at);
        (i < self.tokens.len() && self.tokens[i].start == at).then_some(i)
    }

    /// The tokens lying wholly inside `range` (found by binary search).
    pub fn tokens_in(&self, range: Range<usize>) -> &[Token] {
        let from = self.tokens.partition_point(|t| t.start < range.start);
        let to = self.tokens.partition_point(|t| t.end <= range.end);
        &self.tokens[from..to.max(from)]
    }

    /// True when the range contains a lost character.
    pub fn has_lost(&self, range: Range<usize>) -> bool {
        self.chars[range].contains(&crate::ingest::LOST)
    }
}

/// A set of character offsets of the text (where tokens start, or end),
/// one flag per offset, so that a look-up is an index.
#[derive(Debug, Clone, Default)]
pub struct Boundaries {
    at: Vec<bool>,
}

impl Boundaries {
    /// The set of `offsets` in a text of `len` characters (offsets up to
    /// and including `len`).
    pub fn new(len: usize, offsets: impl IntoIterator<Item = usize>) -> Self {
        let mut at = vec![false; len + 1];
        for o in offsets {
            if o >= at.len() {
                at.resize(o + 1, false);
            }
            at[o] = true;
        }
        Self { at }
    }

    /// True when `offset` is in the set.
    pub fn contains(&self, offset: &usize) -> bool {
        self.at.get(*offset).copied().unwrap_or(false)
    }
}

/// Mention spans indexed by start, for containment and overlap tests that
/// stay cheap in long articles (names are short: a window of
/// [`SpanSet::MAX_LEN`] characters before a span finds every candidate).
#[derive(Debug, Default, Clone)]
pub struct SpanSet {
    by_start: BTreeMap<usize, Vec<usize>>,
}

impl SpanSet {
    /// The longest span the window looks back over.
    pub const MAX_LEN: usize = 128;

    /// The spans of `mentions` that `keep` accepts.
    pub fn of<'a>(
        mentions: impl IntoIterator<Item = &'a Mention>,
        keep: impl Fn(&Mention) -> bool,
    ) -> Self {
        let mut s = Self::default();
        for m in mentions {
            if keep(m) {
                s.insert(m.range.clone());
            }
        }
        s
    }

    /// Adds every span of `other`.
    pub fn extend_from(&mut self, other: SpanSet) {
        for (s, ends) in other.by_start {
            self.by_start.entry(s).or_default().extend(ends);
        }
    }

    /// Adds a span.
    pub fn insert(&mut self, r: Range<usize>) {
        self.by_start.entry(r.start).or_default().push(r.end);
    }

    fn near(&self, r: &Range<usize>) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.by_start
            .range(r.start.saturating_sub(Self::MAX_LEN)..r.end)
            .flat_map(|(s, ends)| ends.iter().map(move |e| (*s, *e)))
    }

    /// True when a span contains `r`.
    pub fn covers(&self, r: &Range<usize>) -> bool {
        self.near(r).any(|(s, e)| s <= r.start && e >= r.end)
    }

    /// True when a span overlaps `r` without lying inside it.
    pub fn crosses(&self, r: &Range<usize>) -> bool {
        self.near(r)
            .any(|(s, e)| s < r.end && r.start < e && !(s >= r.start && e <= r.end))
    }
}

/// True when `ZHKG_PROFILE` asks for the time of each stage on standard
/// error (the extraction stages here, the facts graph's parts in a build).
pub fn profiling() -> bool {
    static PROFILE: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var_os("ZHKG_PROFILE").is_some());
    *PROFILE
}

/// Segments an article and runs every extractor on it.
#[allow(
    clippy::print_stderr,
    reason = "ZHKG_PROFILE=1 asks for stage times on standard error"
)]
pub fn extract(article: &Article) -> Extraction {
    let started = std::time::Instant::now();
    let segmentation = segment(article);
    if profiling() {
        eprintln!(
            "profile: {:<10} {:>8.1} ms",
            "segment",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    extract_segmented(article, segmentation)
}

/// Runs every extractor on an article already cut into sentences and
/// tokens by [`segment`].
#[allow(
    clippy::print_stderr,
    reason = "ZHKG_PROFILE=1 asks for stage times on standard error"
)]
pub fn extract_segmented(article: &Article, segmentation: Segmentation) -> Extraction {
    let started = std::time::Instant::now();
    let cx = Context::new(article, segmentation);
    let mut ex = Extraction {
        sentences: cx.sentences.clone(),
        ..Extraction::default()
    };
    // ZHKG_PROFILE=1 prints the time of each stage on standard error.
    let profile = profiling();
    let mut clock = started;
    let mut lap = |stage: &str| {
        if profile {
            eprintln!(
                "profile: {stage:<10} {:>8.1} ms",
                clock.elapsed().as_secs_f64() * 1e3
            );
            clock = std::time::Instant::now();
        }
    };
    lap("context");
    places::extract(&cx, &mut ex);
    lap("places");
    orgs::extract(&cx, &mut ex);
    lap("orgs");
    programmes::extract(&cx, &mut ex);
    short_forms::extract(&cx, &mut ex);
    programmes::re_mentions(&cx, &mut ex);
    lap("programmes");
    people::extract(&cx, &mut ex);
    surveys::extract(&cx, &mut ex);
    drop_places_inside_names(&cx, &mut ex);
    lap("people");
    outcomes::extract(&cx, &mut ex);
    lap("outcomes");
    relations::extract(&cx, &mut ex);
    lap("relations");
    ex.dates = dates::find(&cx);
    lap("dates");
    // A figure dated in its own clause (截至2023年6月, 2022年) takes that date;
    // a target takes the deadline of its sentence (预计到2025年年底,…).
    for o in &mut ex.observations {
        if o.as_of.is_none()
            && o.target
            && let Some(d) = ex
                .dates
                .iter()
                .rfind(|d| d.sentence == o.sentence && d.range.end <= o.range.start)
        {
            o.as_of = Some(d.date.clone());
            continue;
        }
        if o.as_of.is_none()
            && let Some(d) = ex
                .dates
                .iter()
                .rfind(|d| d.sentence == o.sentence && d.range.end <= o.range.start)
            && (!cx
                .text(d.range.end..o.range.start)
                .contains([',', ';', '。'])
                || opens_sentence(&cx, d))
        {
            o.as_of = Some(d.date.clone());
        }
    }
    credits::extract(article, &mut ex);
    ex.sort();
    ex
}

/// True when a date opens its sentence (今年3月底,…; 截至2023年6月,…): a
/// time topic that dates every figure of the sentence.
fn opens_sentence(cx: &Context<'_>, d: &dates::DateMention) -> bool {
    cx.sentences.get(d.sentence).is_some_and(|s| {
        let lead = cx.slice(s.range.start..d.range.start);
        // 2020年开始, 2019年以来: the start of a period, not a date of figures.
        let after = cx.slice(d.range.end..(d.range.end + 3).min(s.range.end));
        lead.chars()
            .all(|c| c.is_whitespace() || "截至止到在于".contains(c))
            && !["开始", "以来", "起", "至今", "后"]
                .iter()
                .any(|w| after.starts_with(w))
    })
}

/// Places read inside another name are no places: a division inside a
/// person's name (the county 新县 in the name 戈新县), a division opening a
/// school's name (西安 in 西安交通大学), the country or a region inside an
/// organisation's, a programme's or a quoted name (中国妇女发展基金会,
/// 华中科技大学, “中国脐橙之乡”). Their mentions go, and the places with them when nothing
/// else names them or lies under them.
fn drop_places_inside_names(cx: &Context<'_>, ex: &mut Extraction) {
    let people: Vec<Range<usize>> = ex
        .mentions_of(EntityKind::Person)
        .map(|m| m.range.clone())
        .collect();
    let names: Vec<Range<usize>> = ex
        .mentions
        .iter()
        .filter(|m| m.entity.kind.is_written_name())
        .map(|m| m.range.clone())
        .collect();
    // Schools named after their place (西安交通大学, 江西制造职业技术学院):
    // the place names the school, it is not a place the article is about.
    let schools: Vec<Range<usize>> = ex
        .mentions
        .iter()
        .filter(|m| {
            ex.entities.get(&m.entity).is_some_and(|e| {
                e.key.kind == EntityKind::Organization && e.category.is_educational()
            })
        })
        .map(|m| m.range.clone())
        .collect();
    let in_person = |r: &Range<usize>| people.iter().any(|n| n.start < r.start && r.end <= n.end);
    let opens_school =
        |r: &Range<usize>| schools.iter().any(|n| n.start == r.start && r.end < n.end);
    let in_name = |r: &Range<usize>| {
        names
            .iter()
            .any(|n| n.start <= r.start && r.end <= n.end && n.len() > r.len())
    };
    // Inside quotation marks that close within the sentence, on a short
    // title (“共同富裕中国行”), not a quoted sentence.
    let quoted = |r: &Range<usize>| {
        let s = &cx.sentences[cx.sentence_of(r.start)];
        let open = cx.chars[s.range.start..r.start]
            .iter()
            .rposition(|c| matches!(c, '“' | '‘' | '「' | '《'))
            .map(|i| s.range.start + i);
        let close = cx.chars[r.end..s.range.end]
            .iter()
            .position(|c| matches!(c, '”' | '’' | '」' | '》'))
            .map(|i| r.end + i);
        match (open, close) {
            (Some(o), Some(c)) => {
                c - o <= 16
                    && !cx.chars[o..r.start]
                        .iter()
                        .chain(&cx.chars[r.end..c])
                        .any(|c| matches!(c, '”' | '’' | '」' | '》' | ',' | '。'))
            }
            _ => false,
        }
    };
    // The country or a region (华中 in 华中科技大学, 西北 in 西北农林科技大学).
    let country = |k: &EntityKey| {
        k.kind == EntityKind::Place
            && (k.local.starts_with("country-") || k.local.starts_with("region-"))
    };
    let before = ex.mentions.len();
    ex.mentions.retain(|m| {
        let division = places::code_of(&m.entity).is_some();
        !(division && (in_person(&m.range) || opens_school(&m.range))
            || country(&m.entity) && (in_name(&m.range) || quoted(&m.range)))
    });
    if ex.mentions.len() == before {
        return;
    }
    // Places still needed: those mentioned, their ancestors, and those
    // another entity or a relation points to.
    let mut keep: BTreeSet<EntityKey> = ex.mentions.iter().map(|m| m.entity.clone()).collect();
    for e in ex.entities.values() {
        if e.key.kind != EntityKind::Place {
            keep.extend(e.links().cloned());
        }
    }
    for r in &ex.relations {
        keep.insert(r.subject.clone());
        keep.insert(r.object.clone());
    }
    let mut stack: Vec<EntityKey> = keep.iter().cloned().collect();
    while let Some(k) = stack.pop() {
        if let Some(p) = ex.entities.get(&k).and_then(|e| e.parent.clone())
            && keep.insert(p.clone())
        {
            stack.push(p);
        }
    }
    ex.entities
        .retain(|k, _| k.kind != EntityKind::Place || keep.contains(k));
    // A place kept only as a seat (兰州大学管理学院 in 兰州市) is not written
    // in the article: the forms its dropped mentions had are not its names here.
    let mentioned: BTreeSet<&EntityKey> = ex.mentions.iter().map(|m| &m.entity).collect();
    for (k, e) in ex.entities.iter_mut() {
        if k.kind == EntityKind::Place && !mentioned.contains(k) {
            e.aliases.clear();
        }
    }
}

/// Helpers for the extractors' table tests.
#[cfg(test)]
pub(crate) mod table {
    use super::{EntityKind, extract};
    use crate::ingest::{ArticleId, parse_article};

    /// `text` read as an article (plain text).
    pub fn article(text: &str) -> crate::ingest::Article {
        parse_article(
            ArticleId::new("t"),
            text.as_bytes(),
            None,
            &Default::default(),
        )
        .unwrap()
    }

    /// Everything the extractors find in `text`.
    pub fn extraction(text: &str) -> super::Extraction {
        extract(&article(text))
    }

    /// Labels of the entities of `kind` that `text` yields.
    pub fn labels(text: &str, kind: EntityKind) -> Vec<String> {
        extraction(text)
            .entities
            .values()
            .filter(|e| e.key.kind == kind)
            .map(|e| e.label.clone())
            .collect()
    }

    /// Checks each (text, wanted labels, unwanted labels) case; returns one
    /// line per miss.
    pub fn check(kind: EntityKind, cases: &[(&str, &[&str], &[&str])]) -> Vec<String> {
        let mut failures = Vec::new();
        for (text, want, not) in cases {
            let got = labels(text, kind);
            for w in *want {
                if !got.iter().any(|g| g == w) {
                    failures.push(format!("{text}: missing {w} in {got:?}"));
                }
            }
            for n in *not {
                if got.iter().any(|g| g == n) {
                    failures.push(format!("{text}: unwanted {n} in {got:?}"));
                }
            }
        }
        failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_opening_a_school_name_is_its_seat_not_a_place_written() {
        let ex = table::extraction("兰州大学管理学院的教授来到村里讲课。");
        let college = ex
            .entities
            .values()
            .find(|e| e.label == "兰州大学管理学院")
            .expect("the college is found");
        let seat = college.place.as_ref().expect("the college has its seat");
        assert_eq!(ex.entities[seat].label, "兰州市");
        assert!(
            ex.mentions
                .iter()
                .all(|m| m.entity.kind != EntityKind::Place)
        );
        assert!(
            ex.entities
                .values()
                .filter(|e| e.key.kind == EntityKind::Place)
                .all(|e| e.aliases.is_empty()),
            "no place keeps a name written in the article"
        );
    }

    #[test]
    fn a_date_opening_its_sentence_dates_its_figures() {
        // (passage, figure, date it takes)
        let cases = [
            (
                "2023年3月底，基地已培训学员800名。",
                "800名",
                Some("2023-03"),
            ),
            (
                "截至2024年6月，平台共有主播1200名。",
                "1200名",
                Some("2024-06"),
            ),
            // A date inside the sentence dates only its own clause.
            (
                "基地培训学员800名，2023年3月又新增了一批课程。",
                "800名",
                None,
            ),
            // The start of a period dates nothing.
            ("2020年开始，基地累计培训学员800名。", "800名", None),
        ];
        for (text, fig, date) in cases {
            let ex = table::extraction(text);
            let o = ex.observations.iter().find(|o| o.text == fig).expect(fig);
            assert_eq!(o.as_of.as_deref(), date, "{text}");
        }
    }

    #[test]
    fn merging_moves_mentions_relations_and_observations() {
        let text = "阿里巴巴巨鹿县客户体验中心有员工196人。巨鹿客服中心平均工资5000元左右。";
        let ex = table::extraction(text);
        let long = EntityKey::new(EntityKind::Programme, "阿里巴巴巨鹿县客户体验中心");
        assert!(
            !ex.entities
                .contains_key(&EntityKey::new(EntityKind::Programme, "巨鹿客服中心"))
        );
        assert!(
            ex.entities[&long].aliases.contains("巨鹿客服中心"),
            "{:?}",
            ex.entities[&long]
        );
        assert_eq!(ex.mentions.iter().filter(|m| m.entity == long).count(), 2);
        assert!(
            ex.observations
                .iter()
                .all(|o| o.subject.as_ref() == Some(&long)),
            "{:?}",
            ex.observations
        );
    }
}
