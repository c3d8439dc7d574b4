//! The order SPARQL's `ORDER BY` gives two values, for rows sorted outside
//! the store.
//!
//! A listing read by partitions (see [`super::partition`]) sorts rows that
//! the store has already turned into terms: the partitions by their keys,
//! and a partition's rows by the rest of the query's `ORDER BY`. Oxigraph
//! 0.5.13 reads a term's text from the store on every comparison of its
//! sort (an outcome's IRI, through a `BIND` of its offsets, twice per
//! comparison); sorting the decoded rows here reads each text once. The
//! order must then be the one the store would give, which
//! [`sort_rows`] follows (SPARQL 1.1 §15.1 with Oxigraph's choices where
//! the recommendation leaves the order open):
//!
//! - an unbound value first, then blank nodes, IRIs, literals;
//! - IRIs and blank nodes by their text;
//! - literals by value where SPARQL's `<` compares them: numbers of any
//!   numeric datatype by their value, strings (plain or `xsd:string`) by
//!   their text, language-tagged strings of one language by their text,
//!   booleans, dates and times and durations of one datatype by their
//!   value;
//! - other literals by their text, then datatype IRI, then language tag.

use std::cmp::Ordering;

use oxigraph::model::Term;
use oxsdatatypes::{Decimal, Double};
use spareval::ExpressionTerm;

/// A row of decoded values, as a query gives them.
pub type Row = Vec<Option<Term>>;

