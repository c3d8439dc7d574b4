//! The subject of a figure: what a number is about. Chinese news runs on
//! topic chains: a clause names its topic at its start (义乌|市场经营主体…,
//! 阿里巴巴公益|分三批…) and the following clauses of the sentence leave it
//! out. So a figure's subject is looked for, in order:
//!
//! 1. the programme whose name holds the figure (举办跨境电商|万人|培训);
//! 2. the programme the figure counts (建立了37家|客服中心);
//! 3. the figure's own clause: a programme, organisation, person or place
//!    (as topic), or a bare head word standing for a programme (加入职场);
//! 4. the place 当地/该县 refers to (为当地乡亲增收…);
//! 5. the sentence's frame (以“阿里客服县”项目为例, …);
//! 6. for what people earn and sell, the person the sentence names (or,
//!    after the clauses before, the one the two sentences before name);
//! 7. the topics (and programmes) of the clauses before it, nearest first;
//! 8. the programme discussed in the sentences before (a facility for
//!    figures about staff and seats), then one named later in the sentence
//!    (…,这里是阿里巴巴巨鹿县客户体验中心), then the article's main facility;
//! 9. the article's main programme (named in its lead, twice or more in
//!    all, and at least twice as often as any other), for figures that do
//!    not describe a person.
//!
//! A figure with none of these has no subject, and the graph says so
//! (`zhkg:subjectUnknown`).
//!
//! Data sources (据…统计, 根据…发布的数据) and origins (来自…的15名同学) are
//! never subjects.

use std::ops::Range;

use super::places::code_of;
use super::{Category, Context, EntityKey, EntityKind, Extraction, Mention, surveys};

/// Clause breaks inside a sentence (the text is width-folded: ， and ： are
/// already , and :).
const CLAUSE_BREAKS: &[char] = &[',', ':'];

/// Measure words that count facilities, sites and bodies (14个, 3家, 2座).
const COUNTERS: &str = "个家座所处间";

/// Openings of a clause that cites a data source.
const SOURCE_OPENINGS: &[&str] = &[
    "据",
    "根据",
    "报告显示",
    "数据显示",
    "调查显示",
    "统计显示",
    "调查结果",
    "数据表明",
];

/// Words that refer back to the place an article or sentence is about,
/// each with the ending of the names of the places it can stand for (县 for
/// 全县, 州 for 全州); 当地 stands for any.
const PLACE_ANAPHORS: &[(&str, &str)] = &[
    ("当地", ""),
    ("该县", "县"),
    ("本县", "县"),
    ("全县", "县"),
    ("该市", "市"),
    ("本市", "市"),
    ("全市", "市"),
    ("该区", "区"),
    ("本区", "区"),
    ("全区", "区"),
    ("该州", "州"),
    ("本州", "州"),
    ("全州", "州"),
    ("该省", "省"),
    ("本省", "省"),
    ("全省", "省"),
];

/// Head words a bare noun uses to stand for a programme already named
/// (该中心, 职场, 基地, 大赛).
const BARE_HEADS: &[&str] = &[
    "客服县",
    "基地",
    "中心",
    "项目",
    "星站",
    "职场",
    "计划",
    "工程",
    "大赛",
    "创业园",
    "产业园",
];

/// Metrics of a place of work: its staff and seats. Without a closer
/// subject they belong to the facility the article is about.
const FACILITY_METRICS: &[&str] = &["employees", "workstations", "interns", "managers"];

/// Metrics that describe a person (what they earn, sell or are).
const PERSONAL_METRICS: &[&str] = &[
    "age",
    "monthly_wage",
    "annual_income",
    "sales",
    "annual_sales",
    "monthly_sales",
    "daily_sales",
    "prize_money",
];

/// Metrics of a survey's sample.
const SAMPLE_METRICS: &[&str] = &["respondents", "questionnaires"];

/// Where the mentions start that a list ending in 等 right before `at`
/// enumerates (陕西、山西、河北等|7个省): each separated from the next by
/// 、, 和, 及 or nothing, the last one followed by 等.
fn enumerated_before(cx: &Context<'_>, mentions: &[&Mention], at: usize) -> Vec<usize> {
    let mut out = Vec::new();
    if at == 0 || cx.chars.get(at - 1) != Some(&'等') {
        return out;
    }
    let mut end = at - 1;
    while let Some(m) = mentions
        .iter()
        .filter(|m| m.range.end == end)
        .max_by_key(|m| m.range.len())
    {
        out.push(m.range.start);
        let start = m.range.start;
        end = match start.checked_sub(1).and_then(|i| cx.chars.get(i)) {
            Some('、' | '和' | '及') => start - 1,
            _ => start,
        };
        if end == start && !mentions.iter().any(|m| m.range.end == end) {
            break;
        }
    }
    // A list of one is no list (阿里巴巴等3家企业 counts with it).
    if out.len() < 2 {
        out.clear();
    }
    out
}

/// Mentions arranged for the subject search: by sentence, programmes by
/// end, and the article's main facility. Built once per article, so that
/// finding subjects stays linear in the article's length.
pub struct Index<'a> {
    by_sentence: Vec<Vec<&'a Mention>>,
    programmes: Vec<&'a Mention>,
    main_facility: Option<EntityKey>,
    main_programme: Option<EntityKey>,
}

impl<'a> Index<'a> {
    /// Indexes the mentions of `ex`.
    pub fn new(ex: &'a Extraction) -> Self {
        let n = ex
            .mentions
            .iter()
            .map(|m| m.sentence + 1)
            .max()
            .unwrap_or(0);
        let mut by_sentence: Vec<Vec<&Mention>> = vec![Vec::new(); n];
        for m in &ex.mentions {
            by_sentence[m.sentence].push(m);
        }
        let mut programmes: Vec<&Mention> = ex
            .mentions
            .iter()
            .filter(|m| m.entity.kind == EntityKind::Programme)
            .collect();
        programmes.sort_by_key(|m| m.range.end);
        Self {
            by_sentence,
            programmes,
            main_facility: main_facility(ex),
            main_programme: main_programme(ex),
        }
    }

    /// The mentions of sentence `i`.
    pub(crate) fn sentence(&self, i: usize) -> &[&'a Mention] {
        self.by_sentence.get(i).map_or(&[], Vec::as_slice)
    }
}

