//! Search keys: one normalisation and one tokeniser, applied alike to the pages at build time
//! and to the query in `static/search.js` (the two must agree character for character; the
//! test in `tests/search.rs` runs both). Normalisation is NFKC (half-width katakana, full-width
//! Latin and digits), lower case, small katakana as large and a katakana word's final long
//! vowel mark dropped (ウィルス/ウイルス, コンピューター/コンピュータ). Tokens are CJK bigrams,
//! ASCII words lightly stemmed (plural, -ed, -ing, final e) and dashed IDs whole and in parts.

use crate::markdown::is_cjk;
use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Small katakana and their large forms (only katakana: loanword spelling varies, while small
/// hiragana are grammar).
fn large_kana(c: char) -> char {
    match c {
        'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' => {
            char::from_u32(c as u32 + 1).unwrap_or(c)
        }
        'ヵ' => 'カ',
        'ヶ' => 'ケ',
        _ => c,
    }
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA)
}

/// The search form of a text (see the module comment).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A long vowel mark after katakana waits: kept only when more katakana follow.
    let mut pending_bar = false;
    let mut prev_kata = false;
    // Most text is NFKC already: the quick check spares the decomposition of every character.
    let nfkc: Cow<str> = if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    };
    let mut lower = String::new();
    for c in nfkc.chars() {
        // Most characters have no case: ASCII is lowered by a table, CJK and kana not at all,
        // and only the rest goes through the full Unicode mapping (which may give several).
        let c = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else if ('\u{2E80}'..='\u{A63F}').contains(&c) || ('\u{A800}'..='\u{D7FF}').contains(&c) {
            c
        } else {
            lower.clear();
            lower.extend(c.to_lowercase());
            let mut chars = lower.chars();
            match (chars.next(), chars.next()) {
                (Some(one), None) => one,
                _ => {
                    // A character that lowers to several (İ → i̇): as the full mapping does.
                    for l in lower.chars() {
                        push_normal(&mut out, l, &mut pending_bar, &mut prev_kata);
                    }
                    continue;
                }
            }
        };
        push_normal(&mut out, c, &mut pending_bar, &mut prev_kata);
    }
    out
}

/// Appends one lower-case character to a normalised text: small katakana as large, and a
/// long vowel mark after katakana only once more katakana follow.
fn push_normal(out: &mut String, c: char, pending_bar: &mut bool, prev_kata: &mut bool) {
    {
        let c = large_kana(c);
        if c == 'ー' && (*prev_kata || *pending_bar) {
            *pending_bar = true;
            return;
        }
        let kata = is_katakana(c);
        if *pending_bar && kata {
            out.push('ー');
        }
        *pending_bar = false;
        *prev_kata = kata;
        out.push(c);
    }
}

/// Tokens of a text, normalised first (see [`normalize`]).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(&normalize(text), |t| out.push(t.to_string()));
    out
}

fn is_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || c == '・'
}

pub(super) fn is_word_char(c: char) -> bool {
    is_cjk(c) && !is_punct(c)
}

/// Light English stemming of a lower-case ASCII word: plural `-s`/`-es`/`-ies`, `-ed`,
/// `-ing` (with a doubled final consonant undone) and a final `e`, so that incident and
/// incidents, secure and securing, policy and policies meet. Words with digits are kept.
pub fn stem(word: &str, out: &mut String) {
    out.clear();
    out.push_str(word);
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    if out.ends_with("ies") && out.len() > 4 {
        out.truncate(out.len() - 3);
        out.push('y');
    } else if out.ends_with("sses") {
        out.truncate(out.len() - 2);
    } else if out.ends_with('s')
        && !(out.ends_with("ss") || out.ends_with("us") || out.ends_with("is"))
    {
        out.pop();
    }
    let cut = if out.ends_with("ied") && out.len() > 4 {
        out.truncate(out.len() - 3);
        out.push('y');
        0
    } else if out.ends_with("ed") && out.len() >= 5 {
        2
    } else if out.ends_with("ing") && out.len() >= 6 {
        3
    } else {
        0
    };
    if cut > 0 {
        out.truncate(out.len() - cut);
        let b = out.as_bytes();
        let n = b.len();
        if n >= 2 && b[n - 1] == b[n - 2] && !b"aeioulsz".contains(&b[n - 1]) {
            out.pop();
        }
    }
    if out.len() >= 4 && out.ends_with('e') {
        out.pop();
    }
}

