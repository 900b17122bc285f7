//! The production backend: PostgreSQL through tokio-postgres, pooled by deadpool.
//!
//! Reads use the SQL shared with SQLite and the shared row decoders. Writes go through
//! [`write`]'s pipeline of array-parameter statements, so a single edit and an import
//! batch take the same path; an import batch loads its large tables by binary `COPY`
//! instead ([`copy`]). Ids come from the tables' sequences.

mod console;
mod copy;
mod import;
mod merges;
mod migrate;
mod reads;
mod sql;
mod staged;
mod value;
mod write;

use reads::{
    conflict, consent_time, count, decode_all, guest_doc, guest_for_update, query, query_opt, refuse_taken_external_ids, require_guest,
    scoped,
};
use write::{StayRow, Writes};

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Client, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use rapport_domain::access::Scope;
use rapport_domain::guest::{ConsentRecord, Guest, GuestId, GuestProfile};
use rapport_domain::hotel::{Hotel, HotelId, NewHotel};
use rapport_domain::ingest::KeyedBatch;
use rapport_domain::stay::{NewStay, Note, SpendLine, Stay, StayId};
use tokio_postgres::NoTls;

use crate::auth::{NewToken, NewUser, StaffUser, TokenInfo};
use crate::rows::{self, scope_to_text};
use crate::sql as shared;
use crate::{BatchOutcome, Counts, GroupFigures, GuestDoc, NewSession, Page, Result, Session, Store, StoreError, TouchMark};
use crate::{CandidateOutcome, MergeRecord, MergeRequest, NeverMergeMark, PairDecision, ReviewPair};
use merges::PgSql;
use rapport_domain::duplicates::{MatchThresholds, ScoredPair};

/// Connections per server. Several stateless servers share one database, so this stays
/// well below PostgreSQL's default `max_connections` of 100.
const POOL_SIZE: usize = 16;
/// How long a request waits for a free connection before it fails.
const POOL_WAIT: Duration = Duration::from_secs(30);

pub struct PgStore {
    pool: Pool,
    /// The import being staged through this store, if one is (see [`staged`]).
    staging: tokio::sync::Mutex<Option<staged::Staging>>,
}