/// A figure to find the subject of.
pub struct Figure<'m> {
    /// The figure's characters in the article text.
    pub range: Range<usize>,
    /// Its sentence.
    pub sentence: usize,
    /// Its metric notation.
    pub metric: &'m str,
}

/// The subject of `fig`, when the text gives one.
pub fn subject_of(
    cx: &Context<'_>,
    ex: &Extraction,
    idx: &Index<'_>,
    fig: &Figure<'_>,
) -> Option<EntityKey> {
    let s = cx.sentences.get(fig.sentence)?;
    let clauses = clauses(cx, s.range.clone());
    let ci = clauses
        .iter()
        .position(|c| c.contains(&fig.range.start))
        .unwrap_or(0);
    let clause = clauses[ci].clone();
    let personal = PERSONAL_METRICS.contains(&fig.metric);
    let mentions: Vec<&Mention> = idx
        .sentence(fig.sentence)
        .iter()
        .copied()
        .filter(|m| eligible(ex, m))
        .filter(|m| !from_origin(cx, m) && !in_source_clause(cx, &clauses, m))
        .collect();
    // Names inside names (巨鹿 in 巨鹿客服中心, 义乌市 in 义乌市人社局) are
    // parts of their subject, not subjects.
    let mentions: Vec<&Mention> = mentions
        .iter()
        .filter(|m| {
            !mentions.iter().any(|o| {
                o.range.start <= m.range.start
                    && o.range.end >= m.range.end
                    && o.range.len() > m.range.len()
            })
        })
        .copied()
        .collect();
    // A place written right before a place inside it (山东|曹县, 湖南|花垣县,
    // 湖北省|恩施州|宣恩县) only locates that one: the chain reads as one
    // mention of its innermost place.
    let inner_of = |m: &Mention| {
        let outer = code_of(&m.entity)?;
        mentions.iter().copied().find(|n| {
            n.range.start == m.range.end
                && code_of(&n.entity).is_some_and(|c| {
                    crate::lexicon::LEXICON
                        .divisions
                        .ancestors(c)
                        .contains(&outer)
                })
        })
    };
    let located: Vec<Mention> = mentions
        .iter()
        .filter(|m| {
            !mentions
                .iter()
                .any(|o| inner_of(o).is_some_and(|i| std::ptr::eq(i, **m)))
        })
        .filter_map(|m| {
            let mut inner = inner_of(m)?;
            while let Some(next) = inner_of(inner) {
                inner = next;
            }
            Some(Mention {
                range: m.range.start..inner.range.end,
                ..inner.clone()
            })
        })
        .collect();
    let mut mentions: Vec<&Mention> = mentions
        .iter()
        .filter(|m| {
            !located
                .iter()
                .any(|l| l.range.start <= m.range.start && m.range.end <= l.range.end)
        })
        .copied()
        .chain(&located)
        .collect();
    mentions.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    // The members of a list the figure counts (陕西、山西、河北等7个省)
    // are what it counts, not what it is about.
    let members = enumerated_before(cx, &mentions, fig.range.start);
    let mentions: Vec<&Mention> = mentions
        .into_iter()
        .filter(|m| !members.contains(&m.range.start))
        .collect();

    // 1. The figure is part of a programme's name.
    if let Some(m) = mentions.iter().find(|m| {
        m.entity.kind == EntityKind::Programme
            && m.range.start <= fig.range.start
            && m.range.end >= fig.range.end
    }) {
        return Some(m.entity.clone());
    }
    // 2. What the figure counts is a programme: written right before a
    // count (建成服务站|86个、仓储中心|3个: not the next item of the list,
    // which its own figure counts), or after the figure (37家|客服中心).
    let is_count = fig
        .range
        .end
        .checked_sub(1)
        .is_some_and(|k| COUNTERS.contains(cx.chars[k]));
    if is_count
        && let Some(m) = mentions
            .iter()
            .find(|m| m.entity.kind == EntityKind::Programme && m.range.end == fig.range.start)
    {
        return Some(m.entity.clone());
    }
    if let Some(m) = mentions.iter().find(|m| {
        m.entity.kind == EntityKind::Programme
            && m.range.start >= fig.range.end
            && m.range.start <= fig.range.end + 2
            && !cx
                .text(fig.range.end..m.range.start)
                .contains(CLAUSE_BREAKS)
    }) {
        return Some(m.entity.clone());
    }
    // 3. The figure's own clause.
    let in_clause = |c: &Range<usize>, upto: usize, after_too: bool| {
        best_in(cx, ex, idx, &mentions, c.clone(), upto, after_too, personal)
    };
    // A demonstrative topic (该中心将…培养500名) stands for the body named
    // before with that head, whatever else the clause names.
    if let Some(k) = demonstrative(cx, ex, clause.start..fig.range.start) {
        return Some(k);
    }
    if let Some(k) = in_clause(&clause, fig.range.start, true) {
        return Some(k);
    }
    // …whose topic may be 公司 or 企业 for the company named before.
    if let Some(k) = bare_company(cx, ex, clause.start..fig.range.start) {
        return Some(k);
    }
    // Policy measures counted in a clause that names nothing are the
    // measures of the document named last, in the sentence or the one
    // before (出台了《…若干措施》，提出了16条具体措施).
    if fig.metric == "measures"
        && let Some(m) = (fig.sentence.saturating_sub(1)..=fig.sentence)
            .flat_map(|i| idx.sentence(i).iter().copied())
            .filter(|m| m.entity.kind == EntityKind::Document && m.range.end <= fig.range.start)
            .max_by_key(|m| m.range.end)
    {
        return Some(m.entity.clone());
    }
    // A survey's sample (people interviewed, questionnaires) is the
    // survey's, the last one named.
    if SAMPLE_METRICS.contains(&fig.metric)
        && let Some(m) = idx
            .programmes
            .iter()
            .rfind(|m| m.range.end <= fig.range.start && surveys::is_survey(ex, &m.entity))
    {
        return Some(m.entity.clone());
    }
    // In a quotation, 我 and 我们 are its speaker and the speaker's body.
    if let Some(k) = speaker(cx, ex, fig.range.start) {
        return Some(k);
    }
    // 4. 当地, 该县: the place of the sentence (or the last one named),
    // when the clause names no subject itself (为当地乡亲增收…).
    let before_in_clause = cx.slice(clause.start..fig.range.start);
    if let Some(&(_, ending)) = PLACE_ANAPHORS
        .iter()
        .find(|(a, _)| before_in_clause.contains(a))
        && let Some(p) =
            place_named(ex, fig.range.start, ending).or_else(|| last_place(ex, fig.range.start))
    {
        return Some(p);
    }
    // 5. The sentence's frame: 以X为例.
    if let Some(k) = frame(cx, ex, idx, &mentions, s.range.clone()) {
        return Some(k);
    }
    // 6. A person the sentence is about, for what people earn and sell
    // (赵某,县人,…,从最初月入3000元); not one who only reports it (李某介绍,
    // 人均月工资…: the speaker's figure is about others).
    if personal
        && let Some(m) = mentions
            .iter()
            .filter(|m| m.entity.kind == EntityKind::Person && m.range.end <= fig.range.start)
            .max_by_key(|m| m.range.end)
        && !reports(cx, m, fig.range.start)
    {
        return Some(m.entity.clone());
    }
    // An age before a name is that person's (21岁的李某), also across the
    // role or the word for people the name is given with (21岁的主播李某).
    if fig.metric == "age"
        && cx.chars.get(fig.range.end) == Some(&'的')
        && let Some(m) = mentions.iter().find(|m| {
            m.entity.kind == EntityKind::Person
                && m.range.start > fig.range.end
                && describes_person(cx.slice(fig.range.end + 1..m.range.start))
        })
    {
        return Some(m.entity.clone());
    }
    // 7. Topics (and programmes) of the clauses before, nearest first.
    // 他 or 她 as a clause's topic stands for the person named last.
    if let Some(k) = pronoun(cx, idx, clause.start..fig.range.start, fig.sentence) {
        return Some(k);
    }
    for c in clauses[..ci].iter().rev() {
        // A clause that only attributes what follows (某局局长李某介绍) is
        // not its topic: the speaker's body is not what the figures are about.
        if attributes(cx, c.clone()) {
            continue;
        }
        if let Some(k) = demonstrative(cx, ex, c.clone())
            .or_else(|| chained(cx, ex, idx, &mentions, c.clone()))
            .or_else(|| pronoun(cx, idx, c.clone(), fig.sentence))
            .or_else(|| anaphoric_topic(cx, ex, c.clone()))
        {
            return Some(k);
        }
    }
    // …or, for what people earn and sell (not a year's sales: those are a
    // business's), the person the sentences just before are about
    // (李某…。每月能卖两万多元), not one who only reported them (据李某
    // 介绍，…。人均月收入约4000元: the speaker's figures are about others).
    if personal
        && !matches!(fig.metric, "age" | "annual_sales")
        && let Some(m) = (fig.sentence.saturating_sub(2)..fig.sentence)
            .flat_map(|i| idx.sentence(i).iter().copied())
            .filter(|m| m.entity.kind == EntityKind::Person && eligible(ex, m))
            .max_by_key(|m| m.range.end)
        && !reports(cx, m, fig.range.start)
    {
        return Some(m.entity.clone());
    }
    // …or the person 他 or 她 stands for at the start of the sentence
    // before (他在网上开了一家店。…每月能卖两万多元).
    if personal
        && !matches!(fig.metric, "age" | "annual_sales")
        && let Some(prev) = fig
            .sentence
            .checked_sub(1)
            .and_then(|i| cx.sentences.get(i))
        && let Some(first) = self::clauses(cx, prev.range.clone()).first().cloned()
        && let Some(k) = pronoun(cx, idx, first, prev.index)
    {
        return Some(k);
    }
    // 8. The programme discussed just before.
    let facility_metric = FACILITY_METRICS.contains(&fig.metric);
    let recent = (fig.sentence.saturating_sub(3)..fig.sentence)
        .flat_map(|i| idx.sentence(i).iter().copied())
        .filter(|m| {
            m.entity.kind == EntityKind::Programme
                && eligible(ex, m)
                && (!facility_metric || is_facility(ex, &m.entity))
        })
        .max_by_key(|m| m.range.end);
    if let Some(m) = recent {
        return Some(edition_of(ex, &m.entity));
    }
    // …or named later in the sentence (…，这里是阿里巴巴巨鹿县客户体验中心).
    if let Some(m) = mentions
        .iter()
        .find(|m| m.entity.kind == EntityKind::Programme && m.range.start >= fig.range.end)
    {
        return Some(m.entity.clone());
    }
    if facility_metric && idx.main_facility.is_some() {
        return idx.main_facility.clone();
    }
    // 9. What the article is about.
    if !personal {
        return idx.main_programme.as_ref().map(|k| edition_of(ex, k));
    }
    None
}

