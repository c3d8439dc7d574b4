//! SHACL validation: checks a store against the shapes of
//! `ontology/shapes.ttl` (or another shapes file) and reports each violation
//! with its focus node, path, constraint and, when the focus node has
//! provenance, the sentence of the article it came from.
//!
//! # Why an engine of our own
//!
//! The Rust SHACL crates (`rudof`'s `shacl_validation`) pull in a large
//! dependency tree of their own RDF stack; zhkg already has a SPARQL engine.
//! So this module reads the shapes graph and turns every constraint into a
//! SPARQL SELECT query over the store, whose default graph is the union of
//! all graphs (as for `zhkg query`). The `scripts/interop.sh` check runs
//! pyshacl on the same data and shapes and requires both to agree.
//!
//! # Supported subset of SHACL Core
//!
//! - node shapes with the targets `sh:targetClass` (instances of the class
//!   and of its `rdfs:subClassOf*` subclasses), `sh:targetNode`,
//!   `sh:targetSubjectsOf` and `sh:targetObjectsOf`;
//! - property shapes (`sh:property`) whose `sh:path` is one IRI or
//!   `[ sh:inversePath IRI ]`, with `sh:minCount`, `sh:maxCount`,
//!   `sh:datatype`, `sh:class`, `sh:nodeKind`, `sh:pattern` (and
//!   `sh:flags`), `sh:minInclusive`, `sh:maxInclusive`, `sh:minExclusive`,
//!   `sh:maxExclusive`, `sh:in`, `sh:languageIn` and `sh:hasValue`;
//! - SPARQL-based constraints (`sh:sparql`) on node shapes: an `sh:select`
//!   query using `$this` and returning `?value` (and optionally `?path`),
//!   with `sh:prefixes`/`sh:declare` and `sh:message`;
//! - `sh:message`, `sh:severity`, `sh:deactivated`, `sh:name`,
//!   `sh:description`, `sh:order` and `sh:group` on shapes.
//!
//! Any other SHACL term on a shape (`sh:or`, `sh:node`, `sh:closed`,
//! `sh:qualifiedValueShape`, complex paths, …) is refused with an
//! [`ValidateError::Unsupported`] error naming the shape and the term, rather
//! than silently ignored.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
};
use oxigraph::sparql::QueryResults;
use serde::Serialize;

use crate::error::{QueryError, StoreError};
use crate::rdf::vocab::rdf;
use crate::store::GraphStore;

/// The shapes shipped with zhkg (`ontology/shapes.ttl`), embedded.
pub const SHAPES: &str = include_str!("../../ontology/shapes.ttl");

/// `rdfs:subClassOf`.
const SUB_CLASS_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";

/// The SHACL namespace.
pub const SH: &str = "http://www.w3.org/ns/shacl#";

/// Errors of validation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// The shapes or data file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The shapes or data file is not valid RDF.
    #[error("{name}: {message}")]
    Syntax {
        /// The file (or `<embedded shapes>`).
        name: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The file's extension names no RDF format.
    #[error(
        "{}: unknown RDF format; use a file ending in .ttl, .nt, .nq, .trig, .rdf or .jsonld",
        path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// A shape uses SHACL that this engine does not implement.
    #[error(
        "{name}: shape {shape} uses {what}, which zhkg validate does not support (see the supported subset in `src/validate.rs`); rewrite it with the supported constraints or an sh:sparql constraint"
    )]
    Unsupported {
        /// The shapes file.
        name: String,
        /// The shape.
        shape: String,
        /// The unsupported term.
        what: String,
    },
    /// A shape is malformed (a count that is not an integer, a path missing…).
    #[error("{name}: shape {shape}: {message}")]
    Invalid {
        /// The shapes file.
        name: String,
        /// The shape.
        shape: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A generated or sh:sparql query failed.
    #[error("checking {constraint} of shape {shape}: {source}")]
    Query {
        /// The shape.
        shape: String,
        /// The constraint.
        constraint: String,
        /// Why (boxed: a query error is large, and validation returns
        /// this error from every step).
        #[source]
        source: Box<QueryError>,
    },
    /// Loading the data into a store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A path of a property shape.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PropertyPath {
    /// `?this <p> ?value`.
    Predicate(NamedNode),
    /// `?value <p> ?this`.
    Inverse(NamedNode),
}

impl PropertyPath {
    fn pattern(&self) -> String {
        match self {
            Self::Predicate(p) => format!("?this {p} ?value ."),
            Self::Inverse(p) => format!("?value {p} ?this ."),
        }
    }

    fn display(&self) -> String {
        match self {
            Self::Predicate(p) => short(p.as_str()),
            Self::Inverse(p) => format!("^{}", short(p.as_str())),
        }
    }
}

