//! Outcomes: each quantity with a unit becomes an observation whose metric is
//! chosen by cue words before it in its clause (员工 → employees, 平均工资 →
//! average_monthly_wage, 返乡…占比 → returnee_share), and whose subject is the
//! nearest programme or organisation mentioned before it (in the sentence, or
//! the two before it).

use std::ops::Range;
use std::sync::LazyLock;

use super::numbers::{Unit, find_quantities};
use super::{Category, Context, Entity, EntityKey, EntityKind, Extraction, Mention, Observation};
use crate::lexicon::LEXICON;
use crate::lexicon::metrics::{Metric, Stage};

/// A cue rule of `metric_cues.tsv` with its units read.
struct Rule {
    cues: &'static [String],
    /// The number of each cue in [`CUES`].
    cue_ids: Vec<u32>,
    units: Vec<Unit>,
    metric: Metric,
    /// For a topic rule, the general metrics it refines.
    refines: &'static [Metric],
}

/// The cue rules by stage, in file order.
static RULES: LazyLock<Vec<(Stage, Vec<Rule>)>> = LazyLock::new(|| {
    [
        Stage::Verb,
        Stage::Counted,
        Stage::Measured,
        Stage::After,
        Stage::Clause,
        Stage::Topic,
        Stage::Fallback,
    ]
    .into_iter()
    .map(|stage| {
        let rules = LEXICON
            .metrics
            .stage(stage)
            .map(|r| Rule {
                cues: &r.cues,
                cue_ids: r.cues.iter().map(|c| CUES.id(c)).collect(),
                // metrics.tsv admits only units of the vocabulary (a test
                // checks every notation reads).
                units: r
                    .units
                    .iter()
                    .filter_map(|u| Unit::from_notation(u))
                    .collect(),
                metric: r.metric,
                refines: &r.refines,
            })
            .collect();
        (stage, rules)
    })
    .collect()
});

impl Rule {
    /// True when one of the rule's cues is in `text` (see [`has_cue`]).
    fn found_in(&self, text: &Cued<'_>) -> bool {
        self.cues
            .iter()
            .zip(&self.cue_ids)
            .any(|(c, &id)| text.has(id, c))
    }
}

/// Every cue word of the rules, of [`CONTEXT_CUES`] and of [`TARGET_CUES`],
/// numbered, and one automaton that finds them all in a text at once: a
/// figure's clause is asked about every rule's cues in turn, and one pass
/// over it answers them all.
struct CueIndex {
    /// The number of each cue.
    ids: rustc_hash::FxHashMap<&'static str, u32>,
    automaton: daachorse::CharwiseDoubleArrayAhoCorasick<u32>,
    /// The number of each of [`CONTEXT_CUES`], in its order.
    context: Vec<u32>,
    /// The number of each of [`TARGET_CUES`], in its order.
    target: Vec<u32>,
}

/// The cues a text holds, as bits by cue number.
#[derive(Clone, Copy, Default)]
struct CueSet([u64; CUE_WORDS]);

/// Words of a [`CueSet`]: room for 64 times as many distinct cues.
const CUE_WORDS: usize = 8;

/// The cue index of [`LEXICON`]'s rules and of the context and plan cues.
static CUES: LazyLock<CueIndex> = LazyLock::new(|| {
    let mut names: Vec<&'static str> = Vec::new();
    let mut ids = rustc_hash::FxHashMap::default();
    let rule_cues = LEXICON.metrics.rules.iter().flat_map(|r| &r.cues);
    for c in rule_cues
        .map(String::as_str)
        .chain(CONTEXT_CUES.iter().map(|(c, _)| *c))
        .chain(TARGET_CUES.iter().copied())
    {
        ids.entry(c).or_insert_with(|| {
            names.push(c);
            (names.len() - 1) as u32
        });
    }
    assert!(
        names.len() <= CUE_WORDS * 64,
        "metric_cues.tsv has {} distinct cues; raise CUE_WORDS in outcomes.rs",
        names.len()
    );
    let automaton = daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(daachorse::MatchKind::Standard)
        .build(&names)
        .expect("cue automaton builds");
    let context = CONTEXT_CUES.iter().map(|(c, _)| ids[c]).collect();
    let target = TARGET_CUES.iter().map(|c| ids[c]).collect();
    CueIndex {
        ids,
        automaton,
        context,
        target,
    }
});

impl CueIndex {
    /// The number of cue `c`, which must be one of the index's cues.
    fn id(&self, c: &str) -> u32 {
        self.ids[c]
    }

    /// The cues in `text`.
    fn find(&self, text: &str) -> CueSet {
        let mut set = CueSet::default();
        for m in self.automaton.find_overlapping_iter(text) {
            let id = m.value() as usize;
            set.0[id / 64] |= 1 << (id % 64);
        }
        set
    }
}

/// A text and, found at the first question, the cues it holds.
struct Cued<'a> {
    text: &'a str,
    set: std::cell::OnceCell<CueSet>,
}

impl<'a> Cued<'a> {
    /// `text`, its cues not looked for yet.
    fn new(text: &'a str) -> Self {
        Self {
            text,
            set: std::cell::OnceCell::new(),
        }
    }

    /// True when cue number `id` occurs in the text.
    fn holds(&self, id: u32) -> bool {
        let set = self.set.get_or_init(|| CUES.find(self.text));
        let id = id as usize;
        set.0[id / 64] >> (id % 64) & 1 == 1
    }

    /// [`has_cue`] for cue `c` numbered `id`: only a cue the text holds is
    /// looked at further.
    fn has(&self, id: u32, c: &str) -> bool {
        self.holds(id) && (!matches!(c, "县" | "省") || has_cue(self.text, c))
    }
}

/// The rules of `stage` that apply to figures in `unit`.
fn rules(stage: Stage, unit: Unit) -> impl Iterator<Item = &'static Rule> {
    RULES
        .iter()
        .filter(move |(s, _)| *s == stage)
        .flat_map(|(_, r)| r)
        .filter(move |r| r.units.contains(&unit))
}

/// Words that start with 县 or 省 and say "county-level" or name the
/// county's bodies (县域, 县级, 县城, 县委): not a county counted.
const DIVISION_WORDS: &[&str] = &[
    "县域", "县级", "县城", "县委", "县长", "县里", "县乡", "县政", "省级", "省委", "省长", "省里",
    "省政",
];

/// True when `cue` is in `text`; the cues 县 and 省 only where they do not
/// start one of [`DIVISION_WORDS`] modifying a noun after it (县域研究报告
/// 17份 counts reports, not counties; 2000多个县域 counts counties).
fn has_cue(text: &str, cue: &str) -> bool {
    if !matches!(cue, "县" | "省") {
        return text.contains(cue);
    }
    text.match_indices(cue).any(|(i, _)| {
        // 全县, 本县, 该省: the one the text is about, not one counted.
        !text[..i].ends_with(['全', '本', '该', '我', '此'])
            && !DIVISION_WORDS.iter().any(|w| {
                text[i..].starts_with(w)
                    && text[i + w.len()..]
                        .chars()
                        .next()
                        .is_some_and(crate::ingest::normalize::is_han)
            })
    })
}

