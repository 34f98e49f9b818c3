//! The five seed plans, embedded so that `planmap serve` works with no data directory.

use crate::document::DocumentError;
use crate::model::Document;

const SEEDS: [(&str, &str); 5] = [
    (
        "000_b38476c404a71810.txt",
        include_str!("../seeds/000_b38476c404a71810.txt"),
    ),
    (
        "001_7e2ae6d48760484e.txt",
        include_str!("../seeds/001_7e2ae6d48760484e.txt"),
    ),
    (
        "002_ad85a8b65c4c4e5d.txt",
        include_str!("../seeds/002_ad85a8b65c4c4e5d.txt"),
    ),
    (
        "003_8d53f193fad8ffaf.txt",
        include_str!("../seeds/003_8d53f193fad8ffaf.txt"),
    ),
    (
        "004_fa419fc1b30fff2e.txt",
        include_str!("../seeds/004_fa419fc1b30fff2e.txt"),
    ),
];

/// The embedded seed documents. One that does not read is a build defect, reported, never
/// skipped: a service missing a seed would look whole.
pub fn documents() -> Result<Vec<Document>, DocumentError> {
    SEEDS
        .iter()
        .map(|(name, text)| Document::from_bytes(name, text.as_bytes()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_seed_reads() {
        let docs = super::documents().unwrap();
        assert_eq!(docs.len(), super::SEEDS.len());
        assert!(docs.iter().all(|d| !d.text.is_empty()));
    }
}
