//! The left edge of a name that ends in a head word (…有限公司, …学院,
//! …基地, …项目): walk left over jieba tokens that can be part of a name, and
//! stop at punctuation, function words, numerals and predicate verbs. Shared
//! by the organisation and programme extractors.

use super::places::code_of;
use super::{Context, EntityKind, Extraction};
use crate::lexicon::{LEXICON, Level};
use crate::segment::SEGMENTER;

/// Tokens that end a walk: function words, demonstratives, measure words.
pub const STOP_WORDS: &[&str] = &[
    "驻",
    "相关",
    "有关",
    "上述",
    "部分",
    "当地",
    "各类",
    "各种",
    "一系列",
    "更多",
    "累计",
    "全部",
    "所有",
    "其他",
    "其中",
    "的",
    "和",
    "与",
    "及",
    "等",
    "在",
    "为",
    "了",
    "是",
    "由",
    "将",
    "把",
    "被",
    "对",
    "向",
    "从",
    "该",
    "这",
    "各",
    "其",
    "个",
    "家",
    "所",
    "这个",
    "一个",
    "此",
    "多个",
    "首个",
    "第一个",
    "一批",
    "这些",
    "那",
    "每",
    "有",
    "也",
    "都",
    "还",
    "又",
    "并",
    "或",
    "以",
    "给",
    "让",
    "使",
    "于",
    "至",
    "到",
    "里",
    "中",
    "上",
    "下",
    "后",
    "前",
];

/// True when `word` is one of [`STOP_WORDS`]: looked up in a set, since
/// the walk back over a name asks it of every token it passes (a scan of
/// the list compared a dozen words of the same length each time).
pub fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| STOP_WORDS.iter().copied().collect());
    SET.contains(word)
}

/// Verbs that are predicates, not parts of a name (阿里巴巴|建立|客服中心).
pub(crate) const PREDICATE_VERBS: &[&str] = &[
    "建立", "设立", "成立", "开展", "举办", "打造", "推出", "发布", "引入", "引进", "落地", "落户",
    "入驻", "入职", "走进", "来到", "进入", "加入", "参加", "参与", "组织", "协调", "包含", "担任",
    "成为", "提供", "支持", "建设", "搭建", "创建", "开设", "开办", "启动", "实施", "推进", "推动",
    "依托", "通过", "利用", "带动", "吸引", "培养", "选取", "调研", "发现", "表示", "介绍", "认为",
    "位于", "坐落", "运营", "运行", "管理", "负责", "领导", "帮助", "助力", "获得", "颁发", "注册",
    "完成", "形成", "拥有", "设有", "建成", "出台", "印发", "联合", "携手", "合作", "投入", "出资",
    "捐赠", "邀请", "接收", "招募", "招聘", "就读", "毕业", "前往", "回到", "返回", "留在", "签约",
    "对接", "入选", "评为", "命名", "授予", "发出", "派出", "选派", "派遣", "招收", "聘请", "聘用",
    "认定", "提升", "赋能",
];

/// True when `word` is one of [`PREDICATE_VERBS`]: looked up in a set, as
/// [`is_stop_word`], since the walk back over a name asks it of the verbs
/// it passes (a scan of the list compared up to a hundred words of the same
/// length: 0.7% of extract's instructions).
pub(crate) fn is_predicate_verb(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| PREDICATE_VERBS.iter().copied().collect());
    SET.contains(word)
}

/// Verbs that jieba sometimes tags as nouns (上线 n) but that always start
/// the clause before a name.
const ALWAYS_BREAK: &[&str] = &["上线", "举办", "举行", "开展", "推出", "发起", "打造"];

/// Words that end a complete name; a verb after one starts a clause.
const ENDS_NAME: &[&str] = &[
    "协会", "公司", "集团", "大学", "学院", "中心", "基地", "局", "厅", "部", "委", "政府",
];

fn name_like(tag: &str) -> bool {
    tag.starts_with('n')
        || matches!(
            tag,
            "j" | "vn" | "b" | "l" | "an" | "eng" | "s" | "i" | "x" | "nz"
        )
}

fn is_year(word: &str) -> bool {
    let w = word.strip_suffix('年').unwrap_or("");
    w.len() == 4 && w.chars().all(|c| c.is_ascii_digit())
}