/// The metric a topic rule gives a figure of general `metric` in `unit`:
/// of the rules refining it whose cue is in `before` (the sentence before
/// the figure), the one whose cue ends nearest the figure.
fn topic_metric(metric: Metric, unit: Unit, before: &Cued<'_>) -> Option<Metric> {
    rules(Stage::Topic, unit)
        .filter(|r| r.refines.contains(&metric))
        .filter_map(|r| {
            let end = r
                .cues
                .iter()
                .zip(&r.cue_ids)
                .filter(|&(_, &id)| before.holds(id))
                .filter_map(|(c, _)| before.text.rfind(c.as_str()).map(|i| i + c.len()))
                .max()?;
            Some((end, r.metric))
        })
        // The nearest cue; of two ending together, the rule first in the file.
        .fold(None, |best: Option<(usize, Metric)>, (end, m)| match best {
            Some((e, _)) if e >= end => best,
            _ => Some((end, m)),
        })
        .map(|(_, m)| m)
}

/// The metric named `name` (names written in this file are in the
/// vocabulary: a test reads each).
fn metric(name: &str) -> Metric {
    Metric::named(name).unwrap_or_else(|| panic!("metric {name} is not in metrics.tsv"))
}

/// The metric of a figure in `unit` with no cue but its measure word
/// `unit_text`: the first fallback rule whose cue ends the measure word, or
/// that has no cue.
fn fallback_metric(unit: Unit, unit_text: &str) -> Metric {
    rules(Stage::Fallback, unit)
        .find(|r| r.cues.is_empty() || r.cues.iter().any(|c| unit_text.ends_with(c.as_str())))
        .map(|r| r.metric)
        .unwrap_or_else(|| metric("count"))
}

/// True when `m` is only what a figure's unit says (no cue chose it).
fn is_fallback(m: Metric, unit: Unit) -> bool {
    rules(Stage::Fallback, unit).any(|r| r.cues.is_empty() && r.metric == m)
}

/// Rank qualifiers before a counted noun (省级以上, 国家级).
fn is_rank(word: &str) -> bool {
    word.ends_with("级") || matches!(word, "以上" | "以下" | "及以上")
}

/// The noun phrase right after the figure ending at `end`: up to four noun
/// tokens, past 以上/余/的 and rank qualifiers.
fn counted_phrase(cx: &Context<'_>, end: usize) -> String {
    let mut k = cx.tokens.partition_point(|t| t.end <= end);
    let mut phrase = String::new();
    let mut nouns = 0;
    while let Some(t) = cx.tokens.get(k) {
        if t.start < end {
            // The figure ends inside a token (29|家电|商产业园 for 29家|电商产业园):
            // the rest of the token starts the phrase.
            if t.end > end {
                phrase.extend(cx.chars[end..t.end].iter());
                nouns += 1;
            }
            k += 1;
            continue;
        }
        let w = t.word.as_str();
        if nouns == 0
            && (matches!(w, "以上" | "余" | "多" | "的" | "左右" | "之间" | "余名") || is_rank(w))
        {
            k += 1;
            continue;
        }
        // jieba tags some nouns as set phrases (合作社 l, 新举措 i).
        let is_noun = |t: &crate::segment::Token| {
            t.tag.starts_with('n')
                || matches!(t.tag.as_str(), "vn" | "b" | "j" | "an" | "a" | "l" | "i")
        };
        // Inside the phrase a verb may modify the next noun (创业|孵化|基地),
        // or, once a noun has begun it, two verbs may (数字|就业|示范|基地);
        // a bound morpheme may end it (欠发达|县).
        let bound = |t: &crate::segment::Token| matches!(t.tag.as_str(), "zg" | "ng");
        let noun_at = |j: usize| cx.tokens.get(j).is_some_and(|n| is_noun(n) || bound(n));
        let inside = (t.tag == "v"
            && (noun_at(k + 1)
                || (nouns > 0
                    && cx.tokens.get(k + 1).is_some_and(|n| n.tag == "v")
                    && noun_at(k + 2))))
            || (nouns > 0 && bound(t))
            // …or be the whole noun counted (27个|县: 县 is zg on its own).
            || (nouns == 0 && bound(t))
            // jieba tags some nouns of three characters as verbs (旗舰店 v).
            || (nouns > 0 && t.tag == "v" && t.word.chars().count() >= 3);
        if !(is_noun(t) || inside) || nouns >= 4 {
            break;
        }
        phrase.push_str(w);
        nouns += 1;
        k += 1;
    }
    phrase
}

static BY_YEAR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[^截])(?:到|至)\d{4}年").expect("valid regex")
});

/// Words of a plan or pledge before a figure in its sentence.
const TARGET_CUES: &[&str] = &[
    "预计",
    "计划",
    "目标",
    "力争",
    "争取",
    "承诺",
    "拟",
    "将引入",
    "将培养",
    "将为",
    "将在",
    "将向",
    "将提供",
    "将带动",
    "将覆盖",
    "将帮助",
    "将投入",
    "将培育",
    "将设立",
    "将新增",
    "将建设",
    "将打造",
];

/// True when the target cue `cue`, numbered `id`, is in `text` as a plan: not a noun for
/// the programme with a perfective after it (计划已累计培养学员260人: the
/// plan has trained them).
fn plans(text: &Cued<'_>, cue: &str, id: u32) -> bool {
    let (holds, text) = (text.holds(id), text.text);
    holds
        && text.match_indices(cue).any(|(i, _)| {
            let after = &text[i + cue.len()..];
            !["已", "累计", "共", "目前", "至今"]
                .iter()
                .any(|w| after.starts_with(w))
        })
}

/// A time still to come before a figure: 未来5年, 今后三年, 5年内.
static FUTURE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?:未来|今后)\s*[\d一二三四五六七八九十两]+\s*年|[\d一二三四五六七八九十两]+\s*年内",
    )
    .expect("valid regex")
});

/// Words in a figure's clause that make it context rather than an outcome:
/// a population, a distance or a journey, a price, a share of the nation.
const CONTEXT_CUES: &[(&str, Option<Unit>)] = &[
    ("人口", Some(Unit::Person)),
    ("相距", None),
    ("距离", None),
    ("车程", None),
    ("路程", None),
    ("高铁", None),
    ("大巴", None),
    ("航程", None),
    ("售价", Some(Unit::Cny)),
    ("单价", Some(Unit::Cny)),
    ("价格", Some(Unit::Cny)),
    ("占全国", Some(Unit::Percent)),
    // A price by weight (一斤能卖200元) is a price.
    ("一斤", Some(Unit::Cny)),
    ("每斤", Some(Unit::Cny)),
    ("一公斤", Some(Unit::Cny)),
    ("每公斤", Some(Unit::Cny)),
];

