//! Fiscal-year consistency (TR103, TR104): a measure's `fiscal_year` must name a year some
//! annual plan plans, and the year of the plan that holds it; an annual plan must lie within
//! the period of the annual-plans index. Without these, a typo (`fiscal_year: 2019` in the
//! 2009 plan) silently moves a measure out of every fiscal year and coverage drops unexplained.

use crate::diagnostic::Diagnostic;
use crate::model::Document;
use crate::site::Site;

/// `FY2006` (or `2006`) → 2006.
fn year_of(s: &str) -> Option<i32> {
    s.trim().trim_start_matches("FY").parse().ok()
}

fn list(years: &[i32]) -> String {
    if years.is_empty() {
        return "no fiscal year (there is no annual plan)".into();
    }
    years
        .iter()
        .map(|y| format!("FY{y}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// TR103: measures whose fiscal year matches no annual plan, or not the plan that holds them.
pub fn measures(site: &Site, out: &mut Vec<Diagnostic>) {
    let years = super::fiscal_years(site);
    for it in site.content.items.iter().filter(|i| i.kind == "measure") {
        let Some(y) = it.fiscal_year else { continue };
        let doc = &site.content.documents[it.doc];
        let plan_year = (doc.kind == "annual-plan")
            .then_some(doc.fiscal_year)
            .flatten();
        let finding = match plan_year {
            Some(p) if p != y => Some((
                format!(
                    "measure `{}` has `fiscal_year: {y}`, but its annual plan `{}` plans FY{p}",
                    it.id, doc.id
                ),
                format!("set `fiscal_year: {p}`, or move the measure to the FY{y} plan"),
            )),
            None if !years.contains(&y) => Some((
                format!(
                    "measure `{}` has `fiscal_year: {y}`, but no annual plan plans FY{y}",
                    it.id
                ),
                format!(
                    "the annual plans plan {}; fix `fiscal_year` or add the FY{y} plan",
                    list(&years)
                ),
            )),
            _ => None,
        };
        if let Some((msg, hint)) = finding {
            out.push(
                Diagnostic::warning("TR103", msg)
                    .at(it.span.clone())
                    .hint(hint)
                    .related(doc.span.clone())
                    .ids([it.id.clone(), doc.id.clone()]),
            );
        }
    }
}

/// TR104: annual plans whose fiscal year lies outside the period of an annual-plans index.
pub fn plans(site: &Site, out: &mut Vec<Diagnostic>) {
    let docs = &site.content.documents;
    let indexes: Vec<(&Document, i32, i32)> = docs
        .iter()
        .filter(|d| d.kind == "annual-plans" && !d.draft)
        .filter_map(|d| {
            let (from, to) = d.period.as_ref()?;
            Some((d, year_of(from)?, year_of(to)?))
        })
        .collect();
    for plan in docs.iter().filter(|d| d.kind == "annual-plan" && !d.draft) {
        let Some(y) = plan.fiscal_year else { continue };
        for (index, from, to) in &indexes {
            if (*from..=*to).contains(&y) {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    "TR104",
                    format!(
                        "annual plan `{}` plans FY{y}, outside the period FY{from}–FY{to} of `{}`",
                        plan.id, index.id
                    ),
                )
                .at(plan.span.clone())
                .hint(format!(
                    "extend `period` in {}/document.yaml, or fix `fiscal_year`",
                    index.folder
                ))
                .related(index.span.clone())
                .ids([plan.id.clone(), index.id.clone()]),
            );
        }
    }
}
