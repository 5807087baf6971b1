//! Turning a burst of file-system events into one rebuild. Editors save in bursts (write a
//! temporary file, rename it, change attributes), so the loop waits until no relevant event
//! has arrived for a short quiet time, but never longer than a cap after the first one (a
//! file written continuously still gets rebuilt).
//!
//! The events arrive on a channel, with the Ctrl-C handler writing to the same channel, so
//! this is plain logic, tested without a file watcher.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What the watch loop receives.
#[derive(Debug)]
pub enum Message {
    /// An event (or an error) from the file watcher.
    Fs(notify::Result<notify::Event>),
    /// Ctrl-C: stop.
    Interrupt,
}

/// Why [`next_batch`] returned.
#[derive(Debug, PartialEq, Eq)]
pub enum Batch {
    /// Relevant files changed, and then things were quiet.
    Changed,
    /// Ctrl-C.
    Interrupted,
    /// Every sender is gone: nothing more can arrive.
    Closed,
}

/// How long to wait for a burst of events to end.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Rebuild once no relevant event arrived for this long.
    pub quiet: Duration,
    /// ... or once this long has passed since the first one.
    pub longest: Duration,
}

/// Waits for the next burst of relevant events and for its end. Events that `relevant`
/// rejects are dropped; watcher errors go to `on_error`.
pub fn next_batch(
    receiver: &Receiver<Message>,
    timing: Timing,
    relevant: impl Fn(&notify::Event) -> bool,
    mut on_error: impl FnMut(notify::Error),
) -> Batch {
    // Block until the first relevant event.
    loop {
        match receiver.recv() {
            Ok(Message::Interrupt) => return Batch::Interrupted,
            Ok(Message::Fs(Ok(event))) if relevant(&event) => break,
            Ok(Message::Fs(Ok(_))) => {}
            Ok(Message::Fs(Err(error))) => on_error(error),
            Err(_) => return Batch::Closed,
        }
    }
    let first = Instant::now();
    let mut last = first;
    loop {
        let deadline = (last + timing.quiet).min(first + timing.longest);
        let wait = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(wait) {
            Ok(Message::Interrupt) => return Batch::Interrupted,
            Ok(Message::Fs(Ok(event))) => {
                if relevant(&event) {
                    last = Instant::now();
                }
            }
            Ok(Message::Fs(Err(error))) => on_error(error),
            // The watcher is gone; build what changed, and the next call says so.
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                return Batch::Changed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, EventKind};
    use std::path::PathBuf;
    use std::sync::mpsc::{channel, Sender};

    const TIMING: Timing = Timing {
        quiet: Duration::from_millis(40),
        longest: Duration::from_millis(400),
    };

    fn event(path: &str) -> Message {
        Message::Fs(Ok(
            notify::Event::new(EventKind::Create(CreateKind::File)).add_path(PathBuf::from(path))
        ))
    }

    fn is_wanted(event: &notify::Event) -> bool {
        event.paths.iter().any(|path| path.ends_with("wanted"))
    }

    fn send(sender: &Sender<Message>, message: Message) {
        sender.send(message).expect("the receiver is alive");
    }

    #[test]
    fn a_burst_is_one_batch() {
        let (sender, receiver) = channel();
        for _ in 0..5 {
            send(&sender, event("/d/wanted"));
        }
        assert_eq!(
            next_batch(&receiver, TIMING, is_wanted, |_| {}),
            Batch::Changed
        );
        // The whole burst was consumed: nothing is left for another batch.
        drop(sender);
        assert_eq!(
            next_batch(&receiver, TIMING, is_wanted, |_| {}),
            Batch::Closed
        );
    }

    #[test]
    fn irrelevant_events_do_not_start_a_batch() {
        let (sender, receiver) = channel();
        send(&sender, event("/d/other"));
        send(&sender, Message::Fs(Err(notify::Error::generic("lost"))));
        drop(sender);
        let mut errors = Vec::new();
        let batch = next_batch(&receiver, TIMING, is_wanted, |error| {
            errors.push(error.to_string())
        });
        assert_eq!(batch, Batch::Closed);
        assert_eq!(errors, ["lost"]);
    }

    #[test]
    fn waits_for_the_quiet_time_after_the_last_event() {
        let (sender, receiver) = channel();
        let feeder = std::thread::spawn(move || {
            for _ in 0..4 {
                send(&sender, event("/d/wanted"));
                std::thread::sleep(Duration::from_millis(15));
            }
            sender
        });
        let start = Instant::now();
        assert_eq!(
            next_batch(&receiver, TIMING, is_wanted, |_| {}),
            Batch::Changed
        );
        // The last of four events 15 ms apart, then 40 quiet ms.
        assert!(start.elapsed() >= Duration::from_millis(45 + 40));
        drop(feeder.join());
    }

    #[test]
    fn a_steady_stream_is_cut_at_the_longest_wait() {
        let (sender, receiver) = channel();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let feeding = stop.clone();
        let feeder = std::thread::spawn(move || {
            while !feeding.load(std::sync::atomic::Ordering::Relaxed) {
                if sender.send(event("/d/wanted")).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        // A quiet time far above the feeder's 10 ms period: only a scheduling stall of
        // 150 ms on a loaded machine could end the batch early (40 ms was not enough).
        let timing = Timing {
            quiet: Duration::from_millis(150),
            longest: Duration::from_millis(300),
        };
        let start = Instant::now();
        let batch = next_batch(&receiver, timing, is_wanted, |_| {});
        let elapsed = start.elapsed();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        drop(feeder.join());
        assert_eq!(batch, Batch::Changed);
        assert!(elapsed >= timing.longest, "{elapsed:?}");
        // Generous: a loaded machine may be slow to wake the thread.
        assert!(elapsed < timing.longest * 5, "{elapsed:?}");
    }

    #[test]
    fn ctrl_c_interrupts_at_once_even_in_a_burst() {
        let (sender, receiver) = channel();
        send(&sender, Message::Interrupt);
        assert_eq!(
            next_batch(&receiver, TIMING, is_wanted, |_| {}),
            Batch::Interrupted
        );
        send(&sender, event("/d/wanted"));
        send(&sender, Message::Interrupt);
        assert_eq!(
            next_batch(&receiver, TIMING, is_wanted, |_| {}),
            Batch::Interrupted
        );
    }
}
