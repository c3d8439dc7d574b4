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
        metric: "live_rooms",
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
        cues: &["网店", "店铺", "旗舰店", "淘宝店"],
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
        cues: &["众创空间", "产业园", "孵化基地", "创业学院", "基地", "园区"],
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
        metric: "business_entities",
    },
];

const RULES: &[Rule] = &[
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
        cues: &["补助", "补贴", "奖励", "发放"],
        units: &[Unit::Cny],
        metric: "subsidy",
    },
    Rule {
        cues: &["增长", "翻"],
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
        metric: "live_rooms",
    },
    Rule {
        cues: &["经营主体", "市场主体"],
        units: &[Unit::Count],
        metric: "business_entities",
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

/// Metric notations the rules can produce (declared in the metric scheme).
pub fn metrics() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = RULES.iter().chain(COUNTED).map(|r| r.metric).collect();
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
    for s in &cx.sentences {
        let text = cx.text(s.range.clone());
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
            let after: String = text.chars().skip(f.range.end).take(12).collect();
            let unit = f.quantity.unit;
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
            // The counted noun: after the figure, past 以上/余/的, up to punctuation.
            let counted: String = after
                .trim_start_matches(|c: char| "以上的余多左右之间".contains(c))
                .chars()
                .take_while(|c| crate::ingest::normalize::is_han(*c))
                .take(8)
                .collect();
            let metric = COUNTED
                .iter()
                .filter(|r| r.units.contains(&unit))
                .find(|r| {
                    r.cues.iter().any(|c| {
                        counted.starts_with(c)
                            || (counted.chars().count() <= 6 && counted.ends_with(c))
                    })
                })
                .or_else(|| {
                    RULES.iter().filter(|r| r.units.contains(&unit)).find(|r| {
                        r.cues
                            .iter()
                            .any(|c| clause.contains(c) || counted.starts_with(c))
                    })
                })
                // A share is often described after it (50%的员工学历为大专).
                .or_else(|| {
                    (unit == Unit::Percent).then_some(())?;
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
            let metric = match ex.observations.last() {
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
            ex.observations.push(Observation {
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
    use crate::ingest::{ArticleId, parse_article};

    fn outcomes(text: &str) -> Vec<(String, &'static str, bool, Option<String>)> {
        let a = parse_article(
            ArticleId::new("o"),
            text.as_bytes(),
            None,
            &Default::default(),
        )
        .unwrap();
        crate::extract::extract(&a)
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
}
