//! Views that take a while on a large corpus (what is new in a document,
//! terms over time, the office table), computed off the window's thread so
//! that it keeps drawing: at 1 GB, what is new in a late meeting reads the
//! text of thousands of earlier ones.
//!
//! A [`Job`] runs on the thread pool with the corpus it was asked about and
//! the question (`key`) it answers; the app polls it each frame and keeps
//! the answer only if the corpus on screen and the question are still the
//! same (else it asks again, so at most one job of a kind is in flight).

use super::loader::LoadedCorpus;
use std::sync::{Arc, mpsc};

/// A view being computed.
pub struct Job<K, T> {
    /// What it answers (a document, the terms typed).
    pub key: K,
    /// The [`LoadedCorpus::generation`] it reads.
    pub generation: u64,
    answer: mpsc::Receiver<T>,
}

/// Where a [`Job`] is.
enum Polled<T> {
    /// Still running.
    Running,
    /// Done.
    Ready(T),
    /// It failed (a panic, caught): no answer will come.
    Failed,
}

impl<K, T: Send + 'static> Job<K, T> {
    /// Starts `work` on `corpus` on the thread pool; the window is woken
    /// when it is done.
    pub fn start(
        ctx: &egui::Context,
        corpus: &Arc<LoadedCorpus>,
        key: K,
        work: impl FnOnce(&LoadedCorpus) -> T + Send + 'static,
    ) -> Self {
        let (send, answer) = mpsc::channel();
        let generation = corpus.generation;
        let corpus = Arc::clone(corpus);
        let ctx = ctx.clone();
        rayon::spawn(move || {
            // A panic drops `send`: the job is then `Failed`, not the window.
            if let Ok(value) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&corpus))) {
                let _ = send.send(value);
            }
            ctx.request_repaint();
        });
        Self { key, generation, answer }
    }

    /// The answer, if it has come.
    fn poll(&self) -> Polled<T> {
        match self.answer.try_recv() {
            Ok(value) => Polled::Ready(value),
            Err(mpsc::TryRecvError::Empty) => Polled::Running,
            Err(mpsc::TryRecvError::Disconnected) => Polled::Failed,
        }
    }
}

/// A [`Job`] that is done.
pub struct Finished<K, T> {
    /// What it answered.
    pub key: K,
    /// It read the corpus on screen (not one loaded since).
    pub current: bool,
    /// The answer; `None` when it failed.
    pub answer: Option<T>,
}

/// The job in `slot` if it is done, which empties the slot; `generation`
/// is the corpus on screen's.
pub fn finished<K, T: Send + 'static>(slot: &mut Option<Job<K, T>>, generation: Option<u64>) -> Option<Finished<K, T>> {
    let answer = match slot.as_ref()?.poll() {
        Polled::Running => return None,
        Polled::Ready(value) => Some(value),
        Polled::Failed => None,
    };
    let job = slot.take()?;
    Some(Finished { key: job.key, current: generation == Some(job.generation), answer })
}
