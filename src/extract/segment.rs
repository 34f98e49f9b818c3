//! Segment: words and their parts of speech, for the part of a clause that may be a name.
//!
//! A general Chinese segmenter (jieba, with its own dictionary of some 350,000 words) knows far
//! more verbs, adverbs and function words than any list kept here, so it decides where a name
//! may not start and whether a name has anything in it that names one thing. It does not know
//! Xinjiang's place names (喀拉也木勒 comes out as 喀拉/ns 也/d 木勒/nr), so the gazetteer's
//! places are cut out first and stand as whole words, and the segmenter only reads between them.

use jieba_rs::Jieba;

/// What a word is, as far as names are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    /// A gazetteer place.
    Place,
    /// A proper noun the segmenter knows (ns, nr, nz, nt) or a word it does not know at all.
    Proper,
    /// Verbs, prepositions, conjunctions, adverbs, pronouns, time words, particles: a name
    /// never starts with one.
    Function,
    /// Common nouns, adjectives, measure words, numbers.
    Common,
}

/// One word of a span, by char offsets into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub pos: Pos,
}

impl Segment {
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.end - self.start
    }
}

pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// Loads the segmenter's dictionary (about 0.1 s): build once.
    pub fn new() -> Self {
        Segmenter {
            jieba: Jieba::new(),
        }
    }

    /// The words of `chars`, with the given place spans (sorted, char offsets into `chars`)
    /// kept whole as places.
    pub fn segments(&self, chars: &[char], places: &[(usize, usize)]) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(ps, pe) in places {
            if ps < at || pe > chars.len() {
                continue;
            }
            self.between(chars, at, ps, &mut out);
            out.push(Segment {
                start: ps,
                end: pe,
                pos: Pos::Place,
            });
            at = pe;
        }
        self.between(chars, at, chars.len(), &mut out);
        out
    }

    fn between(&self, chars: &[char], from: usize, to: usize, out: &mut Vec<Segment>) {
        if from >= to {
            return;
        }
        let text: String = chars[from..to].iter().collect();
        for t in self.jieba.tag(&text, true) {
            let pos = pos_of(t.tag, t.word, &self.jieba);
            out.push(Segment {
                start: from + t.start,
                end: from + t.end,
                pos,
            });
        }
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

fn pos_of(tag: &str, word: &str, jieba: &Jieba) -> Pos {
    if super::lexicon::PROPER_WORDS.contains(&word) {
        return Pos::Proper;
    }
    if super::lexicon::COMMON_WORDS.contains(&word) {
        return Pos::Common;
    }
    // words the dictionary does not hold were put together by the HMM: new words, most often
    // names
    // (letters alone are grades and abbreviations: AAAA级, VOCs; brackets and dashes name
    // nothing)
    if word
        .chars()
        .all(|c| c.is_ascii_alphabetic() || !c.is_alphanumeric())
    {
        return Pos::Common;
    }
    if word.chars().count() >= 2 && !jieba.has_word(word) {
        return Pos::Proper;
    }
    let first = tag.chars().next().unwrap_or('x');
    match first {
        'n' if matches!(tag, "ns" | "nr" | "nrt" | "nrfg" | "nz" | "nt") => Pos::Proper,
        'x' => Pos::Proper,
        'v' if tag == "vn" => Pos::Common,
        // (f: 南部, 周边 — where, not what; b: 现有, 大型 — which kind, not which one)
        'v' | 'p' | 'c' | 'd' | 'r' | 't' | 'u' | 'y' | 'e' | 'o' | 'f' | 'b' => Pos::Function,
        _ => Pos::Common,
    }
}
