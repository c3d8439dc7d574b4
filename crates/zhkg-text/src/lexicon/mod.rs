//! Lexicons: the administrative-division gazetteer, the organisation alias
//! table, programme head words, role titles, countries and surnames.
//!
//! Every table is a TSV file under `src/lexicon/data/`, embedded in the binary
//! with `include_str!` and parsed once into [`LEXICON`]. Each file names the
//! public source and the script that generated it in its `#` header lines.

pub mod categories;
pub mod divisions;
pub mod metrics;

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

pub use self::categories::Category;
pub use self::divisions::{Division, Divisions, Level};
use crate::extract::EntityKind;

/// The embedded lexicon, parsed on first use.
pub static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::embedded().expect("embedded lexicon files are valid"));

/// A malformed line in a lexicon file.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct LexiconError {
    /// The file's name.
    pub file: &'static str,
    /// One-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The organisation category with notation `s`.
fn organisation_category(s: &str) -> Option<Category> {
    Category::parse(s).filter(|c| c.kind() == EntityKind::Organization)
}

/// An organisation of the curated alias table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownOrg {
    /// Canonical simplified full name.
    pub name: String,
    /// Category (company, platform, university, …).
    pub kind: Category,
    /// Canonical name of the parent organisation.
    pub parent: Option<String>,
    /// Verified Wikidata id (`Q1359568`).
    pub wikidata: Option<String>,
    /// Other names, exact strings.
    pub aliases: Vec<String>,
}

/// An organisation of the generated gazetteer (`org_gazetteer.tsv`:
/// ministries, universities, listed companies… from named public sources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedOrg {
    /// Full name.
    pub name: String,
    /// Category (government, university, company, …; the source's
    /// `other` is [`Category::Organization`], its funds foundations).
    pub kind: Category,
    /// Short forms the source links to the name (发改委).
    pub short_forms: Vec<String>,
}

/// A country (from ISO 3166 with Chinese names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub iso2: String,
    /// Chinese name.
    pub name: String,
    /// Other Chinese names.
    pub aliases: Vec<String>,
    /// English name.
    pub name_en: String,
}

/// A region of China that is not a division (`cn_regions.tsv`, made by
/// `scripts/gen_cn_regions.py`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnRegion {
    /// Its name (赣南).
    pub name: String,
    /// The code of the province it lies in; `None` for regions across
    /// provinces (华东, 长三角).
    pub province: Option<u32>,
}

/// All lexicons.
#[derive(Debug)]
pub struct Lexicon {
    /// Administrative divisions.
    pub divisions: Divisions,
    /// Curated organisations.
    pub orgs: Vec<KnownOrg>,
    /// Organisation by canonical name or alias → index in `orgs`.
    pub org_index: FxHashMap<String, usize>,
    /// Organisations of the generated gazetteer that the curated table
    /// does not hold.
    pub listed_orgs: Vec<ListedOrg>,
    /// Programme head words with their kind, longest first.
    pub programme_heads: Vec<(String, Category)>,
    /// Role titles with their class, longest first.
    pub roles: Vec<(String, String)>,
    /// Countries.
    pub countries: Vec<Country>,
    /// World regions and continents (UN M49 codes), with their Chinese names.
    pub regions: Vec<Country>,
    /// Regions of China that are not divisions (赣南, 苏北, 华东, 长三角).
    pub cn_regions: Vec<CnRegion>,
    /// The metric vocabulary and the cue rules that select a metric.
    pub metrics: metrics::Metrics,
    /// Single-character and compound surnames.
    pub surnames: FxHashSet<String>,
}

const DIVISIONS: &str = include_str!("data/divisions.tsv");
const LISTED_ORGS: &str = include_str!("data/org_gazetteer.tsv");
const RENAMED: &str = include_str!("data/divisions_renamed.tsv");
const ORGS: &str = include_str!("data/organizations.tsv");
const HEADS: &str = include_str!("data/programme_heads.tsv");
const ROLES: &str = include_str!("data/roles.tsv");
const COUNTRIES: &str = include_str!("data/countries.tsv");
const SURNAMES: &str = include_str!("data/surnames.tsv");
const REGIONS: &str = include_str!("data/regions.tsv");
const CN_REGIONS: &str = include_str!("data/cn_regions.tsv");
const METRICS: &str = include_str!("data/metrics.tsv");
const METRIC_CUES: &str = include_str!("data/metric_cues.tsv");

/// Region codes left out of place matching: the world, organisations (EU,
/// UN), and 中非 (017), which in news mostly means China–Africa.
const SKIPPED_REGIONS: &[&str] = &["001", "EU", "UN", "QO", "017"];

