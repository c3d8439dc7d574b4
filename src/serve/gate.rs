//! The admission gate: how many requests are in hand, how many queries are
//! evaluated at once, and the first-come-first-served queue before them.
//!
//! A request is taken in hand when it arrives, unless `workers + queue`
//! already are ([`Gate::admit`]); then it answers 503 at once. An
//! evaluation takes one of `workers` slots ([`Gate::acquire`]), waiting
//! behind earlier requests until a deadline; a freed slot goes to the first
//! waiter ([`Gate::release`]).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

/// Counters of a running server, for tests and the status page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServeStats {
    /// Queries (and updates) being evaluated now, counting timed-out ones
    /// that are still stopping.
    pub evaluating: usize,
    /// The most evaluated at once since the start (never over `workers`).
    pub peak_evaluating: usize,
    /// Requests waiting for an evaluation slot now.
    pub waiting: usize,
    /// The most requests waiting at once since the start.
    pub peak_waiting: usize,
    /// Requests answered 503 because the queue was full.
    pub refused_full: u64,
    /// Requests answered 503 because they waited `queue_wait` in vain.
    pub refused_wait: u64,
}

/// A counting semaphore of evaluation slots that hands freed slots to the
/// waiters in arrival order, with a deadline per waiter; it also counts the
/// requests in hand.
pub(super) struct Gate {
    slots: usize,
    state: Mutex<GateState>,
    /// Signalled when the last request in hand leaves.
    idle: Condvar,
}

#[derive(Default)]
struct GateState {
    evaluating: usize,
    in_hand: usize,
    waiters: VecDeque<Arc<Waiter>>,
    stats: ServeStats,
}

struct Waiter {
    /// Set (under the gate's lock) when a slot was handed to this waiter.
    granted: AtomicBool,
    wake: Condvar,
}

impl Gate {
    /// A gate of `slots` evaluation slots (at least one).
    pub(super) fn new(slots: usize) -> Self {
        Self {
            slots: slots.max(1),
            state: Mutex::new(GateState::default()),
            idle: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // The state stays consistent even if a holder panicked: every
        // update is a single step.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The counters now.
    pub(super) fn stats(&self) -> ServeStats {
        let st = self.lock();
        ServeStats {
            evaluating: st.evaluating,
            waiting: st.waiters.len(),
            ..st.stats
        }
    }

    /// Takes a request in hand unless `capacity` are already; the returned
    /// guard lets it go when dropped (even on a panic).
    pub(super) fn admit(self: &Arc<Self>, capacity: usize) -> Option<InHand> {
        let mut st = self.lock();
        if st.in_hand >= capacity {
            st.stats.refused_full += 1;
            return None;
        }
        st.in_hand += 1;
        Some(InHand(Arc::clone(self)))
    }

    /// A request in hand has been answered.
    fn leave(&self) {
        let mut st = self.lock();
        st.in_hand -= 1;
        if st.in_hand == 0 {
            self.idle.notify_all();
        }
    }

    /// Waits until no request is in hand.
    pub(super) fn wait_until_idle(&self) {
        let mut st = self.lock();
        while st.in_hand > 0 {
            st = self.idle.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Takes an evaluation slot, waiting behind earlier requests until
    /// `deadline`; `None` when none came in time. The slot is freed when
    /// the returned guard is dropped (even on a panic).
    pub(super) fn acquire(self: &Arc<Self>, deadline: Instant) -> Option<Slot> {
        let mut st = self.lock();
        if st.evaluating < self.slots && st.waiters.is_empty() {
            st.evaluating += 1;
            st.stats.peak_evaluating = st.stats.peak_evaluating.max(st.evaluating);
            return Some(Slot(Arc::clone(self)));
        }
        let me = Arc::new(Waiter {
            granted: AtomicBool::new(false),
            wake: Condvar::new(),
        });
        st.waiters.push_back(Arc::clone(&me));
        st.stats.peak_waiting = st.stats.peak_waiting.max(st.waiters.len());
        loop {
            if me.granted.load(Ordering::SeqCst) {
                return Some(Slot(Arc::clone(self)));
            }
            let now = Instant::now();
            if now >= deadline {
                st.waiters.retain(|w| !Arc::ptr_eq(w, &me));
                st.stats.refused_wait += 1;
                return None;
            }
            st = me
                .wake
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Frees a slot: it goes to the first waiter, if any.
    fn release(&self) {
        let mut st = self.lock();
        if let Some(next) = st.waiters.pop_front() {
            // The slot passes on: `evaluating` stays the same.
            next.granted.store(true, Ordering::SeqCst);
            next.wake.notify_one();
        } else {
            st.evaluating -= 1;
        }
    }
}

/// A request in hand; dropping it lets the request go.
pub(super) struct InHand(Arc<Gate>);

impl Drop for InHand {
    fn drop(&mut self) {
        self.0.leave();
    }
}

/// An evaluation slot; dropping it frees the slot for the next waiter.
pub(super) struct Slot(Arc<Gate>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn slots_pass_to_waiters_in_order_and_deadlines_refuse() {
        let gate = Arc::new(Gate::new(1));
        let held = gate.acquire(Instant::now()).expect("a free slot");
        // No slot before the deadline: refused and counted.
        assert!(
            gate.acquire(Instant::now() + Duration::from_millis(20))
                .is_none()
        );
        assert_eq!(gate.stats().refused_wait, 1);
        let waiter = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                gate.acquire(Instant::now() + Duration::from_secs(30))
                    .is_some()
            })
        };
        while gate.stats().waiting == 0 {
            std::thread::yield_now();
        }
        drop(held);
        assert!(waiter.join().expect("no panic"), "the slot passed on");
        let st = gate.stats();
        assert_eq!(
            (st.evaluating, st.peak_evaluating, st.peak_waiting),
            (0, 1, 1)
        );
    }

    #[test]
    fn admission_is_bounded_and_guards_let_go() {
        let gate = Arc::new(Gate::new(1));
        let a = gate.admit(2).expect("room");
        let b = gate.admit(2).expect("room");
        assert!(gate.admit(2).is_none());
        assert_eq!(gate.stats().refused_full, 1);
        drop((a, b));
        gate.wait_until_idle();
        assert!(gate.admit(2).is_some());
    }
}