/// One constraint of a property shape.
#[derive(Debug, Clone)]
enum Constraint {
    MinCount(u64),
    MaxCount(u64),
    Datatype(NamedNode),
    Class(NamedNode),
    NodeKind(NamedNode),
    Pattern(String, String),
    Compare(&'static str, Literal),
    In(Vec<Term>),
    LanguageIn(Vec<String>),
    HasValue(Term),
}

impl Constraint {
    fn display(&self) -> String {
        match self {
            Self::MinCount(n) => format!("sh:minCount {n}"),
            Self::MaxCount(n) => format!("sh:maxCount {n}"),
            Self::Datatype(d) => format!("sh:datatype {}", short(d.as_str())),
            Self::Class(c) => format!("sh:class {}", short(c.as_str())),
            Self::NodeKind(k) => format!("sh:nodeKind {}", short(k.as_str())),
            Self::Pattern(p, _) => format!("sh:pattern {p:?}"),
            Self::Compare(op, v) => format!("sh:{} {}", compare_name(op), v.value()),
            Self::In(v) => format!(
                "sh:in ({})",
                v.iter().map(term_short).collect::<Vec<_>>().join(" ")
            ),
            Self::LanguageIn(v) => format!("sh:languageIn ({})", v.join(" ")),
            Self::HasValue(v) => format!("sh:hasValue {}", term_short(v)),
        }
    }

    /// The message of a violation.
    fn message(&self, found: Option<u64>) -> String {
        match self {
            Self::MinCount(n) => format!(
                "needs at least {n} value(s), has {}",
                found.unwrap_or_default()
            ),
            Self::MaxCount(n) => format!(
                "allows at most {n} value(s), has {}",
                found.unwrap_or_default()
            ),
            Self::Datatype(d) => format!("value is not a well-formed {}", short(d.as_str())),
            Self::Class(c) => format!("value is not an instance of {}", short(c.as_str())),
            Self::NodeKind(k) => format!("value is not of node kind {}", short(k.as_str())),
            Self::Pattern(p, _) => format!("value does not match {p:?}"),
            Self::Compare(op, v) => format!("value is not {op} {}", v.value()),
            Self::In(_) => "value is not one of the allowed values".to_owned(),
            Self::LanguageIn(v) => format!("value's language tag is not one of {}", v.join(", ")),
            Self::HasValue(v) => format!("the value {} is missing", term_short(v)),
        }
    }

    /// The SPARQL condition a value must meet (value constraints only).
    fn condition(&self) -> Option<String> {
        Some(match self {
            Self::MinCount(_) | Self::MaxCount(_) | Self::HasValue(_) => return None,
            Self::Datatype(d) => {
                let mut c = format!("isLiteral(?value) && datatype(?value) = {d}");
                // Ill-typed literals ("abc"^^xsd:decimal) violate sh:datatype:
                // a cast of their lexical form fails.
                if ["integer", "decimal", "boolean", "date", "dateTime"]
                    .iter()
                    .any(|t| d.as_str() == format!("http://www.w3.org/2001/XMLSchema#{t}"))
                {
                    let _ = write!(c, " && {d}(STR(?value)) = {d}(STR(?value))");
                }
                c
            }
            Self::Class(c) => format!(
                "EXISTS {{ ?value {}/{}* {c} }}",
                nt(rdf::TYPE),
                nt(SUB_CLASS_OF)
            ),
            Self::NodeKind(k) => match k.as_str().strip_prefix(SH).unwrap_or_default() {
                "IRI" => "isIRI(?value)".to_owned(),
                "BlankNode" => "isBlank(?value)".to_owned(),
                "Literal" => "isLiteral(?value)".to_owned(),
                "BlankNodeOrIRI" => "(isBlank(?value) || isIRI(?value))".to_owned(),
                "BlankNodeOrLiteral" => "(isBlank(?value) || isLiteral(?value))".to_owned(),
                _ => "(isIRI(?value) || isLiteral(?value))".to_owned(),
            },
            Self::Pattern(p, flags) => format!(
                "!isBlank(?value) && REGEX(STR(?value), {}, {})",
                string_literal(p),
                string_literal(flags)
            ),
            Self::Compare(op, v) => format!("?value {op} {v}"),
            Self::In(v) => {
                let alts: Vec<String> =
                    v.iter().map(|t| format!("sameTerm(?value, {t})")).collect();
                format!("({})", alts.join(" || "))
            }
            Self::LanguageIn(v) => {
                let alts: Vec<String> = v
                    .iter()
                    .map(|l| format!("langMatches(lang(?value), {})", string_literal(l)))
                    .collect();
                format!("isLiteral(?value) && ({})", alts.join(" || "))
            }
        })
    }
}

fn compare_name(op: &str) -> &'static str {
    match op {
        ">=" => "minInclusive",
        "<=" => "maxInclusive",
        ">" => "minExclusive",
        _ => "maxExclusive",
    }
}

/// A property shape.
#[derive(Debug, Clone)]
struct PropertyShape {
    path: PropertyPath,
    constraints: Vec<Constraint>,
    message: Option<String>,
    severity: String,
}

/// A SPARQL-based constraint.
#[derive(Debug, Clone)]
struct SparqlConstraint {
    name: String,
    /// The query, prefixes declared, `$this` written `?this`.
    select: String,
    message: Option<String>,
    severity: String,
}

/// A node shape and what it checks.
#[derive(Debug, Clone)]
struct NodeShape {
    name: String,
    /// The SPARQL pattern binding `?this` to each focus node.
    targets: Vec<String>,
    properties: Vec<PropertyShape>,
    sparql: Vec<SparqlConstraint>,
}