/// A list of head words (有限公司, 学院, 中心…) with a value each, in order of
/// preference, indexed by last character: finding the head that ends at a
/// token looks only at the heads ending in the token's last character.
pub struct HeadTable<T> {
    /// Heads, their values and their lengths in characters, in order.
    heads: Vec<(String, T, usize)>,
    /// Indices into `heads` by the head's last character, ascending.
    by_last: rustc_hash::FxHashMap<char, Vec<usize>>,
}

impl<T> HeadTable<T> {
    /// A table of `heads` in order of preference (the first that fits wins).
    pub fn new<S: Into<String>>(heads: impl IntoIterator<Item = (S, T)>) -> Self {
        let mut table = Self {
            heads: Vec::new(),
            by_last: rustc_hash::FxHashMap::default(),
        };
        for (h, v) in heads {
            let h: String = h.into();
            let Some(last) = h.chars().next_back() else {
                continue;
            };
            table
                .by_last
                .entry(last)
                .or_default()
                .push(table.heads.len());
            let n = h.chars().count();
            table.heads.push((h, v, n));
        }
        table
    }
}

/// The head word that ends at token `i`: the end of the token itself
/// (工商|学院 in one token 工商学院), or a run of whole tokens (致富|班).
/// Returns the character where the head starts, the head and its value.
pub fn head_ending_at<'h, T>(
    cx: &Context<'_>,
    i: usize,
    heads: &'h HeadTable<T>,
) -> Option<(usize, &'h str, &'h T)> {
    let t = &cx.tokens[i];
    let text_end = t.end;
    let last = t.word.chars().next_back()?;
    let word_len = t.end - t.start;
    for &k in heads.by_last.get(&last)? {
        let (h, v, n) = &heads.heads[k];
        let n = *n;
        if t.word.ends_with(h.as_str()) {
            return Some((text_end - n, h, v));
        }
        if n > word_len
            && text_end >= n
            && cx.token_starts.contains(&(text_end - n))
            && cx.chars[text_end - n..text_end]
                .iter()
                .copied()
                .eq(h.chars())
        {
            return Some((text_end - n, h, v));
        }
    }
    None
}

