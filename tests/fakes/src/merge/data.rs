//! Deterministic seed data: a mid-size international company.

use crate::rng::{Rng, mix};
use std::collections::HashMap;

use time::{Date, Duration, Month, OffsetDateTime};

use super::{
    MergeCompany, MergeEmployee, MergeEmployment, MergeGroup, MergeLocation, MergePayGroup,
    MergeTeam, State, format_datetime,
};

// Salts that keep the id spaces of the models apart.
const COMPANY: u64 = 0xC0;
const PAY_GROUP: u64 = 0xB0;
const GROUP: u64 = 0x60;
const TEAM: u64 = 0x7E;
const OFFICE: u64 = 0x0F;
const HOME: u64 = 0x40;
const EMPLOYEE: u64 = 0xE0;
const EMPLOYMENT: u64 = 0xE1;

/// A UUID-v4-shaped id derived from (salt, n).
pub(crate) fn uuid(salt: u64, n: u64) -> String {
    let hi = mix(salt
        .wrapping_mul(0x1000_0001)
        .wrapping_add(n)
        .wrapping_add(0x5EED));
    let lo = mix(hi ^ salt.rotate_left(17) ^ n);
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

struct Dept {
    name: &'static str,
    weight: u64,
    teams: &'static [&'static str],
    titles: &'static [&'static str],
    head: &'static str,
    cost_center: usize,
    pay_factor: f64,
}

const DEPTS: &[Dept] = &[
    Dept {
        name: "Engineering",
        weight: 30,
        teams: &["Platform", "Payments", "Mobile", "Data"],
        titles: &[
            "Software Engineer",
            "Senior Software Engineer",
            "Staff Software Engineer",
            "Site Reliability Engineer",
            "QA Engineer",
        ],
        head: "VP of Engineering",
        cost_center: 0,
        pay_factor: 1.25,
    },
    Dept {
        name: "Sales",
        weight: 18,
        teams: &["Enterprise Sales", "Mid-Market Sales", "Sales Development"],
        titles: &[
            "Account Executive",
            "Senior Account Executive",
            "Sales Development Representative",
            "Sales Engineer",
        ],
        head: "VP of Sales",
        cost_center: 2,
        pay_factor: 1.05,
    },
    Dept {
        name: "Customer Success",
        weight: 12,
        teams: &["Support", "Onboarding"],
        titles: &[
            "Customer Success Manager",
            "Support Specialist",
            "Implementation Consultant",
        ],
        head: "VP of Customer Success",
        cost_center: 3,
        pay_factor: 0.85,
    },
    Dept {
        name: "Marketing",
        weight: 8,
        teams: &["Growth", "Product Marketing"],
        titles: &[
            "Marketing Manager",
            "Content Strategist",
            "Growth Marketer",
            "Product Marketing Manager",
        ],
        head: "Chief Marketing Officer",
        cost_center: 2,
        pay_factor: 1.0,
    },
    Dept {
        name: "Operations",
        weight: 7,
        teams: &["Business Operations", "Workplace"],
        titles: &["Operations Analyst", "Office Manager", "Program Manager"],
        head: "Chief Operating Officer",
        cost_center: 1,
        pay_factor: 0.9,
    },
    Dept {
        name: "Finance",
        weight: 6,
        teams: &["Accounting", "FP&A"],
        titles: &[
            "Accountant",
            "Financial Analyst",
            "Payroll Specialist",
            "Controller",
        ],
        head: "Chief Financial Officer",
        cost_center: 1,
        pay_factor: 1.0,
    },
    Dept {
        name: "People",
        weight: 6,
        teams: &["Recruiting", "People Operations"],
        titles: &[
            "Recruiter",
            "HR Business Partner",
            "People Operations Specialist",
        ],
        head: "Chief People Officer",
        cost_center: 1,
        pay_factor: 0.9,
    },
    Dept {
        name: "IT",
        weight: 8,
        teams: &["IT Support", "Security"],
        titles: &[
            "IT Support Specialist",
            "Systems Administrator",
            "Security Engineer",
            "IT Asset Coordinator",
        ],
        head: "Head of IT",
        cost_center: 1,
        pay_factor: 1.0,
    },
    Dept {
        name: "Legal",
        weight: 5,
        teams: &["Legal & Compliance"],
        titles: &["Counsel", "Paralegal", "Compliance Analyst"],
        head: "General Counsel",
        cost_center: 1,
        pay_factor: 1.2,
    },
];

