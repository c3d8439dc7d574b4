//! Outcomes: each quantity with a unit becomes an observation whose metric is
//! chosen by cue words before it in its clause (员工 → employees, 平均工资 →
//! average_monthly_wage, 返乡…占比 → returnee_share), and whose subject is the
//! nearest programme or organisation mentioned before it (in the sentence, or
//! the two before it).

use super::numbers::{Unit, find_quantities};
use super::{Context, Extraction, Observation};

/// A metric rule: cue words (any of), units it applies to, metric notation.
struct Rule {
    cues: &'static [&'static str],
    units: &'static [Unit],
    metric: &'static str,
}

/// What is counted decides the metric first: the noun right after the figure
/// (30个|品牌, 40个|工位, 80名以上的|主播).
const COUNTED: &[Rule] = &[
    Rule {
        cues: &["员工", "职工", "在岗人员", "客服人员", "从业者"],
        units: &[Unit::Person],
        metric: "employees",
    },
    Rule {
        cues: &["实习生", "同学"],
        units: &[Unit::Person],
        metric: "interns",
    },
    Rule {
        cues: &["学员"],
        units: &[Unit::Person, Unit::PersonTime],
        metric: "trainees",
    },
    Rule {
        cues: &["特派员"],
        units: &[Unit::Person],
        metric: "envoys_dispatched",
    },
    Rule {
        cues: &["主播", "数字人才", "电商人才", "人才"],
        units: &[Unit::Person],
        metric: "talent_trained",
    },
    Rule {
        cues: &["大学生", "毕业生"],
        units: &[Unit::Person],
        metric: "graduates",
    },
    Rule {
        cues: &["采购商", "客商"],
        units: &[Unit::Person],
        metric: "buyers",
    },
    Rule {
        cues: &["干部"],
        units: &[Unit::Person],
        metric: "managers",
    },
    Rule {
        cues: &["品牌"],
        units: &[Unit::Count],
        metric: "brands",
    },
    Rule {
        cues: &["直播间"],
        units: &[Unit::Count],
        metric: "live_studios",
    },
    Rule {
        cues: &["工位", "座席", "坐席"],
        units: &[Unit::Count],
        metric: "workstations",
    },
    Rule {
        cues: &["客服中心", "就业中心", "中心"],
        units: &[Unit::Count],
        metric: "count_of_centres",
    },
    Rule {
        cues: &["旗舰店"],
        units: &[Unit::Count],
        metric: "flagship_stores",
    },
    Rule {
        cues: &["网店", "店铺", "淘宝店"],
        units: &[Unit::Count],
        metric: "shops_opened",
    },
    Rule {
        cues: &["证书"],
        units: &[Unit::Count],
        metric: "certificates_issued",
    },
    Rule {
        cues: &["县"],
        units: &[Unit::Count],
        metric: "counties_covered",
    },
    Rule {
        cues: &["省"],
        units: &[Unit::Count],
        metric: "provinces_covered",
    },
    Rule {
        cues: &["企业", "公司", "商家", "机构"],
        units: &[Unit::Count],
        metric: "firms",
    },
    Rule {
        cues: &["队伍", "团队"],
        units: &[Unit::Count],
        metric: "teams",
    },
    Rule {
        cues: &["众创空间"],
        units: &[Unit::Count],
        metric: "maker_spaces",
    },
    Rule {
        cues: &["孵化基地", "孵化器"],
        units: &[Unit::Count],
        metric: "incubation_bases",
    },
    Rule {
        cues: &["电商产业园", "电商园"],
        units: &[Unit::Count],
        metric: "ecommerce_parks",
    },
    Rule {
        cues: &["产业园", "园区"],
        units: &[Unit::Count],
        metric: "industrial_parks",
    },
    Rule {
        cues: &["创业学院"],
        units: &[Unit::Count],
        metric: "entrepreneurship_colleges",
    },
    Rule {
        cues: &["基地"],
        units: &[Unit::Count],
        metric: "facilities",
    },
    Rule {
        cues: &["项目"],
        units: &[Unit::Count],
        metric: "projects",
    },
    Rule {
        cues: &["场"],
        units: &[Unit::Count],
        metric: "events",
    },
    Rule {
        cues: &["经营主体", "市场主体"],
        units: &[Unit::Count],
        metric: "market_entities",
    },
];