/// `rows` sorted by `columns` (each a column and true for descending), as
/// SPARQL's ORDER BY sorts them; stable: rows the columns tie keep their
/// order. Strings and IRIs are compared as they are; other literals are
/// typed when compared (typing each once beforehand held a third more
/// memory for a 240,000-row sort, and was no faster).
pub fn sort_rows(mut rows: Vec<Row>, columns: &[(usize, bool)]) -> Vec<Row> {
    rows.sort_by(|x, y| {
        columns
            .iter()
            .map(|&(c, descending)| {
                let (a, b) = (x[c].as_ref(), y[c].as_ref());
                let o = cmp_typed((a, typed(a).as_ref()), (b, typed(b).as_ref()));
                if descending { o.reverse() } else { o }
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    rows
}

/// The order of two bound values, as SPARQL's `ORDER BY ASC` gives them.
pub fn cmp_terms(a: &Term, b: &Term) -> Ordering {
    cmp_typed(
        (Some(a), typed(Some(a)).as_ref()),
        (Some(b), typed(Some(b)).as_ref()),
    )
}

/// A literal's value as Oxigraph's evaluator types it; `None` for other
/// terms and for strings, plain or language-tagged, whose order (by their
/// text, then datatype and language) needs no typed value: none is copied.
fn typed(t: Option<&Term>) -> Option<ExpressionTerm> {
    match t {
        Some(Term::Literal(l))
            if l.language().is_none() && l.datatype() != oxigraph::model::vocab::xsd::STRING =>
        {
            Some(ExpressionTerm::from(Term::Literal(l.clone())))
        }
        _ => None,
    }
}

/// The order of two values, each unbound or a term with its literal's
/// typed value (see [`typed`]).
fn cmp_typed(
    (a, ta): (Option<&Term>, Option<&ExpressionTerm>),
    (b, tb): (Option<&Term>, Option<&ExpressionTerm>),
) -> Ordering {
    let (Some(a), Some(b)) = (a, b) else {
        return a.is_some().cmp(&b.is_some());
    };
    match (a, b) {
        (Term::BlankNode(x), Term::BlankNode(y)) => x.as_str().cmp(y.as_str()),
        (Term::NamedNode(x), Term::NamedNode(y)) => x.as_str().cmp(y.as_str()),
        (Term::Literal(x), Term::Literal(y)) => ta
            .zip(tb)
            .and_then(|(ta, tb)| by_value(ta, tb))
            .unwrap_or_else(|| {
                (x.value(), x.datatype().as_str(), x.language()).cmp(&(
                    y.value(),
                    y.datatype().as_str(),
                    y.language(),
                ))
            }),
        _ => kind(a).cmp(&kind(b)),
    }
}

/// Where a term's kind comes in the order: blank nodes, IRIs, literals,
/// then (RDF 1.2) triples.
fn kind(t: &Term) -> u8 {
    match t {
        Term::BlankNode(_) => 0,
        Term::NamedNode(_) => 1,
        Term::Literal(_) => 2,
        #[allow(unreachable_patterns)]
        _ => 3,
    }
}

/// The order of two typed literals' values (not strings: see [`typed`])
/// where SPARQL's `<` compares them; `None` where it does not (a number
/// and a date, a NaN).
fn by_value(a: &ExpressionTerm, b: &ExpressionTerm) -> Option<Ordering> {
    use ExpressionTerm as T;
    match (a, b) {
        (T::BooleanLiteral(x), T::BooleanLiteral(y)) => x.partial_cmp(y),
        (T::IntegerLiteral(x), T::IntegerLiteral(y)) => x.partial_cmp(y),
        (T::DateTimeLiteral(x), T::DateTimeLiteral(y)) => x.partial_cmp(y),
        (T::DateLiteral(x), T::DateLiteral(y)) => x.partial_cmp(y),
        (T::TimeLiteral(x), T::TimeLiteral(y)) => x.partial_cmp(y),
        (T::GYearLiteral(x), T::GYearLiteral(y)) => x.partial_cmp(y),
        (T::GYearMonthLiteral(x), T::GYearMonthLiteral(y)) => x.partial_cmp(y),
        (T::GMonthLiteral(x), T::GMonthLiteral(y)) => x.partial_cmp(y),
        (T::GMonthDayLiteral(x), T::GMonthDayLiteral(y)) => x.partial_cmp(y),
        (T::GDayLiteral(x), T::GDayLiteral(y)) => x.partial_cmp(y),
        (T::DurationLiteral(x), T::DurationLiteral(y)) => x.partial_cmp(y),
        (T::YearMonthDurationLiteral(x), T::YearMonthDurationLiteral(y)) => x.partial_cmp(y),
        (T::DayTimeDurationLiteral(x), T::DayTimeDurationLiteral(y)) => x.partial_cmp(y),
        _ => match (decimal(a), decimal(b)) {
            // Integers and decimals exactly; with a float or a double, as
            // doubles.
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => double(a)?.partial_cmp(&double(b)?),
        },
    }
}

/// An integer's or a decimal's value as a decimal.
fn decimal(t: &ExpressionTerm) -> Option<Decimal> {
    match t {
        ExpressionTerm::IntegerLiteral(v) => Some((*v).into()),
        ExpressionTerm::DecimalLiteral(v) => Some(*v),
        _ => None,
    }
}

/// A number's value as a double.
fn double(t: &ExpressionTerm) -> Option<Double> {
    match t {
        ExpressionTerm::IntegerLiteral(v) => Some((*v).into()),
        ExpressionTerm::DecimalLiteral(v) => Some((*v).into()),
        ExpressionTerm::FloatLiteral(v) => Some((*v).into()),
        ExpressionTerm::DoubleLiteral(v) => Some(*v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::GraphStore;
    use oxigraph::model::{BlankNode, Literal, NamedNode};
    use oxigraph::sparql::QueryResults;

    fn xsd(value: &str, datatype: &str) -> Term {
        Literal::new_typed_literal(
            value,
            NamedNode::new_unchecked(format!("http://www.w3.org/2001/XMLSchema#{datatype}")),
        )
        .into()
    }

    /// The values of one column, in the order they should sort to, with
    /// some equal neighbours (`=`): every pair compares as its positions
    /// say, and the store's own ORDER BY gives the same order.
    #[test]
    fn values_sort_as_the_stores_order_by() {
        let cmp = |x: &Option<Term>, y: &Option<Term>| {
            cmp_typed(
                (x.as_ref(), typed(x.as_ref()).as_ref()),
                (y.as_ref(), typed(y.as_ref()).as_ref()),
            )
        };
        let lang =
            |v: &str, l: &str| Term::from(Literal::new_language_tagged_literal_unchecked(v, l));
        let plain = |v: &str| Term::from(Literal::new_simple_literal(v));
        // Each group's values are equal; the groups are in order.
        let groups: Vec<Vec<Option<Term>>> = vec![
            vec![None],
            vec![Some(BlankNode::new_unchecked("b1").into())],
            vec![Some(NamedNode::new_unchecked("http://x/a").into())],
            vec![Some(NamedNode::new_unchecked("http://x/b").into())],
            vec![Some(xsd("-3", "integer"))],
            vec![Some(xsd("2", "integer")), Some(xsd("2.0", "decimal"))],
            vec![Some(xsd("2.5", "double"))],
            vec![Some(xsd("9", "int"))],
            vec![Some(xsd("10", "integer"))],
        ];
        let flat: Vec<(usize, Option<Term>)> = groups
            .iter()
            .enumerate()
            .flat_map(|(g, vs)| vs.iter().map(move |v| (g, v.clone())))
            .collect();
        for (g, x) in &flat {
            for (h, y) in &flat {
                assert_eq!(cmp(x, y), g.cmp(h), "{x:?} {y:?}");
            }
        }
        // Literals SPARQL's `<` does not compare fall back to their text.
        let pairs = [
            (plain("10"), plain("9"), Ordering::Less),
            (lang("b", "en"), lang("a", "zh"), Ordering::Greater),
            (lang("a", "en"), lang("b", "en"), Ordering::Less),
            (
                xsd("2020-07", "gYearMonth"),
                xsd("2021-01", "gYearMonth"),
                Ordering::Less,
            ),
            (
                xsd("2020-07-09", "date"),
                xsd("2020-07-10", "date"),
                Ordering::Less,
            ),
            (
                xsd("true", "boolean"),
                xsd("false", "boolean"),
                Ordering::Greater,
            ),
            (xsd("3", "integer"), plain("2"), Ordering::Greater),
        ];
        for (x, y, o) in &pairs {
            assert_eq!(cmp_terms(x, y), *o, "{x} {y}");
            assert_eq!(cmp_terms(y, x), o.reverse(), "{y} {x}");
        }
        // The store sorts them the same way: the groups in one sort, each
        // pair on its own (a number and a string compare by text, which
        // is no order over numbers and strings together).
        let store_order = |values: &[Option<Term>]| -> Vec<Option<Term>> {
            let rows: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    format!(
                        "({i} {})",
                        v.as_ref().map_or("UNDEF".into(), Term::to_string)
                    )
                })
                .collect();
            let text = format!(
                "SELECT ?i ?v WHERE {{ VALUES (?i ?v) {{ {} }} }} ORDER BY ?v ?i",
                rows.join(" ")
            );
            let store = GraphStore::in_memory().unwrap();
            let QueryResults::Solutions(solutions) =
                crate::sparql::query::run(&store, &text).unwrap()
            else {
                panic!("a SELECT query gives solutions")
            };
            solutions.map(|s| s.unwrap().get("v").cloned()).collect()
        };
        // (VALUES holds no blank node.)
        let mut sets: Vec<Vec<Option<Term>>> = vec![
            flat.iter()
                .rev()
                .filter(|(_, v)| !matches!(v, Some(Term::BlankNode(_))))
                .map(|(_, v)| v.clone())
                .collect(),
        ];
        sets.extend(
            pairs
                .iter()
                .map(|(x, y, _)| vec![Some(y.clone()), Some(x.clone())]),
        );
        for values in sets {
            let stores = store_order(&values);
            let ours: Vec<Option<Term>> = sort_rows(
                values.iter().map(|v| vec![v.clone()]).collect(),
                &[(0, false)],
            )
            .into_iter()
            .map(|mut r| r.remove(0))
            .collect();
            // Equal values may come in either order.
            assert_eq!(stores.len(), ours.len());
            for (s, o) in stores.iter().zip(&ours) {
                assert_eq!(cmp(s, o), Ordering::Equal, "{stores:?}\n{ours:?}");
            }
        }
    }
}
