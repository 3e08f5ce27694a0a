//! A fake of the UPS APIs the `ups` carrier plugin uses to book, void and track device
//! returns, on one origin (`https://onlinetools.ups.com` in production,
//! `https://wwwcie.ups.com` for tests):
//!
//! - OAuth: `POST /security/v1/oauth/token` (client credentials, Basic auth;
//!   [`token`]).
//! - Shipping: `POST /api/shipments/{version}/ship` and
//!   `DELETE /api/shipments/{version}/void/cancel/{ShipmentIdentificationNumber}`
//!   ([`ship`]; any `v<digits>` version, e.g. `v2409`).
//! - The UPS Store's Direct-to-Mobile drop-off codes:
//!   `POST /api/ups-store/iship/v1/direct-to-mobile` ([`mobile`]).
//! - Tracking: `GET /api/track/v1/details/{inquiryNumber}` ([`track`]).
//!
//! Every API call needs `Authorization: Bearer <token from the token endpoint>` (else
//! 401 `250002`); with [`FakeUps::with_rate_limit`], calls past the limit answer 429
//! with `Retry-After`. Errors are UPS's `{"response": {"errors": [{"code",
//! "message"}]}}`. Addresses are checked as [`address`] says: a postal code that does
//! not fit its country (US: five digits or ZIP+4), a missing city, or a US ZIP code
//! outside the state given is a 400 naming the address.
//!
//! Assumed rather than read in UPS's docs: the error codes (UPS documents the body,
//! not a list of codes), the Retry-After on 429, the tracking `currentStatus` codes,
//! and how a voided shipment reads when tracked.

mod address;
mod errors;
mod images;
mod mobile;
mod ship;
mod state;
mod token;
mod track;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::limits::RateLimit;
use crate::server::{ServerHandle, serve_router};
use crate::shared::Shared;
use state::State;

/// A shipment the fake booked, as tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpsShipment {
    /// The first package's tracking number.
    pub tracking_number: String,
    /// `ShipmentIdentificationNumber` (the same as the first tracking number, as at UPS).
    pub shipment_id: String,
    /// The first `ReferenceNumber.Value` (shipment level, else package level).
    pub reference: Option<String>,
    pub ship_from_postal: String,
    pub ship_to_postal: String,
    pub ship_from_name: String,
    /// The first package's `DeclaredValue.MonetaryValue`, as sent.
    pub declared_value: Option<String>,
    /// `ReturnService.Code` ("8", "9"), empty for a plain shipment.
    pub return_service: String,
    /// The Direct-to-Mobile code issued for it (`UNPK-...`).
    pub drop_off_text: Option<String>,
    pub voided: bool,
    /// `created`, `in_transit` or `delivered`.
    pub status: String,
}

/// The fake UPS account; clones share it.
#[derive(Clone)]
pub struct FakeUps {
    shared: Arc<Shared<State>>,
}

impl std::fmt::Debug for FakeUps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeUps")
            .field("shipments", &self.shared.state().shipments.len())
            .finish_non_exhaustive()
    }
}

impl FakeUps {
    /// An account whose app has these credentials, with the Direct-to-Mobile contract,
    /// no shipments and no rate limit.
    pub fn new(client_id: &str, client_secret: &str) -> Self {
        Self {
            shared: Arc::new(Shared::new(State::new(client_id, client_secret))),
        }
    }

    /// Whether the account has The UPS Store's label-free drop-off (Direct-to-Mobile);
    /// without it that API answers 403 "Authorization Failed". Default: it has.
    pub fn with_drop_off(self, on: bool) -> Self {
        self.set_drop_off(on);
        self
    }

    /// See [`FakeUps::with_drop_off`].
    pub fn set_drop_off(&self, on: bool) {
        self.shared.state().drop_off = on;
    }

    /// Each shipment moves by itself: in transit `after` its booking, delivered after
    /// twice that (for the demo). Off by default: [`FakeUps::pick_up`] and
    /// [`FakeUps::deliver`] move them.
    pub fn with_auto_advance(self, after: Duration) -> Self {
        self.shared.state().auto_advance = Some(after);
        self
    }

    /// At most `requests` API calls (token requests aside) in any rolling `window`;
    /// more answer 429 with `Retry-After`. 0 turns the limit off (the default).
    pub fn with_rate_limit(self, requests: u32, window: Duration) -> Self {
        self.shared.state().rate = RateLimit::new(requests, window);
        self
    }

    /// Every shipment booked, oldest first.
    pub fn shipments(&self) -> Vec<UpsShipment> {
        let mut s = self.shared.state();
        s.advance();
        s.shipments.iter().map(state::Shipment::view).collect()
    }

    /// The shipment with this tracking number (or shipment id).
    pub fn shipment(&self, tracking_number: &str) -> Option<UpsShipment> {
        let mut s = self.shared.state();
        s.find_mut(tracking_number).map(|s| s.view())
    }

    /// UPS has the parcel: the shipment is in transit and can no longer be voided.
    /// Panics on an unknown number (a test's mistake).
    pub fn pick_up(&self, tracking_number: &str) {
        self.with_shipment(tracking_number, state::Shipment::pick_up);
    }

    /// The parcel arrived (picked up first, when it was not yet). Panics on an unknown
    /// number.
    pub fn deliver(&self, tracking_number: &str) {
        self.with_shipment(tracking_number, state::Shipment::deliver);
    }

    fn with_shipment(&self, number: &str, f: impl FnOnce(&mut state::Shipment)) {
        let mut s = self.shared.state();
        let shipment = s
            .find_mut(number)
            .unwrap_or_else(|| panic!("the fake UPS has no shipment {number}"));
        f(shipment);
    }

    /// API calls received (token requests aside), whatever their outcome.
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Token requests received, whatever their outcome.
    pub fn token_request_count(&self) -> usize {
        self.shared.token_requests.load(Ordering::SeqCst)
    }

    /// Every access token issued so far answers 401 from now on.
    pub fn revoke_tokens(&self) {
        self.shared.state().tokens.clear();
    }

    /// The fake's routes.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/security/v1/oauth/token", post(token::token))
            .route("/api/shipments/{version}/ship", post(ship::ship))
            .route(
                "/api/shipments/{version}/void/cancel/{id}",
                delete(ship::void),
            )
            .route(
                "/api/ups-store/iship/{version}/direct-to-mobile",
                post(mobile::drop_off),
            )
            .route("/api/track/v1/details/{number}", get(track::details))
            .with_state(self.shared.clone())
    }

    /// Binds `127.0.0.1:port` (0 = any free port) and serves on the current tokio
    /// runtime. Returns the origin (the plugin's `base_url`) and a handle that stops
    /// the server when dropped.
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }
}

#[cfg(test)]
mod tests;
