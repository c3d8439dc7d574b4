//! Numbers, units and qualifiers: Arabic and Chinese numerals and their
//! mixtures (196, 1.28万, 2715.9亿, 三分之一, 两千, 百分之八十), ranges
//! (20-35岁, 20岁至35岁), approximate and bounded values (约, 左右, 近, 超过,
//! 余, 多, 不到), and the unit that follows.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// The unit of a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// People (人, 名, 位).
    Person,
    /// Person-times (人次).
    PersonTime,
    /// Chinese yuan.
    Cny,
    /// Percent, 0–100.
    Percent,
    /// Years (of age or duration).
    Year,
    /// Months.
    Month,
    /// Days.
    Day,
    /// Hours.
    Hour,
    /// Minutes.
    Minute,
    /// Counts of things (家, 个, 间, 份, 场, 支, 户).
    Count,
    /// Multiples (倍).
    Times,
    /// Square metres.
    M2,
    /// Mu (亩).
    Mu,
    /// Tonnes.
    Tonne,
    /// Kilometres.
    Km,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 15] = [
        Self::Person,
        Self::PersonTime,
        Self::Cny,
        Self::Percent,
        Self::Year,
        Self::Month,
        Self::Day,
        Self::Hour,
        Self::Minute,
        Self::Count,
        Self::Times,
        Self::M2,
        Self::Mu,
        Self::Tonne,
        Self::Km,
    ];

    /// The unit of this notation (`person`, `CNY`, …), if it is one.
    pub fn from_notation(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }

    /// The name used in the gold format and in the graph's unit IRIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::PersonTime => "person-time",
            Self::Cny => "CNY",
            Self::Percent => "percent",
            Self::Year => "year",
            Self::Month => "month",
            Self::Day => "day",
            Self::Hour => "hour",
            Self::Minute => "minute",
            Self::Count => "count",
            Self::Times => "times",
            Self::M2 => "m2",
            Self::Mu => "mu",
            Self::Tonne => "tonne",
            Self::Km => "km",
        }
    }
}

/// How exact a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// As stated.
    Exact,
    /// 约, 左右, 近, 上下.
    Approximate,
    /// 超过, 以上, 余, 多, 逾, 破.
    LowerBound,
    /// 不到, 不足, 以下, 最多.
    UpperBound,
}

impl Qualifier {
    /// Name used in the graph.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Approximate => "approximate",
            Self::LowerBound => "lower_bound",
            Self::UpperBound => "upper_bound",
        }
    }
}

/// A number with a unit and a qualifier; ranges have a `max`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantity {
    /// The value (the lower end of a range).
    pub value: f64,
    /// The upper end of a range.
    pub max: Option<f64>,
    /// Unit.
    pub unit: Unit,
    /// Qualifier.
    pub qualifier: Qualifier,
}

/// Decimal text of a value, without exponent or trailing zeros.
pub fn decimal(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_owned() }
}

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Parses a Chinese numeral (`两千`, `十余`→10, `一百二十三`, `三万五千`).
///
/// A numeral too large for a finite value (a long run of digits or of 亿)
/// is not a number: `None`.
pub fn parse_chinese_int(s: &str) -> Option<f64> {
    // total: the 亿 level; wan: the 万 level; section: below 万; num: pending digits.
    let (mut total, mut wan, mut section) = (0.0f64, 0.0f64, 0.0f64);
    let mut num: Option<u64> = None;
    let mut any = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            num = Some(num.map_or(Some(d), |n| n.checked_mul(10)?.checked_add(d))?);
            any = true;
            continue;
        }
        any = true;
        match c {
            '十' | '拾' | '百' | '佰' | '千' | '仟' => {
                let mult = match c {
                    '十' | '拾' => 10.0,
                    '百' | '佰' => 100.0,
                    _ => 1000.0,
                };
                // 零十 (…万零十) is one ten: 零 holds a place, it is not a factor.
                let n = match num.take() {
                    None | Some(0) => 1,
                    Some(n) => n,
                };
                section += n as f64 * mult;
            }
            '万' => {
                let v = section + num.take().unwrap_or(0) as f64;
                wan += if v == 0.0 { 1.0 } else { v } * 10_000.0;
                section = 0.0;
            }
            '亿' => {
                let v = wan + section + num.take().unwrap_or(0) as f64;
                total = (total + if v == 0.0 { 1.0 } else { v }) * 100_000_000.0;
                wan = 0.0;
                section = 0.0;
            }
            _ => return None,
        }
    }
    let v = total + wan + section + num.unwrap_or(0) as f64;
    (any && v.is_finite()).then_some(v)
}

/// Parses a number written with Arabic digits, Chinese numerals or both,
/// with an optional multiplier (`1.28万`, `2715.9亿`, `两千`, `3千`).
///
/// Only finite values are numbers: digits beyond `f64`'s range, `inf` or
/// `NaN` give `None`.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim().replace([',', ' ', '\u{3000}'], "");
    if s == "半" {
        return Some(0.5);
    }
    if s.is_empty() {
        return None;
    }
    let mut mult = 1.0;
    let mut body = s.as_str();
    for (suffix, m) in [
        ("万亿", 1e12),
        ("亿", 1e8),
        ("万", 1e4),
        ("千", 1e3),
        ("百", 1e2),
    ] {
        if let Some(b) = body.strip_suffix(suffix)
            && (b.chars().all(|c| c.is_ascii_digit() || c == '.') && !b.is_empty())
        {
            body = b;
            mult = m;
            break;
        }
    }
    if let Ok(v) = body.parse::<f64>() {
        return Some(v * mult).filter(|v| v.is_finite());
    }
    parse_chinese_int(&s)
}

static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([零一二两三四五六七八九十百千万0-9]+)分之([零一二两三四五六七八九十百0-9.]+)$")
        .expect("valid regex")
});

/// Parses `三分之一` (→ 33.333…) and `百分之八十` (→ 80) as percentages.
pub fn parse_fraction_percent(s: &str) -> Option<f64> {
    let c = FRACTION.captures(s)?;
    let den = parse_number(&c[1])?;
    let num = parse_number(&c[2])?;
    Some(num / den * 100.0).filter(|v| den > 0.0 && v.is_finite())
}

