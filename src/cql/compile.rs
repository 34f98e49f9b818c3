//! From text to a typed predicate: parsing (the `cql2` crate), then checking every property
//! against the queryables and every operand against its operator, so that evaluation never
//! meets a type it cannot compare.

use cql2::Expr;
use geo::{BoundingRect, Rect};

use super::like::Pattern;
use super::time::{day_of, Period, Relation};
use super::{FilterError, Lang, Queryable, Type};
use crate::config::{MAX_FILTER_CHARS, MAX_FILTER_DEPTH, MAX_FILTER_PARENS, MAX_QUERY_VERTICES};

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A scalar operand: a property, a literal, or text compared without case.
#[derive(Clone, Debug)]
pub(super) enum Operand {
    Prop(&'static str),
    Text(String),
    Number(f64),
    Casei(Box<Operand>),
}

/// A list operand of the array operators.
#[derive(Clone, Debug)]
pub(super) enum List {
    Prop(&'static str),
    Texts(Vec<String>),
    Numbers(Vec<f64>),
}

/// The array operators, as `left OP right`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ArrayOp {
    Equals,
    Contains,
    ContainedBy,
    Overlaps,
}

/// The spatial relations, read as `literal OP feature` (the literal is the prepared side).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SpatialOp {
    Intersects,
    Disjoint,
    Equals,
    Touches,
    Overlaps,
    Crosses,
    /// The literal is within the feature.
    Within,
    /// The literal contains the feature.
    Contains,
}

