//! Issue 27: a full data disk, really full (a small tmpfs mounted for the test). A write that
//! fails cleans up after itself at once and says so (507 with Retry-After, no server paths);
//! a plan that fits is then stored; a start-up that cannot save a record it made again still
//! serves the plan from its text.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{matched, plan_ids, Server};

fn post(s: &Server, text: &str) -> (u16, Value, Option<String>) {
    common::post_text(s, TOKEN, text)
}
use serde_json::Value;

const TOKEN: &str = "disk-full-token";

/// A tmpfs of a few MiB, unmounted when dropped. Mounting needs root (as `.ci/run` runs) or
/// password-less sudo.
struct SmallDisk {
    dir: PathBuf,
}

fn as_root(args: &[&str]) -> std::process::Output {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut c = if root {
        Command::new(args[0])
    } else {
        let mut c = Command::new("sudo");
        c.arg("-n").arg(args[0]);
        c
    };
    c.args(&args[1..]).output().expect("mount runs")
}

impl SmallDisk {
    fn new(mib: usize) -> SmallDisk {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("planmap-full-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let size = format!("size={mib}m");
        let out = as_root(&[
            "mount",
            "-t",
            "tmpfs",
            "-o",
            &size,
            "tmpfs",
            dir.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "mounting a tmpfs needs root or sudo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir }
    }

    /// Fills the disk to the last byte with `name`, then frees `keep` bytes of it.
    fn fill(&self, name: &str, keep: u64) {
        let path = self.dir.join(name);
        let mut f = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while f.write_all(&chunk).is_ok() {}
        // a last partial chunk may not have fit: write what does, byte by byte in pages
        while f.write_all(&chunk[..512]).is_ok() {}
        let _ = f.sync_all();
        let len = f.metadata().unwrap().len();
        f.set_len(len.saturating_sub(keep)).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = as_root(&["umount", "-l", self.dir.to_str().unwrap()]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A plan of about `bytes` bytes with projects in it.
fn plan_of(tag: &str, bytes: usize) -> String {
    let mut t = format!("博尔塔拉蒙古自治州{tag}号测试行动计划\n");
    let mut n = 0;
    while t.len() < bytes {
        n += 1;
        t.push_str(&format!(
            "加快推进博乐至阿拉山口第{tag}{n}高速公路建设，建设赛里木湖第{tag}{n}号景区。\n"
        ));
    }
    t
}

/// What is in the plans directory that should not be: temporary files, and texts or records
/// whose plan was never committed (no metadata).
fn leftovers(plans: &Path) -> Vec<String> {
    let names: Vec<String> = std::fs::read_dir(plans)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names
        .iter()
        .filter(|n| {
            n.starts_with(".tmp-")
                || n.rsplit_once('.').is_some_and(|(id, ext)| {
                    (ext == "txt" || ext == "record") && !names.contains(&format!("{id}.json"))
                })
        })
        .cloned()
        .collect()
}

#[test]
fn a_full_disk_refuses_cleanly_and_still_serves() {
    let disk = SmallDisk::new(4);
    let data = disk.dir.join("data");
    let plans = data.join("plans");
    let args = ["--data", data.to_str().unwrap(), "--token", TOKEN];
    let s = Server::start(&args);
    let seeds = plan_ids(&s);
    let projects = matched(&s);

    // 256 KiB left: a plan of 600 KB cannot be stored
    disk.fill("filler", 256 * 1024);
    let (st, body, retry) = post(&s, &plan_of("大", 600_000));
    assert_eq!(st, 507, "{body}");
    assert_eq!(body["code"], "InsufficientStorage", "{body}");
    assert!(retry.is_some(), "507 without Retry-After");
    let text = body.to_string();
    assert!(
        !text.contains(disk.dir.to_str().unwrap()) && !text.contains("/tmp"),
        "the answer shows server paths: {text}"
    );
    // it left nothing behind, so a plan that fits in what is left is stored
    assert_eq!(leftovers(&plans), Vec::<String>::new());
    let (st, body, _) = post(&s, &plan_of("小", 20_000));
    assert_eq!(st, 201, "{body}");
    assert_eq!(plan_ids(&s).len(), seeds.len() + 1);
    assert_eq!(leftovers(&plans), Vec::<String>::new());
    let projects = projects.max(matched(&s));
    drop(s);

    // a record that must be made again at start-up, on a disk with no room for it
    let record = plans.join(format!("{}.record", seeds[0]));
    std::fs::remove_file(&record).unwrap();
    disk.fill("filler2", 0);
    let log = disk.dir.with_extension("log");
    let s = Server::start_logging(&args, std::fs::File::create(&log).unwrap());
    assert_eq!(plan_ids(&s).len(), seeds.len() + 1);
    assert_eq!(
        matched(&s),
        projects,
        "the plan without its record is served"
    );
    assert!(!record.exists());
    assert_eq!(leftovers(&plans), Vec::<String>::new());
    drop(s);
    let logged = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(
        logged.contains("record not saved"),
        "start-up did not say it serves from the text: {logged}"
    );
}
