//! The pages of one search token with the token's weight in each (its occurrences, weighted
//! by the field they are in) and whether it is in the page's title, in the order the pages
//! were added. Each is one number: the weight times two, plus one for the title.
//!
//! Common Japanese bigrams occur in most pages of a large site, so the list is kept as bytes:
//! each page as a zigzag varint difference from the one before (pages arrive mostly in order,
//! so one or two bytes) and its value as a varint (one byte), about 3 bytes a page instead of
//! 8. The last page stays unencoded, because its weight grows while the page is indexed.

/// The pages containing one token.
#[derive(Debug, Clone, Default)]
pub(super) struct Postings {
    bytes: Vec<u8>,
    /// The page encoded last (the base of the next difference).
    prev: u32,
    /// The page being added and its value.
    last: (u32, u32),
    /// Pages in all.
    len: u32,
}

fn put(bytes: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        bytes.push((v as u8) | 0x80);
        v >>= 7;
    }
    bytes.push(v as u8);
}

fn get(bytes: &[u8], at: &mut usize) -> u32 {
    let (mut v, mut shift) = (0u32, 0);
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

impl Postings {
    /// A posting list of one page.
    pub(super) fn one(n: u32, w: u32, title: bool) -> Postings {
        Postings {
            bytes: Vec::new(),
            prev: 0,
            last: (n, w.saturating_mul(2) | u32::from(title)),
            len: 1,
        }
    }

    /// Adds weight `w` on page `n`. A page's tokens are added together, so a repeat of the page
    /// added last adds to its weight (no per-page map of tokens is needed).
    pub(super) fn add(&mut self, n: u32, w: u32, title: bool) {
        let value = w.saturating_mul(2) | u32::from(title);
        if self.last.0 == n {
            self.last.1 = self.last.1.saturating_add(value & !1) | (value & 1);
            return;
        }
        let (page, v) = self.last;
        let diff = page.wrapping_sub(self.prev) as i32;
        put(&mut self.bytes, ((diff << 1) ^ (diff >> 31)) as u32);
        put(&mut self.bytes, v);
        self.prev = page;
        self.last = (n, value);
        self.len += 1;
    }

    /// How many pages.
    pub(super) fn len(&self) -> usize {
        self.len as usize
    }

    /// Appends every (page, value) to `out`, in the order added.
    pub(super) fn drain_into(self, out: &mut Vec<(u32, u32)>) {
        let (mut at, mut page) = (0, 0u32);
        while at < self.bytes.len() {
            let z = get(&self.bytes, &mut at);
            let diff = ((z >> 1) as i32) ^ -((z & 1) as i32);
            page = page.wrapping_add(diff as u32);
            out.push((page, get(&self.bytes, &mut at)));
        }
        out.push(self.last);
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

    #[test]
    fn pages_in_any_order_and_large_values_come_back() {
        let pages = [5u32, 3, 1_000_000, 0, 70_000, 70_001, 4_000_000_000, 2];
        let mut p = Postings::one(pages[0], 1, false);
        for (i, &n) in pages.iter().enumerate().skip(1) {
            p.add(n, 300 * i as u32, i % 2 == 0);
        }
        assert_eq!(p.len(), pages.len());
        let mut v = Vec::new();
        p.drain_into(&mut v);
        let want: Vec<(u32, u32)> = pages
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let w = if i == 0 { 1 } else { 300 * i as u32 };
                (n, w * 2 + u32::from(i > 0 && i % 2 == 0))
            })
            .collect();
        assert_eq!(v, want);
    }
}