impl NodeShape {
    fn target_subquery(&self) -> String {
        let union = self
            .targets
            .iter()
            .map(|t| format!("{{ {t} }}"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        format!("{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}")
    }
}

/// A parsed shapes graph, ready to check stores.
#[derive(Debug, Clone)]
pub struct Shapes {
    shapes: Vec<NodeShape>,
}

/// One validation result.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Violation {
    /// The shape that was violated (its IRI, or the node shape's for a
    /// property shape).
    pub shape: String,
    /// The focus node (N-Triples syntax).
    pub focus: String,
    /// The property path, when a property shape was violated.
    pub path: Option<String>,
    /// The constraint, e.g. `sh:minCount 1`.
    pub constraint: String,
    /// The offending value (N-Triples syntax), when there is one.
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
    /// `sh:Violation`, `sh:Warning` or `sh:Info`.
    pub severity: String,
    /// Where the focus node comes from, when it has provenance.
    pub source: Option<Source>,
}

/// The sentence a focus node was extracted from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    /// The article (IRI).
    pub article: String,
    /// The sentence (IRI).
    pub sentence: String,
    /// The sentence's words.
    pub text: String,
}

/// The outcome of a validation.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Report {
    /// True when there are no results.
    pub conforms: bool,
    /// The results, sorted by shape, focus node, path and constraint.
    pub violations: Vec<Violation>,
}

impl Report {
    /// Writes the report as text: one block per violation, then a count.
    pub fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for v in &self.violations {
            writeln!(out, "{}: {}", v.severity, v.message)?;
            writeln!(out, "  focus       {}", decode(&v.focus))?;
            if let Some(p) = &v.path {
                writeln!(out, "  path        {p}")?;
            }
            writeln!(out, "  constraint  {}", v.constraint)?;
            if let Some(val) = &v.value {
                writeln!(out, "  value       {}", decode(val))?;
            }
            writeln!(out, "  shape       {}", v.shape)?;
            if let Some(s) = &v.source {
                writeln!(out, "  article     {}", decode(&s.article))?;
                writeln!(out, "  sentence    {}", s.text)?;
            }
            writeln!(out)?;
        }
        if self.conforms {
            writeln!(out, "conforms: no violations")
        } else {
            writeln!(out, "{} violation(s)", self.violations.len())
        }
    }
}

fn decode(s: &str) -> String {
    crate::rdf::iri::decode_segment(s)
}

fn nt(iri: &str) -> String {
    format!("<{iri}>")
}

fn string_literal(s: &str) -> String {
    Literal::new_simple_literal(s).to_string()
}

/// An IRI shortened with the zhkg prefixes (and `sh:`).
fn short(iri: &str) -> String {
    if let Some(l) = iri.strip_prefix(SH) {
        return format!("sh:{l}");
    }
    for (p, ns) in crate::rdf::vocab::PREFIXES {
        if let Some(local) = iri.strip_prefix(ns)
            && !local.is_empty()
            && !local.contains(['/', '#'])
        {
            return format!("{p}:{local}");
        }
    }
    format!("<{iri}>")
}

fn term_short(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => short(n.as_str()),
        other => other.to_string(),
    }
}

/// Reads shapes from Turtle text; `name` names the source in errors.
struct Reader<'a> {
    g: &'a Graph,
    name: &'a str,
}

const SHAPE_ANNOTATIONS: &[&str] = &[
    "name",
    "description",
    "message",
    "severity",
    "deactivated",
    "order",
    "group",
];