/// What a policy grants to whoever meets a threshold (…超过1亿元的团队
/// 给予…, …的企业可享受…): after a figure and 的, they make it a condition.
const CONDITION_CONSEQUENCES: &[&str] = &["给予", "奖励", "补贴", "补助", "可获", "享受", "可申请"];

/// True when a figure describes the setting, not a result: a person's own
/// age, a distance, or a clause naming a population, a journey, a price or
/// a share of the nation (see [`CONTEXT_CUES`]).
fn is_context(metric: Metric, unit: Unit, clause: &Cued<'_>, rest_of_clause: &Cued<'_>) -> bool {
    if metric == "age" || unit == Unit::Km {
        return true;
    }
    // People lifted from poverty or moved into work (脱贫人口56人) are no
    // population.
    let cue_in = |text: &Cued<'_>, cue: &str, id: u32| {
        text.holds(id)
            && text.text.match_indices(cue).any(|(i, _)| {
                cue != "人口"
                    || !["脱贫", "贫困", "转移", "务工", "就业"]
                        .iter()
                        .any(|w| text.text[..i].ends_with(w))
            })
    };
    CONTEXT_CUES
        .iter()
        .zip(&CUES.context)
        .any(|((cue, only), &id)| {
            only.is_none_or(|u| u == unit)
                && (cue_in(clause, cue, id) || cue_in(rest_of_clause, cue, id))
        })
}

/// Finds outcome observations.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    let (found, groups) = observations(cx, ex);
    let first = ex.observations.len();
    ex.observations.extend(found);
    // Described groups become nodes of their own, with a mention of the
    // words that describe them.
    for g in groups {
        let key = ex.add_entity(Entity::new(
            EntityKey::new(EntityKind::Group, g.label.as_str()),
            g.label.as_str(),
            Category::DescribedGroup,
        ));
        if !ex
            .mentions
            .iter()
            .any(|m| m.entity == key && m.range == g.range)
        {
            ex.mentions.push(cx.mention(key.clone(), g.range));
        }
        ex.observations[first + g.observation].subject = Some(key);
    }
}

/// A group a clause describes by a count and a noun (832个脱贫县), the
/// topic of a figure later in the clause (…销售额达50亿元).
struct DescribedGroup {
    /// Index of the observation it is the subject of.
    observation: usize,
    /// The words: the count and the counted noun phrase.
    label: String,
    /// Their characters in the article text.
    range: std::ops::Range<usize>,
}

/// The clause a quantity starts in within its sentence text: the character
/// after the last clause break before it.
fn clause_start_of(before: &str) -> usize {
    before
        .rfind(CLAUSE_BREAKS)
        .map_or(0, |b| before[..b].chars().count() + 1)
}

/// Verbs that give their subject a role (是一名主播): the 一名 after
/// them is an article, not a figure.
const COPULAS: &[&str] = &[
    "是", "成为", "成了", "作为", "当", "当上", "当了", "担任", "做", "做了",
];

/// Copulas that make a later 一名/一位 in their clause the article of a
/// role even with modifiers between (是…的一名主播); only the unambiguous
/// ones, as whole words (not 于是, 但是, 只是).
const CLAUSE_COPULAS: &[&str] = &["是", "还是", "就是", "也是", "都是", "成为", "作为", "担任"];

/// Nouns of the parts a text or a plan is organised in (三个方向, 四个方面):
/// a count of them is no figure.
const ABSTRACT_PARTS: &[&str] = &[
    "方向", "方面", "层面", "维度", "环节", "步骤", "阶段", "部分", "原则", "要点",
];

/// True when a 一名/一位 whose number starts at the end of `before` (the
/// sentence so far) follows a copula: right before it (是一名), or as a word
/// of its clause `clause` (是江西某县的一名…).
fn role_article(cx: &Context<'_>, before: &str, clause: Range<usize>) -> bool {
    COPULAS.iter().any(|c| before.ends_with(c))
        || cx
            .tokens_in(clause)
            .iter()
            .any(|t| CLAUSE_COPULAS.contains(&t.word.as_str()))
}

/// Words for "here" that a place's people are named after (当地一位老人).
const LOCAL_WORDS: &[&str] = &[
    "当地", "本地", "村里", "县里", "镇上", "乡里", "城里", "市里",
];

/// True when the text `before` a figure starting at `at` ends in a place's
/// mention or a word for "here": 一名/一位 there is "a … of that place".
fn after_place(ex: &Extraction, before: &str, at: usize) -> bool {
    LOCAL_WORDS.iter().any(|w| before.ends_with(w))
        || ex.mentions_of(EntityKind::Place).any(|m| m.range.end == at)
}

/// True when a person's name starts within two characters of `noun_end`,
/// the end of the noun a figure ending at `figure_end` counts, with no
/// clause break between (两位特派员|王强、李梅).
fn names_follow(cx: &Context<'_>, ex: &Extraction, figure_end: usize, noun_end: usize) -> bool {
    ex.mentions_of(EntityKind::Person).any(|m| {
        (noun_end..=noun_end + 2).contains(&m.range.start)
            && !cx.chars[figure_end..m.range.start]
                .iter()
                .any(|c| matches!(c, ',' | '。' | ';' | ':' | '!' | '?'))
    })
}

/// The characters that end a clause inside a sentence.
const CLAUSE_BREAKS: [char; 4] = [',', ';', ':', '、'];

/// The end of `before`, from its last clause break on: the clause it ends.
fn last_clause(before: &str) -> &str {
    match before.rfind(CLAUSE_BREAKS) {
        Some(b) => &before[b + before[b..].chars().next().map_or(0, char::len_utf8)..],
        None => before,
    }
}

/// The last `n` characters of `s` (all of it when shorter).
fn last_chars(s: &str, n: usize) -> &str {
    let from = n
        .checked_sub(1)
        .and_then(|k| s.char_indices().rev().nth(k))
        .map_or(0, |(b, _)| b);
    &s[from..]
}

