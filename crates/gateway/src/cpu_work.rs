//! Runs inspections of large bodies off the async workers.
//!
//! Inspecting a 32 MiB body dense with personal data takes a core for
//! about 200 milliseconds (`BENCHMARKS.md`). Run on an async worker, it
//! stalls every connection that worker serves, health checks included, and
//! two such uploads stall a two-core gateway whole. A body above
//! [`INLINE_BYTES`] therefore waits for a permit, one per core, and is
//! inspected in [`tokio::task::block_in_place`], which first hands the
//! worker's other tasks to a new worker thread. Smaller bodies, most
//! requests, are inspected where they are: they take well under a
//! millisecond, and a hand-over would add to that.
//!
//! The permits bound the inspections that run at once to the cores, so a
//! burst of large uploads queues in arrival order instead of slicing the
//! cores between all of them and delaying every one.

use std::sync::Arc;

use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::sync::Semaphore;

/// Largest body that is inspected on the async worker that received it.
pub const INLINE_BYTES: usize = 64 * 1024;

/// The permits for inspections of bodies above [`INLINE_BYTES`].
#[derive(Debug, Clone)]
pub struct CpuWork {
    permits: Arc<Semaphore>,
}

impl CpuWork {
    /// Allows as many large inspections at once as the machine has cores
    /// (as `std::thread::available_parallelism` reports them, or one).
    pub fn for_this_machine() -> CpuWork {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        CpuWork::with_permits(cores)
    }

    /// Allows `permits` large inspections at once, at least one.
    pub fn with_permits(permits: usize) -> CpuWork {
        CpuWork {
            permits: Arc::new(Semaphore::new(permits.max(1))),
        }
    }

    /// Returns the number of large inspections that could start now.
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }

    /// Runs `work`, the inspection of a body of `body_bytes` bytes, and
    /// returns its result.
    ///
    /// A body above [`INLINE_BYTES`] first waits for a permit, then runs in
    /// `block_in_place`. A current-thread runtime has no other thread to
    /// hand its tasks to, so there `work` runs in place after the permit.
    pub async fn run<T>(&self, body_bytes: usize, work: impl FnOnce() -> T) -> T {
        if body_bytes <= INLINE_BYTES {
            return work();
        }
        // Acquiring fails only on a closed semaphore, and nothing closes
        // this one. Should it fail, the work runs without a permit rather
        // than not at all.
        let _permit = self.permits.acquire().await.ok();
        let multi_thread = Handle::try_current()
            .is_ok_and(|handle| handle.runtime_flavor() == RuntimeFlavor::MultiThread);
        if multi_thread {
            tokio::task::block_in_place(work)
        } else {
            work()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn small_bodies_run_without_a_permit() {
        let work = CpuWork::with_permits(1);
        let _all_permits = work.permits.clone().acquire_owned().await.unwrap();
        assert_eq!(work.run(INLINE_BYTES, || 7).await, 7);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn large_bodies_wait_for_a_permit() {
        let work = CpuWork::with_permits(1);
        let all_permits = work.permits.clone().acquire_owned().await.unwrap();
        let waiting =
            tokio::time::timeout(Duration::from_millis(50), work.run(INLINE_BYTES + 1, || 7)).await;
        assert!(waiting.is_err(), "ran while every permit was held");

        drop(all_permits);
        assert_eq!(work.run(INLINE_BYTES + 1, || 7).await, 7);
        assert_eq!(work.available(), 1, "the permit was not returned");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn large_bodies_leave_the_worker_free() {
        // The runtime's only worker runs the inspection, and the task it
        // spawned just before waits in that worker's queue. The task can
        // run only because `block_in_place` handed the queue to another
        // thread.
        let work = CpuWork::with_permits(1);
        let inspection = tokio::spawn(async move {
            let (sender, receiver) = std::sync::mpsc::channel();
            let other = tokio::spawn(async move { sender.send(()).unwrap() });
            let received = work
                .run(INLINE_BYTES + 1, move || {
                    receiver.recv_timeout(Duration::from_secs(5)).is_ok()
                })
                .await;
            other.await.unwrap();
            received
        });
        assert!(inspection.await.unwrap(), "the spawned task did not run");
    }

    #[tokio::test]
    async fn single_thread_runtime_runs_in_place() {
        let work = CpuWork::with_permits(1);
        assert_eq!(work.run(INLINE_BYTES + 1, || 7).await, 7);
        assert_eq!(work.available(), 1);
    }
}