impl Reader<'_> {
    fn sh(local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{SH}{local}"))
    }

    fn objects(&self, s: NamedOrBlankNodeRef<'_>, p: &str) -> Vec<Term> {
        self.g
            .objects_for_subject_predicate(s, NamedNodeRef::new_unchecked(p))
            .map(TermRef::into_owned)
            .collect()
    }

    fn object(&self, s: NamedOrBlankNodeRef<'_>, p: &str) -> Option<Term> {
        self.objects(s, p).into_iter().next()
    }

    fn shape_name(&self, s: NamedOrBlankNodeRef<'_>) -> String {
        match s {
            NamedOrBlankNodeRef::NamedNode(n) => short(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => format!("_:{}", b.as_str()),
        }
    }

    fn invalid(&self, shape: &str, message: impl Into<String>) -> ValidateError {
        ValidateError::Invalid {
            name: self.name.to_owned(),
            shape: shape.to_owned(),
            message: message.into(),
        }
    }

    /// Refuses SHACL terms outside the supported subset.
    fn check_supported(
        &self,
        s: NamedOrBlankNodeRef<'_>,
        shape: &str,
        allowed: &[&str],
    ) -> Result<(), ValidateError> {
        for t in self.g.triples_for_subject(s) {
            if let Some(local) = t.predicate.as_str().strip_prefix(SH)
                && !allowed.contains(&local)
                && !SHAPE_ANNOTATIONS.contains(&local)
            {
                return Err(ValidateError::Unsupported {
                    name: self.name.to_owned(),
                    shape: shape.to_owned(),
                    what: format!("sh:{local}"),
                });
            }
        }
        Ok(())
    }

    fn list(&self, head: &Term, shape: &str) -> Result<Vec<Term>, ValidateError> {
        let mut out = Vec::new();
        let mut node = head.clone();
        let nil = NamedNode::new_unchecked(format!("{}nil", rdf::NS));
        loop {
            let subject = match &node {
                Term::NamedNode(n) if *n == nil => return Ok(out),
                Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
                Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
                _ => return Err(self.invalid(shape, "expected an RDF list ( … )")),
            };
            let first = self.object(subject.as_ref(), &format!("{}first", rdf::NS));
            let rest = self.object(subject.as_ref(), &format!("{}rest", rdf::NS));
            match (first, rest) {
                (Some(f), Some(r)) => {
                    out.push(f);
                    node = r;
                }
                _ => return Err(self.invalid(shape, "malformed RDF list")),
            }
            if out.len() > 10_000 {
                return Err(self.invalid(shape, "RDF list too long or cyclic"));
            }
        }
    }

    fn severity(&self, s: NamedOrBlankNodeRef<'_>) -> String {
        match self.object(s, &format!("{SH}severity")) {
            Some(Term::NamedNode(n)) => short(n.as_str()),
            _ => "sh:Violation".to_owned(),
        }
    }

    fn message(&self, s: NamedOrBlankNodeRef<'_>) -> Option<String> {
        match self.object(s, &format!("{SH}message")) {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            _ => None,
        }
    }

    fn deactivated(&self, s: NamedOrBlankNodeRef<'_>) -> bool {
        matches!(self.object(s, &format!("{SH}deactivated")), Some(Term::Literal(l)) if l.value() == "true")
    }

    fn count(&self, t: &Term, shape: &str, what: &str) -> Result<u64, ValidateError> {
        match t {
            Term::Literal(l) => l.value().parse().map_err(|_| {
                self.invalid(
                    shape,
                    format!("sh:{what} must be a non-negative integer, not {l}"),
                )
            }),
            _ => Err(self.invalid(shape, format!("sh:{what} must be an integer literal"))),
        }
    }

    fn iri(&self, t: &Term, shape: &str, what: &str) -> Result<NamedNode, ValidateError> {
        match t {
            Term::NamedNode(n) => Ok(n.clone()),
            _ => Err(self.invalid(shape, format!("sh:{what} must be an IRI, not {t}"))),
        }
    }

    fn property(&self, node: &Term, parent: &str) -> Result<Option<PropertyShape>, ValidateError> {
        let s = match node {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
            _ => return Err(self.invalid(parent, "sh:property must point to a shape")),
        };
        let s = s.as_ref();
        let name = match s {
            NamedOrBlankNodeRef::NamedNode(n) => short(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(_) => format!("property shape of {parent}"),
        };
        const CONSTRAINTS: &[&str] = &[
            "path",
            "minCount",
            "maxCount",
            "datatype",
            "class",
            "nodeKind",
            "pattern",
            "flags",
            "minInclusive",
            "maxInclusive",
            "minExclusive",
            "maxExclusive",
            "in",
            "languageIn",
            "hasValue",
        ];
        self.check_supported(s, &name, CONSTRAINTS)?;
        if self.deactivated(s) {
            return Ok(None);
        }
        let path = match self.object(s, &format!("{SH}path")) {
            Some(Term::NamedNode(p)) => PropertyPath::Predicate(p),
            Some(Term::BlankNode(b)) => {
                let b = NamedOrBlankNode::BlankNode(b);
                let inner: Vec<_> = self.g.triples_for_subject(b.as_ref()).collect();
                match (
                    inner.as_slice(),
                    self.object(b.as_ref(), &format!("{SH}inversePath")),
                ) {
                    ([_], Some(Term::NamedNode(p))) => PropertyPath::Inverse(p),
                    _ => {
                        return Err(ValidateError::Unsupported {
                            name: self.name.to_owned(),
                            shape: name,
                            what: "a complex sh:path (only an IRI or [ sh:inversePath IRI ])"
                                .to_owned(),
                        });
                    }
                }
            }
            _ => return Err(self.invalid(&name, "a property shape needs an sh:path")),
        };
        let mut constraints = Vec::new();
        let flags = match self.object(s, &format!("{SH}flags")) {
            Some(Term::Literal(l)) => l.value().to_owned(),
            _ => String::new(),
        };
        for t in self.g.triples_for_subject(s) {
            let Some(local) = t.predicate.as_str().strip_prefix(SH) else {
                continue;
            };
            let o = t.object.into_owned();
            let c = match local {
                "minCount" => Constraint::MinCount(self.count(&o, &name, local)?),
                "maxCount" => Constraint::MaxCount(self.count(&o, &name, local)?),
                "datatype" => Constraint::Datatype(self.iri(&o, &name, local)?),
                "class" => Constraint::Class(self.iri(&o, &name, local)?),
                "nodeKind" => {
                    let k = self.iri(&o, &name, local)?;
                    let known = [
                        "IRI",
                        "BlankNode",
                        "Literal",
                        "BlankNodeOrIRI",
                        "BlankNodeOrLiteral",
                        "IRIOrLiteral",
                    ];
                    if !known.iter().any(|n| k.as_str() == format!("{SH}{n}")) {
                        return Err(self.invalid(&name, format!("unknown sh:nodeKind {k}")));
                    }
                    Constraint::NodeKind(k)
                }
                "pattern" => match &o {
                    Term::Literal(l) => {
                        if let Err(e) = regex::Regex::new(l.value()) {
                            return Err(self.invalid(
                                &name,
                                format!("sh:pattern is not a valid regular expression: {e}"),
                            ));
                        }
                        Constraint::Pattern(l.value().to_owned(), flags.clone())
                    }
                    _ => return Err(self.invalid(&name, "sh:pattern must be a string")),
                },
                "minInclusive" | "maxInclusive" | "minExclusive" | "maxExclusive" => {
                    let op = match local {
                        "minInclusive" => ">=",
                        "maxInclusive" => "<=",
                        "minExclusive" => ">",
                        _ => "<",
                    };
                    match o {
                        Term::Literal(l) => Constraint::Compare(op, l),
                        _ => {
                            return Err(
                                self.invalid(&name, format!("sh:{local} must be a literal"))
                            );
                        }
                    }
                }
                "in" => Constraint::In(self.list(&o, &name)?),
                "languageIn" => Constraint::LanguageIn(
                    self.list(&o, &name)?
                        .into_iter()
                        .map(|t| match t {
                            Term::Literal(l) => Ok(l.value().to_owned()),
                            _ => Err(self.invalid(&name, "sh:languageIn lists strings")),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                "hasValue" => Constraint::HasValue(o),
                _ => continue,
            };
            constraints.push(c);
        }
        Ok(Some(PropertyShape {
            path,
            constraints,
            message: self.message(s),
            severity: self.severity(s),
        }))
    }

    fn sparql(&self, node: &Term, parent: &str) -> Result<Option<SparqlConstraint>, ValidateError> {
        let s = match node {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
            _ => return Err(self.invalid(parent, "sh:sparql must point to a constraint")),
        };
        let s = s.as_ref();
        let name = match s {
            NamedOrBlankNodeRef::NamedNode(n) => short(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(_) => format!("SPARQL constraint of {parent}"),
        };
        self.check_supported(s, &name, &["select", "prefixes"])?;
        if self.deactivated(s) {
            return Ok(None);
        }
        let Some(Term::Literal(select)) = self.object(s, &format!("{SH}select")) else {
            return Err(self.invalid(&name, "an sh:sparql constraint needs an sh:select query"));
        };
        let mut prefixes = String::new();
        for p in self.objects(s, &format!("{SH}prefixes")) {
            let p = match p {
                Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
                Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
                _ => return Err(self.invalid(&name, "sh:prefixes must point to a node")),
            };
            for d in self.objects(p.as_ref(), &format!("{SH}declare")) {
                let d = match d {
                    Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
                    Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
                    _ => return Err(self.invalid(&name, "sh:declare must point to a node")),
                };
                match (
                    self.object(d.as_ref(), &format!("{SH}prefix")),
                    self.object(d.as_ref(), &format!("{SH}namespace")),
                ) {
                    (Some(Term::Literal(p)), Some(Term::Literal(ns))) => {
                        let _ = writeln!(prefixes, "PREFIX {}: <{}>", p.value(), ns.value());
                    }
                    _ => {
                        return Err(self.invalid(
                            &name,
                            "each sh:declare needs an sh:prefix and an sh:namespace",
                        ));
                    }
                }
            }
        }
        let this = regex::Regex::new(r"\$this\b").expect("valid regex");
        let select = this.replace_all(select.value(), "?this").into_owned();
        if !regex::Regex::new(r"(?is)^\s*(PREFIX\s[^\n]*\n\s*)*SELECT\b.*\bWHERE\s*\{")
            .expect("valid regex")
            .is_match(&select)
        {
            return Err(self.invalid(
                &name,
                "sh:select must be a SELECT … WHERE { … } query (zhkg puts the focus nodes at the start of its WHERE group)",
            ));
        }
        Ok(Some(SparqlConstraint {
            name,
            select: format!("{prefixes}{select}"),
            message: self.message(s),
            severity: self.severity(s),
        }))
    }

    fn node_shape(&self, s: NamedOrBlankNodeRef<'_>) -> Result<Option<NodeShape>, ValidateError> {
        let name = self.shape_name(s);
        self.check_supported(
            s,
            &name,
            &[
                "targetClass",
                "targetNode",
                "targetSubjectsOf",
                "targetObjectsOf",
                "property",
                "sparql",
            ],
        )?;
        if self.deactivated(s) {
            return Ok(None);
        }
        let mut targets = Vec::new();
        for c in self.objects(s, &format!("{SH}targetClass")) {
            let c = self.iri(&c, &name, "targetClass")?;
            targets.push(format!(
                "?this {}/{}* {c} .",
                nt(rdf::TYPE),
                nt(SUB_CLASS_OF)
            ));
        }
        for n in self.objects(s, &format!("{SH}targetNode")) {
            targets.push(format!("VALUES ?this {{ {n} }}"));
        }
        for p in self.objects(s, &format!("{SH}targetSubjectsOf")) {
            let p = self.iri(&p, &name, "targetSubjectsOf")?;
            targets.push(format!("?this {p} [] ."));
        }
        for p in self.objects(s, &format!("{SH}targetObjectsOf")) {
            let p = self.iri(&p, &name, "targetObjectsOf")?;
            targets.push(format!("[] {p} ?this ."));
        }
        let mut properties = Vec::new();
        for p in self.objects(s, &format!("{SH}property")) {
            properties.extend(self.property(&p, &name)?);
        }
        let mut sparql = Vec::new();
        for q in self.objects(s, &format!("{SH}sparql")) {
            sparql.extend(self.sparql(&q, &name)?);
        }
        Ok(Some(NodeShape {
            name,
            targets,
            properties,
            sparql,
        }))
    }
}

impl Shapes {
    /// Parses a shapes graph from Turtle; `name` names it in errors (a file
    /// path).
    pub fn parse(turtle: &str, name: &str) -> Result<Self, ValidateError> {
        let mut g = Graph::new();
        for t in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let q = t.map_err(|e| ValidateError::Syntax {
                name: name.to_owned(),
                message: e.to_string(),
            })?;
            g.insert(q.as_ref());
        }
        let r = Reader { g: &g, name };
        // Node shapes: typed sh:NodeShape, or anything with a target.
        let mut nodes: Vec<NamedOrBlankNode> = Vec::new();
        let node_shape = Reader::sh("NodeShape");
        for s in
            g.subjects_for_predicate_object(NamedNodeRef::new_unchecked(rdf::TYPE), &node_shape)
        {
            nodes.push(s.into_owned());
        }
        for t in [
            "targetClass",
            "targetNode",
            "targetSubjectsOf",
            "targetObjectsOf",
        ] {
            for tr in g.triples_for_predicate(&Reader::sh(t)) {
                nodes.push(tr.subject.into_owned());
            }
        }
        nodes.sort_by_key(ToString::to_string);
        nodes.dedup();
        let mut shapes = Vec::new();
        for n in &nodes {
            if let Some(s) = r.node_shape(n.as_ref())? {
                if s.targets.is_empty() {
                    continue;
                }
                shapes.push(s);
            }
        }
        Ok(Self { shapes })
    }

    /// The shapes shipped with zhkg (`ontology/shapes.ttl`).
    pub fn builtin() -> Result<Self, ValidateError> {
        Self::parse(SHAPES, "ontology/shapes.ttl")
    }

    /// Reads a shapes file (Turtle).
    pub fn from_file(path: &Path) -> Result<Self, ValidateError> {
        let text = std::fs::read_to_string(path).map_err(|source| ValidateError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The number of node shapes.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// True when there are no node shapes.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }
}

fn select_rows(
    store: &GraphStore,
    text: &str,
    shape: &str,
    constraint: &str,
) -> Result<Vec<HashMap<String, Term>>, ValidateError> {
    let err = |source| ValidateError::Query {
        shape: shape.to_owned(),
        constraint: constraint.to_owned(),
        source: Box::new(source),
    };
    let QueryResults::Solutions(sols) = crate::sparql::query::run(store, text).map_err(err)? else {
        return Err(err(QueryError::Param(
            "an sh:select query must be a SELECT query".to_owned(),
        )));
    };
    let mut rows = Vec::new();
    for s in sols {
        let s = s.map_err(|e| err(QueryError::Evaluation(e)))?;
        rows.push(
            s.iter()
                .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                .collect(),
        );
    }
    Ok(rows)
}

/// Checks `store` against `shapes`.
///
/// ```
/// use oxigraph::io::RdfFormat;
/// use zhkg::shacl::{Shapes, load_bytes, validate};
///
/// let data = r#"<https://w3id.org/zhkg/id/place/13052>
///     a <https://schema.org/AdministrativeArea> ;
///     <http://www.w3.org/2000/01/rdf-schema#label> "巨鹿县"@zh ;
///     <https://w3id.org/zhkg/ontology#category> "county" ;
///     <https://w3id.org/zhkg/ontology#level> "county" ;
///     <https://w3id.org/zhkg/ontology#divisionCode> "13052" ."#;
/// let store = load_bytes(data.as_bytes(), RdfFormat::Turtle, "example")?;
/// let report = validate(&store, &Shapes::builtin()?)?;
/// assert!(!report.conforms);
/// assert_eq!(report.violations[0].path.as_deref(), Some("zhkg:divisionCode"));
/// assert_eq!(report.violations[0].constraint, r#"sh:pattern "^[0-9]{6}$""#);
/// # Result::<_, Box<dyn std::error::Error>>::Ok(())
/// ```
pub fn validate(store: &GraphStore, shapes: &Shapes) -> Result<Report, ValidateError> {
    let mut violations = Vec::new();
    for shape in &shapes.shapes {
        let target = shape.target_subquery();
        for p in &shape.properties {
            let path = p.path.pattern();
            for c in &p.constraints {
                let (query, counted) = match c {
                    Constraint::MinCount(n) => (
                        format!(
                            "SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {target} OPTIONAL {{ {path} }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
                        ),
                        true,
                    ),
                    Constraint::MaxCount(n) => (
                        format!(
                            "SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {target} {path} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
                        ),
                        true,
                    ),
                    Constraint::HasValue(v) => (
                        format!(
                            "SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ {path} FILTER (sameTerm(?value, {v})) }} }}"
                        ),
                        false,
                    ),
                    other => {
                        let cond = other.condition().unwrap_or_else(|| "true".to_owned());
                        (
                            format!(
                                "SELECT DISTINCT ?this ?value WHERE {{ {target} {path} FILTER (!COALESCE({cond}, false)) }}"
                            ),
                            false,
                        )
                    }
                };
                let constraint = c.display();
                for row in select_rows(store, &query, &shape.name, &constraint)? {
                    let Some(focus) = row.get("this") else {
                        continue;
                    };
                    let found = counted
                        .then(|| match row.get("n") {
                            Some(Term::Literal(l)) => l.value().parse().ok(),
                            _ => None,
                        })
                        .flatten();
                    violations.push(Violation {
                        shape: shape.name.clone(),
                        focus: focus.to_string(),
                        path: Some(p.path.display()),
                        constraint: constraint.clone(),
                        value: row.get("value").map(ToString::to_string),
                        message: p.message.clone().unwrap_or_else(|| c.message(found)),
                        severity: p.severity.clone(),
                        source: None,
                    });
                }
            }
        }
        for q in &shape.sparql {
            // Checked when the shapes were read.
            let query = inject_target(&q.select, &target).unwrap_or_default();
            let constraint = format!("sh:sparql {}", q.name);
            for row in select_rows(store, &query, &shape.name, &constraint)? {
                let Some(focus) = row.get("this") else {
                    continue;
                };
                violations.push(Violation {
                    shape: shape.name.clone(),
                    focus: focus.to_string(),
                    path: row.get("path").map(|p| match p {
                        Term::NamedNode(n) => short(n.as_str()),
                        other => other.to_string(),
                    }),
                    constraint: constraint.clone(),
                    value: row.get("value").map(ToString::to_string),
                    message: q
                        .message
                        .clone()
                        .unwrap_or_else(|| format!("violates {}", q.name)),
                    severity: q.severity.clone(),
                    source: None,
                });
            }
        }
    }
    violations.sort_by(|a, b| {
        (&a.shape, &a.focus, &a.path, &a.constraint, &a.value).cmp(&(
            &b.shape,
            &b.focus,
            &b.path,
            &b.constraint,
            &b.value,
        ))
    });
    violations.dedup();
    let mut sources: BTreeMap<String, Option<Source>> = BTreeMap::new();
    for v in &mut violations {
        if !sources.contains_key(&v.focus) {
            sources.insert(v.focus.clone(), provenance(store, &v.focus)?);
        }
        v.source = sources[&v.focus].clone();
    }
    Ok(Report {
        conforms: violations.is_empty(),
        violations,
    })
}

/// Puts the focus-node subquery at the start of the query's WHERE group, so
/// that `?this` ranges over the shape's targets.
fn inject_target(select: &str, target: &str) -> Option<String> {
    let re = regex::Regex::new(r"(?i)\bWHERE\s*\{").expect("valid regex");
    let m = re.find(select)?;
    Some(format!(
        "{}{} {}",
        &select[..m.end()],
        target,
        &select[m.end()..]
    ))
}

/// The sentence a focus node comes from: its own `nif:sentence`, itself when
/// it is a sentence, or the sentence of the first mention linking to it.
fn provenance(store: &GraphStore, focus: &str) -> Result<Option<Source>, ValidateError> {
    if !focus.starts_with('<') {
        return Ok(None);
    }
    let q = format!(
        "SELECT ?article ?s ?text WHERE {{
            {{ {focus} nif:sentence ?s }}
            UNION {{ {focus} a nif:Sentence . BIND({focus} AS ?s) }}
            UNION {{ ?m itsrdf:taIdentRef {focus} ; nif:sentence ?s }}
            ?s nif:anchorOf ?text ; nif:referenceContext ?article .
        }} ORDER BY ?article ?s LIMIT 1"
    );
    let rows = select_rows(store, &q, "provenance", "nif:sentence")?;
    Ok(rows.into_iter().next().and_then(|r| {
        let text = match r.get("text")? {
            Term::Literal(l) => l.value().to_owned(),
            _ => return None,
        };
        Some(Source {
            article: r.get("article")?.to_string(),
            sentence: r.get("s")?.to_string(),
            text,
        })
    }))
}

/// Loads an RDF file (format from its extension) into a fresh in-memory
/// store with the ontology, for validating files rather than a store.
/// Triples go into the named graph `https://w3id.org/zhkg/graph/validate`;
/// quads keep their graphs.
pub fn load_file(path: &Path) -> Result<GraphStore, ValidateError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let format = RdfFormat::from_extension(&ext)
        .or_else(|| crate::sparql::export::format_by_name(&ext))
        .ok_or_else(|| ValidateError::UnknownFormat {
            path: path.to_path_buf(),
        })?;
    let bytes = std::fs::read(path).map_err(|source| ValidateError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    load_bytes(&bytes, format, &path.display().to_string())
}

/// Loads RDF data in `format` into a fresh in-memory store with the ontology
/// (see [`load_file`]); `name` names the data in errors.
pub fn load_bytes(
    bytes: &[u8],
    format: RdfFormat,
    name: &str,
) -> Result<GraphStore, ValidateError> {
    let store = GraphStore::in_memory()?;
    let graph = NamedNode::new_unchecked("https://w3id.org/zhkg/graph/validate");
    store
        .inner()
        .load_from_slice(
            RdfParser::from_format(format).with_default_graph(graph),
            bytes,
        )
        .map_err(|e| ValidateError::Syntax {
            name: name.to_owned(),
            message: e.to_string(),
        })?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_shapes_parse() {
        let s = Shapes::builtin().unwrap();
        assert!(s.len() >= 10, "{}", s.len());
    }

    #[test]
    fn unsupported_constraints_are_refused() {
        let ttl = "@prefix sh: <http://www.w3.org/ns/shacl#> .
            <http://ex/S> sh:targetClass <http://ex/C> ;
                sh:property [ sh:path <http://ex/p> ; sh:qualifiedMinCount 1 ] .";
        let e = Shapes::parse(ttl, "x.ttl").unwrap_err().to_string();
        assert!(
            e.contains("x.ttl") && e.contains("sh:qualifiedMinCount"),
            "{e}"
        );
        let ttl = "@prefix sh: <http://www.w3.org/ns/shacl#> .
            <http://ex/S> sh:targetClass <http://ex/C> ; sh:or ( [] [] ) .";
        let e = Shapes::parse(ttl, "x.ttl").unwrap_err().to_string();
        assert!(e.contains("sh:or"), "{e}");
        let ttl = "@prefix sh: <http://www.w3.org/ns/shacl#> .
            <http://ex/S> sh:targetClass <http://ex/C> ;
                sh:sparql [ sh:select \"ASK { $this ?p ?o }\" ] .";
        let e = Shapes::parse(ttl, "x.ttl").unwrap_err().to_string();
        assert!(e.contains("SELECT … WHERE"), "{e}");
    }

    /// Every supported construct, on a tiny graph: (shape constraint, data,
    /// expected (focus, constraint) results).
    #[test]
    fn each_supported_construct_finds_what_it_should() {
        const PRE: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix ex: <http://ex/> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n";
        let cases: &[(&str, &str, &[(&str, &str)])] = &[
            (
                "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 2 ] .",
                "ex:a ex:p 1 . ex:b ex:q 1 .",
                &[("<http://ex/a>", "sh:minCount 2")],
            ),
            (
                "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:maxExclusive 5 ] .",
                "ex:a ex:p 5 . ex:b ex:p 4 .",
                &[("<http://ex/a>", "sh:maxExclusive 5")],
            ),
            (
                "ex:S sh:targetObjectsOf ex:p ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:maxCount 1 ] .",
                "ex:a ex:p ex:o . ex:b ex:p ex:o . ex:c ex:p ex:o2 .",
                &[("<http://ex/o>", "sh:maxCount 1")],
            ),
            (
                "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:pattern \"^abc$\" ; sh:flags \"i\" ] .",
                "ex:a ex:p \"ABC\", \"abd\" .",
                &[("<http://ex/a>", "sh:pattern \"^abc$\"")],
            ),
            (
                "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:hasValue ex:v ] .",
                "ex:a ex:p ex:w .",
                &[("<http://ex/a>", "sh:hasValue <http://ex/v>")],
            ),
            (
                "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:nodeKind sh:BlankNodeOrIRI ] .",
                "ex:a ex:p [] , ex:x , \"lit\" .",
                &[("<http://ex/a>", "sh:nodeKind sh:BlankNodeOrIRI")],
            ),
            (
                "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minExclusive 0 ; sh:deactivated true ] .",
                "ex:a ex:p -1 .",
                &[],
            ),
            (
                "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
                "ex:D <http://www.w3.org/2000/01/rdf-schema#subClassOf> ex:C . ex:a a ex:D .",
                &[("<http://ex/a>", "sh:minCount 1")],
            ),
        ];
        for (shape, data, want) in cases {
            let shapes = Shapes::parse(&format!("{PRE}{shape}"), "case").unwrap();
            let store =
                load_bytes(format!("{PRE}{data}").as_bytes(), RdfFormat::Turtle, "data").unwrap();
            let got: Vec<(String, String)> = validate(&store, &shapes)
                .unwrap()
                .violations
                .into_iter()
                .map(|v| (v.focus, v.constraint))
                .collect();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
                .collect();
            assert_eq!(got, want, "shape: {shape}\ndata: {data}");
        }
    }

    #[test]
    fn syntax_errors_name_the_file_and_position() {
        let e = Shapes::parse("@prefix sh: <x> .\n<a> <b> .", "bad.ttl")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("bad.ttl: "), "{e}");
    }
}
