//! IRIs of the vocabulary, one constant per term, mirroring
//! `ontology/zhkg.ttl`. A test checks that every term the graph uses is
//! declared there.

/// Defines string constants for the terms of one namespace.
macro_rules! namespace {
    ($(#[$doc:meta])* $mod:ident = $ns:literal { $($(#[$tdoc:meta])* $name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $mod {
            /// The namespace IRI.
            pub const NS: &str = $ns;
            $($(#[$tdoc])* #[doc = concat!("`", $ns, $local, "`")] pub const $name: &str = concat!($ns, $local);)*
        }
    };
}

namespace!(
    /// The zhkg ontology.
    zhkg = "https://w3id.org/zhkg/ontology#" {
        PROGRAMME = "Programme",
        DOCUMENT = "Document",
        OUTCOME = "Outcome",
        CONTEXT_FIGURE = "ContextFigure",
        DESCRIBED_GROUP = "DescribedGroup",
        MENTION = "Mention",
        RELATION_ASSERTION = "RelationAssertion",
        PLATFORM = "Platform",
        VILLAGE = "SubCountyPlace",
        WORLD_REGION = "WorldRegion",
        REGION = "Region",
        TEMPORAL_EXPRESSION = "TemporalExpression",
        DATE = "date",
        YEAR_INFERRED = "yearInferred",
        QUALIFIER_CLASS = "Qualifier",
        METRIC_CLASS = "Metric",
        UNIT_CLASS = "Unit",
        CATEGORY = "category",
        DIVISION_CODE = "divisionCode",
        LEVEL = "level",
        PROGRAMME_KIND = "programmeKind",
        OPERATED_BY = "operatedBy",
        FUNDED_BY = "fundedBy",
        PARTNER_OF = "partnerOf",
        LOCATED_IN = "locatedIn",
        STUDIES = "studies",
        DISPATCHED_TO = "dispatchedTo",
        TRAINS = "trains",
        ROLE = "role",
        MENTIONED_IN = "mentionedIn",
        ARTICLE_COUNT = "articleCount",
        MENTIONED_WITH = "mentionedWith",
        OUTCOME_COUNT = "outcomeCount",
        METRIC_COUNT = "metricCount",
        REPORT_COUNT = "reportCount",
        TARGET_COUNT = "targetCount",
        ARTICLES_MENTIONING = "articlesMentioning",
        SUMMARY = "Summary",
        FIGURE_SUMMARY = "FigureSummary",
        MONTH_SUMMARY = "MonthSummary",
        RELATION_SUMMARY = "RelationSummary",
        RELATION = "relation",
        RELATED_TO = "relatedTo",
        SOURCE_COUNT = "sourceCount",
        FIRST_SOURCE = "firstSource",
        MONTH = "month",
        SUMMARISES = "summarises",
        FIGURE_COUNT = "figureCount",
        LOWEST_VALUE = "lowestValue",
        HIGHEST_VALUE = "highestValue",
        SUBJECT = "subject",
        METRIC = "metric",
        VALUE = "value",
        MAX_VALUE = "maxValue",
        UNIT = "unit",
        QUALIFIER = "qualifier",
        AS_OF = "asOf",
        IS_TARGET = "isTarget",
        SUBJECT_UNKNOWN = "subjectUnknown",
        CONFIDENCE = "confidence",
        TRIGGER = "trigger",
        ORIGINAL_TEXT = "originalText",
        CONTENT_HASH = "contentHash",
        SOURCE_ENCODING = "sourceEncoding",
        SOURCE_FORMAT = "sourceFormat",
        SOURCE_FILE = "sourceFile",
        READ_WARNING = "readWarning",
        SCRIPT = "script",
        CHANNEL = "channel",
        EXACT = "Exact",
        APPROXIMATE = "Approximate",
        LOWER_BOUND = "LowerBound",
        UPPER_BOUND = "UpperBound",
    }
);

namespace!(
    /// schema.org.
    schema = "https://schema.org/" {
        NEWS_ARTICLE = "NewsArticle",
        ORGANIZATION = "Organization",
        GOVERNMENT_ORGANIZATION = "GovernmentOrganization",
        COLLEGE_OR_UNIVERSITY = "CollegeOrUniversity",
        CORPORATION = "Corporation",
        NGO = "NGO",
        PLACE = "Place",
        ADMINISTRATIVE_AREA = "AdministrativeArea",
        COUNTRY = "Country",
        PERSON = "Person",
        PROJECT = "Project",
        REPORT = "Report",
        CREATIVE_WORK = "CreativeWork",
        NAME = "name",
        HEADLINE = "headline",
        DATE_PUBLISHED = "datePublished",
        PUBLISHER = "publisher",
        AUTHOR = "author",
        EDITOR = "editor",
        URL = "url",
        KEYWORDS = "keywords",
        IN_LANGUAGE = "inLanguage",
        CONTAINED_IN_PLACE = "containedInPlace",
        LOCATION = "location",
        AFFILIATION = "affiliation",
        WORKS_FOR = "worksFor",
        JOB_TITLE = "jobTitle",
        IDENTIFIER = "identifier",
    }
);

namespace!(
    /// W3C Organization ontology.
    org = "http://www.w3.org/ns/org#" {
        SUB_ORGANIZATION_OF = "subOrganizationOf",
        MEMBER_OF = "memberOf",
    }
);

namespace!(
    /// PROV-O (a prefix for queries; the graph ties facts to sentences with NIF).
    prov = "http://www.w3.org/ns/prov#" {
    }
);

namespace!(
    /// NIF 2.0 core: strings (named by their offsets), sentences.
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#" {
        CONTEXT = "Context",
        SENTENCE = "Sentence",
        PHRASE = "Phrase",
        IS_STRING = "isString",
        ANCHOR_OF = "anchorOf",
        REFERENCE_CONTEXT = "referenceContext",
        SENTENCE_PROP = "sentence",
    }
);

namespace!(
    /// ITS 2.0 RDF: entity links of mentions.
    itsrdf = "http://www.w3.org/2005/11/its/rdf#" {
        TA_IDENT_REF = "taIdentRef",
    }
);

namespace!(
    /// RDF Data Cube.
    qb = "http://purl.org/linked-data/cube#" {
        OBSERVATION = "Observation",
    }
);

namespace!(
    /// RDF.
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#" {
        TYPE = "type",
        STATEMENT = "Statement",
        SUBJECT = "subject",
        PREDICATE = "predicate",
        OBJECT = "object",
    }
);

