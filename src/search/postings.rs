//! The document numbers of one search token, held as a list while they are few and as a
//! bitmap once that is smaller (the common bigrams of Japanese text occur in most pages: a
//! bitmap of 10,000 pages is 1.25 KB, their list 40 KB).

/// The pages containing one token.
#[derive(Debug, Clone)]
pub(super) enum Postings {
    /// Page numbers in the order they were added.
    List(Vec<u32>),
    /// Bit `n` is set when page `n` contains the token.
    Bits(Vec<u64>),
}

/// Lists shorter than this stay lists (a bitmap only pays off once it is dense).
const MIN_BITMAP_LEN: usize = 64;

impl Postings {
    /// A posting list of one page.
    pub(super) fn one(n: u32) -> Postings {
        Postings::List(vec![n])
    }

    /// Adds page `n`. A page's tokens are added together, so a repeat of the page added last
    /// is ignored (no per-page set of seen tokens is needed).
    pub(super) fn add(&mut self, n: u32) {
        match self {
            Postings::List(list) => {
                if list.last() == Some(&n) {
                    return;
                }
                list.push(n);
                if list.len() >= MIN_BITMAP_LEN && list.len() == list.capacity() {
                    // About to grow: switch when the bitmap is smaller than the list would be.
                    let max = list.iter().copied().max().unwrap_or(0) as usize;
                    if (max / 64 + 1) * 8 < list.len() * 8 {
                        let mut bits = Vec::new();
                        for &d in list.iter() {
                            set(&mut bits, d);
                        }
                        *self = Postings::Bits(bits);
                    }
                }
            }
            Postings::Bits(bits) => set(bits, n),
        }
    }

    /// Appends every page number to `out` (unordered for lists, ascending for bitmaps).
    pub(super) fn drain_into(self, out: &mut Vec<u32>) {
        match self {
            Postings::List(list) => out.extend(list),
            Postings::Bits(bits) => {
                for (w, word) in bits.into_iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        let b = word.trailing_zeros();
                        out.push(w as u32 * 64 + b);
                        word &= word - 1;
                    }
                }
            }
        }
    }
}

fn set(bits: &mut Vec<u64>, n: u32) {
    let w = n as usize / 64;
    if bits.len() <= w {
        bits.resize(w + 1, 0);
    }
    bits[w] |= 1 << (n % 64);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(p: Postings) -> Vec<u32> {
        let mut v = Vec::new();
        p.drain_into(&mut v);
        v.sort_unstable();
        v
    }

    #[test]
    fn dense_lists_become_bitmaps_and_keep_every_number() {
        let mut p = Postings::one(5);
        let added: Vec<u32> = (0..3000).filter(|n| n % 3 != 0 && *n != 5).collect();
        for &n in added.iter().rev() {
            p.add(n);
        }
        assert!(
            matches!(p, Postings::Bits(_)),
            "a dense list turns into a bitmap"
        );
        let mut want = added;
        want.push(5);
        want.sort_unstable();
        assert_eq!(numbers(p), want);
    }

    #[test]
    fn a_page_added_again_at_once_is_counted_once() {
        let mut p = Postings::one(7);
        p.add(7);
        p.add(8);
        p.add(8);
        assert_eq!(numbers(p), vec![7, 8]);
        let mut dense = Postings::one(0);
        for n in 1..200 {
            dense.add(n);
            dense.add(n);
        }
        assert!(matches!(dense, Postings::Bits(_)));
        assert_eq!(numbers(dense), (0..200).collect::<Vec<u32>>());
    }

    #[test]
    fn sparse_lists_stay_lists() {
        let mut p = Postings::one(1_000_000);
        for n in (0..200).map(|i| i * 5_000) {
            p.add(n);
        }
        assert!(matches!(p, Postings::List(_)));
        assert_eq!(numbers(p).len(), 201);
    }
}
