//! Regions (first-level subdivisions) of the countries whose zone depends on them, and
//! the places inside a region that keep another zone than most of it.
//!
//! Keys are normalized (see `super::normalize`): the ISO 3166-2 code without its country
//! prefix ("ca" for US-CA), other codes in everyday use, then English and local names.
//! A region's zone is the zone of most of its people; its `cities` list only the places
//! that keep another zone. Sources: the IANA tz database's `zone.tab` comments and the
//! area notes in its `northamerica`, `southamerica`, `europe`, `asia` and
//! `australasia` files. This file holds the smaller countries; the large ones live in
//! their own files.

use super::{americas, asia_pacific, russia, united_states};

/// A first-level subdivision and the zone most of its people keep.
pub(super) struct Region {
    pub(super) keys: &'static [&'static str],
    pub(super) zone: &'static str,
    /// Places in the region that keep another zone.
    pub(super) cities: &'static [Place],
}

/// A named place (city, island, town) and its zone.
pub(super) struct Place {
    pub(super) keys: &'static [&'static str],
    pub(super) zone: &'static str,
}

pub(super) const fn region(keys: &'static [&'static str], zone: &'static str) -> Region {
    Region {
        keys,
        zone,
        cities: &[],
    }
}

pub(super) const fn region_with(
    keys: &'static [&'static str],
    zone: &'static str,
    cities: &'static [Place],
) -> Region {
    Region { keys, zone, cities }
}

pub(super) const fn place(keys: &'static [&'static str], zone: &'static str) -> Place {
    Place { keys, zone }
}

/// The regions known for a country (lowercase alpha-2); empty when the country alone
/// decides.
pub(super) fn of(alpha2: &str) -> &'static [Region] {
    match alpha2 {
        "us" => united_states::REGIONS,
        "ca" => americas::CANADA,
        "mx" => americas::MEXICO,
        "br" => americas::BRAZIL,
        "ru" => russia::REGIONS,
        "au" => asia_pacific::AUSTRALIA,
        "id" => asia_pacific::INDONESIA,
        "kz" => asia_pacific::KAZAKHSTAN,
        "mn" => asia_pacific::MONGOLIA,
        "ar" => ARGENTINA,
        "cd" => CONGO_KINSHASA,
        "cl" => CHILE,
        "ec" => ECUADOR,
        "es" => SPAIN,
        "fm" => MICRONESIA,
        "ki" => KIRIBATI,
        "my" => MALAYSIA,
        "nz" => NEW_ZEALAND,
        "pf" => FRENCH_POLYNESIA,
        "pg" => PAPUA_NEW_GUINEA,
        "ps" => PALESTINE,
        "pt" => PORTUGAL,
        "ua" => UKRAINE,
        "um" => US_MINOR_ISLANDS,
        _ => &[],
    }
}

/// Every province keeps UTC-3 today; the provincial zones differ only in history.
static ARGENTINA: &[Region] = &[
    region(
        &["b", "buenos aires", "provincia de buenos aires"],
        "America/Argentina/Buenos_Aires",
    ),
    region(
        &[
            "c",
            "caba",
            "ciudad autonoma de buenos aires",
            "ciudad de buenos aires",
            "capital federal",
            "autonomous city of buenos aires",
        ],
        "America/Argentina/Buenos_Aires",
    ),
    region(&["x", "cordoba"], "America/Argentina/Cordoba"),
    region(&["h", "chaco"], "America/Argentina/Cordoba"),
    region(&["w", "corrientes"], "America/Argentina/Cordoba"),
    region(&["e", "entre rios"], "America/Argentina/Cordoba"),
    region(&["p", "formosa"], "America/Argentina/Cordoba"),
    region(&["n", "misiones"], "America/Argentina/Cordoba"),
    region(&["g", "santiago del estero"], "America/Argentina/Cordoba"),
    region(&["s", "santa fe"], "America/Argentina/Cordoba"),
    region(&["a", "salta"], "America/Argentina/Salta"),
    region(&["l", "la pampa"], "America/Argentina/Salta"),
    region(&["q", "neuquen"], "America/Argentina/Salta"),
    region(&["r", "rio negro"], "America/Argentina/Salta"),
    region(&["y", "jujuy"], "America/Argentina/Jujuy"),
    region(&["t", "tucuman"], "America/Argentina/Tucuman"),
    region(&["k", "catamarca"], "America/Argentina/Catamarca"),
    region(&["u", "chubut"], "America/Argentina/Catamarca"),
    region(&["f", "la rioja"], "America/Argentina/La_Rioja"),
    region(&["j", "san juan"], "America/Argentina/San_Juan"),
    region(&["m", "mendoza"], "America/Argentina/Mendoza"),
    region(&["d", "san luis"], "America/Argentina/San_Luis"),
    region(&["z", "santa cruz"], "America/Argentina/Rio_Gallegos"),
    region(
        &[
            "v",
            "tierra del fuego",
            "tierra del fuego antartida e islas del atlantico sur",
        ],
        "America/Argentina/Ushuaia",
    ),
];