#[derive(Debug)]
pub(super) enum Pred {
    Const(Option<bool>),
    And(Vec<Pred>),
    Or(Vec<Pred>),
    Not(Box<Pred>),
    Compare(Operand, Cmp, Operand),
    Like(Operand, Pattern),
    In(Operand, Vec<Operand>),
    Between(Operand, Operand, Operand),
    IsNull(&'static str, Type),
    Array(List, ArrayOp, List),
    Spatial {
        op: SpatialOp,
        literal: Box<geo::Geometry<f64>>,
        envelope: Rect<f64>,
    },
    Temporal(&'static str, Relation, Period),
}

/// Parses a filter. Parentheses nested deeper than [`MAX_FILTER_PARENS`] are refused before
/// parsing (see [`paren_depth`]); the parser recurses once per level of what remains (`NOT NOT
/// …`), so it runs on a thread of its own with room to spare, and an expression nested deeper
/// than [`MAX_FILTER_DEPTH`] is refused there, before anything else walks it.
pub(super) fn read(text: &str, lang: Lang) -> Result<Expr, FilterError> {
    if text.chars().count() > MAX_FILTER_CHARS {
        return Err(FilterError::TooLong(MAX_FILTER_CHARS));
    }
    if lang == Lang::Text {
        let depth = paren_depth(text);
        if depth > MAX_FILTER_PARENS {
            return Err(FilterError::Parens(MAX_FILTER_PARENS));
        }
    }
    let owned = text.to_string();
    let parse = move || -> Result<Expr, FilterError> {
        let expr = match lang {
            Lang::Text => cql2::parse_text(&owned).map_err(text_error)?,
            Lang::Json => cql2::parse_json(&owned).map_err(|e| match e.line() {
                // JSON that is no CQL2 expression: serde has no position for it
                0 => FilterError::Type(format!("not a CQL2 expression: {e}")),
                line => FilterError::Syntax {
                    lang: "cql2-json",
                    line,
                    column: e.column(),
                    detail: e.to_string(),
                },
            })?,
        };
        if depth(&expr) > MAX_FILTER_DEPTH {
            return Err(FilterError::TooDeep(MAX_FILTER_DEPTH));
        }
        Ok(expr)
    };
    std::thread::Builder::new()
        .name("cql2-parse".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(parse)
        .map_err(|e| FilterError::Unsupported(format!("a parser thread ({e})")))?
        .join()
        .unwrap_or_else(|_| Err(FilterError::Unsupported("this filter".into())))
}

/// The deepest nesting of parentheses outside quoted text. The cql2-text grammar tries a
/// parenthesised expression and then a list at every opening parenthesis, so a filter that fails
/// deep inside costs twice as much for each level around it: the depth is checked first.
///
/// ```
/// use planmap::cql::paren_depth;
/// assert_eq!(paren_depth("S_INTERSECTS(geometry, POLYGON((1 2, 3 4, 5 6, 1 2)))"), 3);
/// assert_eq!(paren_depth("name = '((((' AND \"a(b\" = 'x'"), 0);
/// ```
pub fn paren_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            // a doubled quote inside quotes closes and reopens: the same state either way
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn text_error(e: cql2::Error) -> FilterError {
    match e {
        cql2::Error::Pest(p) => {
            let (line, column) = match p.line_col {
                pest::error::LineColLocation::Pos(at) => at,
                pest::error::LineColLocation::Span(at, _) => at,
            };
            let detail = match &p.variant {
                pest::error::ErrorVariant::ParsingError { positives, .. }
                    if !positives.is_empty() =>
                {
                    let names: Vec<String> = positives.iter().map(|r| format!("{r:?}")).collect();
                    format!("expected {}", names.join(", "))
                }
                pest::error::ErrorVariant::CustomError { message } => message.clone(),
                _ => "unexpected input".to_string(),
            };
            FilterError::Syntax {
                lang: "cql2-text",
                line,
                column,
                detail,
            }
        }
        other => FilterError::Syntax {
            lang: "cql2-text",
            line: 1,
            column: 1,
            detail: other.to_string(),
        },
    }
}

fn depth(e: &Expr) -> usize {
    let below = |args: &[Box<Expr>]| args.iter().map(|a| depth(a)).max().unwrap_or(0);
    1 + match e {
        Expr::Operation { args, .. } => below(args),
        Expr::Interval { interval } => below(interval),
        Expr::Array(items) => below(items),
        Expr::BBox { bbox } => below(bbox),
        Expr::Timestamp { timestamp } => depth(timestamp),
        Expr::Date { date } => depth(date),
        _ => 0,
    }
}

/// Checks an expression against the queryables and compiles it.
pub(super) fn compile(e: &Expr, q: &[Queryable]) -> Result<Pred, FilterError> {
    let c = Compiler { q };
    c.pred(e)
}

struct Compiler<'q> {
    q: &'q [Queryable],
}

/// What an operand is, for checking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
}

impl Compiler<'_> {
    fn queryable(&self, name: &str) -> Result<&Queryable, FilterError> {
        self.q
            .iter()
            .find(|q| q.name == name)
            .ok_or_else(|| FilterError::UnknownProperty {
                name: name.chars().take(60).collect(),
                known: self.q.iter().map(|q| q.name).collect::<Vec<_>>().join(", "),
            })
    }

