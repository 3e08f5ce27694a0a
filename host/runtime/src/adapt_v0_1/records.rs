//! Records of contract 0.1 and their 0.2 counterparts. 0.2 only added to these (a
//! `person` with more fields, an `unsupported` error), so every 0.1 answer has a 0.2
//! value, and a 0.2 argument becomes 0.1 by leaving the new fields out.

use crate::bindings::v0_1::imports::tenure::plugin::types as v1;
use crate::types as v2;

/// A 0.1 answer as the host's 0.2 value: `From` for each record, lifted through the
/// `Result`, `Option` and `list` shapes the calls return.
pub(crate) trait Upgrade {
    type To;
    fn upgrade(self) -> Self::To;
}

impl Upgrade for () {
    type To = ();
    fn upgrade(self) {}
}

impl Upgrade for String {
    type To = String;
    fn upgrade(self) -> String {
        self
    }
}

impl<T: Upgrade> Upgrade for Option<T> {
    type To = Option<T::To>;
    fn upgrade(self) -> Self::To {
        self.map(Upgrade::upgrade)
    }
}

impl<T: Upgrade> Upgrade for Vec<T> {
    type To = Vec<T::To>;
    fn upgrade(self) -> Self::To {
        self.into_iter().map(Upgrade::upgrade).collect()
    }
}

impl<T: Upgrade, E: Upgrade> Upgrade for Result<T, E> {
    type To = Result<T::To, E::To>;
    fn upgrade(self) -> Self::To {
        self.map(Upgrade::upgrade).map_err(Upgrade::upgrade)
    }
}

/// `Upgrade` through the record's `From`.
macro_rules! upgrade_by_from {
    ($($name:ident),* $(,)?) => {$(
        impl Upgrade for v1::$name {
            type To = v2::$name;
            fn upgrade(self) -> v2::$name {
                self.into()
            }
        }
    )*};
}

upgrade_by_from!(
    Error,
    HrPage,
    Account,
    Group,
    GroupPage,
    Device,
    CommandState,
    ReturnShipment,
    ShipmentState,
);

impl From<v1::Error> for v2::Error {
    fn from(e: v1::Error) -> Self {
        match e {
            v1::Error::Unauthorized(m) => v2::Error::Unauthorized(m),
            v1::Error::NotFound(m) => v2::Error::NotFound(m),
            v1::Error::Conflict(m) => v2::Error::Conflict(m),
            v1::Error::RateLimited(s) => v2::Error::RateLimited(s),
            v1::Error::InvalidInput(m) => v2::Error::InvalidInput(m),
            v1::Error::Unavailable(m) => v2::Error::Unavailable(m),
            v1::Error::Other(m) => v2::Error::Other(m),
        }
    }
}

impl From<v1::EmploymentStatus> for v2::EmploymentStatus {
    fn from(s: v1::EmploymentStatus) -> Self {
        match s {
            v1::EmploymentStatus::Pending => v2::EmploymentStatus::Pending,
            v1::EmploymentStatus::Active => v2::EmploymentStatus::Active,
            v1::EmploymentStatus::Inactive => v2::EmploymentStatus::Inactive,
            v1::EmploymentStatus::Unknown(s) => v2::EmploymentStatus::Unknown(s),
        }
    }
}

impl From<v1::HrEmployee> for v2::HrEmployee {
    fn from(e: v1::HrEmployee) -> Self {
        v2::HrEmployee {
            source_id: e.source_id,
            work_email: e.work_email,
            personal_email: e.personal_email,
            given_name: e.given_name,
            family_name: e.family_name,
            preferred_name: e.preferred_name,
            department: e.department,
            groups: e.groups,
            title: e.title,
            manager_source_id: e.manager_source_id,
            work_location: e.work_location,
            work_time_zone: e.work_time_zone,
            work_country: e.work_country,
            status: e.status.into(),
            start_date: e.start_date,
            termination_date: e.termination_date,
            deleted: e.deleted,
        }
    }
}

impl From<v1::HrPage> for v2::HrPage {
    fn from(p: v1::HrPage) -> Self {
        v2::HrPage {
            employees: p.employees.into_iter().map(Into::into).collect(),
            next_cursor: p.next_cursor,
        }
    }
}

impl From<v1::Account> for v2::Account {
    fn from(a: v1::Account) -> Self {
        v2::Account {
            id: a.id,
            login: a.login,
            active: a.active,
        }
    }
}

impl From<v1::Group> for v2::Group {
    fn from(g: v1::Group) -> Self {
        v2::Group {
            id: g.id,
            name: g.name,
        }
    }
}