const COST_CENTERS: &[&str] = &["R&D", "G&A", "Sales & Marketing", "Cost of Revenue"];

struct Country {
    code: &'static str,
    currency: &'static str,
    pay_group: &'static str,
    pay_frequency: &'static str,
    base_salary: f64,
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        currency: "USD",
        pay_group: "US Semi-Monthly",
        pay_frequency: "SEMIMONTHLY",
        base_salary: 115_000.0,
    },
    Country {
        code: "GB",
        currency: "GBP",
        pay_group: "UK Monthly",
        pay_frequency: "MONTHLY",
        base_salary: 62_000.0,
    },
    Country {
        code: "DE",
        currency: "EUR",
        pay_group: "DE Monthly",
        pay_frequency: "MONTHLY",
        base_salary: 68_000.0,
    },
    Country {
        code: "IE",
        currency: "EUR",
        pay_group: "IE Monthly",
        pay_frequency: "MONTHLY",
        base_salary: 64_000.0,
    },
    Country {
        code: "CA",
        currency: "CAD",
        pay_group: "CA Bi-Weekly",
        pay_frequency: "BIWEEKLY",
        base_salary: 105_000.0,
    },
    Country {
        code: "IN",
        currency: "INR",
        pay_group: "IN Monthly",
        pay_frequency: "MONTHLY",
        base_salary: 2_400_000.0,
    },
    Country {
        code: "AU",
        currency: "AUD",
        pay_group: "AU Fortnightly",
        pay_frequency: "BIWEEKLY",
        base_salary: 125_000.0,
    },
];

struct Office {
    name: &'static str,
    street: &'static str,
    city: &'static str,
    state: &'static str,
    zip: &'static str,
    country: usize,
    phone: &'static str,
    weight: u64,
}

const OFFICES: &[Office] = &[
    Office {
        name: "San Francisco HQ",
        street: "100 Harbor View Street",
        city: "San Francisco",
        state: "CA",
        zip: "94105",
        country: 0,
        phone: "+14155550100",
        weight: 24,
    },
    Office {
        name: "New York",
        street: "250 Hudson Loop",
        city: "New York",
        state: "NY",
        zip: "10013",
        country: 0,
        phone: "+12125550100",
        weight: 12,
    },
    Office {
        name: "Austin",
        street: "42 Congress Lane",
        city: "Austin",
        state: "TX",
        zip: "78701",
        country: 0,
        phone: "+15125550100",
        weight: 8,
    },
    Office {
        name: "London",
        street: "7 Bishopsgate Yard",
        city: "London",
        state: "England",
        zip: "EC2N 4AY",
        country: 1,
        phone: "+442079460100",
        weight: 12,
    },
    Office {
        name: "Berlin",
        street: "Spreeufer 12",
        city: "Berlin",
        state: "Berlin",
        zip: "10178",
        country: 2,
        phone: "+493055501000",
        weight: 9,
    },
    Office {
        name: "Dublin",
        street: "3 Grand Dock Quay",
        city: "Dublin",
        state: "Dublin",
        zip: "D02 X285",
        country: 3,
        phone: "+35315550100",
        weight: 6,
    },
    Office {
        name: "Toronto",
        street: "88 Front Street West",
        city: "Toronto",
        state: "ON",
        zip: "M5J 1E3",
        country: 4,
        phone: "+14165550100",
        weight: 10,
    },
    Office {
        name: "Bengaluru",
        street: "12 Outer Ring Road",
        city: "Bengaluru",
        state: "Karnataka",
        zip: "560103",
        country: 5,
        phone: "+918055501000",
        weight: 14,
    },
    Office {
        name: "Sydney",
        street: "5 Harbourside Place",
        city: "Sydney",
        state: "NSW",
        zip: "2000",
        country: 6,
        phone: "+61255501000",
        weight: 5,
    },
];