/// How people write a number they do not know exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spoken {
    /// Two neighbouring digits for "one or the other": 七八 → 7 to 8,
    /// 二十三四 → 23 to 24, 四五千 → 4000 to 5000.
    Range(f64, f64),
    /// 几 after a number: 十几 → more than 10, 十几万 → more than 100,000.
    AtLeast(f64),
    /// 几 first (几百, 几十): too vague to be a figure.
    Vague,
}

static NEIGHBOURS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<head>(?:[一二三四五六七八九]?十)|(?:[一二三四五六七八九]百))?(?P<x>[一二三四五六七八九])(?P<y>[二三四五六七八九])(?P<mag>十|百|千|万)?$")
        .expect("valid regex")
});

/// Reads an approximate numeral written in words (see [`Spoken`]), or
/// `None` for an ordinary numeral.
pub fn parse_spoken(s: &str) -> Option<Spoken> {
    if s.starts_with('几') {
        return Some(Spoken::Vague);
    }
    if s.contains('几') {
        // 十几万 → 十万: 几 adds "and some" to the digit before it.
        return parse_number(&s.replace('几', "")).map(Spoken::AtLeast);
    }
    let c = NEIGHBOURS.captures(s)?;
    let (x, y) = (parse_number(&c["x"])?, parse_number(&c["y"])?);
    if y != x + 1.0 {
        return None;
    }
    let head = c
        .name("head")
        .map_or(Some(0.0), |h| parse_number(h.as_str()))?;
    let mag = match c.name("mag").map(|m| m.as_str()) {
        Some("十") => 10.0,
        Some("百") => 100.0,
        Some("千") => 1000.0,
        Some("万") => 10_000.0,
        _ => 1.0,
    };
    // A head (二十) only goes with units (二十三四); 四五千 has none.
    if c.name("head").is_some() && mag != 1.0 {
        return None;
    }
    Some(Spoken::Range(head + x * mag, head + y * mag))
}

/// The matches of `re` in `text` when `needed`, else none (and no search
/// set up: a search takes its captures from the expression's pool).
fn captures_if<'r, 't>(
    needed: bool,
    re: &'r Regex,
    text: &'t str,
) -> impl Iterator<Item = regex::Captures<'t>> + use<'r, 't> {
    needed.then(|| re.captures_iter(text)).into_iter().flatten()
}

/// Which of the expressions after [`QUANTITY`] a text can match, by the
/// character each needs, read in one pass over the text.
struct Needs {
    /// 万 or 亿 ([`BIG`]).
    big: bool,
    /// 成 ([`TENTHS`]).
    tenths: bool,
    /// 翻 ([`DOUBLING`]).
    doubling: bool,
    /// 分之 ([`FRACTION_IN_TEXT`]).
    fraction: bool,
}

impl Needs {
    fn of(text: &str) -> Self {
        let mut n = Self {
            big: false,
            tenths: false,
            doubling: false,
            fraction: false,
        };
        let mut prev = '\0';
        for c in text.chars() {
            match c {
                '万' | '亿' => n.big = true,
                '成' => n.tenths = true,
                '翻' => n.doubling = true,
                '之' if prev == '分' => n.fraction = true,
                _ => {}
            }
            prev = c;
        }
        n
    }
}

/// A quantity found in text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundQuantity {
    /// The quantity.
    pub quantity: Quantity,
    /// Character range of the whole expression.
    pub range: std::ops::Range<usize>,
    /// Character where the number itself starts.
    pub number_start: usize,
    /// The unit's text.
    pub unit_text: String,
}

// Digits are ASCII (`[0-9]`, not `\d`): full-width ones are folded before
// the search, and the narrow class keeps the expressions' automata small.
const NUM: &str = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?:[ \x{3000}]?(?:万亿|亿|万|千|百))?|[0-9.]+(?:[ \x{3000}]?(?:万亿|亿|万|千|百))?|[零〇一二两三四五六七八九十百千万亿几]+|半";
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<pre>大约|约为|约|近|将近|接近|超过|超|逾|不低于|不少于|不超过|不高于|不到|不足|最多|至少|上|过|破)?(?P<a>{NUM})(?:(?P<au>岁|元|%)?\s*(?:-|–|—|~|～|至|到)\s*(?P<b>{NUM}))?(?P<mod>余|多)?(?P<mult>万|亿|千)?[ 　]?(?P<unit>万元|亿元|元|人次|名|位|人|家|个百分点|百分点|个小时|个月|个|间|份|场|支|户|批|期|项|条|周岁|岁|%|倍|平方米|平米|亩|吨|公里|小时|分钟|天|年|省|县)(?P<post>左右|以上|以下|上下|之间)?"
    ))
    .expect("valid regex")
});

/// The numbers of [`QUANTITY`]'s groups (a lookup by name hashes the name
/// on every match).
struct QuantityGroups {
    pre: usize,
    a: usize,
    b: usize,
    modifier: usize,
    mult: usize,
    unit: usize,
    post: usize,
}
static Q: LazyLock<QuantityGroups> = LazyLock::new(|| {
    let group = |name: &str| {
        QUANTITY
            .capture_names()
            .position(|n| n == Some(name))
            .expect("a group of QUANTITY")
    };
    QuantityGroups {
        pre: group("pre"),
        a: group("a"),
        b: group("b"),
        modifier: group("mod"),
        mult: group("mult"),
        unit: group("unit"),
        post: group("post"),
    }
});

/// A number of ten thousands or hundred millions with no measure word
/// after it (11万, 100亿, 5000 万).
static BIG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<pre>约|近|将近|超过|超|逾|不到|至少)?(?P<a>(?:[0-9][0-9.,]*|[一二两三四五六七八九十百千]+)[ \x{3000}]?(?:万亿|亿|万))(?P<mod>余|多)?")
        .expect("valid regex")
});

