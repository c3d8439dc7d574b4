//! Property tests: number parsing round-trips over generated numbers, and on
//! generated messy articles (seed sentences mixed with pinyin annotations,
//! lost characters, full-width digits, markup and noise) extraction never
//! panics and every recorded span maps to the right characters of the
//! original; the fast N-Quads writer escapes generated literals as
//! Oxigraph's own writer does.

use proptest::prelude::*;
use zhkg::extract::extract;
use zhkg::extract::numbers::{Unit, find_quantities};
use zhkg::ingest::{
    ArticleId, Format, MappedText, NormalizeStats, markup, normalize, parse_article,
};

/// Chinese numerals for 1..=99_999_999 (一千二百三十四万五千六百七十八).
fn chinese(n: u64) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    fn below_10k(n: u64, out: &mut String, leading: bool) {
        let parts = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
        let mut zero = false;
        let mut started = leading;
        for (unit, name) in parts {
            let d = (n / unit) % 10;
            if d == 0 {
                zero = started;
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            if !(d == 1 && unit == 10 && !started) {
                out.push_str(D[d as usize]);
            }
            out.push_str(name);
            started = true;
        }
    }
    let mut s = String::new();
    let (wan, rest) = (n / 10_000, n % 10_000);
    if wan > 0 {
        below_10k(wan, &mut s, false);
        s.push('万');
        if rest > 0 && rest < 1000 {
            s.push('零');
        }
    }
    if rest > 0 {
        below_10k(rest, &mut s, wan > 0 && rest >= 1000);
    }
    s
}

fn one(text: &str) -> (f64, Unit) {
    let q = find_quantities(text);
    assert_eq!(q.len(), 1, "{text}: {q:?}");
    (q[0].quantity.value, q[0].quantity.unit)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arabic_numbers_round_trip(n in 1u64..1_000_000_000) {
        prop_assert_eq!(one(&format!("共有员工{n}人。")), (n as f64, Unit::Person));
        prop_assert_eq!(one(&format!("销售额{n}元。")), (n as f64, Unit::Cny));
    }

    #[test]
    fn decimals_with_multipliers_round_trip(whole in 1u64..100_000, frac in 0u64..100) {
        let text = format!("累计投入{whole}.{frac:02}万元。");
        let (v, u) = one(&text);
        let want = (whole as f64 + frac as f64 / 100.0) * 1e4;
        prop_assert!((v - want).abs() < 1e-6 * want.max(1.0), "{} -> {}", text, v);
        prop_assert_eq!(u, Unit::Cny);
    }

    #[test]
    fn chinese_numerals_round_trip(n in 1u64..100_000_000) {
        let text = format!("共培训学员{}名。", chinese(n));
        prop_assert_eq!(one(&text), (n as f64, Unit::Person), "{}", text);
    }
}

/// Sentences of the seeds and the test articles, to build messy articles from.
fn pool() -> Vec<String> {
    let root = crate::common::root();
    let mut v = Vec::new();
    for dir in ["seeds", "tests/data"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
            v.extend(
                text.split_inclusive(['。', '\n'])
                    .map(str::to_owned)
                    .filter(|s| s.chars().count() >= 4),
            );
        }
    }
    v
}

/// Noise that real pages carry.
const NOISE: &[&str] = &[
    "開(kāi)化縣",
    "數(shù)字",
    "?",
    "？",
    "１２３",
    "<p>",
    "</p>",
    "<br>",
    "&nbsp;",
    "  ",
    "\n",
    "——",
    "“",
    "”",
    "《",
    "》",
    "(",
    ")",
    "责任编辑：",
    "Ａｌｉｂａｂａ",
    "2023年",
    "百分之八十",
];

fn article() -> impl Strategy<Value = String> {
    let pool = pool();
    proptest::collection::vec(
        prop_oneof![
            3 => proptest::sample::select(pool),
            1 => proptest::sample::select(NOISE).prop_map(str::to_owned),
            1 => "[\\u{4e00}-\\u{9fa5}]{1,6}",
        ],
        1..25,
    )
    .prop_map(|parts| parts.concat())
}

/// The normalising steps of ingest (markup, pinyin and lost characters,
/// width, simplified script) applied to a fragment of an original. Page
/// furniture is not removed: a fragment alone (a comment prompt in title
/// marks) may look like furniture that its article kept.
fn normalise(words: &str, format: Format) -> String {
    let raw = MappedText::from_original(words);
    let visible = match format {
        Format::Html => markup::html_to_text(&raw).0,
        Format::Markdown => markup::markdown_to_text(&raw).0,
        Format::Text => raw,
    };
    let mut stats = NormalizeStats::default();
    let t = normalize::strip_pinyin_and_mark_lost(&visible, &mut stats);
    let t = normalize::fold_width(&t);
    normalize::to_simplified(&t, &mut stats).to_string_lossless()
}

