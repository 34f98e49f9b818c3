//! Merge: mentions of one project, across a plan and across plans, become one project.

use std::collections::HashSet;
use std::sync::Arc;

use super::*;
use crate::gazetteer::{PlaceKind, Target};

/// Most characters a longer form of a name may put between its head and its tail (国家, 二级).
const MAX_INSERTED_CHARS: usize = 4;
/// Most names of one kind and one ending compared pairwise for variants (a plan has tens).
const MAX_VARIANT_GROUP: usize = 2000;

/// The key two mentions of one project share: the name without punctuation, brackets and the
/// words plans wrap around it (工程, 项目).
pub fn name_key(name: &str) -> String {
    let k: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punct(*c))
        .collect();
    // capacities describe, they do not name: 塔城2×35万千瓦热电 is 塔城热电
    let k = CAPACITY.replace_all(&k, "").into_owned();
    let mut k = k;
    for suffix in lexicon::WRAPPER_WORDS.iter() {
        if k.ends_with(suffix) && k.chars().count() > suffix.chars().count() + 2 {
            k.truncate(k.len() - suffix.len());
        }
    }
    k
}

pub(super) static CAPACITY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\d+(?:\.\d+)?(?:[×x*]\d+(?:\.\d+)?)?(?:万|百万|千万)?千瓦")
        .expect("fixed pattern")
});

/// The merge key of a name: [`name_key`] with every gazetteer place written as its canonical
/// unit or place (和丰机场 and 和布克赛尔机场 are one airport; 塔城口岸 and 塔城市口岸 one port;
/// 东大唐 and 东大塘 one valley), and 园区 read as 园. An airport or a port of entry whose site
/// the gazetteer knows is that site, whatever else its name says (乌鲁木齐国际枢纽机场 and
/// 乌鲁木齐地窝堡机场); a route is its end points in either order (甲—乙铁路 and 乙—甲铁路).
pub(super) fn merge_key(gaz: &Gazetteer, name: &str, category: Category) -> MergeKey {
    if let Some(site) = site_key(gaz, name, category) {
        return MergeKey::Site(site);
    }
    let k = canonical_places(gaz, &name_key(name));
    if category.is_linear() {
        let mut points = waypoints(name, category);
        // 克塔铁路 is 克拉玛依至塔城铁路: one character a place, and no place of its own
        if points.is_empty() && gaz.find_names(name).is_empty() {
            points = abbreviated_waypoints(name).unwrap_or_default();
        }
        if points.len() >= 2 {
            let mut ends: Vec<String> = points.iter().map(|w| end_point_key(gaz, w)).collect();
            ends.sort();
            let type_word = lexicon::TYPE_WORDS
                .iter()
                .filter(|(w, _)| name.ends_with(w))
                .map(|(w, _)| *w)
                .max_by_key(|w| w.len())
                .unwrap_or("");
            return MergeKey::Route { ends, type_word };
        }
    }
    MergeKey::Name(k.replace("园区", "园"))
}

/// What mentions of one project share.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum MergeKey {
    /// An airport or a port of entry whose gazetteer place is known (its index).
    Site(usize),
    /// A route: its end points' keys in sorted order, and its type word.
    Route {
        ends: Vec<String>,
        type_word: &'static str,
    },
    /// Any other name: [`name_key`] with places written canonically (#654201#, #水西沟#).
    Name(String),
}

impl MergeKey {
    /// The name key of a name that may stand for a longer one: long and specific enough (a
    /// short generic tail such as 物流园 ends too many names); sites and routes are whole.
    fn short_form(&self) -> Option<&str> {
        match self {
            MergeKey::Name(k) if k.chars().count() >= 4 => Some(k),
            _ => None,
        }
    }

    /// The name key of a name that may be the longer form of another.
    fn long_form(&self) -> Option<&str> {
        match self {
            MergeKey::Name(k) => Some(k),
            _ => None,
        }
    }
}

/// The last two characters of a key.
fn key_tail(key: &str) -> String {
    let n = key.chars().count();
    key.chars().skip(n.saturating_sub(2)).collect()
}

/// `long` is `short` written out more fully: with words before it and a few characters put in
/// between a head and a tail both keep (照壁山湿地公园 and 照壁山国家湿地公园; 热气泉康体度假景区
/// and 和布克赛尔县江格尔热气泉旅游康体度假景区).
fn is_inserted_variant(short: &str, long: &str) -> bool {
    let a: Vec<char> = short.chars().collect();
    let b: Vec<char> = long.chars().collect();
    if b.len() <= a.len() {
        return false;
    }
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    // every split of `short` into head + tail whose tail `long` ends with
    (2..=tail.min(a.len() - 2)).any(|t| {
        let head = &a[..a.len() - t];
        let rest = &b[..b.len() - t];
        (1..=MAX_INSERTED_CHARS.min(rest.len())).any(|gap| rest[..rest.len() - gap].ends_with(head))
    })
}

