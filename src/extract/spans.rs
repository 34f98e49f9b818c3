//! Char-index spans with the few queries the scanner asks, each in logarithmic time, so that a
//! clause of any length is scanned in near-linear time.

/// Spans `[start, end)`, sorted by start, with a running maximum of ends.
pub struct Spans {
    spans: Vec<(usize, usize)>,
    max_end: Vec<usize>,
}

impl Spans {
    pub fn new(mut spans: Vec<(usize, usize)>) -> Self {
        spans.sort_unstable();
        let mut m = 0;
        let max_end = spans
            .iter()
            .map(|s| {
                m = m.max(s.1);
                m
            })
            .collect();
        Spans { spans, max_end }
    }

    /// Does any span overlap `[s, e)`?
    pub fn overlaps(&self, s: usize, e: usize) -> bool {
        let k = self.spans.partition_point(|sp| sp.0 < e);
        k > 0 && self.max_end[k - 1] > s
    }

    /// Does any span contain `[s, e)`?
    pub fn contains(&self, s: usize, e: usize) -> bool {
        let k = self.spans.partition_point(|sp| sp.0 <= s);
        k > 0 && self.max_end[k - 1] >= e
    }

    /// Does a span end exactly at `e`?
    pub fn ends_at(&self, e: usize) -> bool {
        let k = self.spans.partition_point(|sp| sp.0 < e);
        self.spans[..k].iter().rev().take(8).any(|sp| sp.1 == e)
    }

    /// Does any span lie inside `[s, e)`? (`e - s` is small wherever this is asked.)
    pub fn any_within(&self, s: usize, e: usize) -> bool {
        let k = self.spans.partition_point(|sp| sp.0 < s);
        self.spans[k..]
            .iter()
            .take_while(|sp| sp.0 < e)
            .any(|sp| sp.1 <= e)
    }
}

/// Boundary words, sorted by end.
pub struct Bounds {
    spans: Vec<(usize, usize)>,
}

impl Bounds {
    pub fn new(mut spans: Vec<(usize, usize)>) -> Self {
        spans.sort_unstable_by_key(|&(s, e)| (e, s));
        Bounds { spans }
    }

    /// The latest end at or before `x` of a boundary `keep` accepts, not before `floor`.
    pub fn last_end(
        &self,
        x: usize,
        floor: usize,
        keep: impl Fn((usize, usize)) -> bool,
    ) -> Option<usize> {
        let k = self.spans.partition_point(|sp| sp.1 <= x);
        self.spans[..k]
            .iter()
            .rev()
            .take_while(|sp| sp.1 >= floor)
            .find(|sp| keep(**sp))
            .map(|sp| sp.1)
    }

    /// Boundaries ending exactly at `x`.
    pub fn ending_at(&self, x: usize) -> &[(usize, usize)] {
        let a = self.spans.partition_point(|sp| sp.1 < x);
        let b = self.spans.partition_point(|sp| sp.1 <= x);
        &self.spans[a..b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_queries() {
        let s = Spans::new(vec![(5, 10), (0, 2), (20, 30)]);
        assert!(s.overlaps(9, 12) && !s.overlaps(10, 20) && s.overlaps(0, 1));
        assert!(s.contains(6, 9) && !s.contains(9, 11));
        assert!(s.any_within(4, 11) && !s.any_within(6, 11));
        let b = Bounds::new(vec![(3, 5), (0, 2), (8, 9)]);
        assert_eq!(b.last_end(7, 0, |_| true), Some(5));
        assert_eq!(b.last_end(7, 0, |sp| sp != (3, 5)), Some(2));
        assert_eq!(b.last_end(7, 3, |sp| sp != (3, 5)), None);
        assert_eq!(b.ending_at(9), &[(8, 9)]);
    }
}
