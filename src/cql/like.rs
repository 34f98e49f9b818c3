//! CQL2's `LIKE`: `%` any run of characters, `_` one character, `\` makes the next one literal.
//!
//! Matched greedily with one backtrack point (the last `%`), so a match costs at most the
//! product of the two lengths, however the pattern is written.

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Char(char),
    One,
    Any,
}

/// A compiled `LIKE` pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern(Vec<Token>);

impl Pattern {
    /// ```
    /// use planmap::cql::like::Pattern;
    /// assert!(Pattern::new("%铁路").matches("克拉玛依至塔城铁路"));
    /// assert!(Pattern::new("塔城_场").matches("塔城机场"));
    /// assert!(!Pattern::new("塔城_场").matches("塔城国际机场"));
    /// assert!(Pattern::new(r"100\%").matches("100%"));
    /// assert!(!Pattern::new(r"100\%").matches("1000"));
    /// ```
    pub fn new(pattern: &str) -> Pattern {
        let mut out = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            out.push(match c {
                '\\' => Token::Char(chars.next().unwrap_or('\\')),
                '%' => Token::Any,
                '_' => Token::One,
                c => Token::Char(c),
            });
        }
        // runs of % are one %
        out.dedup_by(|a, b| *a == Token::Any && *b == Token::Any);
        Pattern(out)
    }

    pub fn matches(&self, text: &str) -> bool {
        let t: Vec<char> = text.chars().collect();
        let p = &self.0;
        let (mut i, mut j) = (0usize, 0usize);
        // where the last % was, and where in the text it was tried up to
        let mut back: Option<(usize, usize)> = None;
        while i < t.len() {
            match p.get(j) {
                Some(Token::Any) => {
                    back = Some((j, i));
                    j += 1;
                }
                Some(Token::One) => {
                    i += 1;
                    j += 1;
                }
                Some(Token::Char(c)) if *c == t[i] => {
                    i += 1;
                    j += 1;
                }
                _ => match back {
                    // let the last % take one more character
                    Some((bj, bi)) => {
                        back = Some((bj, bi + 1));
                        j = bj + 1;
                        i = bi + 1;
                    }
                    None => return false,
                },
            }
        }
        p[j.min(p.len())..].iter().all(|tok| *tok == Token::Any)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same match by plain recursion, to check the fast one against.
    fn slow(p: &[Token], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some(Token::Any) => (0..=t.len()).any(|k| slow(&p[1..], &t[k..])),
            Some(Token::One) => !t.is_empty() && slow(&p[1..], &t[1..]),
            Some(Token::Char(c)) => t.first() == Some(c) && slow(&p[1..], &t[1..]),
        }
    }

    #[test]
    fn agrees_with_plain_recursion() {
        let alphabet = ['a', 'b', '%', '_'];
        let texts = ["", "a", "b", "ab", "ba", "aab", "abab", "bbba", "abba"];
        // every pattern of up to four symbols
        let mut patterns = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = patterns
                .iter()
                .flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}")))
                .collect();
            patterns.extend(longer);
        }
        patterns.sort();
        patterns.dedup();
        for p in &patterns {
            let compiled = Pattern::new(p);
            for t in texts {
                let chars: Vec<char> = t.chars().collect();
                assert_eq!(
                    compiled.matches(t),
                    slow(&compiled.0, &chars),
                    "{p:?} on {t:?}"
                );
            }
        }
    }

    #[test]
    fn many_wildcards_still_match_right() {
        // exponential for plain recursion; one backtrack point keeps it to length × length
        let p = Pattern::new(&"%a".repeat(100));
        assert!(!p.matches(&("a".repeat(99) + "b")));
        assert!(p.matches(&("b".to_string() + &"a".repeat(100))));
    }
}
