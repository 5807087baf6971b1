//! Recognises the cursor inside an import path that is still being typed, from the text
//! alone, so completion works in code that does not parse yet (`import <ml` with no `>`).

use std::path::Path;

use mlc::db::Db;

use super::completion::{Candidate, CandidateKind, Completion};

/// What the user is typing at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportContext {
    /// After `import <`: `typed` is the module name so far (`mlflow/t`); `start` is the byte
    /// offset where it begins, which a completion replaces.
    SearchPath { typed: String, start: usize },
    /// After `import ./` or `import ../`: `dir` is the typed directory part including its
    /// trailing `/` (`./sub/`), `file` the partial last segment starting at byte `start`.
    Relative {
        dir: String,
        file: String,
        start: usize,
    },
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '/')
}

/// The import being typed just before byte `offset` of `text`, if any.
pub fn import_context(text: &str, offset: usize) -> Option<ImportContext> {
    let offset = (0..=offset.min(text.len()))
        .rev()
        .find(|&o| text.is_char_boundary(o))?;
    let before = &text[..offset];
    let path_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_path_char(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let path = &before[path_start..];
    let head = before[..path_start].trim_end_matches('<');
    let opened_angle = head.len() < path_start;
    if !head.trim_end().ends_with("import") || (opened_angle && path_start - head.len() != 1) {
        return None;
    }
    // `import` must be a whole word: not the end of `reimport`.
    let word_start = head.trim_end().len() - "import".len();
    if head[..word_start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '\'' || c == '-')
    {
        return None;
    }
    if opened_angle {
        return Some(ImportContext::SearchPath {
            typed: path.to_string(),
            start: path_start,
        });
    }
    if !(path.starts_with("./") || path.starts_with("../")) {
        return None;
    }
    let split = path.rfind('/').map_or(0, |i| i + 1);
    Some(ImportContext::Relative {
        dir: path[..split].to_string(),
        file: path[split..].to_string(),
        start: path_start + split,
    })
}

/// Import paths, when the cursor at `offset` of `text` (the file at database path `path`)
/// is in one being typed: stdlib module names after `<`, `.mlc` files and directories
/// after `./` (read from the directory on disk).
pub fn import_completion(db: &dyn Db, path: &str, text: &str, offset: u32) -> Option<Completion> {
    let (start, items) = match import_context(text, offset as usize)? {
        ImportContext::SearchPath { start, .. } => {
            let names = db
                .stdlib()
                .module_names()
                .into_iter()
                .map(|name| candidate(name.to_string(), CandidateKind::Module))
                .collect();
            (start, names)
        }
        ImportContext::Relative { dir, start, .. } => {
            let base_dir = Path::new(path).parent()?.join(dir);
            (start, relative_candidates(&base_dir))
        }
    };
    Some(Completion {
        start: start as u32,
        items,
    })
}

fn candidate(label: String, kind: CandidateKind) -> Candidate {
    Candidate {
        label,
        kind,
        detail: None,
        documentation: None,
    }
}

/// `.mlc` files and directories (with a trailing `/`) in `dir`, sorted; hidden entries are
/// left out.
fn relative_candidates(dir: &Path) -> Vec<Candidate> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            if name.starts_with('.') {
                return None;
            }
            let is_dir = entry.file_type().ok()?.is_dir();
            if is_dir {
                Some(candidate(format!("{name}/"), CandidateKind::Folder))
            } else if name.ends_with(".mlc") {
                Some(candidate(name, CandidateKind::File))
            } else {
                None
            }
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `$0` marks the cursor.
    fn at(fixture: &str) -> Option<ImportContext> {
        let offset = fixture
            .find("$0")
            .unwrap_or_else(|| panic!("no $0 in {fixture}"));
        import_context(&fixture.replace("$0", ""), offset)
    }

    #[test]
    fn search_path_while_typing() {
        assert_eq!(
            at("let m = import <ml$0"),
            Some(ImportContext::SearchPath {
                typed: "ml".into(),
                start: 16
            })
        );
        assert_eq!(
            at("import <$0> {}"),
            Some(ImportContext::SearchPath {
                typed: String::new(),
                start: 8
            })
        );
        assert_eq!(
            at("(import  <mlflow/t$0"),
            Some(ImportContext::SearchPath {
                typed: "mlflow/t".into(),
                start: 10
            })
        );
    }

    #[test]
    fn relative_path_while_typing() {
        assert_eq!(
            at("{ x = import ./sub/de$0 }"),
            Some(ImportContext::Relative {
                dir: "./sub/".into(),
                file: "de".into(),
                start: 19
            })
        );
        assert_eq!(
            at("import ../$0"),
            Some(ImportContext::Relative {
                dir: "../".into(),
                file: String::new(),
                start: 10
            })
        );
    }

    #[test]
    fn not_an_import() {
        assert_eq!(at("x < y$0"), None);
        assert_eq!(at("reimport <a$0"), None);
        assert_eq!(at("import foo$0"), None);
        assert_eq!(at("import << a$0"), None);
        assert_eq!(at("a = ./b$0"), None);
        assert_eq!(at("$0"), None);
        assert_eq!(at("import <é$0"), None);
    }
}