/// Calls `f` with every token of an already normalised text: bigrams of each CJK run (a
/// single character alone), and ASCII words stemmed (a dashed word such as an ID also yields
/// its parts). Must match `tokens` in search.js.
pub(super) fn for_each_token(norm: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    let mut chars = norm.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if is_word_char(c) {
            // Each pair of neighbours in the run; a run of one character is its own token.
            let mut prev = start;
            let mut single = true;
            while let Some(&(i, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                f(&norm[prev..i + d.len_utf8()]);
                prev = i;
                single = false;
                chars.next();
            }
            if single {
                f(&norm[start..start + c.len_utf8()]);
            }
        } else if c.is_ascii_alphanumeric() {
            // ASCII letters and digits, with single dashes between them (IDs such as BP1-GA-P1).
            let mut end = start + 1;
            while let Some(&(i, d)) = chars.peek() {
                let joins = d.is_ascii_alphanumeric()
                    || (d == '-'
                        && norm[i + 1..]
                            .chars()
                            .next()
                            .is_some_and(|n| n.is_ascii_alphanumeric()));
                if !joins {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            let word = &norm[start..end];
            if word.contains('-') {
                for p in word.split('-').filter(|p| !p.is_empty()) {
                    stem(p, &mut buf);
                    f(&buf);
                }
                f(word);
            } else {
                stem(word, &mut buf);
                f(&buf);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_widths_case_and_kana_variants() {
        assert_eq!(normalize("重要ｲﾝﾌﾗ"), "重要インフラ");
        assert_eq!(normalize("ﾊﾞｯｸｱｯﾌﾟ"), "バツクアツプ");
        assert_eq!(normalize("ＣＥＰＴＯＡＲ２０"), "ceptoar20");
        assert_eq!(normalize("ウィルス"), normalize("ウイルス"));
        assert_eq!(
            normalize("コンピューター。"),
            "コンピュータ。".replace('ュ', "ユ")
        );
        assert_eq!(normalize("サーバー管理"), "サーバ管理");
        assert_eq!(normalize("ーあー"), "ーあー");
    }

    #[test]
    fn fast_lowering_matches_the_full_unicode_mapping() {
        // The reference: every character through `char::to_lowercase`, then the kana rules.
        let reference = |text: &str| {
            let mut out = String::new();
            let (mut bar, mut kata) = (false, false);
            for c in text.nfkc().flat_map(char::to_lowercase) {
                push_normal(&mut out, c, &mut bar, &mut kata);
            }
            out
        };
        let all: String = (0u32..0x3_0000).filter_map(char::from_u32).collect();
        for chunk in all.chars().collect::<Vec<_>>().chunks(64) {
            let text: String = chunk.iter().collect();
            assert_eq!(normalize(&text), reference(&text), "{:?}", chunk.first());
        }
    }

    #[test]
    fn english_stems_meet() {
        let s = |w: &str| {
            let mut o = String::new();
            stem(w, &mut o);
            o
        };
        for (a, b) in [
            ("incident", "incidents"),
            ("policy", "policies"),
            ("secure", "securing"),
            ("secure", "secured"),
            ("plan", "planned"),
            ("plan", "planning"),
            ("process", "processes"),
            ("measure", "measures"),
            ("apply", "applied"),
        ] {
            assert_eq!(s(a), s(b), "{a} / {b}");
        }
        assert_eq!(s("status"), "status");
        assert_eq!(s("analysis"), "analysis");
        assert_eq!(s("bp1"), "bp1");
    }

    #[test]
    fn japanese_is_bigrammed_and_ids_and_words_are_kept() {
        assert_eq!(
            tokenize("事故前提社会"),
            ["事故", "故前", "前提", "提社", "社会"]
        );
        assert_eq!(
            tokenize("重要ｲﾝﾌﾗ、個人"),
            ["重要", "要イ", "イン", "ンフ", "フラ", "個人"]
        );
        assert_eq!(
            tokenize("See BP1-GA-P1."),
            ["see", "bp1", "ga", "p1", "bp1-ga-p1"]
        );
        assert_eq!(tokenize("Incidents"), ["incident"]);
    }
}
