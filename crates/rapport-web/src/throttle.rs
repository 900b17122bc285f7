//! Slows down password guessing: after repeated failures for a login (or from one
//! address) further attempts are refused for a while, whatever the password.
//!
//! Kept in memory: several servers behind a balancer each count on their own, which
//! multiplies the allowance by the number of servers but never locks out a user for good.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per login before it is locked for a while.
pub const LOGIN_FAILURES: u32 = 5;
/// A front desk shares one address among many staff, so an address gets more.
pub const ADDRESS_FAILURES: u32 = 20;
/// Failures older than this are forgotten.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// How long a lock lasts.
pub const LOCK: Duration = Duration::from_secs(5 * 60);

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Record>>,
}

struct Record {
    count: u32,
    since: Instant,
    locked_until: Option<Instant>,
}

impl LoginThrottle {
    /// `Err(wait)` when either key is locked.
    pub fn check(&self, login: &str, address: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let map = self.failures.lock().expect("throttle poisoned");
        let wait = [login_key(login), address_key(address)]
            .iter()
            .filter_map(|k| map.get(k)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        match wait {
            Some(w) => Err(w),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against the login and the address.
    pub fn failed(&self, login: &str, address: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().expect("throttle poisoned");
        if map.len() > 100_000 {
            map.retain(|_, r| now.duration_since(r.since) < WINDOW || r.locked_until.is_some_and(|u| u > now));
        }
        for (key, limit) in [(login_key(login), LOGIN_FAILURES), (address_key(address), ADDRESS_FAILURES)] {
            let r = map.entry(key).or_insert(Record {
                count: 0,
                since: now,
                locked_until: None,
            });
            if now.duration_since(r.since) > WINDOW {
                *r = Record {
                    count: 0,
                    since: now,
                    locked_until: None,
                };
            }
            r.count += 1;
            if r.count >= limit {
                r.locked_until = Some(now + LOCK);
            }
        }
    }

    /// A successful sign-in clears the login's failures (not the address's).
    pub fn succeeded(&self, login: &str) {
        self.failures.lock().expect("throttle poisoned").remove(&login_key(login));
    }
}

fn login_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_is_locked_after_five_failures_and_others_are_not() {
        let t = LoginThrottle::default();
        for _ in 0..LOGIN_FAILURES - 1 {
            t.failed("anna", "10.0.0.1");
            assert!(t.check("anna", "10.0.0.1").is_ok());
        }
        t.failed("ANNA", "10.0.0.1");
        let wait = t.check("anna", "10.0.0.2").unwrap_err();
        assert!(wait > Duration::from_secs(60), "locked for minutes, from any address");
        assert!(t.check("ben", "10.0.0.1").is_ok(), "colleagues at the same desk can still sign in");
    }

    #[test]
    fn an_address_guessing_many_logins_is_locked() {
        let t = LoginThrottle::default();
        for i in 0..ADDRESS_FAILURES {
            t.failed(&format!("user{i}"), "203.0.113.9");
        }
        assert!(t.check("someone-else", "203.0.113.9").is_err());
        assert!(t.check("someone-else", "10.0.0.1").is_ok());
    }

    #[test]
    fn success_clears_the_count() {
        let t = LoginThrottle::default();
        for _ in 0..LOGIN_FAILURES - 1 {
            t.failed("anna", "10.0.0.1");
        }
        t.succeeded("anna");
        t.failed("anna", "10.0.0.1");
        assert!(t.check("anna", "10.0.0.1").is_ok());
    }
}