const FIRST_NAMES: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Sophia",
    "Elijah",
    "Isabella",
    "James",
    "Ava",
    "William",
    "Mia",
    "Benjamin",
    "Charlotte",
    "Lucas",
    "Harper",
    "Henry",
    "Evelyn",
    "Alexander",
    "Priya",
    "Arjun",
    "Ananya",
    "Rohan",
    "Meera",
    "Vikram",
    "Aisha",
    "Omar",
    "Fatima",
    "Yusuf",
    "Mei",
    "Wei",
    "Hana",
    "Kenji",
    "Yuki",
    "Min-jun",
    "Seo-yeon",
    "Lukas",
    "Hannah",
    "Felix",
    "Lena",
    "Jonas",
    "Sofia",
    "Mateo",
    "Valentina",
    "Diego",
    "Camila",
    "Siobhan",
    "Cian",
    "Aoife",
    "Niamh",
    "Chloe",
    "Jack",
    "Grace",
    "Thomas",
    "Ruby",
    "Kwame",
    "Amara",
    "Chidi",
    "Zanele",
    "Robert",
    "Elizabeth",
    "Katherine",
    "Michael",
    "Jennifer",
    "Nicholas",
    "Margaret",
    "Christopher",
];

const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Patel",
    "Sharma",
    "Iyer",
    "Reddy",
    "Nair",
    "Khan",
    "Ahmed",
    "Hassan",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Tanaka",
    "Sato",
    "Kim",
    "Park",
    "Mueller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Murphy",
    "Kelly",
    "O'Brien",
    "Byrne",
    "Walsh",
    "Nguyen",
    "Tran",
    "Silva",
    "Santos",
    "Okafor",
    "Mensah",
    "Dlamini",
    "Cohen",
    "Rossi",
    "Novak",
    "Kowalski",
    "Larsen",
    "Berg",
];

const NICKNAMES: &[(&str, &str)] = &[
    ("Robert", "Bob"),
    ("Elizabeth", "Liz"),
    ("Katherine", "Kate"),
    ("Michael", "Mike"),
    ("Jennifer", "Jen"),
    ("Nicholas", "Nick"),
    ("Margaret", "Maggie"),
    ("Christopher", "Chris"),
    ("Alexander", "Alex"),
    ("William", "Will"),
    ("Benjamin", "Ben"),
];

const STREETS: &[&str] = &[
    "Maple Avenue",
    "Oak Street",
    "Cedar Lane",
    "Elm Road",
    "Willow Way",
    "Park Terrace",
    "Station Road",
    "Church Street",
    "Mill Lane",
    "Lakeview Drive",
    "Hillcrest Road",
    "Riverside Walk",
];

const ETHNICITIES: &[&str] = &[
    "AMERICAN_INDIAN_OR_ALASKA_NATIVE",
    "ASIAN_OR_INDIAN_SUBCONTINENT",
    "BLACK_OR_AFRICAN_AMERICAN",
    "HISPANIC_OR_LATINO",
    "NATIVE_HAWAIIAN_OR_OTHER_PACIFIC_ISLANDER",
    "TWO_OR_MORE_RACES",
    "WHITE",
    "PREFER_NOT_TO_DISCLOSE",
];

const MARITAL: &[&str] = &[
    "SINGLE",
    "MARRIED_FILING_JOINTLY",
    "MARRIED_FILING_SEPARATELY",
    "HEAD_OF_HOUSEHOLD",
];

/// 2024-01-08T14:00:00Z: when the seeded linked account's initial sync ran.
const SYNC_BASE: i64 = 1_704_722_400;