    fn pred(&self, e: &Expr) -> Result<Pred, FilterError> {
        let (op, args) = match e {
            Expr::Bool(b) => return Ok(Pred::Const(Some(*b))),
            Expr::Null => return Ok(Pred::Const(None)),
            Expr::Operation { op, args } => (op.as_str(), args.as_slice()),
            other => {
                return Err(FilterError::Type(format!(
                    "a filter must be a predicate, not {}",
                    shown(other)
                )))
            }
        };
        let arity = |n: usize| -> Result<(), FilterError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(FilterError::Type(format!(
                    "{op} takes {n} arguments, not {}",
                    args.len()
                )))
            }
        };
        Ok(match op {
            "and" | "or" => {
                let parts = args
                    .iter()
                    .map(|a| self.pred(a))
                    .collect::<Result<Vec<_>, _>>()?;
                if op == "and" {
                    Pred::And(parts)
                } else {
                    Pred::Or(parts)
                }
            }
            "not" => {
                arity(1)?;
                Pred::Not(Box::new(self.pred(&args[0])?))
            }
            "=" | "<>" | "<" | "<=" | ">" | ">=" => {
                arity(2)?;
                let cmp = match op {
                    "=" => Cmp::Eq,
                    "<>" => Cmp::Ne,
                    "<" => Cmp::Lt,
                    "<=" => Cmp::Le,
                    ">" => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                let (l, lk) = self.scalar(&args[0], op)?;
                let (r, rk) = self.scalar(&args[1], op)?;
                same_kind(op, lk, rk)?;
                Pred::Compare(l, cmp, r)
            }
            "like" => {
                arity(2)?;
                let (text, k) = self.scalar(&args[0], op)?;
                same_kind(op, k, Kind::Text)?;
                let (pattern, casei) = match args[1].as_ref() {
                    Expr::Literal(s) => (s.clone(), false),
                    Expr::Operation { op: f, args: inner } if f == "casei" && inner.len() == 1 => {
                        match inner[0].as_ref() {
                            Expr::Literal(s) => (s.to_lowercase(), true),
                            _ => return Err(pattern_error()),
                        }
                    }
                    _ => return Err(pattern_error()),
                };
                let text = match (casei, text) {
                    (true, t @ Operand::Casei(_)) | (false, t) => t,
                    (true, t) => Operand::Casei(Box::new(t)),
                };
                Pred::Like(text, Pattern::new(&pattern))
            }
            "in" => {
                arity(2)?;
                let (item, k) = self.scalar(&args[0], op)?;
                let Expr::Array(list) = args[1].as_ref() else {
                    return Err(FilterError::Type(
                        "IN takes a list in parentheses: x IN ('a', 'b')".into(),
                    ));
                };
                let mut out = Vec::with_capacity(list.len());
                for v in list {
                    let (o, vk) = self.scalar(v, op)?;
                    same_kind(op, k, vk)?;
                    out.push(o);
                }
                Pred::In(item, out)
            }
            "between" => {
                arity(3)?;
                let (item, k) = self.scalar(&args[0], op)?;
                let (lo, lk) = self.scalar(&args[1], op)?;
                let (hi, hk) = self.scalar(&args[2], op)?;
                for other in [lk, hk] {
                    same_kind(op, k, other)?;
                }
                if k != Kind::Number {
                    return Err(FilterError::Type("BETWEEN compares numbers".into()));
                }
                Pred::Between(item, lo, hi)
            }
            "isNull" => {
                arity(1)?;
                let Expr::Property { property } = args[0].as_ref() else {
                    return Err(FilterError::Type("IS NULL applies to a property".into()));
                };
                let q = self.queryable(property)?;
                Pred::IsNull(q.name, q.ty)
            }
            "a_equals" | "a_contains" | "a_containedBy" | "a_overlaps" => {
                arity(2)?;
                let (l, lk) = self.list(&args[0], op)?;
                let (r, rk) = self.list(&args[1], op)?;
                same_kind(op, lk, rk)?;
                let a = match op {
                    "a_equals" => ArrayOp::Equals,
                    "a_contains" => ArrayOp::Contains,
                    "a_containedBy" => ArrayOp::ContainedBy,
                    _ => ArrayOp::Overlaps,
                };
                Pred::Array(l, a, r)
            }
            s if s.starts_with("s_") => {
                arity(2)?;
                self.spatial(s, &args[0], &args[1])?
            }
            t if t.starts_with("t_") => {
                arity(2)?;
                let rel = Relation::from_op(t)
                    .ok_or_else(|| FilterError::Unsupported(format!("operator {t}")))?;
                let (prop, period, rel) =
                    match (self.period_prop(&args[0])?, self.period_prop(&args[1])?) {
                        (Some(p), None) => (p, period_literal(&args[1])?, rel),
                        (None, Some(p)) => (p, period_literal(&args[0])?, rel.converse()),
                        _ => {
                            return Err(FilterError::Type(format!(
                            "{t} relates a temporal property ({}) to a DATE, TIMESTAMP or INTERVAL",
                            self.names_of(Type::Period)
                        )))
                        }
                    };
                Pred::Temporal(prop, rel, period)
            }
            "+" | "-" | "*" | "/" | "%" | "^" | "div" => {
                return Err(FilterError::Unsupported(format!("arithmetic ({op})")))
            }
            "accenti" => {
                return Err(FilterError::Unsupported(
                    "ACCENTI (accent-insensitive comparison)".into(),
                ))
            }
            "casei" => {
                return Err(FilterError::Type(
                    "CASEI(...) is an operand; compare it: CASEI(name) = CASEI('x')".into(),
                ))
            }
            other => {
                return Err(FilterError::Unsupported(format!(
                    "function {}",
                    other.chars().take(40).collect::<String>()
                )))
            }
        })
    }

    fn names_of(&self, ty: Type) -> String {
        self.q
            .iter()
            .filter(|q| q.ty == ty)
            .map(|q| q.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A scalar operand and its kind.
    fn scalar(&self, e: &Expr, op: &str) -> Result<(Operand, Kind), FilterError> {
        match e {
            Expr::Literal(s) => Ok((Operand::Text(s.clone()), Kind::Text)),
            Expr::Float(x) => Ok((Operand::Number(*x), Kind::Number)),
            Expr::Property { property } => {
                let q = self.queryable(property)?;
                let kind = match q.ty {
                    Type::Text => Kind::Text,
                    Type::Number | Type::Integer => Kind::Number,
                    Type::TextList | Type::NumberList => {
                        return Err(FilterError::Type(format!(
                            "{} is a list: use A_CONTAINS, A_OVERLAPS, A_EQUALS or A_CONTAINEDBY",
                            q.name
                        )))
                    }
                    Type::Period => {
                        return Err(FilterError::Type(format!(
                            "{} is a period: use T_INTERSECTS, T_DURING, T_BEFORE and the other temporal operators",
                            q.name
                        )))
                    }
                    Type::Geometry => {
                        return Err(FilterError::Type(format!(
                            "{} is a geometry: use S_INTERSECTS and the other spatial operators",
                            q.name
                        )))
                    }
                };
                Ok((Operand::Prop(q.name), kind))
            }
            Expr::Operation { op: f, args } if f == "casei" && args.len() == 1 => {
                let (inner, k) = self.scalar(&args[0], op)?;
                same_kind("CASEI", k, Kind::Text)?;
                Ok((Operand::Casei(Box::new(inner)), Kind::Text))
            }
            Expr::Operation { op: f, .. } => Err(match f.as_str() {
                "+" | "-" | "*" | "/" | "%" | "^" | "div" => {
                    FilterError::Unsupported(format!("arithmetic ({f})"))
                }
                "accenti" => FilterError::Unsupported("ACCENTI".into()),
                other => FilterError::Type(format!(
                    "{op} compares values; {} is not one",
                    other.chars().take(40).collect::<String>()
                )),
            }),
            other => Err(FilterError::Type(format!(
                "{op} does not take {}",
                shown(other)
            ))),
        }
    }

    fn list(&self, e: &Expr, op: &str) -> Result<(List, Kind), FilterError> {
        match e {
            Expr::Property { property } => {
                let q = self.queryable(property)?;
                match q.ty {
                    Type::TextList => Ok((List::Prop(q.name), Kind::Text)),
                    Type::NumberList => Ok((List::Prop(q.name), Kind::Number)),
                    _ => Err(FilterError::Type(format!(
                        "{op} takes lists; {} is not one (lists: {}, {})",
                        q.name,
                        self.names_of(Type::TextList),
                        self.names_of(Type::NumberList)
                    ))),
                }
            }
            Expr::Array(items) => {
                let mut texts = Vec::new();
                let mut numbers = Vec::new();
                for i in items {
                    match i.as_ref() {
                        Expr::Literal(s) => texts.push(s.clone()),
                        Expr::Float(x) => numbers.push(*x),
                        other => {
                            return Err(FilterError::Type(format!(
                                "{op}: a list of text or of numbers, not {}",
                                shown(other)
                            )))
                        }
                    }
                }
                match (texts.is_empty(), numbers.is_empty()) {
                    (_, true) => Ok((List::Texts(texts), Kind::Text)),
                    (true, false) => Ok((List::Numbers(numbers), Kind::Number)),
                    (false, false) => Err(FilterError::Type(format!(
                        "{op}: a list mixes text and numbers"
                    ))),
                }
            }
            other => Err(FilterError::Type(format!(
                "{op} takes lists, not {}",
                shown(other)
            ))),
        }
    }

    fn period_prop(&self, e: &Expr) -> Result<Option<&'static str>, FilterError> {
        match e {
            Expr::Property { property } => {
                let q = self.queryable(property)?;
                if q.ty == Type::Period {
                    Ok(Some(q.name))
                } else {
                    Err(FilterError::Type(format!(
                        "{} is not temporal; temporal: {}",
                        q.name,
                        self.names_of(Type::Period)
                    )))
                }
            }
            _ => Ok(None),
        }
    }

    fn spatial(&self, op: &str, a: &Expr, b: &Expr) -> Result<Pred, FilterError> {
        let is_geometry_prop = |e: &Expr| -> Result<bool, FilterError> {
            match e {
                Expr::Property { property } => {
                    let q = self.queryable(property)?;
                    if q.ty == Type::Geometry {
                        Ok(true)
                    } else {
                        Err(FilterError::Type(format!(
                            "{} is not a geometry; the geometry is {}",
                            q.name,
                            self.names_of(Type::Geometry)
                        )))
                    }
                }
                _ => Ok(false),
            }
        };
        let (literal, literal_first) = match (is_geometry_prop(a)?, is_geometry_prop(b)?) {
            (true, false) => (geometry_literal(b)?, false),
            (false, true) => (geometry_literal(a)?, true),
            _ => {
                return Err(FilterError::Type(format!(
                "{op} relates the geometry property to a geometry literal (WKT, GeoJSON or BBOX)"
            )))
            }
        };
        // read as `literal OP feature`
        let sop = match op {
            "s_intersects" => SpatialOp::Intersects,
            "s_disjoint" => SpatialOp::Disjoint,
            "s_equals" => SpatialOp::Equals,
            "s_touches" => SpatialOp::Touches,
            "s_overlaps" => SpatialOp::Overlaps,
            "s_crosses" => SpatialOp::Crosses,
            // feature within literal: the literal contains it
            "s_within" if literal_first => SpatialOp::Within,
            "s_within" => SpatialOp::Contains,
            "s_contains" if literal_first => SpatialOp::Contains,
            "s_contains" => SpatialOp::Within,
            other => return Err(FilterError::Unsupported(format!("operator {other}"))),
        };
        let envelope = literal
            .bounding_rect()
            .ok_or_else(|| FilterError::Geometry("the geometry is empty".into()))?;
        Ok(Pred::Spatial {
            op: sop,
            literal: Box::new(literal),
            envelope,
        })
    }
}