namespace!(
    /// RDFS.
    rdfs = "http://www.w3.org/2000/01/rdf-schema#" {
        LABEL = "label",
        COMMENT = "comment",
    }
);

namespace!(
    /// OWL.
    owl = "http://www.w3.org/2002/07/owl#" {
        SAME_AS = "sameAs",
        VERSION_INFO = "versionInfo",
    }
);

namespace!(
    /// SKOS.
    skos = "http://www.w3.org/2004/02/skos/core#" {
        ALT_LABEL = "altLabel",
        BROADER = "broader",
        NOTATION = "notation",
    }
);

namespace!(
    /// XML Schema datatypes.
    xsd = "http://www.w3.org/2001/XMLSchema#" {
        STRING = "string",
        DECIMAL = "decimal",
        INTEGER = "integer",
        BOOLEAN = "boolean",
        DATE = "date",
        DATE_TIME = "dateTime",
        G_YEAR_MONTH = "gYearMonth",
        G_YEAR = "gYear",
    }
);

/// Base of entity and article IRIs.
pub const ID: &str = "https://w3id.org/zhkg/id/";
/// Base of metric concepts.
pub const METRIC: &str = "https://w3id.org/zhkg/metric/";
/// Base of unit individuals.
pub const UNIT: &str = "https://w3id.org/zhkg/unit/";
/// The named graph holding the ontology inside the store.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/zhkg/graph/ontology";
/// The named graph of entity descriptions shared by all articles.
pub const ENTITIES_GRAPH: &str = "https://w3id.org/zhkg/graph/entities";
/// The named graph of corpus-wide links between variants of one programme
/// (`owl:sameAs`), rewritten after every build (see `build::resolve`).
pub const RESOLVED_GRAPH: &str = "https://w3id.org/zhkg/graph/resolved";
/// The named graph of entity facts (relations, roles, aliases), each once,
/// and each entity's article count, rewritten after a build that changed
/// an article (see `build::facts`).
pub const FACTS_GRAPH: &str = "https://w3id.org/zhkg/graph/facts";
/// Wikidata entities.
pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";

/// Prefixes used in Turtle output and named queries.
pub const PREFIXES: &[(&str, &str)] = &[
    ("zhkg", zhkg::NS),
    ("id", ID),
    ("metric", METRIC),
    ("unit", UNIT),
    ("schema", schema::NS),
    ("org", org::NS),
    ("prov", prov::NS),
    ("nif", nif::NS),
    ("itsrdf", itsrdf::NS),
    ("qb", qb::NS),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("owl", owl::NS),
    ("skos", skos::NS),
    ("xsd", xsd::NS),
    ("wd", WIKIDATA),
];
