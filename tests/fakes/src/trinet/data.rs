//! Deterministic seed data: a US company of a few hundred people with a London office.

use crate::rng::Rng;
pub(crate) use crate::rng::mix;
use std::collections::HashSet;

use time::{Date, Duration, Month};

use super::{State, TriNetDepartment, TriNetEmployee, TriNetLocation, TriNetName};

/// The first seeded employee id, `00100001`.
pub(crate) const FIRST_EMPLOYEE_ID: u64 = 100_001;

struct Dept {
    id: &'static str,
    name: &'static str,
    head_title: &'static str,
    titles: &'static [&'static str],
    /// Values for `customGroupA` (teams), if the department uses them.
    teams: &'static [&'static str],
    weight: u64,
}

/// The first is the executive office; the others each have a head (employees 2–8).
const DEPTS: &[Dept] = &[
    Dept {
        id: "D100",
        name: "Executive",
        head_title: "Chief Executive Officer",
        titles: &["Chief of Staff", "Executive Assistant"],
        teams: &[],
        weight: 0,
    },
    Dept {
        id: "D110",
        name: "Engineering",
        head_title: "VP of Engineering",
        titles: &[
            "Software Engineer",
            "Senior Software Engineer",
            "Staff Software Engineer",
            "Site Reliability Engineer",
            "Engineering Manager",
        ],
        teams: &["Platform", "Payments", "Mobile"],
        weight: 32,
    },
    Dept {
        id: "D120",
        name: "Product",
        head_title: "VP of Product",
        titles: &[
            "Product Manager",
            "Senior Product Manager",
            "Product Designer",
        ],
        teams: &[],
        weight: 8,
    },
    Dept {
        id: "D130",
        name: "Sales",
        head_title: "VP of Sales",
        titles: &[
            "Account Executive",
            "Senior Account Executive",
            "Sales Development Representative",
            "Sales Engineer",
        ],
        teams: &["Enterprise", "Mid-Market"],
        weight: 20,
    },
    Dept {
        id: "D140",
        name: "Marketing",
        head_title: "VP of Marketing",
        titles: &["Marketing Manager", "Content Strategist", "Growth Marketer"],
        teams: &[],
        weight: 8,
    },
    Dept {
        id: "D150",
        name: "Customer Success",
        head_title: "VP of Customer Success",
        titles: &[
            "Customer Success Manager",
            "Support Engineer",
            "Implementation Consultant",
        ],
        teams: &[],
        weight: 16,
    },
    Dept {
        id: "D160",
        name: "Finance",
        head_title: "Chief Financial Officer",
        titles: &["Accountant", "Financial Analyst", "Payroll Specialist"],
        teams: &[],
        weight: 6,
    },
    Dept {
        id: "D170",
        name: "People Operations",
        head_title: "VP of People",
        titles: &[
            "HR Business Partner",
            "Recruiter",
            "People Operations Specialist",
        ],
        teams: &[],
        weight: 6,
    },
];

struct Office {
    id: &'static str,
    name: &'static str,
    address: &'static str,
    city: &'static str,
    state: Option<&'static str>,
    postal: &'static str,
    country: &'static str,
    phone_prefix: &'static str,
    weight: u64,
}