impl PgStore {
    /// Connects to `postgres://…` and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        // The parse error never repeats the URL, which may carry a password.
        let config: tokio_postgres::Config = url.parse().map_err(|e| StoreError::Pool(format!("invalid PostgreSQL URL: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(POOL_WAIT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let mut client = pool.get().await?;
        migrate::migrate(&mut client).await?;
        Ok(Self {
            pool,
            staging: tokio::sync::Mutex::new(None),
        })
    }

    async fn client(&self) -> Result<Client> {
        Ok(self.pool.get().await?)
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn counts(&self) -> Result<Counts> {
        let c = self.client().await?;
        let r = c.query_one(shared::COUNTS, &[]).await?;
        Ok(Counts {
            hotels: r.try_get(0)?,
            guests: r.try_get(1)?,
            stays: r.try_get(2)?,
            spend_lines: r.try_get(3)?,
        })
    }

    async fn create_hotel(&self, h: NewHotel) -> Result<Hotel> {
        let c = self.client().await?;
        let stmt = c.prepare_cached(shared::INSERT_HOTEL).await?;
        let row = c
            .query_one(&stmt, &[&h.code, &h.name, &h.country, &h.timezone, &h.currency.code()])
            .await
            .map_err(|e| conflict(e, &format!("hotel {}", h.code)))?;
        rows::hotel(&row)
    }

    async fn hotels(&self) -> Result<Vec<Hotel>> {
        let c = self.client().await?;
        decode_all(query(&c, shared::HOTELS, &[]).await?, rows::hotel)
    }

    async fn hotel_by_code(&self, code: &str) -> Result<Hotel> {
        let code = code.trim().to_ascii_uppercase();
        let c = self.client().await?;
        match query_opt(&c, shared::HOTEL_BY_CODE, &[&code]).await? {
            Some(r) => rows::hotel(&r),
            None => Err(StoreError::not_found(format!("hotel {code}"))),
        }
    }

    async fn create_guest(&self, profile: GuestProfile, consents: Vec<ConsentRecord>) -> Result<Guest> {
        let consents: Vec<ConsentRecord> = consents.into_iter().map(consent_time).collect();
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let now = Utc::now();
        let id = write::next_ids(&tx, 1, 0).await?.0[0];
        refuse_taken_external_ids(&tx, None, &profile, id).await?;
        let guest = crate::new_guest(id, profile, &consents, now);
        let writes = Writes {
            new_guests: std::slice::from_ref(&guest),
            consents: consents.iter().map(|r| (id, r)).collect(),
            ..Writes::default()
        };
        write::write(&tx, &writes).await?;
        tx.commit().await?;
        Ok(guest)
    }

    async fn guest_doc(&self, id: GuestId) -> Result<GuestDoc> {
        guest_doc(&self.client().await?, id).await
    }

    async fn update_guest(&self, id: GuestId, profile: GuestProfile, expected_version: Option<i64>) -> Result<Guest> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let mut guest = guest_for_update(&tx, id).await?;
        crate::check_version(&guest, expected_version)?;
        refuse_taken_external_ids(&tx, Some(&guest.profile), &profile, id).await?;
        guest.profile = profile;
        guest.version += 1;
        guest.updated_at = Utc::now();
        write::write(
            &tx,
            &Writes {
                updated_guests: std::slice::from_ref(&guest),
                ..Writes::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(guest)
    }

    async fn record_consent(&self, id: GuestId, record: ConsentRecord) -> Result<Guest> {
        let record = consent_time(record);
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let mut guest = guest_for_update(&tx, id).await?;
        rapport_domain::ingest::set_current_consent(&mut guest.consents, record.clone());
        guest.version += 1;
        guest.updated_at = Utc::now();
        let writes = Writes {
            updated_guests: std::slice::from_ref(&guest),
            consents: vec![(id, &record)],
            ..Writes::default()
        };
        write::write(&tx, &writes).await?;
        tx.commit().await?;
        Ok(guest)
    }

    async fn consent_history(&self, id: GuestId) -> Result<Vec<ConsentRecord>> {
        let c = self.client().await?;
        require_guest(&c, id).await?;
        decode_all(query(&c, shared::CONSENT_HISTORY, &[&id]).await?, rows::consent)
    }

    async fn list_guests(&self, offset: i64, limit: i64) -> Result<Page<Guest>> {
        let c = self.client().await?;
        // Both queries go out on the one connection before either answer is awaited.
        let (total, docs) = tokio::try_join!(count(&c, shared::GUEST_COUNT, &[]), async {
            query(&c, shared::GUEST_PAGE, &[&limit, &offset]).await
        })?;
        let items = docs.iter().map(|r| GuestDoc(r.try_get(0)?).decode()).collect::<Result<_>>()?;
        Ok(Page {
            items,
            total,
            offset,
            limit,
            total_capped: false,
        })
    }

    async fn live_guests_after(&self, after: GuestId, limit: i64) -> Result<Vec<Guest>> {
        let c = self.client().await?;
        let docs = query(&c, shared::LIVE_GUESTS_AFTER, &[&after, &limit]).await?;
        docs.iter().map(|r| GuestDoc(r.try_get(0)?).decode()).collect()
    }

    async fn rebuild_keys(&self, after: GuestId, limit: i64) -> Result<Option<(GuestId, usize)>> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // Locked until the new keys are in: an edit made meanwhile writes its own keys after.
        let docs = tx.query(sql::LIVE_GUESTS_AFTER_FOR_UPDATE, &[&after, &limit]).await?;
        let guests: Vec<Guest> = docs.iter().map(|r| GuestDoc(r.try_get(0)?).decode()).collect::<Result<_>>()?;
        let Some(last) = guests.last().map(|g| g.id) else {
            return Ok(None);
        };
        write::rewrite_keys(&tx, &guests).await?;
        tx.commit().await?;
        Ok(Some((last, guests.len())))
    }

    async fn clock(&self) -> Result<DateTime<Utc>> {
        Ok(self.client().await?.query_one(sql::CLOCK, &[]).await?.try_get(0)?)
    }

    async fn guests_changed_after(&self, at: DateTime<Utc>, id: GuestId, limit: i64) -> Result<Vec<crate::GuestChange>> {
        let c = self.client().await?;
        decode_all(
            query(&c, shared::GUESTS_CHANGED_AFTER, &[&at, &id, &limit]).await?,
            crate::guest_change,
        )
    }

    async fn search_guests(&self, prefixes: &[String], limit: i64) -> Result<Vec<Guest>> {
        Ok(search(&self.client().await?, prefixes, limit, false).await?.0)
    }

    async fn search_guests_counted(&self, prefixes: &[String], limit: i64) -> Result<(Vec<Guest>, crate::SearchTotal)> {
        let (guests, total) = search(&self.client().await?, prefixes, limit, true).await?;
        Ok((guests, total.expect("asked for")))
    }

    async fn add_stay(&self, guest: GuestId, stay: NewStay) -> Result<Stay> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let stmt = tx.prepare_cached(sql::GUEST_EXISTS).await?;
        match tx.query_opt(&stmt, &[&guest]).await? {
            Some(r) => crate::live_doc(guest, String::new(), r.try_get(0)?).map(drop)?,
            None => return Err(StoreError::not_found(format!("guest {guest}"))),
        }
        let id = write::next_ids(&tx, 0, 1).await?.1[0];
        write::write(
            &tx,
            &Writes {
                stays: vec![StayRow {
                    id,
                    guest,
                    stay: &stay,
                    joined_by: None,
                }],
                ..Writes::default()
            },
        )
        .await?;
        let stmt = tx.prepare_cached(&shared::stay_by_id()).await?;
        let row = tx.query_one(&stmt, &[&id]).await?;
        let stay = rows::stay(&row)?;
        tx.commit().await?;
        Ok(stay)
    }

    async fn stay(&self, id: StayId) -> Result<Stay> {
        let c = self.client().await?;
        match query_opt(&c, &shared::stay_by_id(), &[&id]).await? {
            Some(r) => rows::stay(&r),
            None => Err(StoreError::not_found(format!("stay {id}"))),
        }
    }

    async fn guest_stays(&self, guest: GuestId, scope: &Scope) -> Result<Vec<Stay>> {
        let c = self.client().await?;
        scoped(&c, guest, scope, &shared::guest_stays(), &sql::guest_stays_in(), rows::stay).await
    }

    async fn guest_spend(&self, guest: GuestId, scope: &Scope) -> Result<Vec<SpendLine>> {
        let c = self.client().await?;
        scoped(&c, guest, scope, &shared::guest_spend(), &sql::guest_spend_in(), rows::spend_line).await
    }

    async fn hotel_stays(&self, hotel: HotelId, from: NaiveDate, to: NaiveDate, offset: i64, limit: i64) -> Result<Page<Stay>> {
        let c = self.client().await?;
        let (total, rows) = tokio::try_join!(async { count(&c, shared::HOTEL_STAYS_COUNT, &[&hotel, &from, &to]).await }, async {
            query(&c, &shared::hotel_stays(), &[&hotel, &from, &to, &limit, &offset]).await
        })?;
        Ok(Page {
            items: decode_all(rows, rows::stay)?,
            total,
            offset,
            limit,
            total_capped: false,
        })
    }

    async fn add_note(&self, guest: GuestId, stay: Option<StayId>, hotel: Option<HotelId>, body: &str, author: &str) -> Result<Note> {
        let c = self.client().await?;
        require_guest(&c, guest).await?;
        let stmt = c.prepare_cached(shared::INSERT_NOTE).await?;
        let row = c.query_one(&stmt, &[&guest, &stay, &hotel, &body, &author, &Utc::now()]).await?;
        rows::note(&row)
    }

    async fn guest_notes(&self, guest: GuestId, scope: &Scope) -> Result<Vec<Note>> {
        let c = self.client().await?;
        scoped(&c, guest, scope, &shared::guest_notes(), &sql::guest_notes_in(), rows::note).await
    }

    async fn create_user(&self, u: NewUser) -> Result<StaffUser> {
        let c = self.client().await?;
        let stmt = c.prepare_cached(shared::INSERT_USER).await?;
        let scope = scope_to_text(&u.scope);
        let row = c
            .query_one(
                &stmt,
                &[
                    &u.login,
                    &u.display_name,
                    &u.password_hash,
                    &u.role.as_str(),
                    &scope,
                    &u.language,
                    &Utc::now(),
                ],
            )
            .await
            .map_err(|e| conflict(e, &format!("user {}", u.login)))?;
        rows::staff_user(&row)
    }

    async fn user_by_login(&self, login: &str) -> Result<(StaffUser, String)> {
        let c = self.client().await?;
        match query_opt(&c, shared::USER_BY_LOGIN, &[&login]).await? {
            Some(r) => Ok((rows::staff_user(&r)?, r.try_get(8)?)),
            None => Err(StoreError::not_found(format!("user {login}"))),
        }
    }

    async fn set_user_disabled(&self, login: &str, disabled: bool) -> Result<StaffUser> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let user = match tx.query_opt(shared::SET_USER_DISABLED, &[&login, &disabled]).await? {
            Some(r) => rows::staff_user(&r)?,
            None => return Err(StoreError::not_found(format!("user {login}"))),
        };
        if disabled {
            tx.execute(shared::DELETE_USER_SESSIONS, &[&login]).await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    async fn create_token(&self, t: NewToken) -> Result<TokenInfo> {
        let c = self.client().await?;
        let stmt = c.prepare_cached(shared::INSERT_TOKEN).await?;
        let scope = scope_to_text(&t.scope);
        let row = c
            .query_one(
                &stmt,
                &[&t.name, &t.token_hash, &t.role.as_str(), &scope, &t.created_by, &Utc::now()],
            )
            .await
            .map_err(|e| conflict(e, "token"))?;
        rows::token(&row)
    }

    async fn token_by_hash(&self, hash: &str) -> Result<TokenInfo> {
        let c = self.client().await?;
        match query_opt(&c, shared::TOKEN_BY_HASH, &[&hash]).await? {
            Some(r) => rows::token(&r),
            None => Err(StoreError::not_found("token")),
        }
    }

    async fn set_user_language(&self, user_id: i64, language: &str) -> Result<()> {
        let c = self.client().await?;
        match c.execute(shared::SET_USER_LANGUAGE, &[&user_id, &language]).await? {
            0 => Err(StoreError::not_found(format!("user {user_id}"))),
            _ => Ok(()),
        }
    }

    async fn create_session(&self, session: NewSession) -> Result<()> {
        console::create_session(&mut self.client().await?, &session).await
    }

    async fn session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<Session> {
        console::session(&self.client().await?, id_hash, now).await
    }

    async fn end_session(&self, id_hash: &str) -> Result<()> {
        self.client().await?.execute(shared::DELETE_SESSION, &[&id_hash]).await?;
        Ok(())
    }

    async fn arrivals(&self, hotel: HotelId, date: NaiveDate) -> Result<Vec<Stay>> {
        console::arrivals(&self.client().await?, hotel, date).await
    }

    async fn arrival_touches(&self, hotel: HotelId, date: NaiveDate) -> Result<Vec<TouchMark>> {
        console::arrival_touches(&self.client().await?, hotel, date).await
    }

    async fn set_touch(&self, stay: StayId, touch: &str, done_by: Option<&str>) -> Result<()> {
        console::set_touch(&self.client().await?, stay, touch, done_by).await
    }

    async fn figures(&self) -> Result<GroupFigures> {
        console::figures(&self.client().await?).await
    }

    async fn stay_facts(&self) -> Result<rapport_value::facts::StayFacts> {
        // The two halves on two connections at once (see the SQLite store).
        let (a, b) = tokio::try_join!(self.client(), self.client())?;
        let max: i64 = a.query_one(crate::sql::MAX_STAY_ID, &[]).await?.try_get(0)?;
        let [first, second] = crate::value::StayScan::halves(max);
        let (mut stays, later) = tokio::try_join!(
            value::realised_stays(&a, first.0, first.1),
            value::realised_stays(&b, second.0, second.1)
        )?;
        stays.append(later);
        Ok(stays.finish())
    }

    async fn save_analysis(&self, as_of: NaiveDate, analysis: rapport_value::analysis::Analysis) -> Result<()> {
        value::save_analysis(&mut self.client().await?, as_of, &analysis).await
    }

    async fn guest_values(&self, guest: GuestId) -> Result<(Vec<crate::StoredValue>, Vec<crate::TierChange>)> {
        value::guest_values(&self.client().await?, guest).await
    }

    async fn value_reports(&self) -> Result<Vec<crate::value::StoredReport>> {
        value::value_reports(&self.client().await?).await
    }

    async fn scope_values(&self, hotel: Option<HotelId>) -> Result<Vec<(GuestId, crate::StoredValue)>> {
        let c = self.client().await?;
        let rows = query(&c, shared::SCOPE_VALUES, &[&hotel.unwrap_or(0)]).await?;
        rows.iter().map(|r| Ok((r.try_get(16)?, crate::value::stored_value(r)?))).collect()
    }

    async fn create_segment(&self, s: crate::segments::NewSegment) -> Result<crate::segments::SavedSegment> {
        let c = self.client().await?;
        let rule = crate::segments::rule_json(&s.rule);
        let row = c
            .query_one(
                shared::INSERT_SEGMENT,
                &[&s.name, &s.description, &rule, &s.created_by, &Utc::now()],
            )
            .await
            .map_err(|e| conflict(e, &format!("segment {}", s.name)))?;
        crate::segments::saved_segment(&row)
    }

    async fn segments(&self) -> Result<Vec<crate::segments::SavedSegment>> {
        let c = self.client().await?;
        decode_all(query(&c, shared::SEGMENTS, &[]).await?, crate::segments::saved_segment)
    }

    async fn segment(&self, id: crate::segments::SegmentId) -> Result<crate::segments::SavedSegment> {
        let c = self.client().await?;
        match query_opt(&c, shared::SEGMENT, &[&id]).await? {
            Some(r) => crate::segments::saved_segment(&r),
            None => Err(StoreError::NotFound(format!("segment {id}"))),
        }
    }

    async fn delete_segment(&self, id: crate::segments::SegmentId) -> Result<()> {
        let c = self.client().await?;
        if c.execute(shared::DELETE_SEGMENT, &[&id]).await? == 0 {
            return Err(StoreError::NotFound(format!("segment {id}")));
        }
        Ok(())
    }

    async fn import_batch(&self, batch: KeyedBatch) -> Result<BatchOutcome> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let outcome = import::import_batch(&tx, batch).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn stage_import_batch(&self, batch: KeyedBatch) -> Result<BatchOutcome> {
        let mut staging = self.staging.lock().await;
        if staging.is_none() {
            *staging = Some(staged::Staging::start(&self.pool).await?);
        }
        staging.as_mut().expect("started above").stage(&self.pool, batch).await
    }

    async fn commit_import(&self) -> Result<()> {
        match self.staging.lock().await.take() {
            Some(staging) => staging.finish().await,
            None => Ok(()),
        }
    }

    async fn record_candidates(&self, pairs: Vec<ScoredPair>, thresholds: MatchThresholds) -> Result<CandidateOutcome> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let out = crate::merges::record_candidates(&mut PgSql(&tx), pairs, thresholds, Utc::now()).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn review_queue(&self, offset: i64, limit: i64) -> Result<Page<ReviewPair>> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        crate::merges::review_queue(&mut PgSql(&tx), offset, limit).await
    }

    async fn decide_pair(
        &self,
        left: GuestId,
        right: GuestId,
        decision: PairDecision,
        who: &str,
    ) -> Result<(ReviewPair, Option<MergeRecord>)> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let out = crate::merges::decide_pair(&mut PgSql(&tx), left, right, decision, who, Utc::now()).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn merge_guests(&self, survivor: GuestId, absorbed: GuestId, request: MergeRequest) -> Result<MergeRecord> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let out = crate::merges::merge_guests(&mut PgSql(&tx), survivor, absorbed, &request, Utc::now()).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn undo_merge(&self, merge: i64, who: &str) -> Result<MergeRecord> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let out = crate::merges::undo_merge(&mut PgSql(&tx), merge, who, Utc::now()).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn guest_merges(&self, guest: GuestId) -> Result<Vec<MergeRecord>> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        crate::merges::guest_merges(&mut PgSql(&tx), guest).await
    }

    async fn never_merge(&self, left: GuestId, right: GuestId, who: &str, why: &str) -> Result<NeverMergeMark> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let out = crate::merges::never_merge(&mut PgSql(&tx), left, right, who, why, Utc::now()).await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// A search on one connection: the best `limit` profiles and, when `counted`, how many
/// match (see [`Store::search_guests_counted`]). The prefixes' key ranges are read
/// concurrently.
async fn search(c: &Client, prefixes: &[String], limit: i64, counted: bool) -> Result<(Vec<Guest>, Option<crate::SearchTotal>)> {
    let per_prefix = limit * crate::SEARCH_KEYS_PER_PROFILE;
    let lookups = prefixes.iter().map(|p| {
        let end = shared::prefix_end(p);
        async move {
            let rows = query(c, shared::SEARCH_PREFIX, &[p, &end, &per_prefix]).await?;
            rows.iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<Vec<(String, GuestId)>>>()
        }
    });
    let hits = futures_util::future::try_join_all(lookups).await?;
    let total = match counted {
        false => None,
        true => Some(match crate::total_if_complete(&hits, per_prefix) {
            Some(total) => total,
            None => count_matches(c, prefixes).await?,
        }),
    };
    let ids = crate::rank_search_hits(prefixes, hits.into_iter().flatten().collect(), limit as usize);
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut docs: std::collections::HashMap<GuestId, String> = std::collections::HashMap::new();
    for r in query(c, sql::GUEST_DOCS, &[&ids]).await? {
        docs.insert(r.try_get(0)?, r.try_get(1)?);
    }
    let guests = ids
        .iter()
        .map(|id| match docs.remove(id) {
            Some(doc) => GuestDoc(doc).decode(),
            None => Err(StoreError::not_found(format!("guest {id}"))),
        })
        .collect::<Result<_>>()?;
    Ok((guests, total))
}

/// How many profiles match `prefixes`, from the key index alone, up to the cap.
async fn count_matches(c: &Client, prefixes: &[String]) -> Result<crate::SearchTotal> {
    let lookups = prefixes.iter().map(|p| {
        let end = shared::prefix_end(p);
        async move {
            let rows = query(c, shared::SEARCH_PREFIX_GUESTS, &[p, &end, &crate::SEARCH_COUNT_ROWS]).await?;
            rows.iter().map(|r| Ok(r.try_get(0)?)).collect::<Result<Vec<GuestId>>>()
        }
    });
    Ok(crate::search_total(futures_util::future::try_join_all(lookups).await?))
}
