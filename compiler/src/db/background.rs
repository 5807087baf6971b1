//! Work a long-running process (the language server) moves off its main loop: freeing the
//! results an edit replaced, and copying a file's tree for the next reparse (see
//! [`super::syntax`]). Salsa frees the memos the last revision replaced when the next one
//! starts, inside the setter of the edited file's text, so without this every keystroke
//! first frees the previous revision's tree, names and types on the thread that handles it.
//!
//! Off until [`enable`] is called (the server does): the command line, its tests and
//! benches free their results where they drop them, as before. One thread runs the jobs in
//! order; if it cannot be started, a job runs where it was handed over.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

static ENABLED: AtomicBool = AtomicBool::new(false);
static WORKER: OnceLock<Option<Sender<Job>>> = OnceLock::new();

/// Turns background work on for the whole process (from now on).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether [`enable`] was called.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Runs `job` on the background thread, or here if background work is off or the thread
/// could not be started.
pub fn run(job: impl FnOnce() + Send + 'static) {
    if !enabled() {
        return job();
    }
    match worker() {
        Some(sender) => {
            if let Err(returned) = sender.send(Box::new(job)) {
                (returned.0)();
            }
        }
        None => job(),
    }
}

/// Lowers the calling thread's priority below the main loop's (niceness 10 on Linux, where
/// a thread's niceness is its own; nothing elsewhere). The server's background thread and
/// its diagnostics workers call it: on a machine with few cores they would otherwise take
/// the core the main loop needs to answer a completion right after an edit. When the main
/// loop is idle they still get the whole machine. Best effort: a refusal changes nothing.
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::{ThreadPriority, ThreadPriorityValue};
        // The crate maps its 0..=99 scale onto niceness 19..=-20: 22 is niceness 10.
        if let Ok(value) = ThreadPriorityValue::try_from(22u8) {
            let _ = ThreadPriority::Crossplatform(value).set_for_current();
        }
    }
}

fn worker() -> Option<&'static Sender<Job>> {
    WORKER
        .get_or_init(|| {
            let (sender, receiver) = channel::<Job>();
            std::thread::Builder::new()
                .name("mlc-background".to_string())
                .spawn(move || {
                    lower_priority();
                    for job in receiver {
                        job();
                    }
                })
                .ok()
                .map(|_| sender)
        })
        .as_ref()
}

/// A shared query result that its last owner frees on the background thread (when
/// background work is on): the heavy results an edit replaces (a file's parse, names and
/// types). It reads as the value itself (`Deref`), and compares as the value.
pub struct Deferred<T: Send + Sync + 'static>(Option<Arc<T>>);

impl<T: Send + Sync + 'static> Deferred<T> {
    pub fn new(value: T) -> Self {
        Deferred(Some(Arc::new(value)))
    }

    /// The value, shared.
    pub fn shared(&self) -> &Arc<T> {
        match &self.0 {
            Some(value) => value,
            // Only `drop` empties it, and nothing reads it after that.
            None => unreachable!("a deferred value is read after its drop"),
        }
    }
}

impl<T: Send + Sync + 'static> std::ops::Deref for Deferred<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.shared()
    }
}

impl<T: Send + Sync + 'static> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Deferred(self.0.clone())
    }
}

impl<T: Send + Sync + 'static + PartialEq> PartialEq for Deferred<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(self.shared(), other.shared()) || **self == **other
    }
}

impl<T: Send + Sync + 'static + Eq> Eq for Deferred<T> {}

impl<T: Send + Sync + 'static + std::fmt::Debug> std::fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Send + Sync + 'static> Drop for Deferred<T> {
    fn drop(&mut self) {
        if let Some(value) = self.0.take() {
            if enabled() && Arc::strong_count(&value) == 1 {
                run(move || drop(value));
            }
        }
    }
}

impl<T: Send + Sync + 'static> salsa::SalsaAsDeref for Deferred<T> {
    type AsDeref<'a> = &'a T;

    fn as_deref(&self) -> &T {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    /// Records the thread it is dropped on.
    struct Witness(Sender<std::thread::ThreadId>);

    impl Drop for Witness {
        fn drop(&mut self) {
            let _ = self.0.send(std::thread::current().id());
        }
    }

    #[test]
    fn the_last_owner_frees_on_the_background_thread_and_others_do_not() {
        enable();
        let (sender, receiver) = channel();
        let first = Deferred::new(Witness(sender));
        let second = first.clone();
        drop(first);
        assert!(receiver.try_recv().is_err(), "freed while still shared");
        drop(second);
        let thread = receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("freed");
        assert_ne!(thread, std::thread::current().id());
    }

    /// The niceness of the calling thread, from `/proc/thread-self/stat`.
    #[cfg(target_os = "linux")]
    fn niceness() -> i32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("stat");
        // The fields after the command's `(...)`: state is the first, niceness the 17th.
        let after = &stat[stat.rfind(')').expect("command") + 2..];
        after
            .split(' ')
            .nth(16)
            .expect("niceness")
            .parse()
            .expect("a number")
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn lower_priority_makes_this_thread_alone_nicer() {
        let before = niceness();
        let lowered = std::thread::spawn(|| {
            lower_priority();
            niceness()
        })
        .join()
        .expect("thread");
        assert!(lowered >= 10, "niceness {lowered}, was {before}");
        assert_eq!(niceness(), before, "the calling thread is unchanged");
    }

    #[test]
    fn compares_and_reads_as_its_value() {
        let a = Deferred::new(vec![1, 2]);
        assert_eq!(a, Deferred::new(vec![1, 2]));
        assert_ne!(a, Deferred::new(vec![3]));
        assert_eq!(a.len(), 2);
        assert_eq!(format!("{a:?}"), "[1, 2]");
    }
}
