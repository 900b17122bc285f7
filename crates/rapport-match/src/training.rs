//! How the model learns from the base itself, without labels (the approach of Splink).
//!
//! * `u`, how often strangers agree, comes from random pairs: nearly all are strangers.
//!   Agreement on a birth date, a contact or a document number is too rare to sample and
//!   is counted over all pairs, then cleared of the matches among the sharers (the
//!   session drawn by that field says what share they are).
//! * `m`, how often a person agrees with their own duplicate, comes from EM over pairs
//!   drawn in *sessions*: pairs sharing a birth date, pairs sharing a name sound, pairs
//!   sharing an email or phone. Within a session the strangers are random pairs apart from
//!   the shared field, so `u` from random pairs holds for every other field; the shared
//!   field is left out of that session and learned from the others.
//! * λ, the prior share of matches among all pairs, follows from a session's share of
//!   matches: matches = λ_session × pairs in the session ÷ P(a match shares the field).
//!
//! Estimating `u` by EM on the candidate pairs themselves instead goes wrong: blocking makes
//! strangers in the candidate set agree on the blocked fields far more than random pairs
//! do, and EM then takes those agreements for matches.

use crate::batch::{Progress, Stage};
use crate::compare::compare;
use crate::em::{self, initial_m, shares, EmFit, LevelProbabilities};
use crate::fields::{Field, Pattern};
use crate::keys::{key, KeyMap};
use crate::model::{MatchModel, MatchSettings};
use crate::parallel::parallel_map;
use crate::prepare::Prepared;
use crate::reference::reference_m;

/// Pairs drawn from each group sharing a session key, at most.
const PAIRS_PER_GROUP: usize = 40;
/// Pairs per session, at most (enough for EM over a few thousand patterns).
const PAIRS_PER_SESSION: usize = 1_500_000;