/// The observations of the article, with their subjects among `ex`'s
/// mentions, and the described groups some of them are about.
fn observations(cx: &Context<'_>, ex: &Extraction) -> (Vec<Observation>, Vec<DescribedGroup>) {
    let idx = super::subjects::Index::new(ex);
    let mut out: Vec<Observation> = Vec::new();
    let mut groups: Vec<DescribedGroup> = Vec::new();
    for s in &cx.sentences {
        let text = cx.slice(s.range.clone());
        // The sentence's characters `a..b` (offsets in the sentence).
        let within = |a: usize, b: usize| cx.slice(s.range.start + a..s.range.start + b);
        let found = find_quantities(text);
        let clause_starts: Vec<usize> = found
            .iter()
            .map(|f| clause_start_of(within(0, f.range.start)))
            .collect();
        // A count of people or things opening its clause, with a counted
        // noun and a later figure in the clause, describes the clause's
        // topic (832个脱贫县|在…销售额达50亿元): a group, not a figure.
        let topic_group = |i: usize| -> Option<(String, std::ops::Range<usize>)> {
            let g = &found[i];
            if !matches!(g.quantity.unit, Unit::Count | Unit::Person) {
                return None;
            }
            let cs = clause_starts[i];
            if g.range.start != cs {
                return None;
            }
            let later = found
                .iter()
                .zip(&clause_starts)
                .skip(i + 1)
                .any(|(f, &fc)| fc == cs && f.quantity.unit != g.quantity.unit);
            if !later {
                return None;
            }
            let end = s.range.start + g.range.end;
            let noun = counted_phrase(cx, end);
            if noun.chars().count() < 2 {
                return None;
            }
            let range = s.range.start + g.range.start..end + noun.chars().count();
            Some((cx.text(range.clone()), range))
        };
        let mut topic: Option<(usize, String, std::ops::Range<usize>)> = None;
        for (i, f) in found.iter().enumerate() {
            let f = f.clone();
            if topic
                .as_ref()
                .is_some_and(|(cs, _, _)| *cs != clause_starts[i])
            {
                topic = None;
            }
            if let Some((label, range)) = topic_group(i) {
                topic = Some((clause_starts[i], label, range));
                continue;
            }
            let group = topic.as_ref().map(|(_, l, r)| (l.clone(), r.clone()));
            let start = s.range.start + f.range.start;
            let end = s.range.start + f.range.end;
            if cx.has_lost(start..end) {
                continue;
            }
            // The clause before the number: back to the previous comma-like break.
            let before = within(0, f.range.start);
            let clause = last_clause(before);
            // The clause since the figure before it in the clause: cue
            // words before an earlier figure are that figure's (对年销售额
            // 超过1亿元的团队给予最高50万元: 给予 is the 50万元's cue,
            // 销售额 the 1亿元's).
            let own_clause = match i.checked_sub(1).map(|k| &found[k]) {
                Some(p) if clause_starts[i - 1] == clause_starts[i] => {
                    within(p.range.end, f.range.start)
                }
                _ => clause,
            };
            let own_start = start - own_clause.chars().count();
            let unit = f.quantity.unit;
            // 第五个, 第2期: ordinals, not figures.
            if f.number_start > 0 && cx.chars[s.range.start + f.number_start - 1] == '第' {
                continue;
            }
            // 是一名主播, 成为一位带头人, 作为一名党员: after a copula
            // 一名/一位/一个 is the indefinite article of a role, not a
            // count of one.
            // So after 是 earlier in the clause, across the role's modifiers
            // (是江西省某县的一名主播, 是当地一名普通的农民).
            // Right after a place or a word for "here" (巨鹿县一名返乡青年,
            // 当地一位老人), 一名/一位 is "a … of that place", not a count.
            let number = within(f.number_start, f.range.end);
            if matches!(unit, Unit::Person | Unit::Count)
                && f.quantity.value == 1.0
                && number.starts_with('一')
                && (role_article(
                    cx,
                    within(0, f.number_start),
                    start - clause.chars().count()..s.range.start + f.number_start,
                ) || after_place(
                    ex,
                    within(0, f.number_start),
                    s.range.start + f.number_start,
                ))
            {
                continue;
            }
            // 一个, 一场, 两个: determiners, not figures.
            if unit == Unit::Count
                && f.quantity.value <= 2.0
                && number.starts_with(['一', '两', '二', '几'])
            {
                continue;
            }
            let rest_of_clause = {
                let rest = within(f.range.end, s.range.len());
                &rest[..rest
                    .find([',', ';', ':', '。', '!', '?'])
                    .unwrap_or(rest.len())]
            };
            // The counted noun phrase: the noun tokens after the figure,
            // past 以上/余/的 and rank qualifiers (13家|省级以上|众创空间).
            let counted = counted_phrase(cx, end);
            // 三个方向, 四个方面: the parts a text is organised in, not
            // things counted.
            if unit == Unit::Count && ABSTRACT_PARTS.iter().any(|w| counted.starts_with(w)) {
                continue;
            }
            // 两位特派员王强、李梅: a few people counted and then named are
            // the names' apposition, not a figure.
            if unit == Unit::Person
                && f.quantity.value <= 10.0
                && names_follow(cx, ex, end, end + counted.chars().count())
            {
                continue;
            }
            // The verb that governs the figure (培养80名…, 遴选20多位…).
            let tail = Cued::new(last_chars(clause, 6));
            let counted_cues = Cued::new(&counted);
            let rest_cues = Cued::new(rest_of_clause);
            let own_cues = Cued::new(own_clause);
            let metric = rules(Stage::Verb, unit)
                .find(|r| r.found_in(&tail))
                .or_else(|| rules(Stage::Counted, unit).find(|r| r.found_in(&counted_cues)))
                // The measure word itself (分三批).
                .or_else(|| {
                    rules(Stage::Measured, unit)
                        .find(|r| r.cues.iter().any(|c| f.unit_text.ends_with(c.as_str())))
                })
                // What the rest of the clause says of it (5万名学生|受益).
                .or_else(|| rules(Stage::After, unit).find(|r| r.found_in(&rest_cues)))
                .or_else(|| {
                    rules(Stage::Clause, unit).find(|r| {
                        r.cues.iter().zip(&r.cue_ids).any(|(c, &id)| {
                            own_cues.has(id, c) || counted_cues.has(id, c) || f.unit_text == *c
                        })
                    })
                })
                // A share or a headcount is often described after it
                // (50%的员工学历为大专, 30余位年轻人在此就业).
                .or_else(|| {
                    matches!(unit, Unit::Percent | Unit::Person | Unit::PersonTime).then_some(())?;
                    rules(Stage::Clause, unit).find(|r| r.found_in(&rest_cues))
                })
                // Past the items of a list (卖出花椒、苦荞等特产共计180万元):
                // the clause back to its comma, since the figure before.
                .or_else(|| {
                    let from = before.rfind([',', ';', ':']).map_or(0, |b| b + 1).max(
                        i.checked_sub(1).map_or(0, |k| {
                            before
                                .char_indices()
                                .nth(found[k].range.end)
                                .map_or(before.len(), |(b, _)| b)
                        }),
                    );
                    let wide = &before[from.min(before.len())..];
                    (wide.len() > own_clause.len()).then_some(())?;
                    rules(Stage::Clause, unit).find(|r| r.found_in(&Cued::new(wide)))
                })
                .map(|r| r.metric)
                .unwrap_or_else(|| fallback_metric(unit, &f.unit_text));
            // A figure that counts nothing named after it takes the
            // sentence's topic (与电商相关的培训，每年举办400多场). A growth
            // does not when it names its own: the last noun before it in its
            // clause, past nouns of the growth itself (增长率, 增幅), is not
            // one of the topic's words (员工人数增长了12%, not 零售额同比增长12%).
            let names_its_own = || {
                let any_cue = |stage: Stage, w: &str| {
                    rules(stage, unit)
                        .filter(|r| r.metric == metric || r.refines.contains(&metric))
                        .any(|r| r.cues.iter().any(|c| w.contains(c.as_str())))
                };
                metric.family() == Some(crate::lexicon::metrics::Family::Growth)
                    && cx
                        .tokens_in(own_start..start)
                        .iter()
                        .rev()
                        .find(|t| t.tag.starts_with('n') && !any_cue(Stage::Clause, &t.word))
                        .is_some_and(|t| !any_cue(Stage::Topic, &t.word))
            };
            let metric = if counted.is_empty() && !names_its_own() {
                topic_metric(metric, unit, &Cued::new(before)).unwrap_or(metric)
            } else {
                metric
            };
            // 一位村民, 两人, 三个: a small number in words that no cue
            // makes a figure is narrative, not an outcome.
            if is_fallback(metric, unit)
                && matches!(unit, Unit::Person | Unit::Count)
                && f.quantity.value < 10.0
                && !cx
                    .slice(f.range.clone())
                    .contains(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            // Plain durations and ages of people are context, not outcomes.
            if matches!(unit, Unit::Hour | Unit::Minute | Unit::Day | Unit::Month) {
                continue;
            }
            if unit == Unit::Year && f.unit_text == "年" {
                continue;
            }
            // A range of ages (25至35岁) is a group's age range, not a
            // person's age; one age with a range cue is an average.
            let metric = if metric == "age_range" && f.quantity.max.is_none() {
                self::metric("average_age")
            } else if metric == "age" && f.quantity.max.is_some() {
                self::metric("age_range")
            } else {
                metric
            };
            let metric =
                if metric == "average_age" && !clause.contains("平均") && f.quantity.max.is_none()
                {
                    self::metric("age")
                } else {
                    metric
                };
            // A figure without cue words continues the one before it in
            // the sentence (从最初月入3000元,到现在过万元).
            let metric = match out.last() {
                Some(prev)
                    if is_fallback(metric, unit)
                        && prev.sentence == s.index
                        && prev.quantity.unit == unit
                        && !is_fallback(prev.metric, unit)
                        && start - prev.range.end <= 12
                        && cx.slice(prev.range.end..start).matches(',').count() <= 1 =>
                {
                    prev.metric
                }
                _ => metric,
            };
            // A count right after a count (7个省|18个区县) goes on the same
            // list: it is about what that one is about.
            let listed = out
                .last()
                .filter(|prev| {
                    prev.sentence == s.index
                        && prev.range.end <= start
                        && start - prev.range.end <= 2
                        && !cx
                            .slice(prev.range.end..start)
                            .contains(|c: char| c.is_ascii_punctuation() || "、。".contains(c))
                })
                .map(|prev| prev.subject.clone());
            // A growth figure after a figure of its sentence, with no name
            // between (销售额达50亿元,相比去年增长率超过20%), is that
            // figure's growth: it is about the same thing.
            let grown = out.last().filter(|prev| {
                listed.is_none()
                    && metric.family() == Some(crate::lexicon::metrics::Family::Growth)
                    && prev.sentence == s.index
                    && prev.range.end <= start
                    && !cx.slice(prev.range.end..start).contains(['。', ';'])
                    && !idx
                        .sentence(s.index)
                        .iter()
                        .any(|m| m.range.start >= prev.range.end && m.range.end <= start)
            });
            let grown_group = grown
                .is_some()
                .then(|| groups.last())
                .flatten()
                .filter(|g| g.observation + 1 == out.len())
                .map(|g| (g.label.clone(), g.range.clone()));
            // 其中 opening the figure's clause (…约有10万人，其中青年占比超过
            // 40%): a part of the figure before it in the sentence, so about
            // what that one is about.
            let among = out
                .last()
                .filter(|prev| {
                    listed.is_none()
                        && grown.is_none()
                        && prev.sentence == s.index
                        && prev.subject.is_some()
                        && prev.range.end <= start
                        && clause.trim_start().starts_with("其中")
                })
                .map(|prev| prev.subject.clone());
            let listed = listed
                .or_else(|| grown.map(|prev| prev.subject.clone()))
                .or(among);
            let group = group.or(grown_group);
            let subject = listed.unwrap_or_else(|| {
                super::subjects::subject_of(
                    cx,
                    ex,
                    &idx,
                    &super::subjects::Figure {
                        range: start..end,
                        sentence: s.index,
                        metric: metric.name(),
                    },
                )
            });
            // 预计, 力争, 到2025年…: a plan or pledge, not a result (截至2023年 is a date).
            // Not inside a name (青禾计划 is no plan of the figure's).
            let before_names = outside_names(idx.sentence(s.index), s.range.start, before);
            let before_names = Cued::new(&before_names);
            let target = TARGET_CUES
                .iter()
                .zip(&CUES.target)
                .any(|(c, &id)| plans(&before_names, c, id))
                || BY_YEAR.is_match(before)
                || FUTURE.is_match(before);
            // 从500亩扩大到1200亩: the figure after 从 is the state before,
            // context for the figure it grew or fell to.
            let baseline = (before.ends_with('从') || before.ends_with('由'))
                && found.iter().skip(i + 1).any(|g| {
                    g.quantity.unit == unit && {
                        let between = within(
                            f.range.end,
                            f.range.end + g.range.start.saturating_sub(f.range.end),
                        );
                        between.contains(['到', '至'])
                    }
                });
            // What a survey's sample was (provinces visited, people
            // interviewed, questionnaires) describes the study, not a result.
            let sample = subject
                .as_ref()
                .is_some_and(|k| super::surveys::is_survey(ex, k))
                && (metric.family() == Some(crate::lexicon::metrics::Family::Coverage)
                    || matches!(metric.name(), "respondents" | "questionnaires"));
            // 对年销售额超过1亿元的团队(给予…): a threshold a policy sets,
            // the condition of something else, not a result.
            let condition = {
                let after = rest_of_clause.trim_start_matches(['以', '上', '下', '及']);
                let addressed = cx
                    .tokens_in(own_start..start)
                    .iter()
                    .any(|t| matches!(t.word.as_str(), "对" | "对于" | "凡" | "凡是"));
                // What is granted (给予最高5万元的贷款) is no condition.
                let granted = || {
                    CONDITION_CONSEQUENCES
                        .iter()
                        .any(|c| own_clause.contains(c))
                };
                after.starts_with('的')
                    && !granted()
                    && (addressed || CONDITION_CONSEQUENCES.iter().any(|c| after.contains(c)))
            };
            let context = baseline
                || sample
                || condition
                || is_context(metric, unit, &Cued::new(clause), &rest_cues);
            let as_of = as_of(before);
            if let Some((label, range)) = group {
                groups.push(DescribedGroup {
                    observation: out.len(),
                    label,
                    range,
                });
            }
            out.push(Observation {
                subject,
                metric,
                quantity: f.quantity,
                as_of,
                target,
                context,
                range: start..end,
                span: cx.original_span(start..end),
                text: cx.text(start..end),
                sentence: s.index,
            });
        }
    }
    (out, groups)
}

/// `before` (the sentence's text from `offset` up to a figure) with the
/// characters of the programme, document and organisation names among the
/// sentence's `mentions` blanked, so that cue words inside names (青禾计划)
/// are not read as cues.
fn outside_names(mentions: &[&Mention], offset: usize, before: &str) -> String {
    let end = offset + before.chars().count();
    let names: Vec<Range<usize>> = mentions
        .iter()
        .filter(|m| m.entity.kind.is_written_name() && m.range.start < end && m.range.end > offset)
        .map(|m| m.range.clone())
        .collect();
    before
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if names.iter().any(|r| r.contains(&(offset + i))) {
                '·'
            } else {
                c
            }
        })
        .collect()
}