/// Every mention's span, read back from the original and normalised, gives
/// the mention's words; every outcome's span is inside the original.
fn spans_map_back(text: &str) -> Result<(), TestCaseError> {
    let Ok(a) = parse_article(
        ArticleId::new("p"),
        text.as_bytes(),
        None,
        &Default::default(),
    ) else {
        return Ok(()); // empty after cleaning: an error, not a panic
    };
    let ex = extract(&a);
    let index = a.original_index();
    let original_len = a.original.chars().count() as u32;
    for m in &ex.mentions {
        prop_assert!(
            m.span.end <= original_len && m.span.start < m.span.end,
            "{:?}",
            m
        );
        let words = index.slice(&m.span);
        // Normalising the original words, read in the article's own format
        // (an HTML fragment's `&nbsp;` is a space), gives the mention's words.
        let normalised = normalise(words, a.format);
        prop_assert_eq!(
            normalised.trim(),
            m.text.as_str(),
            "original {:?} at {:?}",
            words,
            m.span
        );
    }
    for o in &ex.observations {
        prop_assert!(o.span.end <= original_len, "{:?}", o);
        prop_assert!(!index.slice(&o.span).is_empty(), "{:?}", o);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn spans_map_to_the_words_of_the_original(text in article()) {
        spans_map_back(&text)?;
    }
}

/// Inputs the property test once failed on, kept as regressions.
#[test]
fn spans_map_back_on_former_failures() {
    let cases = [
        // 《 and 》 on two lines around removed page furniture made a title
        // of the line breaks.
        "<p>记者 刀艳芳</p>\n<p>《<body><nav><a href=\"/\">首页</a> | <a href=\"/yn\">云南</a></nav>\n》",
        // An entity inside title marks around punctuation alone made a
        // title of `&nbsp;——`.
        "<p>记者 刀艳芳</p>\n</p><p>值得注意的是，年轻人返乡就业。《&nbsp;——》",
        // Title marks around running text with markup, a quotation cut by
        // a line break, and a comment prompt in title marks.
        "《</p><p>产业振兴是乡村振兴的重中之重。》為了讓當(dāng)?shù)厝罕娊邮苓@個(gè)陌生事物,打消疑慮。",
        "大学毕业后王晖就没想过回去工作。“分享讓更多人看到\n”报告显示,阿里公益在县域开展的数字化就业项目具有创造就业机会的作用。",
        "《还没有评论,快来发表第一个评论!》数字客服县项目,为当地提供就业岗位、吸引人才回流\n",
        // A count read inside a spelled-out percentage (八十人 in 百分之八十人)
        // overlapped it, and the words between the two figures were read
        // backwards.
        "培训导师颇为感慨:“这里的学习氛围太浓了。百分之八十人民網(wǎng)\n",
    ];
    for text in cases {
        spans_map_back(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
}

/// Pieces of literals: Chinese text, full-width punctuation (whose first
/// byte, EF, is also the first byte of the noncharacters), every kind of
/// character N-Quads escapes, and characters of other lengths.
const LITERAL_PIECES: &[&str] = &[
    "县",
    "，",
    "。",
    "a",
    "1",
    " ",
    "\"",
    "\\",
    "\n",
    "\r",
    "\t",
    "\u{8}",
    "\u{c}",
    "\u{1}",
    "\u{1f}",
    "\u{7f}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{fffd}",
    "\u{efbf}",
    "\u{ff0c}",
    "é",
    "\u{1f600}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Literals with a character that needs an escape anywhere, next to or
    /// across the edges of the blocks the writer passes over at once, are
    /// written as Oxigraph writes them.
    #[test]
    fn nquads_literals_are_escaped_as_oxigraph_escapes_them(
        parts in prop::collection::vec(prop::sample::select(LITERAL_PIECES), 0..60)
    ) {
        use oxigraph::io::RdfFormat;
        use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
        use zhkg::sparql::export::{append_nquads, write_quads};
        let q = Quad::new(
            NamedNode::new_unchecked("https://example.org/s"),
            NamedNode::new_unchecked("https://example.org/p"),
            Literal::new_simple_literal(parts.concat()),
            GraphName::NamedNode(NamedNode::new_unchecked("https://example.org/g")),
        );
        let mut expected = Vec::new();
        write_quads(std::slice::from_ref(&q), RdfFormat::NQuads, &mut expected).unwrap();
        let mut fast = Vec::new();
        append_nquads(std::iter::once(q.as_ref()), &mut fast);
        prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(expected).unwrap());
    }
}
