//! A generated guest as the rows an import would bring: one [`IncomingBooking`] per stay.

use rapport_domain::ingest::{IncomingBooking, IncomingNote};
use rapport_domain::money::Money;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory};

use crate::hotels::Site;
use crate::stays::DemoStay;
use crate::stream::GeneratedGuest;

impl GeneratedGuest {
    /// Every row carries the whole profile, as a PMS export does; consent decisions travel
    /// with the first.
    pub fn into_bookings(self, sites: &[Site]) -> Vec<IncomingBooking> {
        let GeneratedGuest {
            guest,
            mut consents,
            stays,
        } = self;
        stays
            .into_iter()
            .map(|stay| IncomingBooking {
                line: stay.number,
                profile: guest.profile.clone(),
                consents: std::mem::take(&mut consents),
                notes: stay
                    .notes
                    .iter()
                    .map(|n| IncomingNote {
                        body: n.body.clone(),
                        author: n.author.to_string(),
                        created_at: n.created_at,
                    })
                    .collect(),
                stay: Some(new_stay(stay, sites)),
            })
            .collect()
    }
}

fn new_stay(stay: DemoStay, sites: &[Site]) -> NewStay {
    let site = &sites[stay.site];
    let money = |minor: i64| Money {
        minor,
        currency: site.currency,
    };
    let spend = SpendCategory::ALL
        .iter()
        .zip(stay.spend)
        .filter(|(_, amount)| *amount != 0)
        .map(|(category, amount)| NewSpendLine {
            category: *category,
            amount: money(amount),
            posted_on: stay.posted_on,
            description: None,
        })
        .collect();
    NewStay {
        hotel_id: site.id,
        external_ref: Some(stay.external_ref()),
        arrival: stay.arrival,
        departure: stay.departure,
        room_type: Some(stay.room_type.to_string()),
        rate: Some(money(stay.rate)),
        channel: Some(stay.channel.as_str().to_string()),
        market_segment: Some(stay.segment.as_str().to_string()),
        adults: stay.adults,
        children: stay.children,
        special_requests: stay.special_requests,
        status: stay.status,
        booked_at: Some(stay.booked_at),
        spend,
    }
}
