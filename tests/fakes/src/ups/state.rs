//! What the fake UPS account holds: issued tokens and the shipments booked, each moving
//! created → in transit → delivered (by hand, or by itself with auto-advance).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::limits::RateLimit;

use super::UpsShipment;

/// Where a shipment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Created,
    InTransit,
    Delivered,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Created => "created",
            Stage::InTransit => "in_transit",
            Stage::Delivered => "delivered",
        }
    }
}

/// A booked shipment.
#[derive(Debug, Clone)]
pub(crate) struct Shipment {
    pub shipment_id: String,
    /// The packages' tracking numbers; the first is the shipment id.
    pub packages: Vec<String>,
    pub reference: Option<String>,
    pub ship_from_postal: String,
    pub ship_to_postal: String,
    pub ship_from_name: String,
    pub declared_value: Option<String>,
    pub return_service: String,
    pub drop_off_text: Option<String>,
    pub voided: bool,
    pub stage: Stage,
    /// When it was booked (for auto-advance).
    pub booked: Instant,
    /// Wall-clock times of the events so far: booked, picked up, delivered.
    pub booked_at: OffsetDateTime,
    pub picked_up_at: Option<OffsetDateTime>,
    pub delivered_at: Option<OffsetDateTime>,
}

impl Shipment {
    pub fn view(&self) -> UpsShipment {
        UpsShipment {
            tracking_number: self.packages[0].clone(),
            shipment_id: self.shipment_id.clone(),
            reference: self.reference.clone(),
            ship_from_postal: self.ship_from_postal.clone(),
            ship_to_postal: self.ship_to_postal.clone(),
            ship_from_name: self.ship_from_name.clone(),
            declared_value: self.declared_value.clone(),
            return_service: self.return_service.clone(),
            drop_off_text: self.drop_off_text.clone(),
            voided: self.voided,
            status: self.stage.name().into(),
        }
    }

    /// Whether `number` is the shipment's id or one of its packages.
    pub fn answers_to(&self, number: &str) -> bool {
        let n = number.trim();
        self.shipment_id.eq_ignore_ascii_case(n)
            || self.packages.iter().any(|p| p.eq_ignore_ascii_case(n))
    }

    /// Picked up by UPS (no step back from delivered).
    pub fn pick_up(&mut self) {
        if self.stage == Stage::Created && !self.voided {
            self.stage = Stage::InTransit;
            self.picked_up_at = Some(OffsetDateTime::now_utc());
        }
    }

    /// Delivered (picked up first when it was not yet).
    pub fn deliver(&mut self) {
        if self.voided || self.stage == Stage::Delivered {
            return;
        }
        self.pick_up();
        self.stage = Stage::Delivered;
        self.delivered_at = Some(OffsetDateTime::now_utc());
    }
}

pub(crate) struct State {
    pub client_id: String,
    pub client_secret: String,
    /// The account has the UPS Store's Direct-to-Mobile contract.
    pub drop_off: bool,
    pub auto_advance: Option<Duration>,
    pub tokens: HashSet<String>,
    pub next_token: u64,
    pub next_serial: u64,
    pub shipments: Vec<Shipment>,
    pub rate: RateLimit,
}

impl State {
    pub fn new(client_id: &str, client_secret: &str) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            drop_off: true,
            auto_advance: None,
            tokens: HashSet::new(),
            next_token: 1,
            next_serial: 1,
            shipments: Vec::new(),
            rate: RateLimit::new(0, Duration::from_secs(1)),
        }
    }

    /// Moves shipments along by the time passed since booking, with auto-advance on:
    /// in transit after one step, delivered after two. Called before every read.
    pub fn advance(&mut self) {
        let Some(step) = self.auto_advance else {
            return;
        };
        for s in self.shipments.iter_mut().filter(|s| !s.voided) {
            let age = s.booked.elapsed();
            if age >= step * 2 {
                s.deliver();
            } else if age >= step {
                s.pick_up();
            }
        }
    }

    /// The shipment with this id or package tracking number.
    pub fn find_mut(&mut self, number: &str) -> Option<&mut Shipment> {
        self.advance();
        self.shipments.iter_mut().find(|s| s.answers_to(number))
    }

    /// A new `1Z` tracking number for `shipper` and the service, with UPS's check digit.
    pub fn tracking_number(&mut self, shipper: &str, service: &str) -> String {
        let serial = self.next_serial;
        self.next_serial += 1;
        let shipper: String = shipper
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .chain(std::iter::repeat('0'))
            .take(6)
            .collect();
        let service: String = format!("{:0>2}", service.trim())
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let body = format!("{shipper}{service}{:07}", serial % 10_000_000);
        format!("1Z{body}{}", check_digit(&body))
    }
}

/// The check digit of the 15 characters after `1Z`: letters count as
/// `(position in the alphabet + 1) mod 10` (A = 2, B = 3, ...), digits in even
/// positions (from 1) count double, and the digit makes the sum a multiple of ten.
pub(crate) fn check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let v = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'A'..='Z' => (c as u32 - 'A' as u32 + 2) % 10,
                _ => 0,
            };
            if i % 2 == 1 { v * 2 } else { v }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_numbers_carry_ups_check_digit() {
        // UPS's sample tracking number 1Z12345E6605272234.
        assert_eq!(check_digit("12345E660527223"), 4);
        let mut s = State::new("id", "secret");
        let n = s.tracking_number("a1b2c3", "3");
        assert_eq!(n.len(), 18);
        assert!(n.starts_with("1ZA1B2C303"), "{n}");
        let last = n.chars().last().unwrap().to_digit(10).unwrap();
        assert_eq!(last, check_digit(&n[2..17]));
        assert_ne!(n, s.tracking_number("a1b2c3", "3"));
    }
}