fn pattern_error() -> FilterError {
    FilterError::Type("LIKE takes a text pattern: name LIKE '%铁路'".into())
}

fn same_kind(op: &str, a: Kind, b: Kind) -> Result<(), FilterError> {
    if a == b {
        Ok(())
    } else {
        let name = |k: Kind| match k {
            Kind::Text => "text",
            Kind::Number => "a number",
        };
        Err(FilterError::Type(format!(
            "{op} compares {} with {}; quote text, leave numbers bare",
            name(a),
            name(b)
        )))
    }
}

fn shown(e: &Expr) -> String {
    let s = format!("{e:?}");
    s.chars().take(80).collect()
}

/// A DATE, TIMESTAMP or INTERVAL literal as days.
fn period_literal(e: &Expr) -> Result<Period, FilterError> {
    let bad = || {
        FilterError::Type(format!(
            "not a DATE('YYYY-MM-DD'), TIMESTAMP('YYYY-MM-DDThh:mm:ssZ') or INTERVAL(start, end): {}",
            shown(e)
        ))
    };
    let instant = |e: &Expr| -> Option<i64> {
        match e {
            Expr::Literal(s) => day_of(s),
            Expr::Date { date } | Expr::Timestamp { timestamp: date } => match date.as_ref() {
                Expr::Literal(s) => day_of(s),
                _ => None,
            },
            _ => None,
        }
    };
    match e {
        Expr::Date { .. } | Expr::Timestamp { .. } => instant(e).map(Period::day).ok_or_else(bad),
        Expr::Interval { interval } if interval.len() == 2 => {
            let end = |e: &Expr, open: i64| -> Result<i64, FilterError> {
                match e {
                    Expr::Literal(s) if s == ".." => Ok(open),
                    other => instant(other).ok_or_else(bad),
                }
            };
            let p = Period {
                start: end(&interval[0], i64::MIN)?,
                end: end(&interval[1], i64::MAX)?,
            };
            if p.start > p.end {
                return Err(FilterError::Type(
                    "the interval ends before it starts".into(),
                ));
            }
            Ok(p)
        }
        _ => Err(bad()),
    }
}