fn as_of(before: &str) -> Option<String> {
    let i = before.find("截至").or_else(|| before.find("截止"))?;
    let rest = &before[i..];
    let c = regex_lite_date(rest)?;
    Some(c)
}

fn regex_lite_date(s: &str) -> Option<String> {
    use std::sync::LazyLock;
    static D: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?").expect("valid regex")
    });
    let c = D.captures(s)?;
    let y = &c[1];
    let m: u32 = c[2].parse().ok()?;
    Some(
        match c.get(3).and_then(|d| d.as_str().parse::<u32>().ok()) {
            Some(d) => format!("{y}-{m:02}-{d:02}"),
            None => format!("{y}-{m:02}"),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cue index answers what a substring search answers, for every cue
    /// and a few invented sentences (cues overlapping one another, at the
    /// start and at the end, none at all).
    #[test]
    fn the_cue_index_finds_what_contains_finds() {
        let texts = [
            "该县返乡创业人口达到3万人，平均月工资4500元",
            "计划到2025年培训电商主播1000名",
            "销售额同比增长35%，带动就业1200余人",
            "售价",
            "",
            "abc",
        ];
        for text in texts {
            let cued = Cued::new(text);
            for (&cue, &id) in &CUES.ids {
                assert_eq!(cued.holds(id), text.contains(cue), "{cue} in {text}");
            }
        }
    }

    #[test]
    fn the_metric_tables_read_into_the_rules() {
        // The names this file writes, and every unit the vocabulary admits.
        for name in ["count", "average_age", "age", "age_range", "trainees"] {
            assert!(Metric::named(name).is_some(), "{name}");
        }
        for d in &LEXICON.metrics.defs {
            for u in &d.units {
                assert!(Unit::from_notation(u).is_some(), "{}: unit {u}", d.name);
            }
        }
        // Each unit has a fallback, so no figure is left without a metric.
        for unit in Unit::ALL {
            assert!(
                rules(Stage::Fallback, unit).any(|r| r.cues.is_empty()),
                "no fallback for {unit:?}"
            );
        }
    }

    fn outcomes(text: &str) -> Vec<(String, &'static str, bool, Option<String>)> {
        crate::extract::table::extraction(text)
            .observations
            .into_iter()
            .map(|o| (o.text, o.metric.name(), o.target, o.as_of))
            .collect()
    }

    #[test]
    fn targets_dates_and_counted_nouns() {
        let got = outcomes(
            "预计到2025年年底,基地将引入30个品牌。截至2023年6月,员工工资累计发放超过300万元。",
        );
        assert_eq!(
            got,
            [
                ("30个".to_owned(), "brands", true, Some("2025".to_owned())),
                (
                    "超过300万元".to_owned(),
                    "cumulative_wages_paid",
                    false,
                    Some("2023-06".to_owned())
                ),
            ]
        );
        let got = outcomes("该中心有员工196人,其中返乡人员占比65.7%,平均工资5000元左右。");
        let metrics: Vec<&str> = got.iter().map(|o| o.1).collect();
        assert_eq!(
            metrics,
            ["employees", "returnee_share", "average_monthly_wage"]
        );
    }

    /// Passages written for this table (not from the seeds): figure and the
    /// metric its verb, counted noun, measure word or cue gives it.
    const METRIC_CASES: &[(&str, &str, &str)] = &[
        (
            "全县已建成5家众创空间、8家省级以上孵化基地。",
            "5家",
            "maker_spaces",
        ),
        (
            "全县已建成5家众创空间、8家省级以上孵化基地。",
            "8家",
            "incubation_bases",
        ),
        ("园区内有12家电商产业园。", "12家", "ecommerce_parks"),
        // A station counted is a facility, though 全县 names a county
        // in the clause (not counties covered).
        ("全镇已建起乡村物流服务站16个。", "16个", "service_stations"),
        ("本县设立电商服务点300多个。", "300多个", "service_stations"),
        ("全县建成26个专家工作站。", "26个", "service_stations"),
        // An income that rises is an increase, not a wage.
        (
            "参与养殖的农户人均年收入增加约2600元。",
            "约2600元",
            "income_increase",
        ),
        (
            "入社后每户家庭收入提高4000元。",
            "4000元",
            "income_increase",
        ),
        (
            "合作社累计支付工资180万元。",
            "180万元",
            "cumulative_wages_paid",
        ),
        // A bound morpheme counted on its own (个|县) is the noun counted.
        ("项目已覆盖全国27个县。", "27个", "counties_covered"),
        // Two verbs may modify the noun counted, inside its phrase.
        ("全市将建成10个数字就业示范基地。", "10个", "facilities"),
        // A sentence's topic refines a general metric when the figure
        // counts nothing named after it: sessions of training or of live
        // streaming, not any events; rounds of recruiting, not editions;
        // people a training reaches, not beneficiaries.
        (
            "与直播电商有关的培训，县里今年已举办60多场。",
            "60多场",
            "training_sessions",
        ),
        ("合作社去年举办了三期培训。", "三期", "training_sessions"),
        ("全市累计举办电商培训班42期。", "42期", "training_sessions"),
        (
            "县里开设了直播人才训练营，今年已举办6期。",
            "6期",
            "training_sessions",
        ),
        (
            "平台上线两年来，农民主播累计开播超过12万场。",
            "超过12万场",
            "live_sessions",
        ),
        (
            "客服基地自开办以来已招收五期，每期约40人。",
            "五期",
            "recruitment_rounds",
        ),
        (
            "依托培训学校，当地开设了200多个线下班次，覆盖约3万人。",
            "约3万人",
            "trainees",
        ),
        (
            "合作社每个月的成交额能达到60多万元。",
            "60多万元",
            "monthly_sales",
        ),
        ("旺季时，店里每天卖出3万元。", "3万元", "daily_sales"),
        (
            "2023年，全县农产品网络销售额达12亿元。",
            "12亿元",
            "annual_sales",
        ),
        (
            "全县网络销售额达12亿元，同比增长超过18%。",
            "超过18%",
            "sales_growth",
        ),
        (
            "产业园建成后，共计带动就业3000多人。",
            "3000多人",
            "jobs_created",
        ),
        // A verb elsewhere in the sentence does not make staff jobs created.
        (
            "项目带动了当地产业发展，园区现有员工300人。",
            "300人",
            "employees",
        ),
        // Reports published; 县域 is no county counted.
        ("该中心已累计发布县域研究报告17份。", "17份", "reports"),
        ("全市县域电商示范基地已有15个。", "15个", "facilities"),
        (
            "主播已遍布全国2000多个县域。",
            "2000多个",
            "counties_covered",
        ),
        (
            "课题组共访谈县乡干部和企业负责人210人。",
            "210人",
            "respondents",
        ),
        // A list inside the clause does not hide its verb.
        (
            "合作社去年通过电商卖出花椒、苦荞等特产共计180万元。",
            "180万元",
            "sales",
        ),
        // Townships and villages reached.
        (
            "到任后，他走访了全县47个乡镇和300多个行政村。",
            "47个",
            "townships_covered",
        ),
        (
            "到任后，他走访了全县47个乡镇和300多个行政村。",
            "300多个",
            "villages_covered",
        ),
        // 全县 is the county the text is about, not one counted.
        (
            "全县已建成数字就业车间4个，吸纳就业260余人。",
            "4个",
            "facilities",
        ),
        // Without the topic the general metric stays.
        ("文化节期间，县里已举办60多场。", "60多场", "events"),
        (
            "新建的养老服务网络覆盖约3万人。",
            "约3万人",
            "beneficiaries",
        ),
        // People who use a service, win a title, are paid by insurance or
        // launched a programme; calls answered; insurance paid out.
        ("使用这款记账软件的个体商户已有8600人。", "8600人", "users"),
        ("小程序上线半年，已有3万多名用户。", "3万多名", "users"),
        (
            "今年共有12位返乡创业青年获评“乡村振兴带头人”。",
            "12位",
            "awardees",
        ),
        ("已有3600位参保农户获得理赔。", "3600位", "claimants"),
        ("保险公司累计赔付870万元。", "870万元", "payouts"),
        // Applying for a payout is not having it: those helped to apply
        // are beneficiaries.
        (
            "她帮助200多位农户申请保险理赔。",
            "200多位",
            "beneficiaries",
        ),
        (
            "这家农商行已向返乡青年发放创业贷款3.2亿元。",
            "3.2亿元",
            "loans",
        ),
        ("基地到岗人数约150人。", "约150人", "employees"),
        // A policy's threshold is its condition; the grant after it is
        // read by its own words, not the threshold's.
        (
            "区里对年销售额超过1亿元的直播团队给予最高50万元奖励。",
            "50万元",
            "subsidy",
        ),
        // Without a topic the general metrics stay; a span of a year is
        // no year's sales.
        ("村里的直播间成交额达到60多万元。", "60多万元", "sales"),
        (
            "一年多来，合作社的线上销售额增长到900万元。",
            "900万元",
            "sales",
        ),
        ("园区就业人数增长了12%。", "12%", "growth_rate"),
        (
            "全县网络销售额达12亿元，员工人数增长了12%。",
            "12%",
            "growth_rate",
        ),
        (
            "全县网络销售额达12亿元，相比上年增长率超过18%。",
            "超过18%",
            "sales_growth",
        ),
        (
            "合作社和企业的年销售额平均增长了26%。",
            "26%",
            "sales_growth",
        ),
        (
            "热线开通当天，客服人员共接听了300多个电话。",
            "300多个",
            "calls_handled",
        ),
        ("倡议的12名发起人都来自电商行业。", "12名", "initiators"),
        // A range of ages is a group's age range.
        ("受访者中25至35岁的占比最高。", "25至35岁", "age_range"),
        // People surveyed (受访的…) are respondents.
        (
            "在受访的600名返乡青年中，多数人从事电商。",
            "600名",
            "respondents",
        ),
        // Jobs named before their count are jobs all the same.
        (
            "新工厂投产后可提供就业岗位800余个。",
            "800余个",
            "jobs_created",
        ),
        ("该县拥有3个产业园。", "3个", "industrial_parks"),
        ("基地共培养60名主播。", "60名", "trainees"),
        (
            "公司分两批遴选30位骨干，奔赴全国15个脱贫县。",
            "30位",
            "envoys_dispatched",
        ),
        (
            "公司分两批遴选30位骨干，奔赴全国15个脱贫县。",
            "15个",
            "counties_covered",
        ),
        ("项目分四批推进。", "四批", "batches"),
        // Policy measures are counted with 条 and 项 (出台20条措施).
        ("县里出台了20条扶持政策。", "20条", "measures"),
        (
            "市政府推出12项帮扶措施，惠及3000多名青年。",
            "12项",
            "measures",
        ),
        (
            "人社局印发《若干措施》，共计8条具体措施。",
            "8条",
            "measures",
        ),
        ("新区今年签约了15个数字经济项目。", "15个", "projects"),
        // jieba tags some nouns as set phrases (新举措 i, 合作社 l).
        ("文件从四个方向提出18项新举措。", "18项", "measures"),
        ("大赛吸引了300支参赛队伍。", "300支", "teams"),
        ("她拿到了5000元创业奖金。", "5000元", "prize_money"),
        (
            "全市网络零售额达到80亿元。",
            "80亿元",
            "online_retail_sales",
        ),
        (
            "学院将一栋建筑面积8000平方米的楼改为创业园。",
            "8000平方米",
            "floor_area",
        ),
        ("目前有20余位年轻人在此就业。", "20余位", "employees"),
        ("开设了6家天猫旗舰店。", "6家", "flagship_stores"),
        ("工厂月入从2000元,涨到了4500元。", "4500元", "monthly_wage"),
        ("客服主管年薪12万元。", "12万元", "annual_income"),
        ("电商销售额两年翻了一番。", "翻了一番", "sales_growth"),
        ("平台已有3万名主播入驻。", "3万名", "streamers"),
        ("该项目带动了500个就业岗位。", "500个", "jobs_created"),
        ("基地共开设120个电商课程。", "120个", "courses"),
        ("公司年营收超过3000万元。", "超过3000万元", "revenue"),
        ("他每个月能卖出8万元的茶叶。", "8万元", "sales"),
        ("项目已惠及2000余名留守儿童。", "2000余名", "beneficiaries"),
        ("为3万人次提供医疗保障。", "3万人次", "beneficiaries"),
        ("项目已让5万名农村学生受益。", "5万名", "beneficiaries"),
        ("计划覆盖300万名乡村妇女。", "300万名", "beneficiaries"),
        ("中心每年举办200多场。", "200多场", "events"),
        ("帮助120名返乡青年实现就业。", "120名", "employees"),
        ("项目覆盖12省(区)。", "12省", "provinces_covered"),
        ("今年新培育800名乡村工匠。", "800名", "trainees"),
        // People or households whose income a figure says rose (带动…增收,
        // …脱贫) benefited.
        ("合作社带动周边40多户农户增收。", "40多户", "beneficiaries"),
        ("电商带动800名村民增收。", "800名", "beneficiaries"),
        (
            "目前已有90名返乡青年获得创业扶持。",
            "90名",
            "beneficiaries",
        ),
        // A sum granted (给予…万元) is a subsidy.
        ("对新引进的博士，县里给予30万元。", "30万元", "subsidy"),
        // Graduates named before their count.
        ("学院每年为企业输送毕业生约500人。", "约500人", "graduates"),
        // People working in a trade (从事…的人员) are employed in it.
        ("全村从事电商的人员有300多人。", "300多人", "employees"),
        // Streamers named before their count.
        ("全镇共有带货主播150名。", "150名", "streamers"),
    ];

    #[test]
    fn context_and_targets_are_told_from_results() {
        // (passage, figure, context, target)
        let cases = [
            (
                "全县常住人口12万，电商从业者超过3000人。",
                "12万",
                true,
                false,
            ),
            (
                "全县常住人口12万，电商从业者超过3000人。",
                "超过3000人",
                false,
                false,
            ),
            ("县城与省会相距约400公里。", "约400公里", true, false),
            ("一件外套售价动辄800元。", "800元", true, false),
            // A price by weight is a price too.
            ("现在自己卖，一斤蜂蜜能卖到120元。", "120元", true, false),
            ("这种菌子每公斤收购价不到30元。", "不到30元", true, false),
            ("今年45岁的王芳是村里的带头人。", "45岁", true, false),
            ("项目承诺未来5年培训10万名乡村教师。", "10万名", false, true),
            ("基地将为当地提供500个岗位。", "500个", false, true),
            ("5年内覆盖全国1000万农户。", "1000万", false, true),
            ("去年基地培训了800名学员。", "800名", false, false),
            // A before-and-after pair: the state before is context.
            ("茶园面积从500亩扩大到1200亩。", "500亩", true, false),
            ("茶园面积从500亩扩大到1200亩。", "1200亩", false, false),
            // A policy's threshold is a condition, not a result.
            (
                "区里对年销售额超过1亿元的直播团队给予最高50万元奖励。",
                "超过1亿元",
                true,
                false,
            ),
            (
                "年纳税额达到50万元以上的企业可享受房租减免。",
                "50万元以上",
                true,
                false,
            ),
            ("去年合作社的销售额超过1亿元。", "超过1亿元", false, false),
            // 计划 as the programme's noun, with a perfective after it.
            ("两年来，计划已累计培养学员260人。", "260人", false, false),
            ("公司计划明年培养学员260人。", "260人", false, true),
            // People lifted from poverty are no population.
            (
                "车间吸纳就业260余人，其中脱贫人口56人。",
                "56人",
                false,
                false,
            ),
            (
                "县里对返乡创业的青年给予最高5万元的贴息贷款。",
                "5万元",
                false,
                false,
            ),
            // A survey's sample describes the study.
            ("南开大学调研团队赴4个省开展走访。", "4个", true, false),
            ("南开大学调研团队共回收问卷600份。", "600份", true, false),
            ("“青禾计划”已覆盖4个省。", "4个", false, false),
        ];
        for (text, fig, context, target) in cases {
            let ex = crate::extract::table::extraction(text);
            let o = ex
                .observations
                .iter()
                .find(|o| o.text == fig)
                .unwrap_or_else(|| panic!("{text}: no {fig} in {:?}", ex.observations));
            assert_eq!((o.context, o.target), (context, target), "{text} {fig}");
        }
    }

    #[test]
    fn metric_table() {
        let mut failures = Vec::new();
        for (text, fig, metric) in METRIC_CASES {
            let got = outcomes(text);
            match got.iter().find(|o| o.0 == *fig) {
                Some(o) if o.1 == *metric => {}
                other => failures.push(format!("{text} {fig}: want {metric}, got {other:?}")),
            }
        }
        // Ordinals are not figures, nor small numbers in words that no cue
        // makes one (一位村民, 两人); a cue still does (两位特派员).
        assert!(outcomes("这是全国第五个数字就业中心。").is_empty());
        assert!(outcomes("一位村民和两人同行，带来三个箱子。").is_empty());
        // The parts a text is organised in are not counted things.
        for text in [
            "“青禾计划”围绕人才、产业、科技三个方向展开。",
            "《县域电商发展报告》从四个方面总结了经验。",
        ] {
            assert!(outcomes(text).is_empty(), "{text}: {:?}", outcomes(text));
        }
        // 个小时 is a duration's unit, not a count of things (十多个|小时).
        assert!(outcomes("十多个小时后，他们终于完成了直播。").is_empty());
        // After a copula, 一名/一位 names a role (是一名主播), even where
        // the role's noun is a cue; a count of one after another verb, or
        // a larger count after a copula, stays a figure.
        for text in [
            "她成为一名带货主播后，每天都很忙。",
            "刘强是一位返乡创业的电商带头人。",
            "作为一名乡村振兴特派员，他常驻县里。",
            "村里当上一名主播的年轻人越来越多。",
            "他担任一名讲师，负责培训。",
            "周敏是湖南省怀化市某县的一名返乡主播。",
            "老陈还是当地一名普通的果农。",
            // Right after a place or a word for "here": "a … of that place".
            "巨鹿县一名带货主播在直播间里推荐土特产。",
            "当地一名客服员工说，工作很稳定。",
        ] {
            assert!(outcomes(text).is_empty(), "{text}: {:?}", outcomes(text));
        }
        for (text, fig) in [
            ("基地今年招收了一名助理和30名学员。", "30名"),
            ("去年新增的主播是120名，比前年多一倍。", "120名"),
            ("但是今年只招到一名客服，另有15名学员在培训。", "15名"),
            ("但是今年只招到一名客服，另有15名学员在培训。", "一名"),
        ] {
            assert!(
                outcomes(text).iter().any(|o| o.0 == fig),
                "{text}: {fig} missing from {:?}",
                outcomes(text)
            );
        }
        // A few people counted and then named: the names' apposition.
        for text in [
            "公司选派了两位特派员王小梅、李建国，常驻县里。",
            "三名主播陈佳怡、刘晓东、黄小燕今年都买了车。",
        ] {
            assert!(outcomes(text).is_empty(), "{text}: {:?}", outcomes(text));
        }
        assert!(
            outcomes("县里选派了两位特派员，其中王小梅负责培训。")
                .iter()
                .any(|o| o.0 == "两位"),
            "a count with its names in another clause stays a figure"
        );
        assert_eq!(
            outcomes("公司选派了两位特派员。")
                .iter()
                .map(|o| o.1)
                .collect::<Vec<_>>(),
            ["envoys_dispatched"]
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
