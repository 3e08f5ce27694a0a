use crate::bindings::hr_source::exports::tenure::plugin::hr_source::Guest;
use crate::{Address, Error, HrPage, PlacedPage};
use std::marker::PhantomData;

/// An HR system: the source of truth for who works here (world `hr-source`, register
/// with [`crate::export_hr_source!`]).
///
/// The host syncs by calling [`HrSource::fetch`] page by page; the planner compares
/// each record with what it knows and turns changes into work. A page is committed
/// with its cursor in one transaction: a retried call must return the same records
/// again, never skip one.
pub trait HrSource {
    /// Checks that the settings reach the source and the credentials work, with the
    /// cheapest authenticated read the API has (one record). Called when an admin
    /// presses "Test connection" and before a connector parked for
    /// [`Error::Unauthorized`] is used again.
    ///
    /// `Ok(())` only when an authenticated request succeeded. Wrong or missing
    /// credentials: [`Error::Unauthorized`] with what to fix; unreachable:
    /// [`Error::Unavailable`].
    fn test_connection() -> Result<(), Error>;

    /// Reads one page of employees changed since `since` (RFC 3339), or every
    /// employee when `since` is `None`. `cursor` is `None` for the first page and then
    /// the previous page's `next_cursor`, as this plugin wrote it (the host does not
    /// read it). Return `next_cursor: None` on the last page.
    ///
    /// - A source without a change filter ignores `since` and returns everything: the
    ///   host compares. Include records the source deleted or terminated (with
    ///   `deleted: true` or `status: Inactive`) when it can report them.
    /// - Map what you read; do not guess: a status the source uses that you cannot map
    ///   is [`crate::EmploymentStatus::Unknown`] with the source's value, and a date is
    ///   passed as read (`yyyy-mm-dd` when it is one) — the host quarantines a record
    ///   it cannot read, with the reason.
    /// - Skip (and [`crate::log::warn`]) a record you cannot map at all rather than
    ///   failing the page.
    ///
    /// Errors: [`Error::RateLimited`] / [`Error::Unavailable`] retry the same page;
    /// [`Error::Unauthorized`] parks the connector; a cursor this plugin did not write
    /// is [`Error::InvalidInput`].
    fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error>;

    /// The home address of the employee with this `source_id`, `None` when the source
    /// has none. Tenure asks only when it needs one (a leaver's device return) and
    /// shows it to the person confirming it. (WIT: `hr-addresses.home-address`.)
    /// Default: [`Error::Unsupported`] (a person types the address).
    fn home_address(source_id: String) -> Result<Option<Address>, Error> {
        let _ = source_id;
        Err(super::not_implemented("home addresses"))
    }

    /// [`HrSource::fetch`], the same page from one read of the source, with where its
    /// employees work: a [`crate::WorkPlace`] (the region — state, province — and city
    /// of the work location, as the source writes them) for each employee of the page
    /// whose work location has either. Tenure derives the time zone a final day is
    /// counted in from them when the source gives none. The host calls this instead of
    /// `fetch`, so the page must be exactly what `fetch` returns for the same
    /// arguments. (WIT: `hr-places.fetch-placed`.)
    ///
    /// Default: [`HrSource::fetch`] with no places (Tenure derives the zone from the
    /// country alone).
    fn fetch_placed(since: Option<String>, cursor: Option<String>) -> Result<PlacedPage, Error> {
        Ok(PlacedPage {
            page: Self::fetch(since, cursor)?,
            places: Vec::new(),
        })
    }
}

/// Wires an [`HrSource`] to the generated bindings (see [`crate::export_hr_source!`]).
#[doc(hidden)]
pub struct HrSourceExport<T>(PhantomData<T>);

impl<T: HrSource> Guest for HrSourceExport<T> {
    fn test_connection() -> Result<(), Error> {
        T::test_connection()
    }
    fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error> {
        T::fetch(since, cursor)
    }
}

impl<T: HrSource> crate::bindings::hr_source::exports::tenure::plugin::hr_addresses::Guest
    for HrSourceExport<T>
{
    fn home_address(source_id: String) -> Result<Option<Address>, Error> {
        T::home_address(source_id)
    }
}

impl<T: HrSource> crate::bindings::hr_source::exports::tenure::plugin::hr_places::Guest
    for HrSourceExport<T>
{
    fn fetch_placed(since: Option<String>, cursor: Option<String>) -> Result<PlacedPage, Error> {
        T::fetch_placed(since, cursor)
    }
}
