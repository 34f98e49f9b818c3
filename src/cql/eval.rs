//! Evaluating a compiled filter over one record, with CQL2's three-valued logic (`None` is
//! unknown), and the box its spatial parts confine matches to.

use std::borrow::Cow;

use geo::{BoundingRect, Intersects, Rect, Relate};

use super::compile::{ArrayOp, Cmp, List, Operand, Pred, SpatialOp};
use super::{Record, Type, Value};

enum Scalar<'a> {
    Null,
    Text(Cow<'a, str>),
    Number(f64),
}

fn scalar<'a, R: Record>(o: &'a Operand, r: &'a R) -> Scalar<'a> {
    match o {
        Operand::Prop(name) => match r.value(name) {
            Value::Text(t) => Scalar::Text(t),
            Value::Number(x) => Scalar::Number(x),
            _ => Scalar::Null,
        },
        Operand::Text(s) => Scalar::Text(Cow::Borrowed(s)),
        Operand::Number(x) => Scalar::Number(*x),
        Operand::Casei(inner) => match scalar(inner, r) {
            Scalar::Text(t) => Scalar::Text(Cow::Owned(t.to_lowercase())),
            other => other,
        },
    }
}

fn compare(a: &Scalar, cmp: Cmp, b: &Scalar) -> Option<bool> {
    use std::cmp::Ordering::*;
    let o = match (a, b) {
        (Scalar::Text(x), Scalar::Text(y)) => x.as_ref().cmp(y.as_ref()),
        (Scalar::Number(x), Scalar::Number(y)) => x.partial_cmp(y)?,
        _ => return None,
    };
    Some(match cmp {
        Cmp::Eq => o == Equal,
        Cmp::Ne => o != Equal,
        Cmp::Lt => o == Less,
        Cmp::Le => o != Greater,
        Cmp::Gt => o == Greater,
        Cmp::Ge => o != Less,
    })
}

/// A list's members, as text or numbers.
enum Members<'a> {
    Texts(Vec<Cow<'a, str>>),
    Numbers(Vec<f64>),
}

fn members<'a, R: Record>(l: &'a List, r: &'a R) -> Option<Members<'a>> {
    match l {
        List::Prop(name) => match r.value(name) {
            Value::Texts(t) => Some(Members::Texts(t)),
            Value::Numbers(n) => Some(Members::Numbers(n)),
            _ => None,
        },
        List::Texts(t) => Some(Members::Texts(
            t.iter().map(|s| Cow::Borrowed(s.as_str())).collect(),
        )),
        List::Numbers(n) => Some(Members::Numbers(n.clone())),
    }
}

fn array<T: PartialEq>(a: &[T], op: ArrayOp, b: &[T]) -> bool {
    let within = |x: &[T], y: &[T]| x.iter().all(|v| y.contains(v));
    match op {
        ArrayOp::Equals => within(a, b) && within(b, a),
        ArrayOp::Contains => within(b, a),
        ArrayOp::ContainedBy => within(a, b),
        ArrayOp::Overlaps => a.iter().any(|v| b.contains(v)),
    }
}

pub(super) fn eval<R: Record>(p: &Pred, r: &R) -> Option<bool> {
    match p {
        Pred::Const(v) => *v,
        Pred::And(parts) => {
            let mut unknown = false;
            for part in parts {
                match eval(part, r) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        }
        Pred::Or(parts) => {
            let mut unknown = false;
            for part in parts {
                match eval(part, r) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            (!unknown).then_some(false)
        }
        Pred::Not(inner) => eval(inner, r).map(|b| !b),
        Pred::Compare(a, cmp, b) => compare(&scalar(a, r), *cmp, &scalar(b, r)),
        Pred::Like(text, pattern) => match scalar(text, r) {
            Scalar::Text(t) => Some(pattern.matches(&t)),
            _ => None,
        },
        Pred::In(item, list) => {
            let v = scalar(item, r);
            if matches!(v, Scalar::Null) {
                return None;
            }
            let mut unknown = false;
            for o in list {
                match compare(&v, Cmp::Eq, &scalar(o, r)) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            (!unknown).then_some(false)
        }
        Pred::Between(item, lo, hi) => {
            let v = scalar(item, r);
            let above = compare(&v, Cmp::Ge, &scalar(lo, r))?;
            let below = compare(&v, Cmp::Le, &scalar(hi, r))?;
            Some(above && below)
        }
        Pred::IsNull(name, ty) => Some(if *ty == Type::Geometry {
            r.geometry().is_none()
        } else {
            matches!(r.value(name), Value::Null)
        }),
        Pred::Array(a, op, b) => match (members(a, r)?, members(b, r)?) {
            (Members::Texts(x), Members::Texts(y)) => Some(array(&x, *op, &y)),
            (Members::Numbers(x), Members::Numbers(y)) => Some(array(&x, *op, &y)),
            _ => None,
        },
        Pred::Spatial {
            op,
            literal,
            envelope,
        } => {
            let g = r.geometry()?;
            let near = g.bounding_rect().is_some_and(|b| b.intersects(envelope));
            if !near {
                return Some(*op == SpatialOp::Disjoint);
            }
            Some(match op {
                SpatialOp::Intersects => literal.intersects(g),
                SpatialOp::Disjoint => !literal.intersects(g),
                other => {
                    let m = literal.relate(g);
                    match other {
                        SpatialOp::Equals => m.is_equal_topo(),
                        SpatialOp::Touches => m.is_touches(),
                        SpatialOp::Overlaps => m.is_overlaps(),
                        SpatialOp::Crosses => m.is_crosses(),
                        SpatialOp::Within => m.is_within(),
                        _ => m.is_contains(),
                    }
                }
            })
        }
        Pred::Temporal(name, rel, period) => match r.value(name) {
            Value::Period(p) => Some(rel.holds(p, *period)),
            _ => None,
        },
    }
}

/// A box that the envelope of every feature the predicate holds for meets, if there is one.
pub(super) fn envelope(p: &Pred) -> Option<Rect<f64>> {
    let area = |r: &Rect<f64>| r.width() * r.height();
    match p {
        Pred::Spatial { op, envelope, .. } if *op != SpatialOp::Disjoint => Some(*envelope),
        // every part must hold: the tightest part's box will do
        Pred::And(parts) => parts
            .iter()
            .filter_map(envelope)
            .min_by(|a, b| area(a).total_cmp(&area(b))),
        // one part must hold: all need a box, and the answer is around them all
        Pred::Or(parts) => {
            let boxes: Option<Vec<Rect<f64>>> = parts.iter().map(envelope).collect();
            boxes?.into_iter().reduce(|a, b| {
                Rect::new(
                    (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                    (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
                )
            })
        }
        _ => None,
    }
}