/// The west (the former Kinshasa, Bas-Congo, Bandundu and Équateur provinces) keeps
/// UTC+1, the rest UTC+2.
static CONGO_KINSHASA: &[Region] = &[
    region(&["kn", "kinshasa"], "Africa/Kinshasa"),
    region(&["bc", "kongo central", "bas congo"], "Africa/Kinshasa"),
    region(&["kg", "kwango"], "Africa/Kinshasa"),
    region(&["kl", "kwilu"], "Africa/Kinshasa"),
    region(&["mn", "mai ndombe"], "Africa/Kinshasa"),
    region(&["bandundu"], "Africa/Kinshasa"),
    region(&["eq", "equateur", "equator"], "Africa/Kinshasa"),
    region(&["mo", "mongala"], "Africa/Kinshasa"),
    region(&["nu", "nord ubangi", "north ubangi"], "Africa/Kinshasa"),
    region(&["su", "sud ubangi", "south ubangi"], "Africa/Kinshasa"),
    region(&["tu", "tshuapa"], "Africa/Kinshasa"),
    region(&["bu", "bas uele"], "Africa/Lubumbashi"),
    region(&["hu", "haut uele"], "Africa/Lubumbashi"),
    region(&["it", "ituri"], "Africa/Lubumbashi"),
    region(&["to", "tshopo", "orientale"], "Africa/Lubumbashi"),
    region(&["nk", "nord kivu", "north kivu"], "Africa/Lubumbashi"),
    region(&["sk", "sud kivu", "south kivu"], "Africa/Lubumbashi"),
    region(&["ma", "maniema"], "Africa/Lubumbashi"),
    region(&["hk", "haut katanga", "katanga"], "Africa/Lubumbashi"),
    region(&["hl", "haut lomami"], "Africa/Lubumbashi"),
    region(&["lu", "lualaba"], "Africa/Lubumbashi"),
    region(&["ta", "tanganyika"], "Africa/Lubumbashi"),
    region(&["ks", "kasai", "kasai occidental"], "Africa/Lubumbashi"),
    region(&["kc", "kasai central"], "Africa/Lubumbashi"),
    region(&["ke", "kasai oriental"], "Africa/Lubumbashi"),
    region(&["lo", "lomami"], "Africa/Lubumbashi"),
    region(&["sa", "sankuru"], "Africa/Lubumbashi"),
];

/// Santiago for most; Aysén and Magallanes keep UTC-3 all year; Easter Island (in the
/// Valparaíso region) keeps its own zone.
static CHILE: &[Region] = &[
    region(
        &[
            "ai",
            "aysen",
            "aisen",
            "aysen del general carlos ibanez del campo",
            "aisen del general carlos ibanez del campo",
        ],
        "America/Coyhaique",
    ),
    region(
        &[
            "ma",
            "magallanes",
            "magallanes and chilean antarctica",
            "magallanes y de la antartica chilena",
            "magallanes y antartica chilena",
        ],
        "America/Punta_Arenas",
    ),
    region(
        &["easter island", "isla de pascua", "rapa nui"],
        "Pacific/Easter",
    ),
    region_with(
        &["vs", "valparaiso"],
        "America/Santiago",
        &[place(
            &["hanga roa", "easter island", "isla de pascua", "rapa nui"],
            "Pacific/Easter",
        )],
    ),
];