/// The start of the name whose head starts at character `head_start` and
/// ends at `end` (a token end). `None` when no name precedes the head.
pub fn start_of_name(
    cx: &Context<'_>,
    ex: &Extraction,
    head_start: usize,
    end: usize,
) -> Option<usize> {
    let toks = &cx.tokens;
    // The token holding the head's first character.
    let head_tok = toks.partition_point(|t| t.end <= head_start);
    let t = toks.get(head_tok)?;
    let mut start = t.start;
    let mut parts = usize::from(t.start < head_start);
    let mut j = head_tok;
    while j > 0 {
        let p = &toks[j - 1];
        // 和 joining two words of one kind inside a name (乡村教育和职业教育|计划):
        // the word before it is the word the second one ends with.
        let coordinated = matches!(p.word.as_str(), "和" | "与")
            && j >= 2
            && head_tok > j
            && toks[j - 2].end == p.start
            && toks[head_tok - 1].word.chars().count() >= 2
            && toks[j - 2].word.ends_with(toks[head_tok - 1].word.as_str())
            && name_like(&toks[j - 2].tag);
        if p.end != toks[j].start || (is_stop_word(&p.word) && !coordinated) {
            break;
        }
        let han = p
            .word
            .chars()
            .all(|c| crate::ingest::normalize::is_han(c) || c.is_ascii_alphanumeric());
        if !han {
            break;
        }
        let verb_inside = (p.tag.starts_with('v') || p.tag == "a" || p.tag == "d")
            // One-character verbs are predicates (恩施|建|客服中心).
            && p.word.chars().count() >= 2
            && !is_predicate_verb(&p.word)
            // Directional and resultative verbs are predicates (进驻, 运到,
            // 支援, 送往, 建起, 办成).
            && !p.word.ends_with(|c: char| "到进入驻运送往援回来去给至取起成".contains(c))
            && j >= 2
            // A verb after a complete name starts a clause (…协会|协助|…).
            && !ENDS_NAME.iter().any(|h| toks[j - 2].word.ends_with(h))
            && toks[j - 2].end == p.start
            && (name_like(&toks[j - 2].tag)
                || toks[j - 2].tag.starts_with('v')
                || (toks[j - 2].tag == "m" && !toks[j - 2].word.starts_with(['第', '首'])))
            && !is_stop_word(&toks[j - 2].word);
        // A numeral word without digits belongs to a name after a noun
        // (国际站|半|托管, 电商|万人|培训) or at the start of a list item
        // (、|一日|研习社); before a measure word it counts (两|个).
        let numeral_inside = p.tag == "m"
            && !p.word.chars().any(|c| c.is_ascii_digit())
            // Ordinals describe (全国第五个…, 首张…).
            && !p.word.starts_with(['第', '首'])
            && j >= 1
            && !toks[j]
                .word
                .starts_with(|c: char| "个家所座间名支场批项条位次期届轮年月日号".contains(c))
            && j >= 2
            && {
                let q = &toks[j - 2];
                q.end == p.start
                    && ((name_like(&q.tag) && !is_stop_word(&q.word) && q.tag != "x")
                        || matches!(q.word.as_str(), "、" | ","))
            };
        if ALWAYS_BREAK.contains(&p.word.as_str())
            || !(name_like(&p.tag) || verb_inside || numeral_inside || coordinated)
            || (p.tag == "m" && !numeral_inside)
        {
            break;
        }
        // A person's sex before a role-like head describes the people, it
        // does not start a name (女|乡村振兴特派员).
        if p.word.chars().count() == 1 && matches!(p.word.as_str(), "女" | "男") {
            break;
        }
        // The list separator itself ends the walk after a list item.
        let list_start = numeral_inside && matches!(toks[j - 2].word.as_str(), "、" | ",");
        j -= 1;
        parts += 1;
        start = toks[j].start;
        if list_start {
            break;
        }
        if parts >= 8 || end - start > 24 {
            break;
        }
    }
    // A predicate verb that opens the walked words (，建设|县级电商物流配送中心)
    // is its clause's verb, not the name's first word: jieba tags some of
    // them as nouns (建设 vn).
    if start < head_start
        && let Some(k) = cx.token_at(start)
        && is_predicate_verb(&toks[k].word)
    {
        start = toks[k].end;
        parts -= 1;
    }
    // A long head is a name by itself (乡村特派员); a short one needs words before it.
    if parts == 0 && end - head_start < 5 {
        return None;
    }
    // A division inside the walked words, with no organisation before it,
    // starts the name (…人才培训|巨鹿乡村致富班).
    let place_inside = ex
        .mentions
        .iter()
        .filter(|m| m.range.start > start && m.range.end < end && code_of(&m.entity).is_some())
        .map(|m| m.range.start)
        .min();
    if let Some(p) = place_inside {
        let org_before = ex.mentions.iter().any(|m| {
            m.entity.kind == EntityKind::Organization && m.range.start >= start && m.range.end <= p
        });
        if !org_before {
            start = p;
        }
    }
    // 驻巨鹿县|乡村振兴特派员: after 驻 the place is a destination, not part of the name.
    if start > 0
        && cx.chars[start - 1] == '驻'
        && let Some(m) = ex.mentions.iter().find(|m| {
            m.range.start == start && m.range.end <= head_start && code_of(&m.entity).is_some()
        })
    {
        start = m.range.end;
    }
    // A year before the name belongs to it (2023年…竞赛).
    if let Some(k) = cx.token_at(start) {
        if k > 0 && is_year(&toks[k - 1].word) && toks[k - 1].end == start {
            start = toks[k - 1].start;
        } else if k > 1
            && toks[k - 1].word == "年"
            && toks[k - 1].end == start
            && is_year(&format!("{}年", toks[k - 2].word))
        {
            start = toks[k - 2].start;
        }
    }
    // 29家|电商产业园, 20期|电商培训班: a measure word after a numeral is
    // not part of the name.
    let numeral =
        |c: char| c.is_ascii_digit() || "零一二两三四五六七八九十百千万亿多余几".contains(c);
    if start > 0
        && "家个所座间名支场批项条位期届轮次".contains(cx.chars[start])
        && numeral(cx.chars[start - 1])
    {
        start += 1;
    }
    trim_leading_places(cx, ex, start, end)
}