/// The place a clause's topic refers back to (全县已培训…, 当地…): the
/// place the anaphor stands for, named before the clause.
fn anaphoric_topic(cx: &Context<'_>, ex: &Extraction, clause: Range<usize>) -> Option<EntityKey> {
    let text = cx.slice(clause.clone());
    let &(_, ending) = PLACE_ANAPHORS
        .iter()
        .find(|(a, _)| text.trim_start().starts_with(a))?;
    place_named(ex, clause.start, ending).or_else(|| last_place(ex, clause.start))
}

/// A programme reached only through the topic chain stands for its latest
/// edition when the article names one (热土计划 → 热土计划2023): an article
/// about an edition reports that edition's figures.
fn edition_of(ex: &Extraction, programme: &EntityKey) -> EntityKey {
    ex.entities
        .values()
        .filter(|e| {
            e.key.kind == EntityKind::Programme
                && e.parent.as_ref() == Some(programme)
                && e.label.len() > programme.local.len()
                && e.label.starts_with(programme.local.as_str())
                && e.label[programme.local.len()..]
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_digit())
        })
        .max_by(|a, b| a.label.cmp(&b.label))
        .map_or_else(|| programme.clone(), |e| e.key.clone())
}

/// Sentences that make an article's lead (the title, when the text has
/// one, is its first sentence).
const LEAD_SENTENCES: usize = 4;