const RULES: &[Rule] = &[
    Rule {
        cues: &["建筑面积", "营业面积", "使用面积", "占地面积"],
        units: &[Unit::M2, Unit::Mu],
        metric: "floor_area",
    },
    Rule {
        cues: &["平均年龄"],
        units: &[Unit::Year],
        metric: "average_age",
    },
    Rule {
        cues: &["集中在", "年龄"],
        units: &[Unit::Year],
        metric: "age_range",
    },
    Rule {
        cues: &["同比增长", "同比", "增长", "增速", "提高", "提升"],
        units: &[Unit::Percent],
        metric: "growth_rate",
    },
    Rule {
        cues: &["返乡", "回流", "回乡"],
        units: &[Unit::Percent],
        metric: "returnee_share",
    },
    Rule {
        cues: &["女性"],
        units: &[Unit::Percent],
        metric: "female_share",
    },
    Rule {
        cues: &["本科"],
        units: &[Unit::Percent],
        metric: "bachelor_share",
    },
    Rule {
        cues: &["大专", "高职"],
        units: &[Unit::Percent],
        metric: "college_share",
    },
    Rule {
        cues: &["高中", "中专"],
        units: &[Unit::Percent],
        metric: "high_school_share",
    },
    Rule {
        cues: &["五险一金", "社保", "覆盖率"],
        units: &[Unit::Percent],
        metric: "social_insurance_coverage",
    },
    Rule {
        cues: &["空置率"],
        units: &[Unit::Percent],
        metric: "vacancy_rate",
    },
    Rule {
        cues: &["工资累计发放", "累计发放"],
        units: &[Unit::Cny],
        metric: "cumulative_wages_paid",
    },
    Rule {
        cues: &[
            "平均工资",
            "平均收入",
            "月平均工资",
            "平均月薪",
            "月均工资",
            "月均收入",
        ],
        units: &[Unit::Cny],
        metric: "average_monthly_wage",
    },
    Rule {
        cues: &["年薪", "年收入", "年均收入"],
        units: &[Unit::Cny],
        metric: "annual_income",
    },
    Rule {
        cues: &["月入", "月薪", "每月工资", "工资", "收入"],
        units: &[Unit::Cny],
        metric: "monthly_wage",
    },
    Rule {
        cues: &["月均销售额", "月销售额", "月销售"],
        units: &[Unit::Cny],
        metric: "monthly_sales",
    },
    Rule {
        cues: &["日交易额", "日销售额", "日均销售"],
        units: &[Unit::Cny],
        metric: "daily_sales",
    },
    Rule {
        cues: &["网络零售额", "网上零售额"],
        units: &[Unit::Cny],
        metric: "online_retail_sales",
    },
    Rule {
        cues: &["年销售额", "零售额", "年交易额", "年营业额"],
        units: &[Unit::Cny],
        metric: "annual_sales",
    },
    Rule {
        cues: &["销售额", "交易额", "卖了", "营业额", "成交额", "销售"],
        units: &[Unit::Cny],
        metric: "sales",
    },
    Rule {
        cues: &["增收"],
        units: &[Unit::Cny],
        metric: "income_increase",
    },
    Rule {
        cues: &["投入", "投资", "资金", "出资", "捐赠"],
        units: &[Unit::Cny],
        metric: "investment",
    },
    Rule {
        cues: &["奖金", "奖励金"],
        units: &[Unit::Cny],
        metric: "prize_money",
    },
    Rule {
        cues: &["补助", "补贴", "奖励", "发放"],
        units: &[Unit::Cny],
        metric: "subsidy",
    },
    Rule {
        cues: &["增长", "翻", "番"],
        units: &[Unit::Times],
        metric: "sales_growth",
    },
    Rule {
        cues: &["培训"],
        units: &[Unit::PersonTime, Unit::Person],
        metric: "trainees",
    },
    Rule {
        cues: &["实习"],
        units: &[Unit::Person],
        metric: "interns",
    },
    Rule {
        cues: &["特派员"],
        units: &[Unit::Person],
        metric: "envoys_dispatched",
    },
    Rule {
        cues: &[
            "员工", "职工", "在岗", "客服", "就业", "从业", "招募", "招聘", "入职",
        ],
        units: &[Unit::Person],
        metric: "employees",
    },
    Rule {
        cues: &["人才"],
        units: &[Unit::Person],
        metric: "talent_attracted",
    },
    Rule {
        cues: &["学员", "学生"],
        units: &[Unit::Person],
        metric: "trainees",
    },
    Rule {
        cues: &["客服中心", "中心"],
        units: &[Unit::Count],
        metric: "count_of_centres",
    },
    Rule {
        cues: &["企业", "商家", "公司", "商户"],
        units: &[Unit::Count],
        metric: "firms",
    },
    Rule {
        cues: &["网店", "店铺", "开店", "旗舰店"],
        units: &[Unit::Count],
        metric: "shops_opened",
    },
    Rule {
        cues: &["证书"],
        units: &[Unit::Count],
        metric: "certificates_issued",
    },
    Rule {
        cues: &["县"],
        units: &[Unit::Count],
        metric: "counties_covered",
    },
    Rule {
        cues: &["品牌"],
        units: &[Unit::Count],
        metric: "brands",
    },
    Rule {
        cues: &["直播间"],
        units: &[Unit::Count],
        metric: "live_studios",
    },
    Rule {
        cues: &["经营主体", "市场主体"],
        units: &[Unit::Count],
        metric: "market_entities",
    },
    Rule {
        cues: &["众创空间", "产业园", "孵化基地", "创业学院", "基地"],
        units: &[Unit::Count],
        metric: "facilities",
    },
    Rule {
        cues: &["岁"],
        units: &[Unit::Year],
        metric: "age",
    },
];

