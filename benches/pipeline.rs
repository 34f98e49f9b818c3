//! Speed figures, printed (run: `cargo bench`). Not a test: nothing here fails on a slow machine.
//!
//! - extraction + geocoding of the five seeds (issue 3: well under a second), and extraction
//!   alone in MB/s of plan text (issue 12: above 2 MB/s);
//! - extraction time per MB on one long line, 1 MB to 10 MB (must stay flat: linear time), and
//!   one project mentioned on 20,000 and 200,000 lines (linear in mentions);
//! - index build, and bbox / nearest / within / county-at queries on the R-trees.

use std::hint::black_box;
use std::time::{Duration, Instant};

use geo::{Point, Rect};
use planmap::gazetteer::Gazetteer;
use planmap::index::Filter;
use planmap::model::Document;

/// Runs `f` repeatedly for about `budget`, returns the mean time per call.
fn time<T>(budget: Duration, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget || n < 3 {
        black_box(f());
        n += 1;
    }
    start.elapsed() / n
}

fn main() {
    let gaz = Gazetteer::embedded().unwrap();
    let docs = planmap::seeds::documents().unwrap();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();

    let t = time(Duration::from_secs(3), || {
        planmap::locate_documents(&gaz, &docs)
    });
    println!(
        "extract+geocode, 5 seeds ({:.0} KB): {:.1} ms",
        bytes as f64 / 1024.0,
        t.as_secs_f64() * 1e3
    );
    // issue 12: extraction alone must stay above 2 MB/s of plan text
    let t = time(Duration::from_secs(3), || {
        planmap::extract::extract_all(&gaz, &docs)
    });
    println!(
        "extract only, 5 seeds: {:.1} ms, {:.1} MB/s",
        t.as_secs_f64() * 1e3,
        bytes as f64 / 1048576.0 / t.as_secs_f64()
    );
    let t = time(Duration::from_secs(2), || Gazetteer::embedded().unwrap());
    println!("gazetteer load: {:.1} ms", t.as_secs_f64() * 1e3);

    // one line, no breaks: the extractor must stay linear
    let unit = "加快推进塔城机场改扩建、喀拉也木勒、锡伯图、巴音沟等水库和乌苏750KV输变电工程以及阿勒泰-富蕴-准东铁路";
    for mb in [1usize, 2, 5, 10] {
        let text = unit.repeat(mb * 1024 * 1024 / unit.len());
        let doc = Document::from_bytes("long.txt", text.as_bytes()).unwrap();
        let t0 = Instant::now();
        let n = planmap::extract::extract_all(&gaz, std::slice::from_ref(&doc)).len();
        let s = t0.elapsed().as_secs_f64();
        println!(
            "one {mb} MB line: {:.2} s, {:.3} s/MB ({n} projects)",
            s,
            s / (text.len() as f64 / 1048576.0)
        );
    }

    // one project mentioned on every line: merging must stay linear in mentions
    for n in [20_000usize, 200_000] {
        let text = "建设塔城机场。\n".repeat(n);
        let doc = Document::from_bytes("rep.txt", text.as_bytes()).unwrap();
        let t0 = Instant::now();
        let located = planmap::locate_documents(&gaz, std::slice::from_ref(&doc));
        println!(
            "one project on {n} lines: {:.2} s ({} mentions)",
            t0.elapsed().as_secs_f64(),
            located[0].project.mentions.len()
        );
    }

    let catalog = planmap::pipeline::catalog_of(&gaz, &planmap::store::embedded_plans().unwrap());
    let fresh = time(Duration::from_secs(2), || catalog.snapshot(&gaz).unwrap());
    println!(
        "snapshot with its reference layers parsed ({} features): {:.1} ms",
        catalog.entries().len(),
        fresh.as_secs_f64() * 1e3
    );
    let prev = catalog.snapshot(&gaz).unwrap();
    let t = time(Duration::from_secs(2), || catalog.snapshot_like(&prev));
    println!(
        "index build ({} features): {:.1} ms",
        catalog.entries().len(),
        t.as_secs_f64() * 1e3
    );
    let snap = catalog.snapshot(&gaz).unwrap();
    let p = &snap.portfolio;
    let none = Filter::default();
    let mut i = 0u64;
    let mut next_point = || {
        i = i
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let a = (i >> 33) as f64 / (1u64 << 31) as f64;
        let b = ((i >> 11) & 0xfffff) as f64 / 1048576.0;
        Point::new(74.0 + a * 21.0, 35.0 + b * 13.0)
    };
    let q = |name: &str, t: Duration| {
        println!(
            "{name}: {:.2} µs/query ({:.0} queries/s on one core)",
            t.as_secs_f64() * 1e6,
            1.0 / t.as_secs_f64()
        )
    };
    q(
        "bbox 1°x1°",
        time(Duration::from_secs(2), || {
            let c = next_point();
            p.in_bbox(Rect::new((c.x(), c.y()), (c.x() + 1.0, c.y() + 1.0)), &none)
                .len()
        }),
    );
    q(
        "nearest k=10",
        time(Duration::from_secs(2), || {
            p.nearest(next_point(), 10, &none).len()
        }),
    );
    q(
        "within 50 km",
        time(Duration::from_secs(2), || {
            p.within(next_point(), 50.0, &none).len()
        }),
    );
    q(
        "county at point",
        time(Duration::from_secs(2), || {
            gaz.county_at(next_point()).map(|u| u.code)
        }),
    );
}