/// A way of drawing training pairs: persons sharing one of these keys.
struct Session {
    keys: fn(&Prepared) -> Vec<u64>,
    /// The fields the pairs were drawn by: left out of this session's EM.
    drawn_by: &'static [Field],
    /// P(a true match shares the key), from the fitted `m`.
    share_of_matches: fn(&LevelProbabilities) -> f64,
    /// The levels of the drawn field that mean "shares the session's key", when the
    /// session is drawn by one field: their `u` among all pairs holds the session's
    /// matches too, and the session's EM says what share those are.
    agreement: Option<(Field, &'static [usize])>,
}

const SESSIONS: [Session; 3] = [
    Session {
        keys: |p| if p.birth.is_empty() { vec![] } else { vec![key(b'B', &[&p.birth])] },
        drawn_by: &[Field::BirthDate],
        share_of_matches: |m| m[Field::BirthDate.index()][3],
        agreement: Some((Field::BirthDate, &[3])),
    },
    Session {
        keys: |p| {
            if p.given.is_empty() || p.family.is_empty() {
                return vec![];
            }
            let (g, f) = (&p.given.sound, &p.family.sound);
            vec![if g <= f { key(b'N', &[g, f]) } else { key(b'N', &[f, g]) }]
        },
        drawn_by: &[Field::GivenName, Field::FamilyName],
        share_of_matches: |m| (m[0][4] + m[0][3]) * (m[1][4] + m[1][3]),
        agreement: None,
    },
    Session {
        keys: |p| p.emails.iter().chain(p.phones.iter()).map(|v| key(b'C', &[v])).collect(),
        drawn_by: &[Field::Contact],
        share_of_matches: |m| m[Field::Contact.index()][4] + m[Field::Contact.index()][3],
        agreement: Some((Field::Contact, &[3, 4])),
    },
];

/// What a session found.
struct SessionFit {
    m: LevelProbabilities,
    lambda: f64,
    /// All pairs sharing the session's keys (not only those drawn).
    pairs_in_groups: f64,
    iterations: usize,
    converged: bool,
}

/// Deterministic xorshift64*, so a run is reproducible.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// How often two profiles of one guest may at most disagree outright on a field that a person
/// keeps: a birth date (a typo or swapped day and month is a partial agreement, not a
/// disagreement), an email or phone (both changed, or an OTA's masked address), a document
/// number. EM learns `m` from whatever pairs it takes for matches; on a base with no
/// duplicates (the demo group) those are namesakes, and it learnt that a match disagrees on
/// birth date and contacts about as often as strangers do (−0.02 bits for different emails
/// and phones), which put 4,651 pairs of namesakes in the review queue of 20,000 demo guests.
/// Measured on the generator's hard setting, where every repeat carries mistakes: 0.02, 0.13
/// and 0.0001, well under these caps, so a base that has duplicates keeps what it measures.
const MAX_DISAGREEMENT: [(Field, f64); 3] = [(Field::BirthDate, 0.1), (Field::Contact, 0.3), (Field::IdDocument, 0.1)];

/// Holds `m` of "disagreed" to [`MAX_DISAGREEMENT`], giving the excess to the agreeing and
/// partial levels in proportion.
fn cap_disagreement(m: &mut LevelProbabilities) {
    for (field, cap) in MAX_DISAGREEMENT {
        let levels = &mut m[field.index()];
        let excess = levels[1] - cap;
        if excess <= 0.0 {
            continue;
        }
        levels[1] = cap;
        let rest: f64 = levels[2..].iter().sum();
        for l in &mut levels[2..] {
            *l += excess * *l / rest;
        }
    }
}

/// The prior's floor: one duplicate pair per this many profiles (see `train`).
const MIN_DUPLICATES_PER: f64 = 100.0;

/// Trains the model on a prepared base.
pub fn train(prepared: &[Prepared], settings: &MatchSettings, progress: &(dyn Fn(Progress) + Sync)) -> MatchModel {
    let u = random_pair_shares(prepared, settings.random_pairs, progress);
    let fits: Vec<(usize, SessionFit)> = SESSIONS
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, fit_session(prepared, s, &u, settings, progress)?)))
        .collect();
    // Each field's m from the sessions that did not draw by it; the reference where none
    // found duplicates to learn it from.
    let mut m = initial_m();
    let mut from_reference = Vec::new();
    for f in Field::ALL {
        let usable: Vec<&SessionFit> = fits
            .iter()
            .filter(|(i, _)| !SESSIONS[*i].drawn_by.contains(&f))
            .map(|(_, s)| s)
            .collect();
        m[f.index()] = if usable.is_empty() {
            from_reference.push(f.name().to_string());
            reference_m(f)
        } else {
            (0..f.level_count())
                .map(|l| usable.iter().map(|s| s.m[f.index()][l]).sum::<f64>() / usable.len() as f64)
                .collect()
        };
    }
    cap_disagreement(&mut m);
    let mut u = u;
    for (i, s) in &fits {
        if let Some((field, levels)) = SESSIONS[*i].agreement {
            without_matches(&mut u[field.index()], levels, s.lambda);
        }
    }
    let n = prepared.len() as f64;
    let all_pairs = (n * (n - 1.0) / 2.0).max(1.0);
    // A base with (almost) no duplicates gives a session next to no matches to count, and its
    // estimate falls towards zero: on 1,500 clean demo profiles one session said 1e-12, and
    // the same name and email then scored 3 %. Every base gains duplicates as guests return,
    // so no session counts fewer than one duplicate pair per `MIN_DUPLICATES_PER` profiles;
    // a base with more measures its own.
    let floor = (n / MIN_DUPLICATES_PER).max(1.0);
    let log_lambdas: Vec<f64> = fits
        .iter()
        .map(|(i, s)| {
            let matches = s.lambda * s.pairs_in_groups / (SESSIONS[*i].share_of_matches)(&m).max(0.01);
            (matches.max(floor) / all_pairs).min(0.5).ln()
        })
        .collect();
    let lambda = if log_lambdas.is_empty() {
        floor / all_pairs
    } else {
        (log_lambdas.iter().sum::<f64>() / log_lambdas.len() as f64).exp()
    };
    let fit = em::EmFit {
        m,
        u,
        lambda,
        iterations: fits.iter().map(|(_, s)| s.iterations).sum(),
        converged: fits.iter().all(|(_, s)| s.converged),
    };
    MatchModel {
        from_reference,
        ..MatchModel::from_fit(&fit, *settings)
    }
}

/// Fields EM does not fit; their `m` is measured afterwards on the pairs the fit takes
/// for matches ([`em::m_of_left_out`]). Strangers of one country agree on it one time in
/// five or six (u 0.18), and a namesake from the same country looks like a match on every
/// field but one: given the country, EM made "same name, same country" its match class
/// and merged namesakes (precision 0.968 on the hard generated set).
const MEASURED_AFTER_FIT: [Field; 1] = [Field::Country];

