//! Test fixtures: files in a fresh database (never on disk) with `$0` marking the cursor.

use mlc::db::{RootDatabase, SourceFile};

pub struct Fixture {
    pub db: RootDatabase,
    pub file: SourceFile,
    pub text: String,
    pub offset: u32,
}

/// The first file is the one with the cursor; paths are absolute and virtual.
pub fn fixture(files: &[(&str, &str)]) -> Fixture {
    let mut db = RootDatabase::default();
    let mut main = None;
    for (index, (path, text)) in files.iter().enumerate() {
        let offset = text.find("$0");
        let clean = text.replace("$0", "");
        let file = db.set_file_text(path, &clean);
        if index == 0 {
            main = Some((file, clean, offset.unwrap_or(0) as u32));
        }
    }
    let Some((file, text, offset)) = main else {
        panic!("a fixture needs a file");
    };
    Fixture {
        db,
        file,
        text,
        offset,
    }
}

/// A fixture of one file.
pub fn single(text: &str) -> Fixture {
    fixture(&[("/fixture/main.mlc", text)])
}

impl Fixture {
    /// The text at `span` of the main file.
    pub fn at(&self, span: mlc::syntax::Span) -> &str {
        self.text.get(span.range()).unwrap_or("<out of range>")
    }

    /// The main file's text with the edits applied.
    pub fn apply(&self, edits: &[(mlc::syntax::Span, String)]) -> String {
        let mut text = self.text.clone();
        for (span, new) in edits.iter().rev() {
            text.replace_range(span.range(), new);
        }
        text
    }
}
