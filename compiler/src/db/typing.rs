//! Type checking as a query per file. A file's check reads the *types* of the files it
//! imports (their `file_types` results), never their trees, so editing only the importing
//! file re-checks that file alone, and editing an imported file re-checks its importers
//! only when the imported file's type changed (salsa backdates an equal result).

use super::static_imports::{imports, read_error, ImportTarget};
use super::syntax::parse;
use super::{Db, SourceFile};
use crate::syntax::Span;
use crate::types::{self, FileTypes, Type, TypeHost};

/// The types of `file`: its value's type, its type errors and its annotations' meaning.
/// An import cycle makes the types of its files `Dyn` where they meet (the cycle itself is
/// reported by `import_closure`).
#[salsa::tracked(returns(ref), cycle_result = file_types_in_cycle)]
pub fn file_types(db: &dyn Db, file: SourceFile) -> FileTypes {
    let host = DbTypeHost { db, file };
    types::check_file(parse(db, file), file.name(db).clone(), &host)
}

fn file_types_in_cycle(_db: &dyn Db, _id: salsa::Id, _file: SourceFile) -> FileTypes {
    FileTypes::default()
}

struct DbTypeHost<'db> {
    db: &'db dyn Db,
    file: SourceFile,
}

impl TypeHost for DbTypeHost<'_> {
    fn import_type(&self, span: Span) -> Option<Type> {
        let import = imports(self.db, self.file)
            .iter()
            .find(|import| import.span == span)?;
        let ImportTarget::File(target) = import.target else {
            return None;
        };
        if read_error(self.db, target).is_some() {
            return None;
        }
        file_types(self.db, target).root.clone()
    }
}