fn fit_session(
    prepared: &[Prepared],
    session: &Session,
    u: &LevelProbabilities,
    settings: &MatchSettings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Option<SessionFit> {
    let (pairs, pairs_in_groups) = session_pairs(prepared, session.keys);
    if pairs.is_empty() {
        return None;
    }
    let patterns = parallel_map(&pairs, Stage::Fit, progress, |&(i, j)| {
        compare(&prepared[i as usize], &prepared[j as usize])
            .without(session.drawn_by)
            .levels_only()
    });
    let counts = pattern_counts(&patterns);
    let without = pattern_counts_of(counts.iter().map(|&(p, n)| (p.without(&MEASURED_AFTER_FIT), n)).collect());
    let mut fit = em::fit(&without, initial_m(), u.clone(), 0.1, false, settings.em_iterations);
    if !found_duplicates(&without, &fit, session.drawn_by) {
        return None;
    }
    for field in MEASURED_AFTER_FIT {
        fit.m[field.index()] = em::m_of_left_out(&counts, &fit, field);
    }
    Some(SessionFit {
        m: fit.m,
        lambda: fit.lambda,
        pairs_in_groups,
        iterations: fit.iterations,
        converged: fit.converged,
    })
}

/// Fields a guest keeps from one booking to the next: a session's matches must agree on
/// each of them (the "equal" level) more often than not.
const KEPT: [Field; 3] = [Field::GivenName, Field::FamilyName, Field::BirthDate];
const MIN_KEPT_AGREEMENT: f64 = 0.5;
/// Expected matches under which a session, or one field of it, says nothing.
const MIN_MATCHES: f64 = 20.0;

/// Whether a session's fit found duplicates, rather than whatever else is common among its
/// pairs. On the generator's hard setting every session's matches have the same given name,
/// family name and birth date 76 to 89 % of the time. On the 1,000,000-guest demo group,
/// which has no duplicates, the pairs sharing a birth date gave a class with the same given
/// name 11 % of the time, and the pairs sharing a name sound one whose birth dates all
/// differed (their common ground was the country); a smaller base collapses to no matches
/// at all. A fit refused here teaches nothing: its fields fall back on
/// [`crate::reference`] and its λ on the floor.
fn found_duplicates(patterns: &[(Pattern, u64)], fit: &EmFit, drawn_by: &[Field]) -> bool {
    let pairs: f64 = patterns.iter().map(|&(_, n)| n as f64).sum();
    if fit.lambda * pairs < MIN_MATCHES {
        return false;
    }
    KEPT.iter().filter(|f| !drawn_by.contains(f)).all(|&f| {
        let levels = em::matched_levels(patterns, fit, f, None);
        let total: f64 = levels.iter().sum();
        total < MIN_MATCHES || levels[f.top_level() as usize] >= MIN_KEPT_AGREEMENT * total
    })
}

/// Distinct patterns with their counts, in a stable order.
fn pattern_counts(patterns: &[Pattern]) -> Vec<(Pattern, u64)> {
    pattern_counts_of(patterns.iter().map(|&p| (p, 1)).collect())
}

/// Counted patterns with equal patterns summed, in a stable order.
fn pattern_counts_of(mut counted: Vec<(Pattern, u64)>) -> Vec<(Pattern, u64)> {
    counted.sort_unstable();
    counted
        .chunk_by(|a, b| a.0 == b.0)
        .map(|g| (g[0].0, g.iter().map(|x| x.1).sum()))
        .collect()
}

/// Pairs sharing a key: all of a small group, a random draw from a large one; and how many
/// pairs the groups hold in all.
fn session_pairs(prepared: &[Prepared], keys: fn(&Prepared) -> Vec<u64>) -> (Vec<(u32, u32)>, f64) {
    let mut entries: Vec<(u64, u32)> = prepared
        .iter()
        .enumerate()
        .flat_map(|(i, p)| keys(p).into_iter().map(move |k| (k, i as u32)))
        .collect();
    entries.sort_unstable();
    let groups: Vec<&[(u64, u32)]> = entries.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1).collect();
    let pairs_in_groups: f64 = groups.iter().map(|g| (g.len() * (g.len() - 1) / 2) as f64).sum();
    // Every group contributes, the large ones by sample, within the session's budget.
    let per_group = (PAIRS_PER_SESSION / groups.len().max(1)).clamp(1, PAIRS_PER_GROUP);
    let mut rng = Xorshift(0x5DEE_CE66_D1CE_4E5B);
    let mut pairs = Vec::new();
    for g in groups {
        let all = g.len() * (g.len() - 1) / 2;
        if all <= per_group {
            for (n, a) in g.iter().enumerate() {
                pairs.extend(g[n + 1..].iter().map(|b| (a.1, b.1)));
            }
        } else {
            for _ in 0..per_group {
                let (x, y) = (rng.below(g.len() as u64) as usize, rng.below(g.len() as u64 - 1) as usize);
                let y = if y >= x { y + 1 } else { y };
                pairs.push((g[x].1, g[y].1));
            }
        }
    }
    pairs.retain(|(a, b)| a != b);
    (pairs, pairs_in_groups)
}