/// A geometry literal in WGS 84, checked: finite, in range, not too many vertices.
fn geometry_literal(e: &Expr) -> Result<geo::Geometry<f64>, FilterError> {
    use geo::CoordsIter;
    let g: geo::Geometry<f64> = match e {
        Expr::Geometry(cql2::Geometry::Wkt(w)) => {
            use wkt::TryFromWkt;
            geo::Geometry::try_from_wkt_str(w)
                .map_err(|err| FilterError::Geometry(format!("WKT: {err}")))?
        }
        Expr::Geometry(cql2::Geometry::GeoJSON(g)) => geo::Geometry::try_from(g.clone())
            .map_err(|err| FilterError::Geometry(format!("GeoJSON: {err}")))?,
        Expr::BBox { bbox } => {
            let n: Vec<f64> = bbox
                .iter()
                .map(|v| match v.as_ref() {
                    Expr::Float(x) => Ok(*x),
                    _ => Err(FilterError::Geometry("BBOX takes numbers".into())),
                })
                .collect::<Result<_, _>>()?;
            let (x0, y0, x1, y1) = match n.as_slice() {
                [a, b, c, d] => (*a, *b, *c, *d),
                [a, b, _, d, e, _] => (*a, *b, *d, *e),
                _ => {
                    return Err(FilterError::Geometry(
                        "BBOX takes 4 numbers (or 6 with heights)".into(),
                    ))
                }
            };
            if x0 > x1 || y0 > y1 {
                return Err(FilterError::Geometry(
                    "BBOX is minlon, minlat, maxlon, maxlat".into(),
                ));
            }
            geo::Geometry::Polygon(Rect::new((x0, y0), (x1, y1)).to_polygon())
        }
        other => {
            return Err(FilterError::Type(format!(
                "not a geometry literal: {}",
                shown(other)
            )))
        }
    };
    if g.coords_count() > MAX_QUERY_VERTICES {
        return Err(FilterError::Geometry(format!(
            "more than {MAX_QUERY_VERTICES} vertices"
        )));
    }
    if g.coords_count() == 0 {
        return Err(FilterError::Geometry("the geometry is empty".into()));
    }
    if g.coords_iter()
        .any(|c| !c.x.is_finite() || !c.y.is_finite() || c.x.abs() > 180.0 || c.y.abs() > 90.0)
    {
        return Err(FilterError::Geometry(
            "coordinates are WGS 84 longitude, latitude (CRS84)".into(),
        ));
    }
    Ok(g)
}