fn at(unix: i64) -> String {
    format_datetime(OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

fn day(d: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        d.year(),
        u8::from(d.month()),
        d.day()
    )
}

fn date(y: i32, m: Month, d: u8) -> Date {
    Date::from_calendar_date(y, m, d).unwrap_or(Date::MIN)
}

fn lower_ascii(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn round_to(v: f64, step: f64) -> f64 {
    (v / step).round() * step
}

fn mobile(rng: &mut Rng, country: &Country) -> String {
    let n = rng.below(100);
    match country.code {
        "US" => format!(
            "+1{}555{:04}",
            rng.pick(&["415", "646", "512", "206", "312"]),
            100 + n
        ),
        "CA" => format!("+1{}555{:04}", rng.pick(&["416", "647", "604"]), 100 + n),
        "GB" => format!("+447700900{:03}", n),
        "DE" => format!("+4915255501{:02}", n),
        "IE" => format!("+353855550{:03}", n),
        "IN" => format!("+9198765{:05}", rng.below(100_000)),
        _ => format!("+61491570{:03}", 100 + n),
    }
}

/// Replaces the seeded objects with the reference data and `n` employees, of whose
/// members (everyone but the CEO and the department heads) about `pending_percent` %
/// are PENDING, 8 % INACTIVE and the rest ACTIVE. `pending_percent` is at most 92;
/// [`super::DEFAULT_PENDING_PERCENT`] gives the long-standing split 84 / 8 / 8.
pub(crate) fn seed(st: &mut State, n: usize, pending_percent: u8) {
    // One draw of 0..100 per member picks the status: ACTIVE below this, PENDING from
    // here to 92, INACTIVE above. The draws do not depend on the split, so only the
    // statuses (and what follows from them) change with it.
    let active_below = 92 - u64::from(pending_percent.min(92));
    let today = st.now().date();
    let ref_created = at(SYNC_BASE - 600);

    let company_id = uuid(COMPANY, 0);
    st.companies.put(MergeCompany {
        id: company_id.clone(),
        remote_id: Some("ACME-001".into()),
        legal_name: Some("Acme Corporation, Inc.".into()),
        display_name: Some("Acme Corporation".into()),
        eins: vec!["12-3456789".into()],
        remote_was_deleted: false,
        created_at: Some(ref_created.clone()),
        modified_at: Some(ref_created.clone()),
    });

    let pay_group_ids: Vec<String> = COUNTRIES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = uuid(PAY_GROUP, i as u64);
            st.pay_groups.put(MergePayGroup {
                id: id.clone(),
                remote_id: Some(format!("PG-{}", c.code)),
                pay_group_name: Some(c.pay_group.into()),
                remote_was_deleted: false,
                created_at: Some(ref_created.clone()),
                modified_at: Some(ref_created.clone()),
            });
            id
        })
        .collect();

    let group = |st: &mut State,
                 n: u64,
                 name: &str,
                 kind: &str,
                 parent: Option<String>,
                 team_like: bool| {
        let id = uuid(GROUP, n);
        st.groups.put(MergeGroup {
            id: id.clone(),
            remote_id: Some(format!("G{:04}", n)),
            name: Some(name.into()),
            group_type: Some(kind.into()),
            parent_group: parent,
            is_commonly_used_as_team: Some(team_like),
            remote_was_deleted: false,
            created_at: Some(ref_created.clone()),
            modified_at: Some(ref_created.clone()),
        });
        id
    };
    let business_unit = group(st, 1, "Acme Global", "BUSINESS_UNIT", None, false);
    let cost_center_ids: Vec<String> = COST_CENTERS
        .iter()
        .enumerate()
        .map(|(i, c)| group(st, 10 + i as u64, c, "COST_CENTER", None, false))
        .collect();
    let mut dept_group_ids = Vec::new();
    let mut team_group_ids: Vec<Vec<String>> = Vec::new();
    for (d, dept) in DEPTS.iter().enumerate() {
        let dg = group(
            st,
            100 + d as u64 * 10,
            dept.name,
            "DEPARTMENT",
            Some(business_unit.clone()),
            false,
        );
        let teams = dept
            .teams
            .iter()
            .enumerate()
            .map(|(t, name)| {
                group(
                    st,
                    101 + d as u64 * 10 + t as u64,
                    name,
                    "TEAM",
                    Some(dg.clone()),
                    true,
                )
            })
            .collect();
        dept_group_ids.push(dg);
        team_group_ids.push(teams);
    }

    let team = |st: &mut State, n: u64, name: &str, parent: Option<String>| {
        let id = uuid(TEAM, n);
        st.teams.put(MergeTeam {
            id: id.clone(),
            remote_id: Some(format!("T{:04}", n)),
            name: Some(name.into()),
            parent_team: parent,
            remote_was_deleted: false,
            created_at: Some(ref_created.clone()),
            modified_at: Some(ref_created.clone()),
        });
        id
    };
    let mut dept_team_ids = Vec::new();
    let mut sub_team_ids: Vec<Vec<String>> = Vec::new();
    for (d, dept) in DEPTS.iter().enumerate() {
        let root = team(st, d as u64 * 10, dept.name, None);
        let subs = dept
            .teams
            .iter()
            .enumerate()
            .map(|(t, name)| team(st, d as u64 * 10 + 1 + t as u64, name, Some(root.clone())))
            .collect();
        dept_team_ids.push(root);
        sub_team_ids.push(subs);
    }

    let office_ids: Vec<String> = OFFICES
        .iter()
        .enumerate()
        .map(|(o, office)| {
            let id = uuid(OFFICE, o as u64);
            st.locations.put(MergeLocation {
                id: id.clone(),
                remote_id: Some(format!("LOC-{:02}", o + 1)),
                name: Some(office.name.into()),
                phone_number: Some(office.phone.into()),
                street_1: Some(office.street.into()),
                street_2: None,
                city: Some(office.city.into()),
                state: Some(office.state.into()),
                zip_code: Some(office.zip.into()),
                country: Some(COUNTRIES[office.country].code.into()),
                location_type: Some("WORK".into()),
                remote_was_deleted: false,
                created_at: Some(ref_created.clone()),
                modified_at: Some(ref_created.clone()),
            });
            id
        })
        .collect();

    let dept_weights: Vec<u64> = DEPTS.iter().map(|d| d.weight).collect();
    let office_weights: Vec<u64> = OFFICES.iter().map(|o| o.weight).collect();
    let mut usernames: HashMap<String, u32> = HashMap::new();
    let mut leads: HashMap<(usize, usize), String> = HashMap::new();
    let heads = DEPTS.len();

    for i in 0..n {
        let mut rng = Rng::new(i as u64, 0x7E2A_17E5);
        let id = uuid(EMPLOYEE, i as u64);
        let (dept, role) = match i {
            0 => (4, Role::Ceo),
            i if i <= heads => (i - 1, Role::Head),
            _ => (rng.weighted(&dept_weights), Role::Member),
        };
        let d = &DEPTS[dept];
        let team_idx = rng.below(d.teams.len() as u64) as usize;
        let office_idx = rng.weighted(&office_weights);
        let office = &OFFICES[office_idx];
        let country = &COUNTRIES[office.country];

        let first = *rng.pick(FIRST_NAMES);
        let last = *rng.pick(LAST_NAMES);
        let preferred = NICKNAMES
            .iter()
            .find(|(full, _)| *full == first)
            .filter(|_| rng.percent(60))
            .map(|(_, nick)| nick.to_string());
        let base = format!("{}.{}", lower_ascii(first), lower_ascii(last));
        let count = usernames.entry(base.clone()).or_insert(0);
        *count += 1;
        let username = if *count == 1 {
            base
        } else {
            format!("{base}{count}")
        };

        let status = match role {
            Role::Member => match rng.below(100) {
                d if d < active_below => "ACTIVE",
                d if d < 92 => "PENDING",
                _ => "INACTIVE",
            },
            _ => "ACTIVE",
        };
        let (hire, start, termination) = match status {
            "PENDING" => {
                let hire = today - Duration::days(rng.range(1, 30));
                (hire, today + Duration::days(rng.range(7, 75)), None)
            }
            "INACTIVE" => {
                let start = date(2012, Month::January, 9) + Duration::days(rng.range(0, 11 * 365));
                let end = (start + Duration::days(rng.range(90, 2500))).min(date(
                    2025,
                    Month::September,
                    30,
                ));
                (start - Duration::days(rng.range(7, 45)), start, Some(end))
            }
            _ => {
                let start =
                    date(2014, Month::January, 6) + Duration::days(rng.range(0, 11 * 365 + 200));
                (start - Duration::days(rng.range(7, 45)), start, None)
            }
        };

        let created = SYNC_BASE + (i as i64 / 3) * 11;
        let modified = if rng.percent(35) {
            created
        } else {
            created + rng.range(60, 400 * 86_400)
        };

        let (job_title, manager) = match role {
            Role::Ceo => ("Chief Executive Officer".to_string(), None),
            Role::Head => (d.head.to_string(), Some(uuid(EMPLOYEE, 0))),
            Role::Member => {
                let head = if dept + 1 < n {
                    Some(uuid(EMPLOYEE, dept as u64 + 1))
                } else {
                    Some(uuid(EMPLOYEE, 0))
                };
                match leads.get(&(dept, team_idx)) {
                    Some(lead) => (rng.pick(d.titles).to_string(), Some(lead.clone())),
                    None if status == "ACTIVE" => {
                        leads.insert((dept, team_idx), id.clone());
                        let title = if dept == 0 {
                            "Engineering Manager".to_string()
                        } else {
                            format!("Manager, {}", d.teams[team_idx])
                        };
                        (title, head)
                    }
                    None => (rng.pick(d.titles).to_string(), head),
                }
            }
        };

        let employment_type = match role {
            Role::Member => {
                ["FULL_TIME", "PART_TIME", "CONTRACTOR", "INTERN"][rng.weighted(&[90, 4, 4, 2])]
            }
            _ => "FULL_TIME",
        };
        let level = match role {
            Role::Ceo => 3.0,
            Role::Head => 2.2,
            Role::Member if leads.get(&(dept, team_idx)) == Some(&id) => 1.45,
            Role::Member => 0.8 + rng.below(50) as f64 / 100.0,
        };
        let annual = country.base_salary * d.pay_factor * level;
        let hourly = matches!(employment_type, "PART_TIME" | "CONTRACTOR" | "INTERN");
        let (pay_rate, pay_period) = if hourly {
            (round_to(annual / 2080.0 * 0.8, 0.25), "HOUR")
        } else {
            (round_to(annual, 500.0), "YEAR")
        };
        let flsa =
            (country.code == "US").then(|| if hourly { "NONEXEMPT" } else { "EXEMPT" }.to_string());
        let job = |k: u64, title: String, rate: f64, effective: Date| MergeEmployment {
            id: uuid(EMPLOYMENT, i as u64 * 2 + k),
            remote_id: Some(format!("JOB-{:07}-{}", 1000 + i, k + 1)),
            employee: Some(id.clone()),
            job_title: Some(title),
            pay_rate: Some(rate),
            pay_period: Some(pay_period.into()),
            pay_frequency: Some(country.pay_frequency.into()),
            pay_currency: Some(country.currency.into()),
            pay_group: Some(pay_group_ids[office.country].clone()),
            flsa_status: flsa.clone(),
            effective_date: Some(day(effective)),
            employment_type: Some(employment_type.into()),
            remote_was_deleted: false,
            created_at: Some(at(created)),
            modified_at: Some(at(modified)),
        };
        let promoted_on = start + Duration::days(rng.range(400, 900));
        let mut employments = Vec::new();
        if status == "ACTIVE"
            && role == Role::Member
            && rng.percent(20)
            && promoted_on < date(2025, Month::June, 1)
        {
            employments.push(job(
                0,
                rng.pick(d.titles).to_string(),
                round_to(pay_rate * 0.88, 0.25),
                start,
            ));
            employments.push(job(1, job_title, pay_rate, promoted_on));
        } else {
            employments.push(job(0, job_title, pay_rate, start));
        }

        let home_id = uuid(HOME, i as u64);
        st.locations.put(MergeLocation {
            id: home_id.clone(),
            remote_id: Some(format!("HOME-{:07}", 1000 + i)),
            name: Some("Home".into()),
            phone_number: None,
            street_1: Some(format!("{} {}", rng.range(1, 400), rng.pick(STREETS))),
            street_2: rng.percent(25).then(|| format!("Apt {}", rng.range(1, 60))),
            city: Some(office.city.into()),
            state: Some(office.state.into()),
            zip_code: Some(office.zip.into()),
            country: Some(country.code.into()),
            location_type: Some("HOME".into()),
            remote_was_deleted: false,
            created_at: Some(at(created)),
            modified_at: Some(at(created)),
        });

        let (team_id, groups) = match role {
            Role::Member => (
                sub_team_ids[dept][team_idx].clone(),
                vec![
                    dept_group_ids[dept].clone(),
                    team_group_ids[dept][team_idx].clone(),
                    cost_center_ids[d.cost_center].clone(),
                ],
            ),
            _ => (
                dept_team_ids[dept].clone(),
                vec![
                    dept_group_ids[dept].clone(),
                    cost_center_ids[d.cost_center].clone(),
                ],
            ),
        };
        let us = country.code == "US";
        let dob = date(1962, Month::January, 1) + Duration::days(rng.range(0, 42 * 365));
        let gender = ["MALE", "FEMALE", "NON-BINARY", "PREFER_NOT_TO_DISCLOSE"]
            [rng.weighted(&[46, 46, 3, 5])];
        let remote_id = format!("TN{:07}", 1000 + i);
        let e = MergeEmployee {
            id: id.clone(),
            remote_id: Some(remote_id.clone()),
            employee_number: Some(format!("{}", 1001 + i)),
            company: Some(company_id.clone()),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            display_full_name: Some(format!(
                "{} {}",
                preferred.as_deref().unwrap_or(first),
                last
            )),
            preferred_name: preferred,
            username: Some(username.clone()),
            groups,
            work_email: Some(format!("{username}@acme-corp.example")),
            personal_email: Some(format!("{username}.{}@mail.example", rng.range(1, 99))),
            mobile_phone_number: Some(mobile(&mut rng, country)),
            employments,
            home_location: Some(home_id),
            work_location: Some(office_ids[office_idx].clone()),
            manager,
            team: Some(team_id),
            pay_group: Some(pay_group_ids[office.country].clone()),
            ssn: us.then(|| {
                format!(
                    "9{:02}-{:02}-{:04}",
                    rng.below(100),
                    70 + rng.below(20),
                    rng.below(10_000)
                )
            }),
            gender: Some(gender.into()),
            ethnicity: us.then(|| rng.pick(ETHNICITIES).to_string()),
            marital_status: us.then(|| rng.pick(MARITAL).to_string()),
            date_of_birth: Some(day(dob)),
            hire_date: Some(day(hire)),
            start_date: Some(day(start)),
            remote_created_at: Some(format!("{}T16:30:00Z", &day(hire)[..10])),
            employment_status: Some(status.into()),
            termination_date: termination.map(day),
            avatar: rng
                .percent(60)
                .then(|| format!("https://avatars.acme-corp.example/{remote_id}.png")),
            custom_fields: None,
            remote_was_deleted: false,
            created_at: Some(at(created)),
            modified_at: Some(at(modified)),
            remote_data: None,
        };
        let now = e.modified_at.clone().unwrap_or_default();
        st.put_employee(e, &now);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Ceo,
    Head,
    Member,
}
