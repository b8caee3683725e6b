//! The pages of one search token with the token's weight in each (its occurrences, weighted
//! by the field they are in) and whether it is in the page's title, in the order the pages
//! were added. Each is one number: the weight times two, plus one for the title.

/// The pages containing one token.
#[derive(Debug, Clone, Default)]
pub(super) struct Postings(Vec<(u32, u32)>);

impl Postings {
    /// A posting list of one page.
    pub(super) fn one(n: u32, w: u32, title: bool) -> Postings {
        Postings(vec![(n, w.saturating_mul(2) | u32::from(title))])
    }

    /// Adds weight `w` on page `n`. A page's tokens are added together, so a repeat of the page
    /// added last adds to its weight (no per-page map of tokens is needed).
    pub(super) fn add(&mut self, n: u32, w: u32, title: bool) {
        match self.0.last_mut() {
            Some((last, value)) if *last == n => {
                *value = value.saturating_add(w.saturating_mul(2)) | u32::from(title);
            }
            _ => self.0.push((n, w.saturating_mul(2) | u32::from(title))),
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
        let mut p = Postings::one(7, 10, true);
        p.add(7, 1, false);
        p.add(8, 1, false);
        p.add(8, 3, false);
        let mut v = Vec::new();
        p.drain_into(&mut v);
        assert_eq!(v, vec![(7, 23), (8, 8)]);
    }
}
