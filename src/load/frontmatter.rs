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

/// `text` (normalised to LF) with the top-level front-matter field `key` set to `value`: the
/// field's line is replaced where it exists, else the field is added before the closing `---`.
/// Everything else is kept byte for byte (`plansite hash --write` stamps `translated_from`).
pub fn set_field(text: &str, key: &str, value: &str) -> Result<String, FrontMatterError> {
    let s = split(text)?;
    let new_line = format!("{key}: {value}\n");
    let mut yaml = String::with_capacity(s.yaml.len() + new_line.len());
    let mut found = false;
    for line in s.yaml.split_inclusive('\n') {
        if !found && line.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            yaml.push_str(&new_line);
            found = true;
        } else {
            yaml.push_str(line);
        }
    }
    if !found {
        if !yaml.is_empty() && !yaml.ends_with('\n') {
            yaml.push('\n');
        }
        yaml.push_str(&new_line);
    }
    Ok(format!("---\n{yaml}{}", &text[4 + s.yaml.len()..]))
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
    fn set_field_replaces_or_adds_one_line() {
        let t = "---\nid: A\ntranslated_from: 0000\ntitle: T\n---\nbody\n";
        assert_eq!(
            set_field(t, "translated_from", "abcd").unwrap(),
            "---\nid: A\ntranslated_from: abcd\ntitle: T\n---\nbody\n"
        );
        assert_eq!(
            set_field("---\nid: A\n---\nbody", "translated_from", "ab").unwrap(),
            "---\nid: A\ntranslated_from: ab\n---\nbody"
        );
        // A field whose name only starts with the key is not the key.
        assert_eq!(
            set_field("---\nid_x: 1\n---\n", "id", "B").unwrap(),
            "---\nid_x: 1\nid: B\n---\n"
        );
        assert!(set_field("no front matter", "id", "B").is_err());
    }

    #[test]
    fn empty_front_matter_is_allowed_here() {
        let s = split("---\n---\nbody").unwrap();
        assert_eq!(s.yaml, "");
    }
}