const OFFICES: &[Office] = &[
    Office {
        id: "SF01",
        name: "San Francisco HQ",
        address: "100 Market St",
        city: "San Francisco",
        state: Some("CA"),
        postal: "94105",
        country: "USA",
        phone_prefix: "+1 415 555",
        weight: 30,
    },
    Office {
        id: "NYC01",
        name: "New York Office",
        address: "200 Park Ave S",
        city: "New York",
        state: Some("NY"),
        postal: "10003",
        country: "USA",
        phone_prefix: "+1 212 555",
        weight: 18,
    },
    Office {
        id: "AUS01",
        name: "Austin Office",
        address: "500 Congress Ave",
        city: "Austin",
        state: Some("TX"),
        postal: "78701",
        country: "USA",
        phone_prefix: "+1 512 555",
        weight: 12,
    },
    Office {
        id: "CHI01",
        name: "Chicago Office",
        address: "233 S Wacker Dr",
        city: "Chicago",
        state: Some("IL"),
        postal: "60606",
        country: "USA",
        phone_prefix: "+1 312 555",
        weight: 10,
    },
    Office {
        id: "DEN01",
        name: "Denver Office",
        address: "1700 Lincoln St",
        city: "Denver",
        state: Some("CO"),
        postal: "80203",
        country: "USA",
        phone_prefix: "+1 303 555",
        weight: 8,
    },
    Office {
        id: "BOS01",
        name: "Boston Office",
        address: "1 Boston Pl",
        city: "Boston",
        state: Some("MA"),
        postal: "02108",
        country: "USA",
        phone_prefix: "+1 617 555",
        weight: 8,
    },
    Office {
        id: "RMT01",
        name: "Remote - US",
        address: "",
        city: "",
        state: None,
        postal: "",
        country: "USA",
        phone_prefix: "+1 800 555",
        weight: 10,
    },
    Office {
        id: "LON01",
        name: "London Office",
        address: "1 Finsbury Ave",
        city: "London",
        state: None,
        postal: "EC2M 2PF",
        country: "GBR",
        phone_prefix: "+44 20 7946",
        weight: 4,
    },
];

const FIRST_NAMES: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "Michael",
    "Jennifer",
    "William",
    "Linda",
    "David",
    "Elizabeth",
    "Richard",
    "Barbara",
    "Joseph",
    "Susan",
    "Thomas",
    "Jessica",
    "Christopher",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Margaret",
    "Andrew",
    "Katherine",
    "Joshua",
    "Samantha",
    "Benjamin",
    "Victoria",
    "Nicholas",
    "Alexandra",
    "Jonathan",
    "Rebecca",
    "Carlos",
    "Priya",
    "Wei",
    "Aisha",
    "Diego",
    "Mei",
    "Olumide",
    "Sofia",
    "Hiroshi",
    "Fatima",
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
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Patel",
    "Nguyen",
    "Kim",
    "Chen",
    "O'Brien",
    "Okafor",
    "Tanaka",
    "Haddad",
];

const NICKNAMES: &[(&str, &str)] = &[
    ("James", "Jim"),
    ("Robert", "Bob"),
    ("Michael", "Mike"),
    ("Jennifer", "Jen"),
    ("William", "Bill"),
    ("Elizabeth", "Liz"),
    ("Richard", "Rick"),
    ("Joseph", "Joe"),
    ("Thomas", "Tom"),
    ("Christopher", "Chris"),
    ("Daniel", "Dan"),
    ("Matthew", "Matt"),
    ("Anthony", "Tony"),
    ("Margaret", "Maggie"),
    ("Andrew", "Drew"),
    ("Katherine", "Kate"),
    ("Samantha", "Sam"),
    ("Benjamin", "Ben"),
    ("Victoria", "Tori"),
    ("Nicholas", "Nick"),
    ("Alexandra", "Alex"),
    ("Jonathan", "Jon"),
    ("Rebecca", "Becky"),
];

const MIDDLE_INITIALS: &[&str] = &["A", "B", "C", "E", "J", "L", "M", "R", "S"];

