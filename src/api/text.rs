//! A plan's text as a page: every line numbered and addressable (`#L123`), the names of the
//! projects found on it marked, and those projects listed in the margin with links to them.
//! Every mention in the API links here (`href`), so the plan around a quote is one click away.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{ApiError, Shared};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The stored text of a plan, from the store (every server has one).
async fn text_of(st: &Shared, id: &str) -> Result<Option<String>, ApiError> {
    match st.writes.as_ref() {
        Some(w) => w.store.text(id).await.map_err(super::plans::store_error),
        None => Ok(None),
    }
}

/// `GET /plans/{id}/text`
pub async fn page(State(st): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let info = snap.plans.iter().find(|p| p.meta.id == id).ok_or_else(|| {
        let shown: String = id.chars().take(64).collect();
        ApiError::NotFound(format!("no plan {shown:?}; see /plans"))
    })?;
    let doc = info.meta.doc.clone();
    let title = info.meta.title.clone().unwrap_or_else(|| doc.clone());
    let text = text_of(&st, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("plan {id} has no stored text")))?;
    // the projects found on each line: (name, id, category)
    let mut on_line: BTreeMap<usize, Vec<(&str, &str, &str)>> = BTreeMap::new();
    for l in snap.portfolio.features() {
        let p = &l.project;
        for m in p.mentions.iter().filter(|m| m.doc == doc) {
            on_line
                .entry(m.line)
                .or_default()
                .push((&p.name, &p.id, p.category.key()));
        }
    }
    let mut body = String::with_capacity(text.len() * 2);
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let found = on_line.get(&n).map(Vec::as_slice).unwrap_or(&[]);
        body.push_str(&format!(
            "<tr id=\"L{n}\"{}><td class=\"n\"><a href=\"#L{n}\">{n}</a></td><td class=\"t\">{}</td><td class=\"m\">",
            if found.is_empty() { "" } else { " class=\"found\"" },
            mark(line, found)
        ));
        for (name, pid, cat) in found {
            body.push_str(&format!(
                "<a class=\"p {cat}\" href=\"/collections/projects/items/{}\" title=\"{}\">{}</a> ",
                esc(pid),
                esc(cat),
                esc(name)
            ));
        }
        body.push_str("</td></tr>\n");
    }
    let html = format!(
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} – planmap</title><style>\
         body{{font:15px/1.6 system-ui,sans-serif;margin:0}}header{{padding:.6em 1em;background:#f4f1ea;position:sticky;top:0}}\
         table{{border-collapse:collapse;width:100%}}td{{vertical-align:top;padding:0 .5em}}\
         td.n{{text-align:right;color:#888;user-select:none;width:4em}}td.n a{{color:inherit;text-decoration:none}}\
         td.m{{width:22em;font-size:13px}}td.m a{{display:inline-block;margin-right:.4em}}\
         tr{{scroll-margin-top:3em}}tr.found td.t{{background:#fffbe6}}tr:target td{{background:#ffe58f}}mark{{background:#ffd666;padding:0 1px}}\
         </style></head><body><header><b>{t}</b> · <a href=\"/\">map</a> · <a href=\"/plans/{id}\">plan</a> · \
         <a href=\"/collections/projects/items?doc={d}\">its projects</a></header>\
         <main><table>{body}</table></main></body></html>",
        t = esc(&title),
        id = esc(&id),
        d = esc(&doc),
    );
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// Where a name stands on its line and how many bytes of it: the whole name, else its longest
/// head of two or more characters, for a name the text writes in parts (伊宁、博乐等边境经济合作区
/// names 伊宁边境经济合作区; 燕泉山创建为…景区 names 燕泉山景区).
fn written_part(line: &str, name: &str) -> Option<(usize, usize)> {
    let heads = name
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(name.len()))
        .skip(2)
        .collect::<Vec<_>>();
    heads
        .into_iter()
        .rev()
        .find_map(|end| line.find(&name[..end]).map(|at| (at, end)))
}

/// A line with the names found on it marked (each name once, longest first so that a name
/// inside a longer one is not marked twice).
fn mark(line: &str, found: &[(&str, &str, &str)]) -> String {
    let mut names: Vec<&str> = found.iter().map(|(n, _, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for n in names {
        if let Some((at, len)) = written_part(line, n) {
            let span = (at, at + len);
            if !spans.iter().any(|&(a, b)| span.0 < b && a < span.1) {
                spans.push(span);
            }
        }
    }
    spans.sort_unstable();
    let mut out = String::new();
    let mut last = 0;
    for (a, b) in spans {
        out.push_str(&esc(&line[last..a]));
        out.push_str("<mark>");
        out.push_str(&esc(&line[a..b]));
        out.push_str("</mark>");
        last = b;
    }
    out.push_str(&esc(&line[last..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_written_in_parts_are_marked_by_their_head() {
        let line = "提升伊宁、博乐等现有国家级边境经济合作区功能";
        let found = [("伊宁边境经济合作区", "a", "industrial_park")];
        assert_eq!(
            mark(line, &found),
            "提升<mark>伊宁</mark>、博乐等现有国家级边境经济合作区功能"
        );
        let found = [("喀什机场", "b", "airport")];
        assert_eq!(
            mark("改扩建喀什机场。", &found),
            "改扩建<mark>喀什机场</mark>。"
        );
        // a name of which not even two characters stand on the line marks nothing
        assert_eq!(written_part("建设石门子水库", "头屯河水库"), None);
    }
}