impl From<v1::GroupPage> for v2::GroupPage {
    fn from(p: v1::GroupPage) -> Self {
        v2::GroupPage {
            groups: p.groups.into_iter().map(Into::into).collect(),
            next_cursor: p.next_cursor,
        }
    }
}

impl From<v1::Device> for v2::Device {
    fn from(d: v1::Device) -> Self {
        v2::Device {
            id: d.id,
            serial: d.serial,
            model: d.model,
            owner_email: d.owner_email,
            managed: d.managed,
        }
    }
}

impl From<v1::CommandState> for v2::CommandState {
    fn from(s: v1::CommandState) -> Self {
        match s {
            v1::CommandState::Pending => v2::CommandState::Pending,
            v1::CommandState::Acknowledged => v2::CommandState::Acknowledged,
            v1::CommandState::Done => v2::CommandState::Done,
            v1::CommandState::Failed => v2::CommandState::Failed,
        }
    }
}

impl From<v1::ReturnShipment> for v2::ReturnShipment {
    fn from(r: v1::ReturnShipment) -> Self {
        v2::ReturnShipment {
            tracking_number: r.tracking_number,
            drop_off_code: r.drop_off_code,
            label: r.label,
        }
    }
}

impl From<v1::ShipmentState> for v2::ShipmentState {
    fn from(s: v1::ShipmentState) -> Self {
        match s {
            v1::ShipmentState::Created => v2::ShipmentState::Created,
            v1::ShipmentState::InTransit => v2::ShipmentState::InTransit,
            v1::ShipmentState::Delivered => v2::ShipmentState::Delivered,
            v1::ShipmentState::Exception => v2::ShipmentState::Exception,
        }
    }
}

/// A 0.2 person for a 0.1 connector: without `employee-id`, `login`, `country`,
/// `time-zone` and `start-date`, which 0.1 does not know. (A 0.1 connector finds and
/// creates accounts by the work email only.)
impl From<&v2::Person> for v1::Person {
    fn from(p: &v2::Person) -> Self {
        v1::Person {
            work_email: p.work_email.clone(),
            personal_email: p.personal_email.clone(),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            display_name: p.display_name.clone(),
            department: p.department.clone(),
            title: p.title.clone(),
            manager_email: p.manager_email.clone(),
        }
    }
}

impl From<&v2::Address> for v1::Address {
    fn from(a: &v2::Address) -> Self {
        v1::Address {
            name: a.name.clone(),
            street: a.street.clone(),
            city: a.city.clone(),
            region: a.region.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
            phone: a.phone.clone(),
        }
    }
}

impl From<&v2::Parcel> for v1::Parcel {
    fn from(p: &v2::Parcel) -> Self {
        v1::Parcel {
            description: p.description.clone(),
            weight_grams: p.weight_grams,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_0_1_error_keeps_its_case_and_text() {
        let cases = [
            (v1::Error::Unauthorized("a".into()), "unauthorized"),
            (v1::Error::NotFound("a".into()), "not_found"),
            (v1::Error::Conflict("a".into()), "conflict"),
            (v1::Error::RateLimited(7), "rate_limited"),
            (v1::Error::InvalidInput("a".into()), "invalid_input"),
            (v1::Error::Unavailable("a".into()), "unavailable"),
            (v1::Error::Other("a".into()), "other"),
        ];
        for (old, kind) in cases {
            let err = crate::CallError::Plugin(old.upgrade());
            assert_eq!(err.kind(), kind);
        }
        assert_eq!(
            v2::Error::from(v1::Error::RateLimited(7)),
            v2::Error::RateLimited(7)
        );
    }

    #[test]
    fn a_person_loses_only_what_0_1_does_not_know() {
        let p = v2::Person {
            employee_id: "emp-1".into(),
            work_email: "ada@example.com".into(),
            login: Some("ada@corp.example".into()),
            personal_email: Some("ada@home.example".into()),
            given_name: "Ada".into(),
            family_name: "Lovelace".into(),
            display_name: "Ada Lovelace".into(),
            department: Some("Engineering".into()),
            title: Some("Engineer".into()),
            manager_email: Some("boss@example.com".into()),
            country: Some("GB".into()),
            time_zone: Some("Europe/London".into()),
            start_date: Some("2026-01-05".into()),
        };
        let old = v1::Person::from(&p);
        assert_eq!(old.work_email, p.work_email);
        assert_eq!(old.personal_email, p.personal_email);
        assert_eq!(old.display_name, p.display_name);
        assert_eq!(old.manager_email, p.manager_email);
        assert_eq!(old.department, p.department);
    }
}