/// The programme the article is about: among those its lead names, the one
/// it names most often (not a certificate), when that is twice or more and
/// at least twice as often as any other. What its figures are about when
/// nothing nearer says.
fn main_programme(ex: &Extraction) -> Option<EntityKey> {
    let mut counts: Vec<(&EntityKey, usize, usize)> = Vec::new();
    // The article's lead: what it announces in its first sentences.
    let in_lead: Vec<&EntityKey> = ex
        .mentions
        .iter()
        .filter(|m| m.sentence < LEAD_SENTENCES)
        .map(|m| &m.entity)
        .collect();
    for m in &ex.mentions {
        if m.entity.kind != EntityKind::Programme
            || !eligible(ex, m)
            || !in_lead.contains(&&m.entity)
        {
            continue;
        }
        match counts.iter_mut().find(|(k, _, _)| **k == m.entity) {
            Some((_, n, first)) => {
                *n += 1;
                *first = (*first).min(m.range.start);
            }
            None => counts.push((&m.entity, 1, m.range.start)),
        }
    }
    counts.sort_by_key(|&(_, n, first)| (std::cmp::Reverse(n), first));
    // Main only when it dominates: named twice or more, and at least twice
    // as often as any other programme.
    match counts[..] {
        [(k, n, _)] if n >= 2 => Some(k.clone()),
        [(k, n, _), (_, m, _), ..] if n >= 2 && n >= 2 * m => Some(k.clone()),
        _ => None,
    }
}