/// Nouns for people counted without a measure word (11万农民主播, 61万乡村学生).
pub(super) const PERSON_NOUNS: &[&str] = &[
    "人口",
    "女性",
    "妇女",
    "学生",
    "农民",
    "村民",
    "群众",
    "青年",
    "主播",
    "用户",
    "乡亲",
    "创业者",
    "从业者",
    "劳动力",
    "网民",
    "消费者",
    "游客",
    "职工",
    "员工",
    "人才",
    "学员",
    "毕业生",
    "儿童",
    "老人",
    "农户",
    "贫困户",
    "居民",
    "志愿者",
];

/// Nouns of money right after a bare amount (1万亿贷款, 100亿资金).
const MONEY_NOUNS: &[&str] = &[
    "贷款",
    "资金",
    "善款",
    "捐款",
    "奖金",
    "补贴",
    "投资",
    "现金",
    "资助",
    "免息贷款",
];

/// True when a number `a` written as a bare magnitude follows 数 at the end
/// of `before` with no qualifier of its own: 数百家, 数十万人 are "some", as
/// 几百 is, and no figure (总数120家, with digits, is a total).
fn some_of(before: &str, a: &str, qualified: bool) -> bool {
    !qualified && a.starts_with(['十', '百', '千', '万']) && before.ends_with('数')
}

/// Words ending in 金 that are no sum of yuan: gold, a foreign currency.
const NOT_FUNDS: &[&str] = &["黄金", "白金", "铂金", "美金", "欧金"];

/// True when `after`, the Han characters right after a bare amount, opens
/// with a noun of money ending in 金 (200万奖学金, 4870万教育健康金,
/// 50万救助金的): 金 ends the word, at the end of the run or before a
/// particle or conjunction, so 基金会 (a foundation), 金融 and place names
/// (金华) are not sums.
fn fund_noun(after: &str) -> bool {
    let chars: Vec<char> = after.chars().collect();
    let Some(k) = chars.iter().skip(1).position(|&c| c == '金').map(|k| k + 1) else {
        return false;
    };
    let noun: String = chars[..=k].iter().collect();
    let ends_word = chars
        .get(k + 1)
        .is_none_or(|c| matches!(c, '的' | '和' | '与' | '及' | '用' | '给' | '等'));
    ends_word && !NOT_FUNDS.contains(&noun.as_str())
}

/// Verbs of money shortly before a bare amount (投入100亿, 募集5000万).
const MONEY_VERBS: &[&str] = &[
    "投入",
    "投资",
    "捐赠",
    "捐款",
    "募集",
    "拨付",
    "筹集",
    "出资",
    "融资",
    "贷款",
    "销售额",
    "成交额",
    "交易额",
    "营收",
];

static FRACTION_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<pre>约|近|超过|超|不到|逾)?(?P<f>(?:[零一二两三四五六七八九十百千万0-9]+分之[零一二两三四五六七八九十0-9.]+)|百分之[零一二两三四五六七八九十0-9.]+)")
        .expect("valid regex")
});

static TENTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<pre>约|近|超过|超|不到|逾|将近)?(?P<n>[一二两三四五六七八九十半]|[1-9])成")
        .expect("valid regex")
});

static DOUBLING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<pre>近|超过|约)?翻(?:了)?(?:(?P<n>[一两二三四五六七八九十])番|番)")
        .expect("valid regex")
});

fn unit_of(u: &str) -> Option<(Unit, f64)> {
    Some(match u {
        "万元" => (Unit::Cny, 1e4),
        "亿元" => (Unit::Cny, 1e8),
        "元" => (Unit::Cny, 1.0),
        "人次" => (Unit::PersonTime, 1.0),
        "名" | "位" | "人" => (Unit::Person, 1.0),
        "家" | "个" | "间" | "份" | "场" | "支" | "户" | "批" | "期" | "项" | "条" | "省"
        | "县" => (Unit::Count, 1.0),
        "岁" | "周岁" | "年" => (Unit::Year, 1.0),
        // Percentage points (提高了15个百分点) are read as percent.
        "%" | "个百分点" | "百分点" => (Unit::Percent, 1.0),
        "倍" => (Unit::Times, 1.0),
        "平方米" | "平米" => (Unit::M2, 1.0),
        "亩" => (Unit::Mu, 1.0),
        "吨" => (Unit::Tonne, 1.0),
        "公里" => (Unit::Km, 1.0),
        "小时" | "个小时" => (Unit::Hour, 1.0),
        "分钟" => (Unit::Minute, 1.0),
        "天" => (Unit::Day, 1.0),
        "个月" => (Unit::Month, 1.0),
        _ => return None,
    })
}

fn qualifier(pre: Option<&str>, modifier: Option<&str>, post: Option<&str>) -> Qualifier {
    match (pre, modifier, post) {
        (_, Some(_), _)
        | (Some("超过" | "超" | "逾" | "至少" | "不低于" | "不少于" | "上" | "过" | "破"), _, _)
        | (_, _, Some("以上")) => Qualifier::LowerBound,
        (Some("不到" | "不足" | "最多" | "不超过" | "不高于"), _, _) | (_, _, Some("以下")) => {
            Qualifier::UpperBound
        }
        (Some(_), _, _) | (_, _, Some("左右" | "上下")) => Qualifier::Approximate,
        _ => Qualifier::Exact,
    }
}

