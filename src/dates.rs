//! Calendar dates from YAML, formatted per language, with 和暦 (Japanese era) for ja pages.

/// A civil date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year (Gregorian).
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

/// Era start dates (the first day of each era) and names, newest first.
const ERAS: &[((i32, u32, u32), &str)] = &[
    ((2019, 5, 1), "令和"),
    ((1989, 1, 8), "平成"),
    ((1926, 12, 25), "昭和"),
    ((1912, 7, 30), "大正"),
    ((1873, 1, 1), "明治"),
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// Parses ISO `YYYY-MM-DD`, checking the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let year: i32 = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = it.next()?.parse().ok()?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        (1..=12).contains(&month).then_some(())?;
        (1..=days[month as usize - 1])
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// ISO form for `<time datetime>`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The 和暦 form, e.g. 平成18年2月2日 (元年 for the first year); `None` before 1873.
    pub fn wareki(&self) -> Option<String> {
        let key = (self.year, self.month, self.day);
        let ((start_year, _, _), name) = ERAS.iter().find(|(start, _)| key >= *start)?;
        let n = self.year - start_year + if *name == "明治" { 6 } else { 1 };
        let y = if n == 1 {
            "元".to_string()
        } else {
            n.to_string()
        };
        Some(format!("{name}{y}年{}月{}日", self.month, self.day))
    }

    /// Display form in `lang`: `2006年2月2日（平成18年2月2日）` or `February 2, 2006`.
    pub fn display(&self, lang: &str) -> String {
        if lang == "ja" {
            let g = format!("{}年{}月{}日", self.year, self.month, self.day);
            match self.wareki() {
                Some(w) => format!("{g}（{w}）"),
                None => g,
            }
        } else {
            format!(
                "{} {}, {}",
                MONTHS[self.month as usize - 1],
                self.day,
                self.year
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wareki_boundaries() {
        let w = |s: &str| Date::parse(s).unwrap().wareki().unwrap();
        assert_eq!(w("2006-02-02"), "平成18年2月2日");
        assert_eq!(w("1989-01-07"), "昭和64年1月7日");
        assert_eq!(w("1989-01-08"), "平成元年1月8日");
        assert_eq!(w("2019-04-30"), "平成31年4月30日");
        assert_eq!(w("2019-05-01"), "令和元年5月1日");
        assert_eq!(w("1912-07-30"), "大正元年7月30日");
    }

    #[test]
    fn display_per_language() {
        let d = Date::parse("2006-02-02").unwrap();
        assert_eq!(d.display("ja"), "2006年2月2日（平成18年2月2日）");
        assert_eq!(d.display("en"), "February 2, 2006");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2007-02-29").is_none());
        assert!(Date::parse("2008-02-29").is_some());
        assert!(Date::parse("2006-13-01").is_none());
        assert!(Date::parse("平成18年").is_none());
    }
}
