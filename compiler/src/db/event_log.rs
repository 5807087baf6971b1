//! A record of which queries salsa executed: how tests (and `mlc build --watch --verbose`)
//! show that an edit re-runs only the queries that depend on it.

use std::sync::{Arc, Mutex};

/// The queries salsa executed, in order, as `query(Id(n))` strings (salsa's own debug form of
/// a query key; [`EventLog::executions`] matches them by query name and input).
#[derive(Clone, Default)]
pub struct EventLog {
    entries: Arc<Mutex<Vec<String>>>,
}

impl EventLog {
    pub(crate) fn record(&self, event: &salsa::Event) {
        if let salsa::EventKind::WillExecute { database_key } = &event.kind {
            self.lock().push(format!("{database_key:?}"));
        }
    }

    /// Takes every entry recorded since the last call.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.lock())
    }

    /// How many times `query` ran for `key` among `entries` (from [`EventLog::take`]).
    pub fn executions(entries: &[String], query: &str, key: impl salsa::plumbing::AsId) -> usize {
        let wanted = format!("{query}({:?})", key.as_id());
        entries.iter().filter(|entry| **entry == wanted).count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