/// Level shares among random pairs: how often strangers agree.
fn random_pair_shares(prepared: &[Prepared], samples: usize, progress: &(dyn Fn(Progress) + Sync)) -> LevelProbabilities {
    let n = prepared.len() as u64;
    let mut pairs = Vec::new();
    if n >= 2 {
        let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..samples.min((n * (n - 1) / 2) as usize) {
            let (i, j) = (rng.below(n) as u32, rng.below(n) as u32);
            if i != j {
                pairs.push((i, j));
            }
        }
    }
    let patterns = parallel_map(&pairs, Stage::Fit, progress, |&(i, j)| {
        compare(&prepared[i as usize], &prepared[j as usize])
    });
    let mut counts = Field::ALL.map(|f| vec![0.0; f.level_count()]);
    for p in patterns {
        for f in Field::ALL {
            counts[f.index()][p.level(f) as usize] += 1.0;
        }
    }
    let mut u = shares(&counts);
    for (field, levels, keys) in EXACT_AGREEMENTS {
        let rate = agreement_rate(prepared, keys);
        set_agreement(&mut u[field.index()], &counts[field.index()], levels, rate);
    }
    u
}

/// The values of one field a person has, as keys.
type KeysOf = fn(&Prepared) -> Vec<u64>;

/// Levels that mean "the two share a value", with the values: their `u` is counted over
/// all pairs rather than sampled. Strangers share a phone, a document number or a birth
/// date so rarely that 300,000 random pairs hold a handful of such agreements or none, and
/// the estimate then moves by a bit or more from one base to the next and stops shrinking
/// as the base grows (while the prior does shrink): a million profiles lost recall to it.
const EXACT_AGREEMENTS: [(Field, &[usize], KeysOf); 3] = [
    (Field::BirthDate, &[3], |p| {
        if p.birth.is_empty() {
            vec![]
        } else {
            vec![key(b'B', &[&p.birth])]
        }
    }),
    (Field::Contact, &[3, 4], |p| {
        p.emails.iter().chain(p.phones.iter()).map(|v| key(b'C', &[v])).collect()
    }),
    (Field::IdDocument, &[3], |p| {
        if p.id_document.is_empty() {
            vec![]
        } else {
            vec![key(b'I', &[&p.id_document])]
        }
    }),
];

/// The share of pairs of persons who both have the field that share one of its values:
/// Σ c(c−1) over the values' counts c, over M(M−1) for the M persons with a value. Pairs
/// sharing two values count twice, so this errs on the high side (weights a little low).
/// Duplicates of one guest are among the pairs, as they are among random pairs.
fn agreement_rate(prepared: &[Prepared], keys: fn(&Prepared) -> Vec<u64>) -> f64 {
    let mut counts: KeyMap<u64> = KeyMap::default();
    let mut with_value = 0u64;
    for p in prepared {
        let ks = keys(p);
        if !ks.is_empty() {
            with_value += 1;
        }
        for k in ks {
            *counts.entry(k).or_insert(0) += 1;
        }
    }
    if with_value < 2 {
        return 0.0;
    }
    let shared: u64 = counts.values().map(|c| c * (c - 1)).sum();
    let m = with_value as f64;
    shared as f64 / (m * (m - 1.0))
}

/// Takes the matches out of a field's agreement `u`: among pairs sharing the value, a
/// share `matches` (the session's λ, learned by EM from the other fields) are one guest
/// twice, and `u` is about strangers. A phone shared by two random profiles is mostly a
/// guest booked twice; counted as strangers' agreement it weighed three bits too little.
/// The mass taken out goes to "different". At least a tenth of the agreement is kept, so
/// an EM that took every sharer for a match cannot make agreement proof.
fn without_matches(u: &mut [f64], levels: &[usize], matches: f64) {
    let keep = (1.0 - matches).clamp(0.1, 1.0);
    let mut removed = 0.0;
    for &l in levels {
        removed += u[l] * (1.0 - keep);
        u[l] *= keep;
    }
    u[1] += removed;
}

