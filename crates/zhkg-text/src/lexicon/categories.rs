//! Entity categories: the finer type of an organisation (company, platform,
//! university…), a place (province, county-level city, village…), a
//! programme (initiative, facility, event…) or a document. A closed
//! vocabulary: the lexicon tables are checked against it when they load, and
//! each category belongs to one entity kind.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::extract::EntityKind;

/// Declares [`Category`] with its notation and kind, in one table.
macro_rules! categories {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal in $kind:ident, )*) => {
        /// The finer type of an entity; its notation is what the graph writes
        /// (`zhkg:category`, `zhkg:programmeKind`).
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Category {
            $( $(#[$doc])* $variant, )*
        }

        impl Category {
            /// Every category, in declaration order.
            pub const ALL: &'static [Category] = &[$(Self::$variant,)*];

            /// The notation (`company`, `county-level city`, `facility`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The kind of entity the category refines.
            pub fn kind(self) -> EntityKind {
                match self {
                    $(Self::$variant => EntityKind::$kind,)*
                }
            }

            /// The category with notation `s`.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($name => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

categories! {
    /// A company (有限公司, 集团).
    Company = "company" in Organization,
    /// An online platform (淘宝, 抖音).
    Platform = "platform" in Organization,
    /// A government body (人民政府, 人社局).
    Government = "government" in Organization,
    /// A department of an organisation.
    Department = "department" in Organization,
    /// A university (大学).
    University = "university" in Organization,
    /// A college (学院, 职业技术学院).
    College = "college" in Organization,
    /// A school (学校).
    School = "school" in Organization,
    /// A foundation (基金会).
    Foundation = "foundation" in Organization,
    /// A fund run by an organisation (阿里巴巴乡村振兴基金).
    Fund = "fund" in Organization,
    /// An association or chamber (协会, 商会, 联合会).
    Association = "association" in Organization,
    /// An alliance (联盟).
    Alliance = "alliance" in Organization,
    /// A company's public-welfare arm (阿里巴巴公益).
    PublicWelfareArm = "public_welfare_arm" in Organization,
    /// A research centre (研究中心).
    ResearchCentre = "research_centre" in Organization,
    /// A research institute (研究院, 研究所).
    ResearchInstitute = "research_institute" in Organization,
    /// A training provider (淘宝大学).
    TrainingProvider = "training_provider" in Organization,
    /// A cooperative (合作社).
    Cooperative = "cooperative" in Organization,
    /// A shop, online or not, named by its owner (一家名为“…”的淘宝店).
    Shop = "shop" in Organization,
    /// A news organisation.
    Media = "media" in Organization,
    /// A hospital.
    Hospital = "hospital" in Organization,
    /// The publisher of an article.
    Publisher = "publisher" in Organization,
    /// An organisation of no finer type.
    Organization = "organization" in Organization,

    /// A province (省).
    Province = "province" in Place,
    /// An autonomous region (自治区).
    AutonomousRegion = "autonomous region" in Place,
    /// A municipality (直辖市).
    Municipality = "municipality" in Place,
    /// A special administrative region (特别行政区).
    SpecialAdministrativeRegion = "special administrative region" in Place,
    /// A prefecture (地区).
    Prefecture = "prefecture" in Place,
    /// A prefecture-level city (地级市).
    PrefectureLevelCity = "prefecture-level city" in Place,
    /// An autonomous prefecture (自治州).
    AutonomousPrefecture = "autonomous prefecture" in Place,
    /// A league (盟).
    League = "league" in Place,
    /// A county (县).
    County = "county" in Place,
    /// A county-level city (县级市).
    CountyLevelCity = "county-level city" in Place,
    /// A district (区).
    District = "district" in Place,
    /// An autonomous county (自治县).
    AutonomousCounty = "autonomous county" in Place,
    /// A banner (旗).
    Banner = "banner" in Place,
    /// A subdistrict (街道).
    Street = "street" in Place,
    /// A community (社区).
    Community = "community" in Place,
    /// A residential compound (小区).
    ResidentialCompound = "residential_compound" in Place,
    /// A town (镇).
    Town = "town" in Place,
    /// A township (乡).
    Township = "township" in Place,
    /// A village (村).
    Village = "village" in Place,
    /// A country.
    Country = "country" in Place,
    /// A region of the world (东南亚).
    WorldRegion = "world_region" in Place,
    /// A region of China that is no division (长三角, 苏北).
    Region = "region" in Place,

    /// A named initiative (计划, 项目, 工程).
    Initiative = "initiative" in Programme,
    /// A facility (中心, 基地, 服务站).
    Facility = "facility" in Programme,
    /// An event (大会, 活动).
    Event = "event" in Programme,
    /// A competition (大赛).
    Competition = "competition" in Programme,
    /// A training (培训, 培训班).
    Training = "training" in Programme,
    /// A certificate (证书).
    Certificate = "certificate" in Programme,
    /// A subsidy (补贴).
    Subsidy = "subsidy" in Programme,
    /// A service (服务, 平台).
    Service = "service" in Programme,
    /// A brand (品牌).
    Brand = "brand" in Programme,
    /// A survey an organisation's team carries out.
    Survey = "survey" in Programme,
    /// A document (报告, 文件).
    Document = "document" in Document,

    /// A person (the role as written is the person's `role`).
    Person = "person" in Person,
    /// A group the article describes without naming it.
    DescribedGroup = "described_group" in Group,
}

impl Category {
    /// True for the categories of organisations that are NGOs
    /// (schema:NGO): foundations, funds, associations, alliances and
    /// public-welfare arms.
    pub fn is_ngo(self) -> bool {
        matches!(
            self,
            Self::Foundation
                | Self::Fund
                | Self::Association
                | Self::Alliance
                | Self::PublicWelfareArm
        )
    }

    /// True for universities, colleges and schools.
    pub fn is_educational(self) -> bool {
        matches!(self, Self::University | Self::College | Self::School)
    }
}

impl fmt::Debug for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Category {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notations_are_distinct_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for &c in Category::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::parse("village-ish"), None);
    }

    #[test]
    fn each_division_kind_is_a_place_category() {
        for d in crate::lexicon::LEXICON.divisions.iter() {
            assert_eq!(d.category().kind(), EntityKind::Place, "{}", d.name);
        }
    }
}