/// Finds every quantity with a unit in `text` (character offsets).
pub fn find_quantities(text: &str) -> Vec<FoundQuantity> {
    // Full-width digits and signs count as ASCII (one character for one, so
    // offsets are unchanged).
    let full_width = |c: char| {
        matches!(
            c,
            '\u{FF10}'..='\u{FF19}' | '\u{FF05}' | '\u{FF0C}' | '\u{FF0E}' | '\u{FF0D}'
        )
    };
    let folded: std::borrow::Cow<'_, str> = if text.contains(full_width) {
        text.chars()
            .map(|c| match c {
                c if full_width(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let text = &*folded;
    // Built at the first match.
    let b2c = std::cell::LazyCell::new(|| crate::ingest::text::byte_to_char_index(text));
    let needs = Needs::of(text);
    let mut out = Vec::new();
    for c in QUANTITY.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let unit_text = c.get(Q.unit).map_or("", |m| m.as_str());
        // 年 only counts as a unit after a small number (5年), not in a year (2020年).
        let a_text = c.get(Q.a).map_or("", |m| m.as_str());
        if unit_text == "年" && (a_text.len() >= 4 || a_text.contains('.')) {
            continue;
        }
        // A year or date, not a quantity: 2022年5月 handled above; 5月/17日 are not units here.
        let Some((mut unit, scale)) = unit_of(unit_text) else {
            continue;
        };
        // 15个人: people counted with 个 (not 3个|人才基地, 5个|人社所;
        // 一个人 is "alone").
        let mut end = whole.end();
        let mut unit_text = unit_text;
        if unit_text == "个" && c.get(Q.post).is_none() && a_text != "一" {
            let mut rest = text[end..].chars();
            if rest.next() == Some('人')
                && !rest
                    .next()
                    .is_some_and(|c| "才员口民社工力均气次们文".contains(c))
            {
                unit = Unit::Person;
                unit_text = "个人";
                end += '人'.len_utf8();
            }
        }
        // 100县(市、区), 12省: a county or province counted, not a name
        // going on (100县城, 12省级).
        if matches!(unit_text, "省" | "县")
            && text[whole.end()..]
                .chars()
                .next()
                .is_some_and(crate::ingest::normalize::is_han)
        {
            continue;
        }
        if some_of(&text[..whole.start()], a_text, c.get(Q.pre).is_some()) {
            continue;
        }
        let spoken = parse_spoken(a_text);
        let (mut a, spoken_max, spoken_lower) = match spoken {
            Some(Spoken::Vague) => continue,
            Some(Spoken::Range(lo, hi)) => (lo, Some(hi), false),
            Some(Spoken::AtLeast(v)) => (v, None, true),
            // 一一位, 二〇二三: digits in words without 十/百/千 spell a
            // year or a word, not a count.
            None if a_text.chars().count() >= 2 && a_text.chars().all(|c| digit(c).is_some()) => {
                continue;
            }
            None => match parse_number(a_text) {
                Some(v) => (v, None, false),
                None => continue,
            },
        };
        // 210多万家: a multiplier after 多/余.
        let mult = match c.get(Q.mult).map(|m| m.as_str()) {
            Some("万") => 1e4,
            Some("亿") => 1e8,
            Some("千") => 1e3,
            _ => 1.0,
        };
        a *= mult;
        let mut b = c
            .get(Q.b)
            .and_then(|m| parse_number(m.as_str()))
            .or(spoken_max.map(|hi| hi * mult));
        a *= scale;
        if let Some(v) = b.as_mut() {
            *v *= scale;
        }
        let pre = c.get(Q.pre).map(|m| m.as_str());
        let q = if spoken_lower {
            Qualifier::LowerBound
        } else {
            qualifier(
                pre,
                c.get(Q.modifier).map(|m| m.as_str()),
                c.get(Q.post).map(|m| m.as_str()),
            )
        };
        // Digits beyond f64's range once scaled: not a figure.
        if !a.is_finite() || b.is_some_and(|v| !v.is_finite()) {
            continue;
        }
        let start = b2c[whole.start()];
        let number_start = b2c[c.get(Q.a).expect("group").start()];
        out.push(FoundQuantity {
            quantity: Quantity {
                value: a,
                max: b,
                unit,
                qualifier: if b.is_some() { Qualifier::Exact } else { q },
            },
            range: start..b2c[end],
            number_start,
            unit_text: unit_text.to_owned(),
        });
    }
    // Each expression below needs a character of its own (万 or 亿, 成, 翻,
    // 分之): a sentence without it skips that expression (not even a search
    // set up).
    //
    // 11万农民主播, 投入100亿: ten thousands and hundred millions with no
    // measure word, counting the people named after them or, after a word
    // of money, yuan.
    for c in captures_if(needs.big, &BIG, text) {
        let whole = c.get(0).expect("match");
        let start = b2c[whole.start()];
        if some_of(&text[..whole.start()], &c["a"], c.name("pre").is_some()) {
            continue;
        }
        if out
            .iter()
            .any(|o: &FoundQuantity| o.range.start < b2c[whole.end()] && start < o.range.end)
        {
            continue;
        }
        let after: String = text[whole.end()..]
            .chars()
            .take_while(|ch| crate::ingest::normalize::is_han(*ch))
            .take(6)
            .collect();
        let before: String = {
            let v: Vec<char> = text[..whole.start()].chars().collect();
            v[v.len().saturating_sub(8)..].iter().collect()
        };
        let near_before: String = before
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let unit = if PERSON_NOUNS
            .iter()
            .any(|n| after.starts_with(n) || after.chars().take(4).collect::<String>().contains(n))
            || near_before.contains("人口")
        {
            Unit::Person
        } else if MONEY_NOUNS.iter().any(|n| after.starts_with(n))
            || fund_noun(&after)
            || MONEY_VERBS.iter().any(|v| before.contains(v))
        {
            Unit::Cny
        } else {
            continue;
        };
        let Some(value) = parse_number(&c["a"]) else {
            continue;
        };
        if !value.is_finite() {
            continue;
        }
        out.push(FoundQuantity {
            quantity: Quantity {
                value,
                max: None,
                unit,
                qualifier: qualifier(
                    c.name("pre").map(|m| m.as_str()),
                    c.name("mod").map(|m| m.as_str()),
                    None,
                ),
            },
            range: start..b2c[whole.end()],
            number_start: b2c[c.name("a").expect("group").start()],
            unit_text: String::new(),
        });
    }
    // 七成, 约三成, 八成以上: tenths as percentages, when 成 ends the word.
    for c in captures_if(needs.tenths, &TENTHS, text) {
        let whole = c.get(0).expect("match");
        let rest = &text[whole.end()..];
        let ends_word = rest.is_empty()
            || rest.starts_with(|ch: char| !crate::ingest::normalize::is_han(ch))
            || ["以上", "以下", "左右", "多", "的", "是", "为", "来自", "都"]
                .iter()
                .any(|w| rest.starts_with(w));
        let Some(n) = parse_number(&c["n"]) else {
            continue;
        };
        if !ends_word || n > 10.0 {
            continue;
        }
        let post = ["以上", "以下", "左右"]
            .into_iter()
            .find(|w| rest.starts_with(w));
        let start = b2c[whole.start()];
        out.push(FoundQuantity {
            quantity: Quantity {
                value: n * 10.0,
                max: None,
                unit: Unit::Percent,
                qualifier: qualifier(c.name("pre").map(|m| m.as_str()), None, post),
            },
            range: start..b2c[whole.end()] + post.map_or(0, |p| p.chars().count()),
            number_start: b2c[c.name("n").expect("group").start()],
            unit_text: "成".into(),
        });
    }
    // 翻番, 翻了一番 (×2), 翻两番 (×4): doublings as multiples.
    for c in captures_if(needs.doubling, &DOUBLING, text) {
        let whole = c.get(0).expect("match");
        let times = match c.name("n").map(|m| m.as_str()) {
            None | Some("一") => 2.0,
            Some(n) => match parse_number(n) {
                Some(k) if k <= 10.0 => 2f64.powf(k),
                _ => continue,
            },
        };
        let start = b2c[whole.start()];
        out.push(FoundQuantity {
            quantity: Quantity {
                value: times,
                max: None,
                unit: Unit::Times,
                qualifier: qualifier(c.name("pre").map(|m| m.as_str()), None, None),
            },
            range: start..b2c[whole.end()],
            number_start: start,
            unit_text: "番".into(),
        });
    }
    for c in captures_if(needs.fraction, &FRACTION_IN_TEXT, text) {
        let f = &c["f"];
        let v = match f.strip_prefix("百分之") {
            Some(n) => parse_number(n),
            None => parse_fraction_percent(f),
        };
        let Some(v) = v else { continue };
        let whole = c.get(0).expect("match");
        let (start, end) = (b2c[whole.start()], b2c[whole.end()]);
        if out
            .iter()
            .any(|o: &FoundQuantity| o.range.start <= start && start < o.range.end)
        {
            continue;
        }
        // A figure read inside the fraction's number (六十人 in
        // 百分之六十人表示) is a misreading of it.
        out.retain(|o| !(start < o.range.start && o.range.start < end));
        out.push(FoundQuantity {
            quantity: Quantity {
                value: v,
                max: None,
                unit: Unit::Percent,
                qualifier: qualifier(c.name("pre").map(|m| m.as_str()), None, None),
            },
            range: start..end,
            number_start: b2c[c.name("f").expect("group").start()],
            unit_text: "%".into(),
        });
    }
    out.sort_by_key(|q| q.range.start);
    without_overlaps(out)
}

/// Figures sorted by their start, none overlapping the one before (their
/// readers take the words between two figures): of two that overlap, the
/// first is kept.
fn without_overlaps(found: Vec<FoundQuantity>) -> Vec<FoundQuantity> {
    if found.windows(2).all(|w| w[0].range.end <= w[1].range.start) {
        return found;
    }
    let mut kept: Vec<FoundQuantity> = Vec::with_capacity(found.len());
    for q in found {
        if kept.last().is_none_or(|k| k.range.end <= q.range.start) {
            kept.push(q);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pass tells which of the later expressions a sentence can match;
    /// a sentence without their character skips them and still finds its
    /// figures (invented sentences).
    #[test]
    fn later_expressions_are_tried_where_their_character_is() {
        let cases: &[(&str, [bool; 4], &[f64])] = &[
            (
                "合作社带动11万农民增收",
                [true, false, false, false],
                &[110_000.0],
            ),
            ("学员中约七成来自本县", [false, true, false, false], &[70.0]),
            ("销售额翻了一番", [false, false, true, false], &[2.0]),
            (
                "三分之一的员工是返乡青年",
                [false, false, false, true],
                &[100.0 / 3.0],
            ),
            ("分到之后再说", [false, false, false, false], &[]),
            ("员工196人", [false, false, false, false], &[196.0]),
        ];
        for (text, flags, values) in cases {
            let n = Needs::of(text);
            assert_eq!([n.big, n.tenths, n.doubling, n.fraction], *flags, "{text}");
            let got: Vec<f64> = find_quantities(text)
                .iter()
                .map(|f| f.quantity.value)
                .collect();
            assert_eq!(got.len(), values.len(), "{text}: {got:?}");
            for (g, v) in got.iter().zip(*values) {
                assert!((g - v).abs() < 0.01, "{text}: {got:?}");
            }
        }
    }

    #[test]
    fn numerals() {
        let cases: &[(&str, f64)] = &[
            ("196", 196.0),
            ("1.28万", 12_800.0),
            ("2715.9亿", 271_590_000_000.0),
            ("两千", 2000.0),
            ("十", 10.0),
            ("十五", 15.0),
            ("二十三", 23.0),
            ("一百零五", 105.0),
            ("三万五千", 35_000.0),
            ("3千", 3000.0),
            ("万", 10_000.0),
            ("一亿二千万", 120_000_000.0),
        ];
        for (s, v) in cases {
            assert_eq!(parse_number(s), Some(*v), "{s}");
        }
        assert!((parse_fraction_percent("三分之一").unwrap() - 33.3333).abs() < 0.01);
        assert_eq!(parse_fraction_percent("四分之三"), Some(75.0));
    }

    /// Numerals beyond f64's range (inputs kept in
    /// tests/fuzz/regressions/numbers): the digit run used to overflow a u64
    /// (a panic in debug builds, a wrapped value in release) and long runs
    /// of digits or 亿 became `inf`, which is not an xsd:decimal.
    #[test]
    fn numerals_too_large_for_a_value_are_not_numbers() {
        let digits = "9".repeat(400);
        let chinese = "九".repeat(21);
        let yi = format!("一{}", "亿".repeat(40));
        assert_eq!(parse_chinese_int(&chinese), None);
        assert_eq!(parse_chinese_int(&yi), None);
        assert_eq!(parse_number(&digits), None);
        assert_eq!(parse_number(&format!("{}亿", "9".repeat(305))), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_fraction_percent(&format!("一分之{digits}")), None);
        for text in [
            format!("{digits}人"),
            format!("{chinese}人"),
            format!("{yi}元"),
            format!("{}亿元", "9".repeat(305)),
            // Words ending in 金 that are no sums of yuan, or 金 opening a
            // longer word.
            "他们持有500万美金".to_owned(),
            "储备了20万黄金".to_owned(),
            "成立100万基金会".to_owned(),
            "带动30万金华市民".to_owned(),
        ] {
            assert_eq!(find_quantities(&text), vec![], "{text}");
        }
        // Large but finite values still count.
        assert_eq!(parse_chinese_int("九千九百九十九万亿"), Some(9.999e15));
        assert_eq!(parse_number(&"9".repeat(20)), Some(1e20));
    }

    fn one(s: &str) -> Quantity {
        let f = find_quantities(s);
        assert_eq!(f.len(), 1, "{s}: {f:?}");
        f[0].quantity
    }

    #[test]
    fn quantities_with_units_and_qualifiers() {
        let q = one("有当地员工196人");
        assert_eq!(
            (q.value, q.unit, q.qualifier),
            (196.0, Unit::Person, Qualifier::Exact)
        );
        let q = one("平均工资5000元左右");
        assert_eq!(
            (q.value, q.unit, q.qualifier),
            (5000.0, Unit::Cny, Qualifier::Approximate)
        );
        let q = one("月均销售额达到300万元");
        assert_eq!((q.value, q.unit), (3_000_000.0, Unit::Cny));
        let q = one("100多名员工");
        assert_eq!((q.value, q.qualifier), (100.0, Qualifier::LowerBound));
        let q = one("累计培训上千人次");
        assert_eq!(
            (q.value, q.unit, q.qualifier),
            (1000.0, Unit::PersonTime, Qualifier::LowerBound)
        );
        let q = one("普遍集中在20岁至35岁之间");
        assert_eq!((q.value, q.max, q.unit), (20.0, Some(35.0), Unit::Year));
        let q = one("集中在20-35岁之间");
        assert_eq!((q.value, q.max), (20.0, Some(35.0)));
        let q = one("占比65.7%");
        assert_eq!((q.value, q.unit), (65.7, Unit::Percent));
        let q = one("销售额近2000元");
        assert_eq!(q.qualifier, Qualifier::Approximate);
        let q = one("不到2小时");
        assert_eq!((q.unit, q.qualifier), (Unit::Hour, Qualifier::UpperBound));
        let q = one("占比约为三分之一");
        assert!((q.value - 33.333).abs() < 0.01);
        let q = one("增长了近十倍");
        assert_eq!((q.value, q.unit), (10.0, Unit::Times));
        assert!(find_quantities("2020年回到家乡").is_empty());
    }

    #[test]
    fn decimals_print_plainly() {
        assert_eq!(decimal(3_000_000.0), "3000000");
        assert_eq!(decimal(65.7), "65.7");
        assert_eq!(decimal(33.333_333_33), "33.333333");
    }
}

#[cfg(test)]
mod table {
    use super::*;

    use Qualifier::{Approximate as A, Exact as E, LowerBound as L, UpperBound as U};

    /// (text, value, max, unit, qualifier): one row per pattern of the language.
    const CASES: &[(&str, f64, Option<f64>, Unit, Qualifier)] = &[
        // People, plain and qualified.
        ("员工196人", 196.0, None, Unit::Person, E),
        ("招募40名员工", 40.0, None, Unit::Person, E),
        ("来了15位同学", 15.0, None, Unit::Person, E),
        ("有30余位年轻人", 30.0, None, Unit::Person, L),
        ("100多名员工", 100.0, None, Unit::Person, L),
        ("40名以上的员工", 40.0, None, Unit::Person, L),
        ("超过500人", 500.0, None, Unit::Person, L),
        ("超3万名大学生", 30_000.0, None, Unit::Person, L),
        // People counted with 个; 个 before a word starting with 人 counts that.
        ("团队一共有15个人", 15.0, None, Unit::Person, E),
        // Bounds in words of comparison.
        ("每月不低于2600元的保底工资", 2600.0, None, Unit::Cny, L),
        ("每批不少于30名学员", 30.0, None, Unit::Person, L),
        ("补贴总额不超过20万元", 200_000.0, None, Unit::Cny, U),
        ("建了3个人才驿站", 3.0, None, Unit::Count, E),
        ("她一个人跑遍了全县", 1.0, None, Unit::Count, E),
        ("逾千人", 1000.0, None, Unit::Person, L),
        ("约200人", 200.0, None, Unit::Person, A),
        ("大约300名", 300.0, None, Unit::Person, A),
        ("近千人", 1000.0, None, Unit::Person, A),
        ("将近两千人", 2000.0, None, Unit::Person, A),
        ("不到50人", 50.0, None, Unit::Person, U),
        ("不足百人", 100.0, None, Unit::Person, U),
        ("最多20人", 20.0, None, Unit::Person, U),
        ("至少10人", 10.0, None, Unit::Person, L),
        ("10万人左右", 100_000.0, None, Unit::Person, A),
        ("1.7万人", 17_000.0, None, Unit::Person, E),
        ("两千人", 2000.0, None, Unit::Person, E),
        ("三名电商人员", 3.0, None, Unit::Person, E),
        ("二十三人", 23.0, None, Unit::Person, E),
        ("一百零五人", 105.0, None, Unit::Person, E),
        ("１２０人", 120.0, None, Unit::Person, E),
        ("2,500名采购商", 2500.0, None, Unit::Person, E),
        ("500人以下", 500.0, None, Unit::Person, U),
        ("1000人上下", 1000.0, None, Unit::Person, A),
        // Person-times.
        ("培训2000余人次", 2000.0, None, Unit::PersonTime, L),
        ("累计培训上千人次", 1000.0, None, Unit::PersonTime, L),
        ("3.5万人次", 35_000.0, None, Unit::PersonTime, E),
        ("近万人次", 10_000.0, None, Unit::PersonTime, A),
        // Money.
        ("月入3000元", 3000.0, None, Unit::Cny, E),
        ("到现在过万元", 10_000.0, None, Unit::Cny, L),
        ("收入已超万元", 10_000.0, None, Unit::Cny, L),
        ("日交易额破万元", 10_000.0, None, Unit::Cny, L),
        ("平均工资5000元左右", 5000.0, None, Unit::Cny, A),
        ("销售额近2000元", 2000.0, None, Unit::Cny, A),
        ("卖了700多元", 700.0, None, Unit::Cny, L),
        ("月均销售额300万元", 3_000_000.0, None, Unit::Cny, E),
        ("投入100万元", 1_000_000.0, None, Unit::Cny, E),
        ("2715.9亿元", 271_590_000_000.0, None, Unit::Cny, E),
        ("增收近3000万元", 30_000_000.0, None, Unit::Cny, A),
        ("年销售额超千万元", 10_000_000.0, None, Unit::Cny, L),
        ("补助2万元", 20_000.0, None, Unit::Cny, E),
        ("25万元", 250_000.0, None, Unit::Cny, E),
        // Numbers as people say them: neighbouring digits, 几 after a digit,
        // spaces around digits, measure words for measures and divisions.
        ("二十三四岁的年轻人", 23.0, Some(24.0), Unit::Year, E),
        ("每月四五千元", 4000.0, Some(5000.0), Unit::Cny, E),
        ("一支七八人的团队", 7.0, Some(8.0), Unit::Person, E),
        ("能卖出十几万元", 100_000.0, None, Unit::Cny, L),
        ("有二十几人报名", 20.0, None, Unit::Person, L),
        ("这 9 名志愿者", 9.0, None, Unit::Person, E),
        ("惠及 127.8 万人", 1_278_000.0, None, Unit::Person, E),
        ("发布18项新举措", 18.0, None, Unit::Count, E),
        ("出台5条措施", 5.0, None, Unit::Count, E),
        ("已有11万农民主播", 110_000.0, None, Unit::Person, E),
        ("让61万乡村学生受益", 610_000.0, None, Unit::Person, E),
        ("覆盖 5000 万女性", 50_000_000.0, None, Unit::Person, E),
        ("常住人口约12万，", 120_000.0, None, Unit::Person, A),
        ("未来五年投入100亿", 1e10, None, Unit::Cny, E),
        ("提供1万亿贷款资金", 1e12, None, Unit::Cny, E),
        // A noun of money ending in 金 after the bare amount.
        ("今年发放300万奖学金", 3_000_000.0, None, Unit::Cny, E),
        ("累计支付2600 万救助金", 26_000_000.0, None, Unit::Cny, E),
        ("近50万慰问金和物资", 500_000.0, None, Unit::Cny, A),
        ("逾1.5亿教育健康金", 150_000_000.0, None, Unit::Cny, L),
        ("累计超过3万多名学员", 30_000.0, None, Unit::Person, L),
        ("覆盖12省(区)", 12.0, None, Unit::Count, E),
        ("100县(市、区)", 100.0, None, Unit::Count, E),
        ("3000–5000元", 3000.0, Some(5000.0), Unit::Cny, E),
        ("3000-5000元", 3000.0, Some(5000.0), Unit::Cny, E),
        ("0.5亿元", 50_000_000.0, None, Unit::Cny, E),
        ("1.2万元以上", 12_000.0, None, Unit::Cny, L),
        // Percentages and fractions.
        ("占比65.7%", 65.7, None, Unit::Percent, E),
        ("超过80%", 80.0, None, Unit::Percent, L),
        ("近10%", 10.0, None, Unit::Percent, A),
        ("约93%", 93.0, None, Unit::Percent, A),
        ("97.4%", 97.4, None, Unit::Percent, E),
        ("５０％", 50.0, None, Unit::Percent, E),
        ("百分之八十", 80.0, None, Unit::Percent, E),
        ("百分之20", 20.0, None, Unit::Percent, E),
        ("四分之一", 25.0, None, Unit::Percent, E),
        // A share of a larger whole, not 百分之一 (1%).
        ("占全国的六百分之一", 100.0 / 600.0, None, Unit::Percent, E),
        ("仅占千分之三", 0.3, None, Unit::Percent, E),
        ("女性占比约七成", 70.0, None, Unit::Percent, A),
        ("八成以上", 80.0, None, Unit::Percent, L),
        ("收入提高了近15个百分点", 15.0, None, Unit::Percent, A),
        ("占比上升3.5百分点", 3.5, None, Unit::Percent, E),
        ("脱贫户占比约两成", 20.0, None, Unit::Percent, A),
        ("近四分之三", 75.0, None, Unit::Percent, A),
        ("超过三分之一", 100.0 / 3.0, None, Unit::Percent, L),
        ("二分之一", 50.0, None, Unit::Percent, E),
        ("5分之1", 20.0, None, Unit::Percent, E),
        // Ages.
        ("平均年龄为28岁", 28.0, None, Unit::Year, E),
        ("约25岁", 25.0, None, Unit::Year, A),
        ("今年42岁", 42.0, None, Unit::Year, E),
        ("35周岁以下", 35.0, None, Unit::Year, U),
        ("20岁至35岁之间", 20.0, Some(35.0), Unit::Year, E),
        ("20-35岁", 20.0, Some(35.0), Unit::Year, E),
        ("18到45岁", 18.0, Some(45.0), Unit::Year, E),
        ("二十岁", 20.0, None, Unit::Year, E),
        // Durations and times.
        ("工作5年", 5.0, None, Unit::Year, E),
        ("不到2小时", 2.0, None, Unit::Hour, U),
        ("5分钟的车程", 5.0, None, Unit::Minute, E),
        ("25天筹备", 25.0, None, Unit::Day, E),
        ("3个月", 3.0, None, Unit::Month, E),
        ("十多个小时后", 10.0, None, Unit::Hour, L),
        ("半年", 0.5, None, Unit::Year, E),
        // Counts of things.
        ("10余家", 10.0, None, Unit::Count, L),
        // With digits after 数 it is a total, not "some".
        ("会员总数120家", 120.0, None, Unit::Count, E),
        ("37家客服中心", 37.0, None, Unit::Count, E),
        ("12个县域", 12.0, None, Unit::Count, E),
        ("800余家网店", 800.0, None, Unit::Count, L),
        ("550份证书", 550.0, None, Unit::Count, E),
        ("400多场", 400.0, None, Unit::Count, L),
        ("648支队伍", 648.0, None, Unit::Count, E),
        ("分三批奔赴各地", 3.0, None, Unit::Count, E),
        ("108.41万户", 1_084_100.0, None, Unit::Count, E),
        ("210多万家", 2_100_000.0, None, Unit::Count, L),
        ("76个工位", 76.0, None, Unit::Count, E),
        ("3间教室", 3.0, None, Unit::Count, E),
        // Multiples, area, land, weight, distance.
        ("增长了近十倍", 10.0, None, Unit::Times, A),
        (
            "学员九千八百六十七万零十名",
            98_670_010.0,
            None,
            Unit::Person,
            E,
        ),
        ("一万零五百人", 10_500.0, None, Unit::Person, E),
        ("销售额翻番", 2.0, None, Unit::Times, E),
        ("收入翻了一番", 2.0, None, Unit::Times, E),
        ("产值翻两番", 4.0, None, Unit::Times, E),
        ("十余家企业", 10.0, None, Unit::Count, L),
        ("年薪12万元", 120_000.0, None, Unit::Cny, E),
        ("增长3倍", 3.0, None, Unit::Times, E),
        ("1.28万平方米", 12_800.0, None, Unit::M2, E),
        ("500平米", 500.0, None, Unit::M2, E),
        ("200亩", 200.0, None, Unit::Mu, E),
        ("1000吨", 1000.0, None, Unit::Tonne, E),
        ("30公里", 30.0, None, Unit::Km, E),
    ];

    #[test]
    fn figures_never_overlap() {
        // A count read inside a spelled-out percentage gives way to it.
        let found = find_quantities("受访学员中百分之六十人表示愿意返乡");
        let read: Vec<_> = found
            .iter()
            .map(|f| (f.range.clone(), f.quantity.value, f.quantity.unit))
            .collect();
        assert_eq!(read, [(5..10, 60.0, Unit::Percent)]);
        // Whatever expressions meet, the first of two overlapping figures
        // is kept.
        let at = |range: std::ops::Range<usize>| FoundQuantity {
            quantity: Quantity {
                value: 1.0,
                max: None,
                unit: Unit::Count,
                qualifier: Qualifier::Exact,
            },
            number_start: range.start,
            range,
            unit_text: "个".into(),
        };
        let kept: Vec<_> = without_overlaps(vec![at(0..3), at(2..4), at(3..5), at(5..6)])
            .into_iter()
            .map(|f| f.range)
            .collect();
        assert_eq!(kept, [0..3, 3..5, 5..6]);
        for text in [
            "百分之八十人次来自外省，三分之一人员是返乡青年",
            "产值翻两番，七成以上来自百分之三十企业，投入100亿",
            "约百分之二十五万元以上的订单来自县城",
        ] {
            let found = find_quantities(text);
            assert!(!found.is_empty(), "{text}");
            for w in found.windows(2) {
                assert!(w[0].range.end <= w[1].range.start, "{text}: {w:?}");
            }
        }
    }

    #[test]
    fn vague_numbers_and_names_are_no_quantities() {
        // (text, the words that must not be read as a quantity)
        let cases = [
            ("一个领结要几百元", "百元"),
            ("花了几千元", "千元"),
            ("协会邀请了数百家商户", "百家"),
            ("吸引数十万人次观看", "十万人次"),
            ("带动数十万农民增收", "十万"),
            ("全县12个乡镇和3县城", "3县"),
            ("评为12省级示范", "12省"),
            // A bare ten thousand counts nothing without people or money.
            ("产量达到3万", "3万"),
            ("大家一一位列其中", "一一位"),
        ];
        for (text, words) in cases {
            let found = find_quantities(text);
            let chars: Vec<char> = text.chars().collect();
            assert!(
                !found.iter().any(|f| chars[f.range.clone()]
                    .iter()
                    .collect::<String>()
                    .contains(words)),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn spoken_numerals() {
        let cases = [
            ("七八", Some(Spoken::Range(7.0, 8.0))),
            ("二十三四", Some(Spoken::Range(23.0, 24.0))),
            ("四五千", Some(Spoken::Range(4000.0, 5000.0))),
            ("三五", None),
            ("七十八", None),
            ("十几", Some(Spoken::AtLeast(10.0))),
            ("几十", Some(Spoken::Vague)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_spoken(s), want, "{s}");
        }
    }

    #[test]
    fn numbers_units_and_qualifiers_from_the_language() {
        assert!(CASES.len() >= 80);
        let mut failures = Vec::new();
        for &(text, value, max, unit, q) in CASES {
            let found = find_quantities(text);
            let got = found
                .iter()
                .find(|f| f.quantity.unit == unit)
                .map(|f| f.quantity);
            let ok = got.is_some_and(|g| {
                (g.value - value).abs() <= value.abs() * 1e-6 + 1e-9
                    && g.max.map(|m| (m - max.unwrap_or(f64::NAN)).abs() < 1e-6)
                        == max.map(|_| true)
                    && g.qualifier == q
            });
            if !ok {
                failures.push(format!(
                    "{text}: expected {value} {max:?} {unit:?} {q:?}, got {got:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases failed:\n{}",
            failures.len(),
            CASES.len(),
            failures.join("\n")
        );
    }
}
