//! Merge: mentions of one project, across a plan and across plans, become one project.

use super::*;

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
    for suffix in ["工程", "项目", "建设"] {
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
/// unit (和丰机场 and 和布克赛尔机场 are one airport; 塔城口岸 and 塔城市口岸 one port), and 园区
/// read as 园.
pub(super) fn merge_key(gaz: &Gazetteer, name: &str) -> String {
    let k = name_key(name);
    let mut out = String::with_capacity(k.len());
    let mut last = 0;
    for h in gaz.find_names(&k) {
        out.push_str(&k[last..h.start]);
        let unit = h.targets.iter().find_map(|t| match t {
            crate::gazetteer::Target::Unit(i) => Some(gaz.unit_at(*i).code),
            _ => None,
        });
        match unit {
            Some(code) => out.push_str(&format!("#{code}#")),
            None => out.push_str(&k[h.start..h.end]),
        }
        last = h.end;
    }
    out.push_str(&k[last..]);
    out.replace("园区", "园")
}

/// Merges mentions of the same project across documents, in order of first mention. A name
/// with no place that ends another name of the same kind in the same document (俄罗斯族风情街,
/// 塔城市俄罗斯族风情街) is that project, written short.
pub fn merge(gaz: &Gazetteer, found: Vec<Found>) -> Vec<Project> {
    let mut by_key: HashMap<(String, Category), usize> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    let mut projects: Vec<Project> = Vec::new();
    for f in found {
        let key = (merge_key(gaz, &f.name), f.category);
        match by_key.get(&key) {
            Some(&i) => absorb(&mut projects[i], f),
            None => {
                let id = project_id(&name_key(&f.name), f.category);
                by_key.insert(key.clone(), projects.len());
                keys.push(key.0);
                projects.push(Project {
                    id,
                    waypoints: waypoints(&f.name, f.category),
                    name: f.name,
                    category: f.category,
                    action: f.action,
                    investment_yi: f.investment_yi,
                    mentions: vec![f.mention],
                    contexts: vec![f.context],
                });
            }
        }
    }
    // short forms: no place of their own, the tail of a longer name that has one
    let mut gone = vec![false; projects.len()];
    let mut by_tail: HashMap<(Category, String), Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if k.contains('#') {
            // index every tail that starts right after a place token
            let mut rest = k.as_str();
            while let Some(p) = rest.find('#') {
                let after = &rest[p + 1..];
                let Some(q) = after.find('#') else { break };
                let tail = &after[q + 1..];
                if tail.chars().count() >= 3 {
                    by_tail
                        .entry((projects[i].category, tail.to_string()))
                        .or_default()
                        .push(i);
                }
                rest = tail;
            }
        }
    }
    for i in 0..projects.len() {
        if keys[i].contains('#') {
            continue;
        }
        let Some(cands) = by_tail.get(&(projects[i].category, keys[i].clone())) else {
            continue;
        };
        let docs: Vec<&str> = projects[i]
            .mentions
            .iter()
            .map(|m| m.doc.as_str())
            .collect();
        let target = cands.iter().copied().find(|&j| {
            j != i
                && !gone[j]
                && projects[j]
                    .mentions
                    .iter()
                    .any(|m| docs.contains(&m.doc.as_str()))
        });
        if let Some(j) = target {
            gone[i] = true;
            let short = std::mem::take(&mut projects[i].mentions);
            let ctx = std::mem::take(&mut projects[i].contexts);
            for (m, c) in short.into_iter().zip(ctx) {
                let p = &mut projects[j];
                if !p
                    .mentions
                    .iter()
                    .any(|x| x.doc == m.doc && x.line == m.line)
                {
                    p.mentions.push(m);
                    p.contexts.push(c);
                }
            }
        }
    }
    projects
        .into_iter()
        .zip(gone)
        .filter(|(_, g)| !g)
        .map(|(p, _)| p)
        .collect()
}

pub(super) fn absorb(p: &mut Project, f: Found) {
    // one mention per line: the first quote there stands for the line
    if !p
        .mentions
        .iter()
        .any(|m| m.doc == f.mention.doc && m.line == f.mention.line)
    {
        p.mentions.push(f.mention);
        p.contexts.push(f.context);
    }
    if p.action == Action::Unknown {
        p.action = f.action;
    }
    p.investment_yi = p.investment_yi.or(f.investment_yi);
}

/// A stable id: the same name and category give the same id, run after run.
pub(super) fn project_id(key: &str, category: Category) -> String {
    let mut h = Sha256::new();
    h.update(category.key().as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    let d = h.finalize();
    let hex: String = d[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}", category.key())
}