/// Verbs just before a figure that say what it counts (培养80名…主播 are
/// trainees whatever they are called; 遴选20多位员工 are dispatched envoys).
const VERB_RULES: &[Rule] = &[
    Rule {
        cues: &["培养", "培训了", "培训出"],
        units: &[Unit::Person],
        metric: "trainees",
    },
    Rule {
        cues: &["遴选", "选派", "派驻", "派出"],
        units: &[Unit::Person],
        metric: "envoys_dispatched",
    },
    Rule {
        cues: &["邀请"],
        units: &[Unit::Person],
        metric: "guests_invited",
    },
    Rule {
        cues: &["吸引"],
        units: &[Unit::Person],
        metric: "talent_attracted",
    },
];

/// Measure words that are themselves what is counted (分三批).
const MEASURED: &[Rule] = &[
    Rule {
        cues: &["批"],
        units: &[Unit::Count],
        metric: "batches",
    },
    Rule {
        cues: &["期"],
        units: &[Unit::Count],
        metric: "editions",
    },
];

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
        let is_noun = |t: &crate::segment::Token| {
            t.tag.starts_with('n') || matches!(t.tag.as_str(), "vn" | "b" | "j" | "an" | "a")
        };
        // Inside the phrase a verb may modify the next noun (创业|孵化|基地),
        // and a bound morpheme may end it (欠发达|县).
        let bound = |t: &crate::segment::Token| matches!(t.tag.as_str(), "zg" | "ng");
        let inside = (t.tag == "v"
            && cx
                .tokens
                .get(k + 1)
                .is_some_and(|n| is_noun(n) || bound(n)))
            || (nouns > 0 && bound(t))
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

/// Metric notations the rules can produce (declared in the metric scheme).
pub fn metrics() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = RULES
        .iter()
        .chain(COUNTED)
        .chain(VERB_RULES)
        .chain(MEASURED)
        .map(|r| r.metric)
        .collect();
    v.extend([
        "headcount",
        "count",
        "amount",
        "share",
        "duration",
        "multiple",
        "area",
        "age",
    ]);
    v.sort_unstable();
    v.dedup();
    v
}

fn fallback_metric(unit: Unit) -> &'static str {
    match unit {
        Unit::Person => "headcount",
        Unit::PersonTime => "trainees",
        Unit::Cny => "amount",
        Unit::Percent => "share",
        Unit::Year | Unit::Month | Unit::Day | Unit::Hour | Unit::Minute => "duration",
        Unit::Count => "count",
        Unit::Times => "multiple",
        Unit::M2 | Unit::Mu => "area",
        Unit::Tonne | Unit::Km => "amount",
    }
}

static BY_YEAR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[^截])(?:到|至)\d{4}年").expect("valid regex")
});

const TARGET_CUES: &[&str] = &["预计", "计划", "目标", "力争", "将引入", "将培养", "争取"];

/// Finds outcome observations.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    let found = observations(cx, ex);
    ex.observations.extend(found);
}

