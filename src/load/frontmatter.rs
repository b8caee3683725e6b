//! Splits a Markdown file into its YAML front matter and body, keeping offsets so YAML
//! errors report the line in the file.

/// The two parts of a section file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// 0-based line of the first YAML line in the file.
    pub yaml_line_offset: usize,
    /// Byte offset where the Markdown body starts.
    pub body_offset: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    /// The file does not start with `---`.
    #[error("missing front matter: a section file must start with a `---` line")]
    Missing,
    /// No closing `---` line.
    #[error("front matter is not closed: no `---` line after the opening one")]
    Unclosed,
}

/// Splits `text` (already normalised to LF) at its front matter.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let rest = text
        .strip_prefix("---\n")
        .ok_or(FrontMatterError::Missing)?;
    let mut offset = 4;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: &text[4..offset],
                yaml_line_offset: 1,
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(FrontMatterError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\nid: A\n---\n# Hi\n").unwrap();
        assert_eq!(s.yaml, "id: A\n");
        assert_eq!(&"---\nid: A\n---\n# Hi\n"[s.body_offset..], "# Hi\n");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("# no"), Err(FrontMatterError::Missing));
        assert_eq!(split("---\nid: A\n"), Err(FrontMatterError::Unclosed));
        assert_eq!(split(""), Err(FrontMatterError::Missing));
    }

    #[test]
    fn empty_front_matter_is_allowed_here() {
        let s = split("---\n---\nbody").unwrap();
        assert_eq!(s.yaml, "");
    }
}