static ECUADOR: &[Region] = &[region(
    &["w", "galapagos", "galapagos islands", "islas galapagos"],
    "Pacific/Galapagos",
)];

/// The mainland and the Balearics keep Madrid's zone; the Canary Islands their own.
/// Ceuta and Melilla keep Madrid's rules under their own zone name.
static SPAIN: &[Region] = &[
    region(
        &[
            "cn",
            "canarias",
            "canary islands",
            "islas canarias",
            "canaries",
            "las palmas",
            "santa cruz de tenerife",
        ],
        "Atlantic/Canary",
    ),
    region(&["ce", "ceuta"], "Africa/Ceuta"),
    region(&["ml", "melilla"], "Africa/Ceuta"),
];

/// Yap and Chuuk keep UTC+10, Pohnpei and Kosrae UTC+11.
static MICRONESIA: &[Region] = &[
    region(&["yap"], "Pacific/Chuuk"),
    region(&["trk", "chuuk", "truk"], "Pacific/Chuuk"),
    region(&["pni", "pohnpei", "ponape"], "Pacific/Pohnpei"),
    region(&["ksa", "kosrae"], "Pacific/Kosrae"),
];

static KIRIBATI: &[Region] = &[
    region(&["g", "gilbert islands", "gilberts"], "Pacific/Tarawa"),
    region(&["l", "line islands"], "Pacific/Kiritimati"),
    region(&["p", "phoenix islands"], "Pacific/Kanton"),
];

/// Sabah, Sarawak and Labuan keep the peninsula's offset and rules under their own zone.
static MALAYSIA: &[Region] = &[
    region(&["12", "sabah"], "Asia/Kuching"),
    region(&["13", "sarawak"], "Asia/Kuching"),
    region(
        &["15", "labuan", "wilayah persekutuan labuan"],
        "Asia/Kuching",
    ),
];

static NEW_ZEALAND: &[Region] = &[region(
    &[
        "cit",
        "chatham islands",
        "chatham islands territory",
        "chatham",
    ],
    "Pacific/Chatham",
)];

static FRENCH_POLYNESIA: &[Region] = &[
    region(
        &[
            "society islands",
            "iles de la societe",
            "windward islands",
            "leeward islands",
        ],
        "Pacific/Tahiti",
    ),
    region(
        &["marquesas", "marquesas islands", "iles marquises"],
        "Pacific/Marquesas",
    ),
    region(
        &["gambier", "gambier islands", "iles gambier"],
        "Pacific/Gambier",
    ),
];

static PAPUA_NEW_GUINEA: &[Region] = &[region(
    &[
        "nsb",
        "bougainville",
        "autonomous region of bougainville",
        "north solomons",
    ],
    "Pacific/Bougainville",
)];

static PALESTINE: &[Region] = &[
    region(&["gza", "gaza", "gaza strip"], "Asia/Gaza"),
    region(&["west bank"], "Asia/Hebron"),
];

static PORTUGAL: &[Region] = &[
    region(
        &[
            "20",
            "azores",
            "acores",
            "regiao autonoma dos acores",
            "autonomous region of the azores",
        ],
        "Atlantic/Azores",
    ),
    region(
        &[
            "30",
            "madeira",
            "regiao autonoma da madeira",
            "autonomous region of madeira",
        ],
        "Atlantic/Madeira",
    ),
];

/// Crimea and Sevastopol keep Moscow time under occupation.
static UKRAINE: &[Region] = &[
    region(
        &[
            "43",
            "crimea",
            "autonomous republic of crimea",
            "republic of crimea",
            "krym",
        ],
        "Europe/Simferopol",
    ),
    region(&["40", "sevastopol"], "Europe/Simferopol"),
];

static US_MINOR_ISLANDS: &[Region] = &[
    region(
        &["71", "midway", "midway islands", "midway atoll"],
        "Pacific/Midway",
    ),
    region(&["79", "wake", "wake island"], "Pacific/Wake"),
];