fn day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn email_part(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// What the status pattern gives employee `i` (0-based).
enum Kind {
    Active,
    Pending,
    Letter(&'static str),
    Left(&'static str),
}

fn kind(i: usize) -> Kind {
    if i < DEPTS.len() {
        return Kind::Active;
    }
    if i % 97 == 50 {
        return Kind::Left("D");
    }
    match i % 20 {
        3 | 13 => Kind::Left("T"),
        19 => Kind::Left("U"),
        7 => Kind::Pending,
        11 => Kind::Letter("L"),
        15 => Kind::Letter("P"),
        17 => Kind::Letter("S"),
        _ => Kind::Active,
    }
}

fn weighted<'a, T>(rng: &mut Rng, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
    let total: u64 = items.iter().map(&weight).sum();
    let mut roll = rng.below(total);
    for it in items {
        let w = weight(it);
        if roll < w {
            return it;
        }
        roll -= w;
    }
    &items[items.len() - 1]
}

pub(crate) fn seed(st: &mut State, n: usize, today: Date) {
    st.employees.clear();
    st.departments.clear();
    st.locations.clear();
    for d in DEPTS {
        st.departments.insert(
            d.id.to_string(),
            TriNetDepartment {
                id: d.id.into(),
                name: d.name.into(),
            },
        );
    }
    for o in OFFICES {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        st.locations.insert(
            o.id.to_string(),
            TriNetLocation {
                id: o.id.into(),
                name: o.name.into(),
                address1: opt(o.address),
                city: opt(o.city),
                state: o.state.map(String::from),
                postal_code: opt(o.postal),
                country: Some(o.country.into()),
            },
        );
    }

    let id_of = |i: usize| format!("{:08}", FIRST_EMPLOYEE_ID + i as u64);
    let base = Date::from_calendar_date(2015, Month::January, 5).expect("valid date");
    let mut emails: HashSet<String> = HashSet::new();
    for i in 0..n {
        let mut rng = Rng::new(i as u64, 0x0071_21E7);
        let (dept, title, supervisor) = match DEPTS.get(i) {
            // The CEO, then the department heads.
            Some(d) => (d, d.head_title.to_string(), (i > 0).then(|| id_of(0))),
            None => {
                let d = weighted(&mut rng, &DEPTS[1..], |d| d.weight);
                let head = DEPTS.iter().position(|x| x.id == d.id).unwrap_or(0);
                (d, rng.pick(d.titles).to_string(), Some(id_of(head)))
            }
        };
        let office = if i == 0 {
            &OFFICES[0]
        } else {
            weighted(&mut rng, OFFICES, |o| o.weight)
        };

        let first = *rng.pick(FIRST_NAMES);
        let last = *rng.pick(LAST_NAMES);
        let middle = rng
            .percent(40)
            .then(|| rng.pick(MIDDLE_INITIALS).to_string());
        let mut names = vec![TriNetName {
            first_name: first.into(),
            last_name: last.into(),
            middle_name: middle,
            name_type: "PRI".into(),
            effective_date: None,
        }];
        let nickname = NICKNAMES.iter().find(|(f, _)| *f == first).map(|p| p.1);
        if let Some(nick) = nickname.filter(|_| rng.percent(45)) {
            names.push(TriNetName {
                first_name: nick.into(),
                last_name: last.into(),
                middle_name: None,
                name_type: "PRF".into(),
                effective_date: None,
            });
        }

        let kind = kind(i);
        let service = match kind {
            // Early-published: starts 1–10 weeks after the fake's "today".
            Kind::Pending => today + Duration::days(rng.range(7, 71)),
            _ => base + Duration::days(rng.range(0, 8 * 365)),
        };
        for n in &mut names {
            n.effective_date = Some(day(service));
        }
        let (status, termination) = match kind {
            Kind::Active | Kind::Pending => ("A", None),
            Kind::Letter(l) => (l, None),
            Kind::Left(l) => (l, Some(day(service + Duration::days(rng.range(120, 900))))),
        };

        let local = format!("{}.{}", email_part(first), email_part(last));
        let mut email = format!("{local}@acme-corp.example");
        let mut k = 2;
        while !emails.insert(email.clone()) {
            email = format!("{local}{k}@acme-corp.example");
            k += 1;
        }
        let exempt = i < DEPTS.len() || !title.contains("Representative");
        let team = (!dept.teams.is_empty()).then(|| rng.pick(dept.teams).to_string());
        st.employees.insert(
            id_of(i),
            TriNetEmployee {
                employee_id: id_of(i),
                names,
                employment_status: status.into(),
                business_title: Some(title),
                job_code: Some(format!("{}{:03}", &dept.id[1..], rng.below(40))),
                employee_type: Some(
                    if rng.percent(94) {
                        "fulltime"
                    } else {
                        "parttime"
                    }
                    .into(),
                ),
                flsa_code: Some(if exempt { "Z" } else { "N" }.into()),
                supervisor_id: supervisor,
                work_email: Some(email),
                work_phone: Some(format!("{} {:04}", office.phone_prefix, rng.below(10_000))),
                department_id: Some(dept.id.into()),
                location_id: Some(office.id.into()),
                pay_group: Some(if exempt { "SM1" } else { "BW1" }.into()),
                custom_group_a: team,
                custom_group_b: None,
                service_date: Some(day(service)),
                effective_date: Some(day(service)),
                termination_date: termination,
            },
        );
    }
}