/// The clauses of a sentence (ranges of characters), split at commas and colons.
fn clauses(cx: &Context<'_>, s: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = s.start;
    for i in s.clone() {
        if CLAUSE_BREAKS.contains(&cx.chars[i]) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < s.end || out.is_empty() {
        out.push(start..s.end);
    }
    out
}

/// Documents, platforms and certificates are not what figures are about.
fn eligible(ex: &Extraction, m: &Mention) -> bool {
    let category = ex.entities.get(&m.entity).map(|e| e.category);
    match m.entity.kind {
        EntityKind::Document => false,
        EntityKind::Organization => category != Some(Category::Platform),
        EntityKind::Programme => category != Some(Category::Certificate),
        EntityKind::Place => code_of(&m.entity).is_some(),
        EntityKind::Person | EntityKind::Group => true,
    }
}

fn is_facility(ex: &Extraction, k: &EntityKey) -> bool {
    ex.entities
        .get(k)
        .is_some_and(|e| e.category == Category::Facility)
}

/// True for a mention between 来自 and the next 的 (来自青海交通职业技术学院的15名同学).
fn from_origin(cx: &Context<'_>, m: &Mention) -> bool {
    let lead = cx.slice(m.range.start.saturating_sub(12)..m.range.start);
    let Some(at) = lead.rfind("来自") else {
        return false;
    };
    let between = &lead[at..];
    !between.contains('的') && !between.contains(CLAUSE_BREAKS)
}

/// True for a mention in a clause citing a data source (据义乌人社局统计).
fn in_source_clause(cx: &Context<'_>, clauses: &[Range<usize>], m: &Mention) -> bool {
    clauses
        .iter()
        .find(|c| c.contains(&m.range.start))
        .is_some_and(|c| {
            let text = cx.slice(c.clone());
            SOURCE_OPENINGS.iter().any(|o| text.starts_with(o))
        })
}

/// The place named last before `at`: a county first, else any division.
/// The place named last before `at` whose official name ends with
/// `ending` (县, 州, 省): the one 全县, 全州 or 全省 stands for. None for
/// an empty ending.
fn place_named(ex: &Extraction, at: usize, ending: &str) -> Option<EntityKey> {
    if ending.is_empty() {
        return None;
    }
    ex.mentions
        .iter()
        .filter(|m| {
            m.range.end <= at
                && code_of(&m.entity).is_some_and(|c| {
                    crate::lexicon::LEXICON
                        .divisions
                        .get(c)
                        .is_some_and(|d| d.name.ends_with(ending))
                })
        })
        .max_by_key(|m| m.range.end)
        .map(|m| m.entity.clone())
}

fn last_place(ex: &Extraction, at: usize) -> Option<EntityKey> {
    let places = || {
        ex.mentions
            .iter()
            .filter(move |m| m.range.end <= at && code_of(&m.entity).is_some())
    };
    let county = places()
        .filter(|m| {
            code_of(&m.entity).is_some_and(|c| {
                crate::lexicon::LEXICON
                    .divisions
                    .get(c)
                    .is_some_and(|d| d.level == crate::lexicon::Level::County)
            })
        })
        .max_by_key(|m| m.range.end);
    county
        .or_else(|| places().max_by_key(|m| m.range.end))
        .map(|m| m.entity.clone())
}

/// True when `gap`, between 的 and a name, is nothing or a role or a word
/// for people the name is given as (主播, 返乡青年, 村党支部书记).
fn describes_person(gap: &str) -> bool {
    gap.is_empty()
        || (gap.chars().count() <= 8
            && gap.chars().all(crate::ingest::normalize::is_han)
            && (crate::lexicon::LEXICON
                .roles
                .iter()
                .any(|(role, _)| gap.ends_with(role.as_str()))
                || super::numbers::PERSON_NOUNS
                    .iter()
                    .any(|noun| gap.ends_with(noun))))
}

/// True when only time words, adverbs, prepositions and the like come
/// between the clause start and `at`: the mention at `at` is the topic.
fn at_topic(cx: &Context<'_>, clause_start: usize, at: usize) -> bool {
    cx.tokens_in(clause_start..at).iter().all(|t| {
        matches!(
            t.tag.as_str(),
            "t" | "d" | "m" | "q" | "c" | "f" | "ad" | "p" | "x" | "u" | "uj" | "ul" | "zg"
        ) || matches!(t.word.as_str(), "目前" | "如今" | "现在" | "今年" | "去年")
    })
}

/// The person that 他 or 她 (not 他们) as the topic of `clause` stands for:
/// the person named last before it, in its sentence or the two before.
fn pronoun(
    cx: &Context<'_>,
    idx: &Index<'_>,
    clause: Range<usize>,
    sentence: usize,
) -> Option<EntityKey> {
    let at = cx.tokens_in(clause.clone()).iter().find(|t| {
        matches!(t.word.as_str(), "他" | "她")
            && at_topic(cx, clause.start, t.start)
            // Not inside a modifier (他带领的团队…: the team is the topic).
            && !cx.slice(t.end..(t.end + 4).min(clause.end)).contains('的')
    })?;
    (sentence.saturating_sub(2)..=sentence)
        .flat_map(|i| idx.sentence(i).iter().copied())
        .filter(|m| m.entity.kind == EntityKind::Person && m.range.end <= at.start)
        .max_by_key(|m| m.range.end)
        .map(|m| m.entity.clone())
}

/// The best subject among the clause's mentions before `upto` (and, when
/// `after_too`, programmes after it in the clause): a programme, then an
/// organisation, then a person (for personal figures, or as topic), then a
/// place as topic. Bare head words standing for programmes count as
/// programmes where they occur.
#[allow(clippy::too_many_arguments)]
fn best_in(
    cx: &Context<'_>,
    ex: &Extraction,
    idx: &Index<'_>,
    mentions: &[&Mention],
    clause: Range<usize>,
    upto: usize,
    after_too: bool,
    personal: bool,
) -> Option<EntityKey> {
    let mut cands: Vec<(u8, usize, EntityKey)> = Vec::new();
    for m in mentions
        .iter()
        .filter(|m| m.range.start >= clause.start && m.range.end <= clause.end)
    {
        let before = m.range.end <= upto;
        let topic = at_topic(cx, clause.start, m.range.start);
        let rank = match m.entity.kind {
            EntityKind::Programme if before || after_too => 3,
            EntityKind::Organization if before => 2,
            EntityKind::Person if before && personal => 4,
            EntityKind::Person if before && topic => 2,
            EntityKind::Place if before && topic => 1,
            // A place elsewhere in the figure's clause (吸引超3万名大学生来义乌创业).
            EntityKind::Place if after_too => 0,
            _ => continue,
        };
        cands.push((rank, m.range.end, m.entity.clone()));
    }
    // An organisation followed by a person it qualifies (义乌工商学院2023届
    // 毕业生金功成): the person is the topic.
    if let Some(p) = mentions.iter().find(|p| {
        p.entity.kind == EntityKind::Person
            && p.range.end <= upto
            && p.range.start >= clause.start
            && mentions.iter().any(|o| {
                o.entity.kind == EntityKind::Organization
                    && o.range.end <= p.range.start
                    && p.range.start - o.range.end <= 10
                    && at_topic(cx, clause.start, o.range.start)
            })
    }) && !cands.iter().any(|c| c.0 == 3)
    {
        return Some(p.entity.clone());
    }
    for (pos, k) in bare_heads(cx, ex, idx, clause.clone()) {
        if pos <= upto || after_too {
            cands.push((3, pos, k));
        }
    }
    cands
        .into_iter()
        .max_by_key(|(rank, end, _)| (*rank, *end))
        .map(|(_, _, k)| k)
}

/// Bare head words in `clause` that stand for a programme named before:
/// with a demonstrative (该中心) or not modifying a following noun (加入职场,
/// 职场的管理团队; not 项目选址). Returns where each ends and the programme.
fn bare_heads(
    cx: &Context<'_>,
    ex: &Extraction,
    idx: &Index<'_>,
    clause: Range<usize>,
) -> Vec<(usize, EntityKey)> {
    let in_sentence = idx.sentence(cx.sentence_of(clause.start));
    let mut out = Vec::new();
    for t in cx.tokens_in(clause.start..clause.end).iter() {
        let Some(head) = BARE_HEADS.iter().find(|h| t.word == **h) else {
            continue;
        };
        // Part of a name already found.
        if in_sentence
            .iter()
            .any(|m| m.range.start <= t.start && m.range.end >= t.end)
        {
            continue;
        }
        let k = cx.token_at(t.start).unwrap_or(0);
        let next_is_noun = cx
            .tokens
            .get(k + 1)
            .is_some_and(|n| n.start == t.end && n.tag.starts_with('n'));
        let demonstrative = k > 0
            && matches!(
                cx.tokens[k - 1].word.as_str(),
                "该" | "这个" | "此" | "本" | "这" | "这家" | "那个" | "那场" | "这场"
            );
        if next_is_noun && !demonstrative {
            continue;
        }
        let before = idx.programmes.partition_point(|m| m.range.end <= t.start);
        let named = idx.programmes[..before].iter().rev().find(|m| {
            ex.entities.get(&m.entity).is_some_and(|e| {
                e.label.ends_with(head) || e.aliases.iter().any(|a| a.ends_with(head))
            })
        });
        if let Some(m) = named {
            out.push((t.end, m.entity.clone()));
        }
    }
    out
}

/// 以X为例 at the start of a sentence makes X its subject.
fn frame(
    cx: &Context<'_>,
    ex: &Extraction,
    idx: &Index<'_>,
    mentions: &[&Mention],
    s: Range<usize>,
) -> Option<EntityKey> {
    let text = cx.slice(s.clone());
    let lead = text.find('以')?;
    if text[..lead].chars().count() > 2 {
        return None;
    }
    let end = s.start + text[..text.find("为例")?].chars().count();
    mentions
        .iter()
        .filter(|m| m.range.end <= end && m.entity.kind != EntityKind::Place)
        .max_by_key(|m| (m.entity.kind == EntityKind::Programme, m.range.end))
        .map(|m| m.entity.clone())
        .or_else(|| {
            bare_heads(cx, ex, idx, s.start..end)
                .into_iter()
                .map(|(_, k)| k)
                .next_back()
        })
}

/// The facility with the most mentions in the article.
fn main_facility(ex: &Extraction) -> Option<EntityKey> {
    let mut counts: std::collections::BTreeMap<&EntityKey, usize> = Default::default();
    for m in &ex.mentions {
        if m.entity.kind == EntityKind::Programme && is_facility(ex, &m.entity) {
            *counts.entry(&m.entity).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(k, _)| k.clone())
}

/// The subject a clause before the figure passes on: its topic (a mention
/// at its start), else a programme it names, else a bare head standing for
/// one. Objects (邀请淘宝大学讲师…) are not passed on.
fn chained(
    cx: &Context<'_>,
    ex: &Extraction,
    idx: &Index<'_>,
    mentions: &[&Mention],
    clause: Range<usize>,
) -> Option<EntityKey> {
    let inside = || {
        mentions
            .iter()
            .filter(move |m| m.range.start >= clause.start && m.range.end <= clause.end)
    };
    if let Some(m) = inside()
        .find(|m| at_topic(cx, clause.start, m.range.start) && m.entity.kind != EntityKind::Place)
    {
        // A topic organisation with a programme in its clause passes on the
        // programme (阿里巴巴公益分三批遴选…担任乡村特派员).
        if m.entity.kind != EntityKind::Programme
            && let Some(p) = inside().find(|p| p.entity.kind == EntityKind::Programme)
            && m.entity.kind == EntityKind::Organization
        {
            return Some(p.entity.clone());
        }
        return Some(m.entity.clone());
    }
    // 公司 or 企业 as the topic comes before a programme later in the clause
    // (企业落户于产业园: the company).
    if let Some(k) = bare_company(cx, ex, clause.clone()) {
        return Some(k);
    }
    if let Some(p) = inside()
        .filter(|p| p.entity.kind == EntityKind::Programme)
        .max_by_key(|p| p.range.end)
    {
        return Some(p.entity.clone());
    }
    if let Some(k) = bare_heads(cx, ex, idx, clause.clone())
        .into_iter()
        .map(|(_, k)| k)
        .next_back()
    {
        return Some(k);
    }
    // A place as topic comes last (去年在义乌举办的那场大赛中: the contest).
    inside()
        .find(|m| at_topic(cx, clause.start, m.range.start))
        .map(|m| m.entity.clone())
}

/// Verbs that attribute a quotation to its speaker.
const SPEECH_VERBS: &[&str] = &["表示", "说", "介绍", "告诉", "坦言", "感慨", "指出", "谈到"];

/// True when `clause` ends in a speech verb (…主席杨某介绍, …负责人表示):
/// it names who speaks, not what the rest of the sentence is about.
fn attributes(cx: &Context<'_>, clause: Range<usize>) -> bool {
    let text = cx.slice(clause);
    let text = text.trim_end_matches([',', '，', ':', '：', ' ']);
    SPEECH_VERBS.iter().any(|v| text.ends_with(v))
}

/// True when the person mentioned at `m` only reports what follows: a
/// speech verb comes right after the name (李某介绍, 李某对记者说) and
/// before `at`.
fn reports(cx: &Context<'_>, m: &Mention, at: usize) -> bool {
    let end = (m.range.end + 6).min(at);
    if end <= m.range.end {
        return false;
    }
    let after = cx.slice(m.range.end..end);
    let after = ["对记者", "向记者"]
        .iter()
        .find_map(|p| after.strip_prefix(p))
        .unwrap_or(after);
    SPEECH_VERBS.iter().any(|v| after.starts_with(v))
}

/// 公司 or 企业 as the topic of `clause`, standing for the company named
/// last before it (…科技有限公司。企业去年招收员工60人); 网店 or 店铺 for
/// the shop named last.
fn bare_company(cx: &Context<'_>, ex: &Extraction, clause: Range<usize>) -> Option<EntityKey> {
    let t = cx.tokens_in(clause.clone()).iter().find(|t| {
        matches!(
            t.word.as_str(),
            "公司" | "企业" | "该公司" | "该企业" | "网店" | "店铺"
        )
    })?;
    let kind = if t.word.ends_with("店") || t.word.ends_with("铺") {
        Category::Shop
    } else {
        Category::Company
    };
    let k = cx.token_at(t.start)?;
    let start = if k > 0 && cx.tokens[k - 1].word == "该" {
        cx.tokens[k - 1].start
    } else {
        t.start
    };
    if !at_topic(cx, clause.start, start)
        || ex
            .mentions
            .iter()
            .any(|m| m.range.start <= t.start && m.range.end >= t.end)
    {
        return None;
    }
    ex.mentions
        .iter()
        .filter(|m| {
            m.range.end <= start
                && ex
                    .entities
                    .get(&m.entity)
                    .is_some_and(|e| e.category == kind)
        })
        .max_by_key(|m| m.range.end)
        .map(|m| m.entity.clone())
}

/// Words that point back to a body named before (该中心, 这个车间, 此基地).
const DEMONSTRATIVES: &[&str] = &["该", "这个", "这家", "这所", "这座", "此"];

/// 该 (or 这个, 此…) and a head word as the topic of `clause` (该中心,
/// 这个车间, 该协会):
/// the organisation or programme named last before it whose name ends with
/// that head.
fn demonstrative(cx: &Context<'_>, ex: &Extraction, clause: Range<usize>) -> Option<EntityKey> {
    let toks = cx.tokens_in(clause.clone());
    let (start, head) = toks.iter().enumerate().find_map(|(i, t)| {
        let head = if DEMONSTRATIVES.contains(&t.word.as_str()) {
            toks.get(i + 1)
                .filter(|n| n.start == t.end)
                .map(|n| n.word.clone())?
        } else {
            t.word.strip_prefix('该')?.to_owned()
        };
        Some((t.start, head))
    })?;
    if head.chars().count() < 2 || !at_topic(cx, clause.start, start) {
        return None;
    }
    ex.mentions
        .iter()
        .filter(|m| {
            m.range.end <= start
                && matches!(
                    m.entity.kind,
                    EntityKind::Organization | EntityKind::Programme
                )
                && ex
                    .entities
                    .get(&m.entity)
                    .is_some_and(|e| e.label.ends_with(head.as_str()))
        })
        .max_by_key(|m| m.range.end)
        .map(|m| m.entity.clone())
}

/// For a figure inside “…” that says 我 or 我们 before it: the speaker
/// (我) or the speaker's organisation (我们), named in the attribution after
/// the quotation (“…”21岁的李健松告诉记者) or before it (朱岚君表示：“…).
fn speaker(cx: &Context<'_>, ex: &Extraction, at: usize) -> Option<EntityKey> {
    let c = &cx.chars;
    let open = (0..at).rev().take(400).find(|&i| c[i] == '“')?;
    if c[open..at].contains(&'”') {
        return None;
    }
    let close = (at..c.len()).take(400).find(|&i| c[i] == '”')?;
    let pronoun = cx
        .tokens
        .iter()
        .filter(|t| t.start > open && t.end <= at)
        .filter_map(|t| match t.word.as_str() {
            "我们" | "咱们" => Some(true),
            "我" => Some(false),
            _ => None,
        })
        .next_back()?;
    let attribution = |r: std::ops::Range<usize>| -> Option<EntityKey> {
        let text = cx.slice(r.clone());
        let verb = SPEECH_VERBS.iter().filter_map(|v| text.find(v)).min()?;
        let verb_at = r.start + text[..verb].chars().count();
        let inside: Vec<&Mention> = ex
            .mentions
            .iter()
            .filter(|m| m.range.start >= r.start && m.range.end <= verb_at)
            .collect();
        let pick = |kind: EntityKind| {
            inside
                .iter()
                .filter(|m| m.entity.kind == kind)
                .max_by_key(|m| m.range.len())
                .map(|m| m.entity.clone())
        };
        if pronoun {
            pick(EntityKind::Organization).or_else(|| pick(EntityKind::Person))
        } else {
            pick(EntityKind::Person)
        }
    };
    attribution(close + 1..(close + 30).min(c.len()))
        .or_else(|| attribution(open.saturating_sub(30)..open))
}

#[cfg(test)]
mod tests {

    /// (figure text, subject label) for each outcome of `text`.
    fn subjects(text: &str) -> Vec<(String, String)> {
        let ex = crate::extract::table::extraction(text);
        ex.observations
            .iter()
            .map(|o| {
                let label = o
                    .subject
                    .as_ref()
                    .and_then(|k| ex.entities.get(k))
                    .map_or(String::new(), |e| e.label.clone());
                (o.text.clone(), label)
            })
            .collect()
    }

    /// Passages written for this table (not from the seeds): each figure
    /// and the subject it must get.
    const CASES: &[(&str, &[(&str, &str)])] = &[
        // 他 inside a modifier is not the topic.
        (
            "“青禾杯”创业大赛上周在县城举行。张小军参加了比赛。他带领的团队从300支参赛队伍中胜出。",
            &[("300支", "青禾杯创业大赛")],
        ),
        // A growth after a figure is about what that figure is about.
        (
            "2023年,120个脱贫县在电商平台的销售额达50亿元,相比去年增长率超过20%。",
            &[("50亿元", "120个脱贫县"), ("超过20%", "120个脱贫县")],
        ),
        // A person's earnings through 他 in the sentence before.
        (
            "赵大山是四川一名普通的果农，前些年一直在外打工。后来他回到村里。他在网上开了一家小店。如今每个月都能卖出两万多元的水果。",
            &[("两万多元", "赵大山")],
        ),
        // 她 as a clause's topic is the woman named before.
        (
            "王小梅是村里的带头人。她,在云南省红河县做了8年村干部,如今她还是一名电商讲师,帮助300多位村民开起网店。",
            &[("300多位", "王小梅")],
        ),
        // The places a count lists are what it counts; a count right after
        // it goes on the same list; a survey's sample is the survey's.
        (
            "去年秋天，复旦大学王某某教授调研团队先后赴云南、四川、贵州等5个省12个县开展走访。调研团队对乡村教师等80人进行深度访谈。截至目前，共回收有效问卷900份。",
            &[
                ("5个", "复旦大学调研"),
                ("12个", "复旦大学调研"),
                ("80人", "复旦大学调研"),
                ("900份", "复旦大学调研"),
            ],
        ),
        // One place before 等 is no list: it stays the topic.
        (
            "“青禾计划”在云南等地开展。云南省共培训学员300人。",
            &[("300人", "云南省")],
        ),
        // Far from any name, a figure is about the article's main programme…
        (
            "“青禾计划”今年在山区启动。“青禾计划”由团县委发起。天气很热。大家都很忙。有人说很累。最终共招收了120名学员。",
            &[("120名", "青禾计划")],
        ),
        // An age before a name is that person's.
        (
            "村里来了位新主播。23岁的张晓燕每天直播两场。",
            &[("23岁", "张晓燕")],
        ),
        // 全州, 全省: the prefecture or province named last, though a
        // county was named after it.
        (
            "甘孜州稻城县去年建成电商中心。全州共培训电商学员8000余人。",
            &[("8000余人", "甘孜藏族自治州")],
        ),
        (
            "四川省阆中市今年新增网店500家，全省网店总数达到30万家。",
            &[("30万家", "四川省")],
        ),
        // What a speaker reports is not the speaker's own; 企业 as a
        // clause's topic is the company named before.
        (
            "记者走访了青山科技有限公司。公司总经理李华介绍，企业去年招收员工60人，人均月工资4200元。",
            &[("60人", "青山科技有限公司"), ("4200元", "青山科技有限公司")],
        ),
        (
            "记者走访了青山科技有限公司。企业于2021年落户于都县产业园，当年招收员工60人。",
            &[("60人", "青山科技有限公司")],
        ),
        // The body of a speaker who introduces the figures is not their
        // subject: the programme the article is about is.
        (
            "“青禾计划”在巨鹿县招收了首批学员。巨鹿县妇联主席李红介绍，学员中脱贫家庭成员占比超过六成。",
            &[("超过六成", "青禾计划")],
        ),
        // …but one's own earnings are one's own.
        (
            "村民王红梅开起了网店，从最初月入2000元涨到了6000元。",
            &[("6000元", "王红梅")],
        ),
        // …also across a role or a word for people before the name…
        (
            "县城新开了一家直播基地。31岁的带货主播陈丽芳是第一批入驻的。",
            &[("31岁", "陈丽芳")],
        ),
        (
            "县城新开了一家直播基地。27岁的返乡青年赵志强负责选品。",
            &[("27岁", "赵志强")],
        ),
        // …but not across other words (the team's age is not the leader's).
        (
            "县城新开了一家直播基地。平均年龄25岁的团队由何明带领。",
            &[("25岁", "")],
        ),
        // What a person sells belongs to the person the sentence before is about.
        (
            "村民王建国做起了直播。现在他每个月都能卖出8万元的山货。",
            &[("8万元", "王建国")],
        ),
        // A year's sales are a business's or a place's, not the person's
        // the sentence before names.
        (
            "张红是县里的电商带头人。全县有机蔬菜全年销售额超过3000万元。",
            &[("超过3000万元", "")],
        ),
        // …but what a person earns is not the main programme's.
        (
            "“青禾计划”今年在山区启动。“青禾计划”由团县委发起。天气很热。大家都很忙。有人说很累。她说月收入有3000元。",
            &[("3000元", "")],
        ),
        // A programme reached through the topic chain stands for the
        // edition the article is about.
        (
            "“青苗计划2023”今年启动。“青苗计划”由某基金会发起。首批共招收学员300名。",
            &[("300名", "青苗计划2023")],
        ),
        // A count and a noun opening the clause describe its topic: a
        // group, the subject of the later figure (and no figure itself).
        (
            "2023年，“青禾计划”继续推进。120个试点村在平台上的销售额达3亿元。",
            &[("3亿元", "120个试点村")],
        ),
        // A customer-service county is a programme (寻乌客服县 → 客服县).
        (
            "桐庐客服县项目今年共组建四个班，到岗人数约200人。",
            &[("约200人", "桐庐客服县项目")],
        ),
        // The topic of the first clause carries over (其中…).
        (
            "截至6月底，张北县电商产业园入驻企业86家，其中直播企业20家。",
            &[("86家", "张北县电商产业园"), ("20家", "张北县电商产业园")],
        ),
        // …and 其中 takes the subject of the figure before it, however
        // that one got it (全县 here, not the speaker's centre).
        (
            "巨鹿县近年大力发展直播电商。县电商服务中心主任李芳介绍，全县从事直播的人员约有8000人，其中返乡青年占比超过三成。",
            &[("8000人", "巨鹿县"), ("超过三成", "巨鹿县")],
        ),
        // …so does a chain of them, down to the innermost.
        (
            "湖北省恩施州宣恩县去年培育了300名村播。",
            &[("300名", "宣恩县")],
        ),
        // 网店 as a topic is the shop named before.
        (
            "她注册了“山野小院”网店。网店去年的营业额突破200万元。",
            &[("破200万元", "山野小院")],
        ),
        // A place before a place inside it only locates it.
        (
            "江西于都：服装产业带动两千人就业。",
            &[("两千人", "于都县")],
        ),
        // A place named inside a name is part of it, not the subject.
        (
            "张北县旺达食品有限公司开通网店后，销售额增长了近五倍。",
            &[("近五倍", "张北县旺达食品有限公司")],
        ),
        // Origins (来自…的) are not subjects; a demonstrative head is.
        (
            "阿里巴巴张北县客户体验中心去年开业。来自河北工业职业技术学院的15名学生加入该中心。",
            &[("15名", "阿里巴巴张北县客户体验中心")],
        ),
        // 当地 refers to the place the sentence is about.
        (
            "在河北张北县，乡村特派员带来了设计和渠道，过去一年为当地农户增收近800万元。",
            &[("近800万元", "张北县")],
        ),
        // 我们 in a quotation is the speaker's body.
        (
            "“我们今年已经举办了120场培训。”张北县人社局局长王明表示。",
            &[("120场", "张北县人力资源和社会保障局")],
        ),
        // What people earn follows the person the sentence is about.
        (
            "客服组长赵晓梅刚入职时月入3500元，现在已超过7000元。",
            &[("3500元", "赵晓梅"), ("超过7000元", "赵晓梅")],
        ),
        // A speaker reporting figures in the sentence before is not what
        // people earn: the figure is about the trained, not the speaker.
        (
            "据宣恩县人社局局长黄建华介绍，全县累计培训学员3100余人次。培训结束后，有1400多人实现就业，人均月收入约3800元。",
            &[("约3800元", "")],
        ),
        // 该 + a head as the topic stands for the body named last with it.
        (
            "华中农业大学乡村振兴研究中心与宣恩县签订了合作协议。该中心计划三年内在宣恩县培养500名电商带头人。",
            &[("500名", "华中农业大学乡村振兴研究中心")],
        ),
        // A demonstrative topic carries over to the clauses after it.
        (
            "南开大学县域经济研究中心成立于2018年。据了解，该中心自成立以来，已累计发布研究报告17份。",
            &[("17份", "南开大学县域经济研究中心")],
        ),
        // 这个 points back like 该.
        (
            "浙江青山纺织有限公司去年落户延川县。这家公司与延川县人民政府合作，目前有员工68人。",
            &[("68人", "浙江青山纺织有限公司")],
        ),
        // Measures counted belong to the policy document named before.
        (
            "县商务局出台了《关于支持直播电商发展的若干措施》，从租金、人才等方面提出了12条具体措施。",
            &[("12条", "关于支持直播电商发展的若干措施")],
        ),
        // A data source is not a subject.
        (
            "据张北县统计局统计，张北县网络零售额达到12.5亿元。",
            &[("12.5亿元", "张北县")],
        ),
        // 全县 as an earlier clause's topic carries over to the clauses
        // after it, as a named topic would.
        (
            "宁陵县直播基地去年卖出200万元农产品。县商务局局长表示，全县已培训电商人才5000人次，带动3000户农户增收。",
            &[("5000人次", "宁陵县"), ("3000户", "宁陵县")],
        ),
        // Facilities counted after their noun, in a list: each count is its
        // own noun's, not the next item's.
        (
            "截至去年底，全县已建成乡镇电商服务站14个、快递物流分拨中心2个。",
            &[("14个", "乡镇电商服务站"), ("2个", "快递物流分拨中心")],
        ),
        (
            "宁陵县建成直播基地5个、乡镇电商服务站14个。",
            &[("5个", "直播基地"), ("14个", "乡镇电商服务站")],
        ),
    ];

    #[test]
    fn subject_table() {
        let mut failures = Vec::new();
        for (text, want) in CASES {
            let got = subjects(text);
            for (fig, subject) in *want {
                match got.iter().find(|(t, _)| t == fig) {
                    Some((_, s)) if s == subject => {}
                    other => {
                        failures.push(format!("{text}\n  {fig}: want {subject}, got {other:?}"))
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