/// Iterates the data rows of a TSV file: skips `#` comments, blank lines and
/// the header (the first non-comment line when `header` is true); yields the
/// one-based line number and the fields.
pub fn tsv_rows(text: &str, header: bool) -> impl Iterator<Item = (usize, Vec<&str>)> {
    let mut seen_header = !header;
    text.lines().enumerate().filter_map(move |(i, line)| {
        if line.starts_with('#') || line.trim().is_empty() {
            return None;
        }
        if !seen_header {
            seen_header = true;
            return None;
        }
        Some((i + 1, line.split('\t').collect()))
    })
}

/// Splits a `|`-separated alias field.
fn aliases(field: Option<&&str>) -> Vec<String> {
    field
        .map(|a| {
            a.split('|')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Parses a `code<TAB>name<TAB>aliases<TAB>name_en` table (countries,
/// regions), leaving out the codes in `skip`.
fn named_places(
    text: &str,
    file: &'static str,
    skip: &[&str],
) -> Result<Vec<Country>, LexiconError> {
    let mut out = Vec::new();
    for (line, f) in tsv_rows(text, true) {
        if f.len() < 2 {
            return Err(LexiconError {
                file,
                line,
                message: "expected code<TAB>name<TAB>aliases<TAB>name_en".into(),
            });
        }
        if skip.contains(&f[0].trim()) {
            continue;
        }
        out.push(Country {
            iso2: f[0].trim().to_owned(),
            name: f[1].trim().to_owned(),
            aliases: aliases(f.get(2)),
            name_en: f.get(3).map(|s| s.trim().to_owned()).unwrap_or_default(),
        });
    }
    Ok(out)
}

impl Lexicon {
    /// Parses the embedded files.
    pub fn embedded() -> Result<Self, LexiconError> {
        let divisions = Divisions::parse(DIVISIONS, RENAMED)?;
        let mut orgs = Vec::new();
        for (line, f) in tsv_rows(ORGS, true) {
            if f.len() < 2 {
                return Err(LexiconError {
                    file: "organizations.tsv",
                    line,
                    message: "expected canonical<TAB>type[<TAB>parent<TAB>wikidata<TAB>aliases]"
                        .into(),
                });
            }
            let opt = |i: usize| {
                f.get(i)
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let kind = organisation_category(f[1].trim()).ok_or_else(|| LexiconError {
                file: "organizations.tsv",
                line,
                message: format!("{:?} is no organisation category", f[1].trim()),
            })?;
            orgs.push(KnownOrg {
                name: f[0].trim().to_owned(),
                kind,
                parent: opt(2),
                wikidata: opt(3),
                aliases: aliases(f.get(4)),
            });
        }
        let mut org_index = FxHashMap::default();
        for (i, o) in orgs.iter().enumerate() {
            org_index.insert(o.name.clone(), i);
            for a in &o.aliases {
                org_index.entry(a.clone()).or_insert(i);
            }
        }
        for o in &orgs {
            if let Some(p) = &o.parent
                && !org_index.contains_key(p)
            {
                return Err(LexiconError {
                    file: "organizations.tsv",
                    line: 0,
                    message: format!("parent {p:?} of {:?} is not in the table", o.name),
                });
            }
        }
        let mut listed_orgs = Vec::new();
        for (line, f) in tsv_rows(LISTED_ORGS, false) {
            if f.len() < 2 {
                return Err(LexiconError {
                    file: "org_gazetteer.tsv",
                    line,
                    message: "expected name<TAB>type<TAB>short forms<TAB>parent<TAB>sources".into(),
                });
            }
            let name = f[0].trim();
            if org_index.contains_key(name) {
                continue;
            }
            let kind = match f[1].trim() {
                "other" => Category::Organization,
                "fund" => Category::Foundation,
                k => organisation_category(k).ok_or_else(|| LexiconError {
                    file: "org_gazetteer.tsv",
                    line,
                    message: format!("{k:?} is no organisation category"),
                })?,
            };
            // A government commission is as often written with 委 alone
            // (国家卫生健康委员会 → 国家卫生健康委).
            let commission = (kind == Category::Government)
                .then(|| name.strip_suffix("委员会"))
                .flatten()
                .filter(|stem| stem.chars().count() >= 4)
                .map(|stem| format!("{stem}委"))
                .filter(|short| !org_index.contains_key(short.as_str()));
            listed_orgs.push(ListedOrg {
                name: name.to_owned(),
                kind,
                short_forms: f
                    .get(2)
                    .into_iter()
                    .flat_map(|s| s.split(','))
                    .map(str::trim)
                    .filter(|s| s.chars().count() >= 2 && !org_index.contains_key(*s))
                    .map(str::to_owned)
                    .chain(commission)
                    .collect(),
            });
        }
        let pairs =
            |text: &str, file: &'static str| -> Result<Vec<(String, String)>, LexiconError> {
                let mut v = Vec::new();
                for (line, f) in tsv_rows(text, false) {
                    if f.len() != 2 {
                        return Err(LexiconError {
                            file,
                            line,
                            message: "expected two tab-separated fields".into(),
                        });
                    }
                    v.push((f[0].trim().to_owned(), f[1].trim().to_owned()));
                }
                v.sort_by(|a, b| {
                    b.0.chars()
                        .count()
                        .cmp(&a.0.chars().count())
                        .then(a.0.cmp(&b.0))
                });
                v.dedup_by(|a, b| a.0 == b.0);
                Ok(v)
            };
        let mut programme_heads = Vec::new();
        for (head, kind) in pairs(HEADS, "programme_heads.tsv")? {
            let category = Category::parse(&kind)
                .filter(|c| matches!(c.kind(), EntityKind::Programme | EntityKind::Document))
                .ok_or_else(|| LexiconError {
                    file: "programme_heads.tsv",
                    line: 0,
                    message: format!("the kind {kind:?} of {head:?} is no programme category"),
                })?;
            programme_heads.push((head, category));
        }
        let roles = pairs(ROLES, "roles.tsv")?;
        let countries = named_places(COUNTRIES, "countries.tsv", &[])?;
        let regions = named_places(REGIONS, "regions.tsv", SKIPPED_REGIONS)?;
        let mut cn_regions = Vec::new();
        for (line, f) in tsv_rows(CN_REGIONS, true) {
            let name = f.first().map(|s| s.trim()).unwrap_or_default();
            let province = f.get(1).map(|s| s.trim()).unwrap_or_default();
            if name.is_empty() {
                return Err(LexiconError {
                    file: "cn_regions.tsv",
                    line,
                    message: "empty name".into(),
                });
            }
            let province = if province.is_empty() {
                None
            } else {
                let code = divisions
                    .lookup(province)
                    .iter()
                    .find(|(c, _)| c % 10_000 == 0)
                    .map(|(c, _)| *c)
                    .ok_or_else(|| LexiconError {
                        file: "cn_regions.tsv",
                        line,
                        message: format!("no province named {province} in divisions.tsv"),
                    })?;
                Some(code)
            };
            cn_regions.push(CnRegion {
                name: name.to_owned(),
                province,
            });
        }
        let surnames = tsv_rows(SURNAMES, true)
            .filter_map(|(_, f)| f.first().map(|s| s.trim().to_owned()))
            .filter(|s| !s.is_empty())
            .collect();
        Ok(Self {
            divisions,
            orgs,
            org_index,
            listed_orgs,
            programme_heads,
            roles,
            countries,
            regions,
            cn_regions,
            metrics: metrics::Metrics::parse(METRICS, METRIC_CUES)?,
            surnames,
        })
    }

    /// The curated organisation with this name or alias.
    pub fn known_org(&self, name: &str) -> Option<&KnownOrg> {
        self.org_index.get(name).map(|&i| &self.orgs[i])
    }

    /// True when `name` starts with a known surname and is 2–4 characters.
    pub fn looks_like_person_name(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        if !(2..=4).contains(&chars.len())
            || !chars.iter().all(|&c| crate::ingest::normalize::is_han(c))
        {
            return false;
        }
        let one: String = chars[..1].iter().collect();
        let two: String = chars[..2].iter().collect();
        (self.surnames.contains(&one) && chars.len() <= 3)
            || (chars.len() >= 3 && self.surnames.contains(&two))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_parse() {
        let lx = &*LEXICON;
        assert!(lx.divisions.len() > 3000, "{}", lx.divisions.len());
        assert!(lx.orgs.len() > 30);
        assert!(lx.countries.len() > 150);
        assert!(lx.surnames.len() > 100);
        assert_eq!(lx.known_org("阿里").unwrap().name, "阿里巴巴集团");
        assert_eq!(
            lx.known_org("阿里巴巴集团").unwrap().wikidata.as_deref(),
            Some("Q1359568")
        );
    }

    #[test]
    fn tsv_rows_skip_comments_and_header() {
        let rows: Vec<_> = tsv_rows("# c\nh1\th2\na\tb\n\nc\td\n", true).collect();
        assert_eq!(rows, vec![(3, vec!["a", "b"]), (5, vec!["c", "d"])]);
    }

    #[test]
    fn person_names_by_surname() {
        let lx = &*LEXICON;
        assert!(lx.looks_like_person_name("王威"));
        assert!(!lx.looks_like_person_name("的确"));
        assert!(!lx.looks_like_person_name("王"));
    }
}