/// The observations of the article, with their subjects among `ex`'s mentions.
fn observations(cx: &Context<'_>, ex: &Extraction) -> Vec<Observation> {
    let idx = super::subjects::Index::new(ex);
    let mut out: Vec<Observation> = Vec::new();
    for s in &cx.sentences {
        let text = cx.slice(s.range.clone());
        for f in find_quantities(&text) {
            let start = s.range.start + f.range.start;
            let end = s.range.start + f.range.end;
            if cx.has_lost(start..end) {
                continue;
            }
            // The clause before the number: back to the previous comma-like break.
            let before: String = text.chars().take(f.range.start).collect();
            let clause_start = before
                .rfind([',', ';', ':', '、'])
                .map_or(0, |b| before[..b].chars().count() + 1);
            let clause: String = before.chars().skip(clause_start).collect();
            let unit = f.quantity.unit;
            // 第五个, 第2期: ordinals, not figures.
            if f.number_start > 0 && text.chars().nth(f.number_start - 1) == Some('第') {
                continue;
            }
            // 一个, 一场, 两个: determiners, not figures.
            let number: String = text
                .chars()
                .skip(f.number_start)
                .take(f.range.end - f.number_start)
                .collect();
            if unit == Unit::Count
                && f.quantity.value <= 2.0
                && number.starts_with(['一', '两', '二', '几'])
            {
                continue;
            }
            let rest_of_clause: String = text
                .chars()
                .skip(f.range.end)
                .take_while(|c| !",;:。!?".contains(*c))
                .collect();
            // The counted noun phrase: the noun tokens after the figure,
            // past 以上/余/的 and rank qualifiers (13家|省级以上|众创空间).
            let counted = counted_phrase(cx, end);
            // The verb that governs the figure (培养80名…, 遴选20多位…).
            let verb = VERB_RULES
                .iter()
                .filter(|r| r.units.contains(&unit))
                .find(|r| {
                    let tail: String = clause
                        .chars()
                        .rev()
                        .take(6)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    r.cues.iter().any(|c| tail.contains(c))
                });
            let metric = verb
                .or_else(|| {
                    COUNTED
                        .iter()
                        .filter(|r| r.units.contains(&unit))
                        .find(|r| r.cues.iter().any(|c| counted.contains(c)))
                })
                // The measure word itself (分三批).
                .or_else(|| {
                    MEASURED
                        .iter()
                        .filter(|r| r.units.contains(&unit))
                        .find(|r| r.cues.iter().any(|c| f.unit_text.ends_with(c)))
                })
                .or_else(|| {
                    RULES.iter().filter(|r| r.units.contains(&unit)).find(|r| {
                        r.cues
                            .iter()
                            .any(|c| clause.contains(c) || counted.contains(c) || f.unit_text == *c)
                    })
                })
                // A share or a headcount is often described after it
                // (50%的员工学历为大专, 30余位年轻人在此就业).
                .or_else(|| {
                    matches!(unit, Unit::Percent | Unit::Person).then_some(())?;
                    RULES
                        .iter()
                        .filter(|r| r.units.contains(&unit))
                        .find(|r| r.cues.iter().any(|c| rest_of_clause.contains(c)))
                })
                .map(|r| r.metric)
                .unwrap_or_else(|| {
                    if f.unit_text.ends_with('岁') {
                        "age"
                    } else {
                        fallback_metric(unit)
                    }
                });
            // Plain durations and ages of people are context, not outcomes.
            if matches!(unit, Unit::Hour | Unit::Minute | Unit::Day | Unit::Month) {
                continue;
            }
            if unit == Unit::Year && f.unit_text == "年" {
                continue;
            }
            let metric = if metric == "age_range" && f.quantity.max.is_none() {
                "average_age"
            } else {
                metric
            };
            let metric =
                if metric == "average_age" && !clause.contains("平均") && f.quantity.max.is_none()
                {
                    "age"
                } else {
                    metric
                };
            // A figure without cue words continues the one before it in
            // the sentence (从最初月入3000元,到现在过万元).
            let metric = match out.last() {
                Some(prev)
                    if metric == fallback_metric(unit)
                        && prev.sentence == s.index
                        && prev.quantity.unit == unit
                        && prev.metric != fallback_metric(unit)
                        && start - prev.range.end <= 12
                        && cx.text(prev.range.end..start).matches(',').count() <= 1 =>
                {
                    prev.metric
                }
                _ => metric,
            };
            let subject = super::subjects::subject_of(
                cx,
                ex,
                &idx,
                &super::subjects::Figure {
                    range: start..end,
                    sentence: s.index,
                    metric,
                },
            );
            // 预计, 力争, 到2025年…: a plan or pledge, not a result (截至2023年 is a date).
            let target =
                TARGET_CUES.iter().any(|c| before.contains(c)) || BY_YEAR.is_match(&before);
            let as_of = as_of(&before);
            out.push(Observation {
                subject,
                metric,
                quantity: f.quantity,
                as_of,
                target,
                range: start..end,
                span: cx.original_span(start..end),
                text: cx.text(start..end),
                sentence: s.index,
            });
        }
    }
    out
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

    fn outcomes(text: &str) -> Vec<(String, &'static str, bool, Option<String>)> {
        crate::extract::table::extraction(text)
            .observations
            .into_iter()
            .map(|o| (o.text, o.metric, o.target, o.as_of))
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
    ];

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
        // Ordinals are not figures.
        assert!(outcomes("这是全国第五个数字就业中心。").is_empty());
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