/// A route's end point as the county-level unit of the last place it names (塔城（巴克图） and
/// 塔城巴克图口岸 and 塔城 end in one county), or its text where no place is known.
fn end_point_key(gaz: &Gazetteer, w: &str) -> String {
    let k = name_key(w);
    // a county-level unit or a place's county before a prefecture (塔城 is 塔城市 here)
    let county = gaz.find_names(&k).iter().rev().find_map(|h| {
        let mut codes: Vec<(bool, String)> = h
            .targets
            .iter()
            .filter_map(|t| match t {
                Target::Unit(i) => {
                    let u = gaz.unit_at(*i);
                    Some((u.code.is_prefecture(), u.code.to_string()))
                }
                Target::Place(i) => gaz
                    .place_at(*i)
                    .counties
                    .first()
                    .map(|c| (false, c.to_string())),
            })
            .collect();
        codes.sort();
        codes.into_iter().next().map(|(_, c)| c)
    });
    county.unwrap_or_else(|| canonical_places(gaz, &k))
}

fn canonical_places(gaz: &Gazetteer, k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    let mut last = 0;
    for h in gaz.find_names(k) {
        out.push_str(&k[last..h.start]);
        let unit = h.targets.iter().find_map(|t| match t {
            Target::Unit(i) => Some(gaz.unit_at(*i).code.to_string()),
            _ => None,
        });
        // a township and the valley or lake it is named after are one place in a name
        // (水西沟镇, 水西沟); an alias is its place (东大唐, 东大塘)
        let place = h.targets.iter().find_map(|t| match t {
            Target::Place(i) => {
                let name = &gaz.place_at(*i).name;
                let stem = lexicon::TOWNSHIP_SUFFIXES
                    .iter()
                    .find_map(|s| name.strip_suffix(s).filter(|r| r.chars().count() >= 2))
                    .unwrap_or(name);
                Some(stem.to_string())
            }
            _ => None,
        });
        match unit.or(place) {
            Some(token) => out.push_str(&format!("#{token}#")),
            None => out.push_str(&k[h.start..h.end]),
        }
        last = h.end;
    }
    out.push_str(&k[last..]);
    out
}

/// The site an airport's or a port's name points at, when the gazetteer knows it.
fn site_key(gaz: &Gazetteer, name: &str, category: Category) -> Option<usize> {
    let (kind, word) = match category {
        Category::Airport => (PlaceKind::Airport, "机场"),
        Category::Port => (PlaceKind::Port, "口岸"),
        _ => return None,
    };
    // 航空口岸 and 公路口岸 are ports at a site, but not the site's land port
    if !name.ends_with(word) || name.ends_with("航空口岸") {
        return None;
    }
    let site = gaz.find_names(name).into_iter().find_map(|h| {
        h.targets.iter().find_map(|t| match t {
            Target::Place(i) if gaz.place_at(*i).kind == kind => Some(*i),
            _ => None,
        })
    })?;
    Some(site)
}

impl MergeKey {
    /// The key as text, stable across runs and gazetteer reloads (a site is its place's name).
    fn to_text(&self, gaz: &Gazetteer) -> String {
        match self {
            MergeKey::Site(i) => format!("site:{}", gaz.place_at(*i).name),
            MergeKey::Route { ends, type_word } => format!("route:{type_word}:{}", ends.join("|")),
            MergeKey::Name(k) => format!("name:{k}"),
        }
    }
}

/// The merge keys of one plan's mentions. A name with no place that ends another name of the
/// same kind in the same plan (俄罗斯族风情街, 塔城市俄罗斯族风情街) is that project, written
/// short: it takes the closest longer form's key. The routing reads one plan only, so a plan's
/// keys never change when other plans come or go.
pub fn plan_keys(gaz: &Gazetteer, found: Vec<Found>) -> Vec<Keyed> {
    let keys: Vec<MergeKey> = found
        .iter()
        .map(|f| merge_key(gaz, &f.name, f.category))
        .collect();
    // distinct (key, category) in order of first mention
    let mut distinct: Vec<(usize, Category)> = Vec::new();
    let mut seen: HashMap<(&MergeKey, Category), usize> = HashMap::new();
    let mut slot = Vec::with_capacity(found.len());
    for (k, f) in keys.iter().zip(&found) {
        let n = distinct.len();
        let s = *seen.entry((k, f.category)).or_insert(n);
        if s == n {
            distinct.push((slot.len(), f.category));
        }
        slot.push(s);
    }
    // candidates share a category and the last two characters of their key (every variant
    // keeps a tail of two or more); a group too large to compare pairwise is left as it is
    let mut groups: HashMap<(Category, String), Vec<usize>> = HashMap::new();
    for (d, &(first, cat)) in distinct.iter().enumerate() {
        if let Some(k) = keys[first].long_form() {
            groups.entry((cat, key_tail(k))).or_default().push(d);
        }
    }
    let target: Vec<Option<usize>> = distinct
        .iter()
        .enumerate()
        .map(|(d, &(first, cat))| {
            let short = keys[first].short_form()?;
            let group = &groups[&(cat, key_tail(short))];
            if group.len() > MAX_VARIANT_GROUP {
                return None;
            }
            group
                .iter()
                .copied()
                .filter(|&j| {
                    keys[distinct[j].0].long_form().is_some_and(|long| {
                        j != d
                            && long.len() > short.len()
                            && (long.ends_with(short) || is_inserted_variant(short, long))
                    })
                })
                // the closest longer form: the one that adds least
                .min_by_key(|&j| keys[distinct[j].0].long_form().map_or(usize::MAX, str::len))
        })
        .collect();
    // a short form of a short form ends at the longest (targets only grow: no cycles)
    let root = |mut d: usize| {
        while let Some(t) = target[d] {
            d = t;
        }
        d
    };
    let texts: Vec<ProjectKey> = distinct
        .iter()
        .map(|&(first, _)| ProjectKey::new(keys[first].to_text(gaz)))
        .collect();
    found
        .into_iter()
        .zip(slot)
        .map(|(f, s)| {
            let r = root(s);
            Keyed {
                found: f,
                key: texts[r].clone(),
                routed: r != s,
            }
        })
        .collect()
}

