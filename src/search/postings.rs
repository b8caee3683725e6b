//! The pages of one search token with the token's weight in each (its occurrences, weighted
//! by the field they are in), in the order the pages were added.

/// The pages containing one token.
#[derive(Debug, Clone, Default)]
pub(super) struct Postings(Vec<(u32, u32)>);

impl Postings {
    /// A posting list of one page.
    pub(super) fn one(n: u32, w: u32) -> Postings {
        Postings(vec![(n, w)])
    }

    /// Adds weight `w` on page `n`. A page's tokens are added together, so a repeat of the page
    /// added last adds to its weight (no per-page map of tokens is needed).
    pub(super) fn add(&mut self, n: u32, w: u32) {
        match self.0.last_mut() {
            Some((last, weight)) if *last == n => *weight = weight.saturating_add(w),
            _ => self.0.push((n, w)),
        }
    }

    /// How many pages.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// Appends every (page, weight) to `out`, unordered.
    pub(super) fn drain_into(self, out: &mut Vec<(u32, u32)>) {
        out.extend(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_added_again_at_once_adds_weight() {
        let mut p = Postings::one(7, 10);
        p.add(7, 1);
        p.add(8, 1);
        p.add(8, 3);
        let mut v = Vec::new();
        p.drain_into(&mut v);
        assert_eq!(v, vec![(7, 11), (8, 4)]);
    }
}