/// Sets the agreement `levels` of one field's `u` to `rate` in all, split as the sample
/// split them (smoothed), and scales the other levels to fill the rest.
fn set_agreement(u: &mut [f64], sampled: &[f64], levels: &[usize], rate: f64) {
    if rate <= 0.0 || rate >= 1.0 {
        return;
    }
    let sampled_total: f64 = levels.iter().map(|&l| sampled[l] + 0.5).sum();
    let others: f64 = (1..u.len()).filter(|l| !levels.contains(l)).map(|l| u[l]).sum();
    for l in 1..u.len() {
        if levels.contains(&l) {
            u[l] = rate * (sampled[l] + 0.5) / sampled_total;
        } else if others > 0.0 {
            u[l] *= (1.0 - rate) / others;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_may_not_disagree_on_a_birth_date_as_often_as_strangers_do() {
        let mut m = initial_m();
        let bd = Field::BirthDate.index();
        m[bd] = vec![0.0, 0.9, 0.04, 0.06];
        let contact = Field::Contact.index();
        let measured = m[contact].clone();
        cap_disagreement(&mut m);
        assert!((m[bd][1] - 0.1).abs() < 1e-12);
        assert!(
            (m[bd][2] - 0.36).abs() < 1e-12 && (m[bd][3] - 0.54).abs() < 1e-12,
            "the excess goes to the other levels in proportion: {:?}",
            m[bd]
        );
        assert_eq!(m[contact], measured, "a measured value under the cap is kept");
    }
    use crate::person::Person;

    /// A fit whose match class is sure of the contact: each pattern is a match exactly when
    /// the contact agrees.
    fn sure_of_contact() -> EmFit {
        let mut m = initial_m();
        m[Field::Contact.index()] = vec![0.0, 1e-6, 1e-6, 1e-6, 1.0];
        let mut u = initial_m();
        u[Field::Contact.index()] = vec![0.0, 1.0, 1e-9, 1e-9, 1e-9];
        for f in [Field::GivenName, Field::BirthDate] {
            let top = f.top_level() as usize;
            m[f.index()] = vec![1.0 / top as f64; top + 1];
            u[f.index()] = m[f.index()].clone();
        }
        EmFit {
            m,
            u,
            lambda: 0.5,
            iterations: 1,
            converged: true,
        }
    }

    /// 100 pairs whose contact agrees and 100 whose contact differs, the first with the
    /// given name `given` and birth date `birth` levels.
    fn session(given: u8, birth: u8) -> Vec<(Pattern, u64)> {
        vec![
            (Pattern::new([given, 0, birth, 4, 0, 0, 0, 0], false), 100),
            (Pattern::new([1, 0, 1, 1, 0, 0, 0, 0], false), 100),
        ]
    }

    #[test]
    fn a_session_whose_matches_disagree_on_names_or_birth_dates_found_no_duplicates() {
        let fit = sure_of_contact();
        let drawn_by = [Field::Contact];
        assert!(found_duplicates(&session(4, 3), &fit, &drawn_by), "same name and birth date");
        assert!(found_duplicates(&session(4, 0), &fit, &drawn_by), "no birth dates says nothing");
        // Namesakes born a digit apart (the 1M demo group), or different given names.
        assert!(!found_duplicates(&session(4, 2), &fit, &drawn_by));
        assert!(!found_duplicates(&session(1, 3), &fit, &drawn_by));
        // A field the session was drawn by is not asked of it.
        assert!(found_duplicates(&session(1, 3), &fit, &[Field::Contact, Field::GivenName]));
        // Too few matches to say anything.
        let few = EmFit { lambda: 0.01, ..fit };
        assert!(!found_duplicates(&session(4, 3), &few, &drawn_by));
    }

    fn with_phone(phone: &str) -> Prepared {
        Prepared::new(&Person {
            given_name: "Anna".into(),
            phones: vec![phone.into()],
            ..Default::default()
        })
    }

    #[test]
    fn agreement_is_counted_over_all_pairs_of_persons_with_the_field() {
        let people = [
            with_phone("+49 170 1234567"),
            with_phone("+49 170 1234567"),
            with_phone("+49 171 7654321"),
            with_phone(""),
        ];
        // One sharing pair among the 3 × 2 / 2 pairs of persons with a phone.
        let rate = agreement_rate(&people, EXACT_AGREEMENTS[1].2);
        assert!((rate - 1.0 / 3.0).abs() < 1e-12, "{rate}");
    }

    #[test]
    fn matches_among_sharers_leave_the_strangers_agreement() {
        let mut u = vec![0.0, 0.9, 0.06, 0.03, 0.01];
        without_matches(&mut u, &[3, 4], 0.5);
        assert!((u[3] - 0.015).abs() < 1e-12 && (u[4] - 0.005).abs() < 1e-12);
        assert!((u[1..].iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // An EM sure that every sharer is a match still leaves a tenth.
        let mut u = vec![0.0, 0.99, 0.01];
        without_matches(&mut u, &[2], 1.0);
        assert!((u[2] - 0.001).abs() < 1e-12);
    }
}