/// Merges projects as plans arrive: each mention joins the project of its key. Adding a plan
/// touches only the projects it names, so a portfolio grows by the cost of the new plan.
#[derive(Clone, Debug, Default)]
pub struct Merger {
    slots: HashMap<(ProjectKey, Category), usize>,
    /// (project, document, line) of every mention kept: one mention per line, found in
    /// constant time.
    lines: HashSet<(usize, u32, usize)>,
    /// Whether the project's name comes from a mention written in full.
    named: Vec<bool>,
    docs: HashMap<String, u32>,
}

/// Most contexts a project keeps for the geocoder, which reads them in order and stops at the
/// first that places it: a project named by a thousand plans needs no thousand sentences.
pub const MAX_CONTEXTS: usize = 16;

impl Merger {
    /// Adds one mention; returns the index of its project in `projects` (new ones are pushed).
    /// A project shared with a served snapshot is copied before it changes.
    pub fn add(&mut self, projects: &mut Vec<Arc<Project>>, k: Keyed) -> usize {
        let doc = match self.docs.get(k.found.mention.doc.as_str()) {
            Some(&d) => d,
            None => {
                let d = self.docs.len() as u32;
                self.docs.insert(k.found.mention.doc.clone(), d);
                d
            }
        };
        let line = k.found.mention.line;
        let f = k.found;
        let next = projects.len();
        let i = match self.slots.entry((k.key, f.category)) {
            std::collections::hash_map::Entry::Occupied(e) => *e.get(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let id = project_id(e.key().0.as_str(), f.category);
                e.insert(next);
                self.lines.insert((next, doc, line));
                self.named.push(!k.routed);
                projects.push(Arc::new(Project {
                    id,
                    waypoints: waypoints(&f.name, f.category),
                    abbreviated: if matches!(f.category, Category::Railway | Category::Highway) {
                        abbreviated_waypoints(&f.name).unwrap_or_default()
                    } else {
                        Vec::new()
                    },
                    name: f.name,
                    category: f.category,
                    action: f.action,
                    investment_yi: f.investment_yi,
                    mentions: vec![f.mention],
                    contexts: vec![f.context],
                    status: Status::Unknown,
                    timeline: Vec::new(),
                }));
                return next;
            }
        };
        let p = Arc::make_mut(&mut projects[i]);
        if !self.named[i] && !k.routed {
            // the first mention written in full names the project
            p.waypoints = waypoints(&f.name, f.category);
            p.name = f.name;
            self.named[i] = true;
        }
        if self.lines.insert((i, doc, line)) {
            p.mentions.push(f.mention);
            if p.contexts.len() < MAX_CONTEXTS {
                p.contexts.push(f.context);
            }
        }
        if p.action == Action::Unknown {
            p.action = f.action;
        }
        p.investment_yi = p.investment_yi.or(f.investment_yi);
        i
    }
}

/// Merges mentions of the same project across documents, in order of first mention: each
/// document's mentions are keyed ([`plan_keys`]) and grouped by key.
pub fn merge(gaz: &Gazetteer, found: Vec<Found>) -> Vec<Project> {
    let mut by_doc: Vec<(String, Vec<Found>)> = Vec::new();
    for f in found {
        match by_doc.last_mut() {
            Some((d, v)) if *d == f.mention.doc => v.push(f),
            _ => by_doc.push((f.mention.doc.clone(), vec![f])),
        }
    }
    let mut merger = Merger::default();
    let mut projects = Vec::new();
    for (_, found) in by_doc {
        for k in plan_keys(gaz, found) {
            merger.add(&mut projects, k);
        }
    }
    projects.into_iter().map(Arc::unwrap_or_clone).collect()
}

/// A stable id: the same name and category give the same id, run after run.
pub(super) fn project_id(key: &str, category: Category) -> String {
    let mut h = Sha256::new();
    h.update(category.key().as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    let d = h.finalize();
    let hex = hex::encode(&d[..6]);
    format!("{}-{hex}", category.key())
}