/// Moves the start past leading provinces and prefectures followed by a more
/// specific place (青海省海东市|平安区…). `None` when nothing remains.
pub fn trim_leading_places(
    _cx: &Context<'_>,
    ex: &Extraction,
    mut start: usize,
    end: usize,
) -> Option<usize> {
    loop {
        let lead = ex.mentions.iter().find(|m| {
            m.range.start == start
                && m.range.end < end
                && code_of(&m.entity).is_some_and(|c| {
                    LEXICON
                        .divisions
                        .get(c)
                        .is_some_and(|d| d.level != Level::County)
                })
        });
        let Some(lead) = lead else { break };
        let next_is_place = ex.mentions.iter().any(|m| {
            m.range.start == lead.range.end && m.range.end < end && code_of(&m.entity).is_some()
        });
        if !next_is_place {
            break;
        }
        start = lead.range.end;
    }
    (start < end).then_some(start)
}

/// Heads broad enough that one ordinary noun before them makes a
/// description (物流公司, 实训基地), not a name.
const BROAD_HEADS: &[&str] = &[
    "公司", "中心", "基地", "项目", "学院", "集团", "工程", "计划", "平台", "园", "站",
];

/// True when `start..end` reads as a description rather than a name: jieba
/// knows the whole span as an ordinary word, or a broad head has one
/// ordinary noun before it.
pub fn is_generic(cx: &Context<'_>, start: usize, end: usize, head: &str) -> bool {
    let text = cx.text(start..end);
    // A long head word standing alone (乡村特派员) is a name, not a description.
    if text == head && head.chars().count() >= 5 {
        return false;
    }
    if let Some(tag) = SEGMENTER.dict_tag(&text)
        && !matches!(tag.as_str(), "nt" | "ns" | "nz" | "nr")
    {
        return true;
    }
    let head_start = end - head.chars().count();
    let toks: Vec<&crate::segment::Token> = cx.tokens_in(start..head_start).iter().collect();
    let proper = toks.iter().any(|t| {
        matches!(
            t.tag.as_str(),
            "ns" | "nr" | "nrt" | "nrfg" | "nz" | "nt" | "eng" | "j"
        ) || t.word.chars().any(|c| c.is_ascii_alphanumeric())
    });
    if BROAD_HEADS.iter().any(|h| head.ends_with(h)) && !proper && toks.len() <= 1 {
        return true;
    }
    // Only the field's common words before a broad head: a description of
    // an activity (电商培训项目, 创业创新大赛), not the name of one.
    let broad = DESCRIPTIVE_HEADS.iter().any(|h| head.ends_with(h));
    broad
        && !proper
        && !toks.is_empty()
        && toks.iter().all(|t| FIELD_WORDS.contains(&t.word.as_str()))
}

/// Heads after which common words only describe an activity.
const DESCRIPTIVE_HEADS: &[&str] = &[
    "项目",
    "计划",
    "大赛",
    "比赛",
    "竞赛",
    "培训班",
    "班",
    "活动",
];

/// The common words of this field's news: a name made only of them before a
/// broad head describes rather than names.
const FIELD_WORDS: &[&str] = &[
    "电商",
    "电子商务",
    "培训",
    "就业",
    "创业",
    "创新",
    "数字",
    "数字经济",
    "直播",
    "产业",
    "经济",
    "人才",
    "技能",
    "发展",
    "大学生",
    "青年",
    "农村",
    "乡村",
    "相关",
    "各类",
    "帮扶",
    "扶贫",
    "服务",
    "网络",
    "营销",
    "职业",
    "教育",
    "合作",
    "交流",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The sets answer as scans of their lists would.
    #[test]
    fn word_sets_hold_their_lists_and_nothing_else() {
        for w in PREDICATE_VERBS {
            assert!(is_predicate_verb(w), "{w}");
        }
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
        }
        for w in ["", "建", "建立起", "客服中心", "阿里巴巴", "县"] {
            assert_eq!(is_predicate_verb(w), PREDICATE_VERBS.contains(&w), "{w}");
            assert_eq!(is_stop_word(w), STOP_WORDS.contains(&w), "{w}");
        }
    }
}
