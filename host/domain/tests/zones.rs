//! Deriving a work location's IANA time zone from its country, region and city.

use tenure_domain::jiff::tz::TimeZone;
use tenure_domain::zones::{Derived, zone_for_place};

fn zone(
    country: &str,
    region: Option<&str>,
    city: Option<&str>,
) -> Option<(&'static str, Derived)> {
    zone_for_place(Some(country), region, city)
}

fn country(country: &str) -> Option<&'static str> {
    let found = zone(country, None, None);
    if let Some((_, how)) = found {
        assert_eq!(how, Derived::Country, "{country}");
    }
    found.map(|(zone, _)| zone)
}

fn region(country: &str, region: &str) -> Option<(&'static str, Derived)> {
    zone(country, Some(region), None)
}

fn city(country: &str, region: Option<&str>, city: &str) -> Option<(&'static str, Derived)> {
    zone(country, region, Some(city))
}

#[track_caller]
fn by_region(found: Option<(&'static str, Derived)>, expected: &str) {
    assert_eq!(found, Some((lookup(expected), Derived::Region)));
}

#[track_caller]
fn by_city(found: Option<(&'static str, Derived)>, expected: &str) {
    assert_eq!(found, Some((lookup(expected), Derived::City)));
}

/// The expected name itself, checked against the bundled tz database.
#[track_caller]
fn lookup(name: &str) -> &str {
    assert!(
        TimeZone::get(name).is_ok(),
        "{name} is not in the tz database"
    );
    name
}

#[test]
fn every_zone_in_every_table_exists_in_the_bundled_tz_database() {
    let mut checked = 0;
    for name in tenure_domain::zones::all_zones() {
        assert!(
            TimeZone::get(name).is_ok(),
            "{name} is not in the tz database"
        );
        checked += 1;
    }
    assert!(checked > 600, "only {checked} zone entries checked");
}

#[test]
fn the_country_accepts_codes_names_and_aliases_in_any_case() {
    for spelling in [
        "US",
        "us",
        " usa ",
        "USA",
        "United States",
        "united states of america",
        "U.S.A.",
    ] {
        by_region(region(spelling, "CA"), "America/Los_Angeles");
    }
    for spelling in [
        "GB",
        "GBR",
        "United Kingdom",
        "UK",
        "Great Britain",
        "Britain",
    ] {
        assert_eq!(country(spelling), Some("Europe/London"), "{spelling}");
    }
    assert_eq!(country("DEU"), Some("Europe/Berlin"));
    assert_eq!(country("germany"), Some("Europe/Berlin"));
    assert_eq!(country("Côte d'Ivoire"), Some("Africa/Abidjan"));
    assert_eq!(country("Ivory Coast"), Some("Africa/Abidjan"));
    assert_eq!(country("Korea, Republic of"), Some("Asia/Seoul"));
    assert_eq!(country("South Korea"), Some("Asia/Seoul"));
    assert_eq!(country("Czech Republic"), Some("Europe/Prague"));
    assert_eq!(country("Türkiye"), Some("Europe/Istanbul"));
    assert_eq!(country("Trinidad & Tobago"), Some("America/Port_of_Spain"));
    assert_eq!(country("St. Kitts and Nevis"), Some("America/St_Kitts"));
    assert_eq!(country("Holland"), Some("Europe/Amsterdam"));
}

#[test]
fn england_is_a_region_of_gb_not_a_country() {
    assert_eq!(country("England"), None);
    assert_eq!(country("Scotland"), None);
    assert_eq!(
        zone("GB", Some("England"), Some("London")),
        Some(("Europe/London", Derived::Country))
    );
}

#[test]
fn single_zone_countries_take_their_zone() {
    for (code, expected) in [
        ("DE", "Europe/Berlin"),
        ("IN", "Asia/Kolkata"),
        ("GB", "Europe/London"),
        ("IE", "Europe/Dublin"),
        ("JP", "Asia/Tokyo"),
        ("CN", "Asia/Shanghai"),
        ("AR", "America/Argentina/Buenos_Aires"),
        ("FR", "Europe/Paris"),
        ("NL", "Europe/Amsterdam"),
        ("DK", "Europe/Copenhagen"),
        ("SG", "Asia/Singapore"),
        ("IL", "Asia/Jerusalem"),
        ("ZA", "Africa/Johannesburg"),
        ("NG", "Africa/Lagos"),
        ("PH", "Asia/Manila"),
        ("CO", "America/Bogota"),
        ("PE", "America/Lima"),
        ("PL", "Europe/Warsaw"),
        ("SE", "Europe/Stockholm"),
        ("CH", "Europe/Zurich"),
        ("PR", "America/Puerto_Rico"),
        ("GU", "Pacific/Guam"),
        ("UA", "Europe/Kyiv"),
        ("KZ", "Asia/Almaty"),
        ("MY", "Asia/Kuala_Lumpur"),
        ("XK", "Europe/Belgrade"),
    ] {
        assert_eq!(country(code), Some(lookup(expected)), "{code}");
    }
}

#[test]
fn countries_with_remote_islands_default_to_the_mainland() {
    assert_eq!(country("ES"), Some("Europe/Madrid"));
    by_region(region("ES", "Canary Islands"), "Atlantic/Canary");
    by_region(region("Spain", "Canarias"), "Atlantic/Canary");
    by_city(
        city("ES", None, "Las Palmas de Gran Canaria"),
        "Atlantic/Canary",
    );
    assert_eq!(
        zone("ES", Some("Madrid"), Some("Madrid")),
        Some(("Europe/Madrid", Derived::Country))
    );

    assert_eq!(country("PT"), Some("Europe/Lisbon"));
    by_region(region("PT", "Açores"), "Atlantic/Azores");
    by_region(region("PT", "Madeira"), "Atlantic/Madeira");
    by_city(city("PT", None, "Funchal"), "Atlantic/Madeira");

    assert_eq!(country("CL"), Some("America/Santiago"));
    by_region(region("CL", "Magallanes"), "America/Punta_Arenas");
    by_region(region("CL", "Aysén"), "America/Coyhaique");
    by_city(
        city("CL", Some("Valparaíso"), "Hanga Roa"),
        "Pacific/Easter",
    );
    by_region(region("CL", "Valparaiso"), "America/Santiago");

    assert_eq!(country("EC"), Some("America/Guayaquil"));
    by_region(region("EC", "Galápagos"), "Pacific/Galapagos");

    assert_eq!(country("NZ"), Some("Pacific/Auckland"));
    by_region(region("NZ", "Chatham Islands"), "Pacific/Chatham");

    assert_eq!(country("PG"), Some("Pacific/Port_Moresby"));
    by_region(region("PG", "Bougainville"), "Pacific/Bougainville");
    assert_eq!(country("KI"), Some("Pacific/Tarawa"));
    by_region(region("KI", "Line Islands"), "Pacific/Kiritimati");
    assert_eq!(country("PF"), Some("Pacific/Tahiti"));
    by_region(region("PF", "Marquesas"), "Pacific/Marquesas");
    by_region(region("UA", "Crimea"), "Europe/Simferopol");
    by_region(region("MY", "Sabah"), "Asia/Kuching");
}

#[test]
fn unknown_or_missing_country_gives_none() {
    assert_eq!(
        zone_for_place(None, Some("CA"), Some("San Francisco")),
        None
    );
    assert_eq!(zone("Atlantis", Some("CA"), None), None);
    assert_eq!(zone("ZZ", None, None), None);
    assert_eq!(zone("", None, None), None);
    assert_eq!(zone("Москва", None, None), None);
}

#[test]
fn multi_zone_countries_without_region_give_none() {
    for code in ["US", "CA", "AU", "BR", "MX", "RU", "ID", "CD", "MN", "FM"] {
        assert_eq!(country(code), None, "{code}");
        assert_eq!(zone(code, Some("Nowhere"), Some("Nowhere")), None, "{code}");
        assert_eq!(zone(code, Some("  "), None), None, "{code}");
    }
}

#[test]
fn us_states_by_code_name_and_iso_code() {
    for spelling in ["CA", "ca", " California ", "CALIFORNIA", "US-CA"] {
        by_region(region("US", spelling), "America/Los_Angeles");
    }
    by_region(region("US", "NY"), "America/New_York");
    by_region(region("US", "Washington"), "America/Los_Angeles");
    by_region(region("US", "Washington, D.C."), "America/New_York");
    by_region(region("US", "DC"), "America/New_York");
    by_region(region("US", "Hawaiʻi"), "Pacific/Honolulu");
    by_region(region("US", "AK"), "America/Anchorage");
    by_region(region("US", "CO"), "America/Denver");
    by_region(region("US", "PR"), "America/Puerto_Rico");
    by_region(region("US", "Guam"), "Pacific/Guam");
    by_region(region("US", "VI"), "America/St_Thomas");
    by_region(region("US", "AS"), "Pacific/Pago_Pago");
    by_region(region("US", "MP"), "Pacific/Saipan");
}

#[test]
fn us_states_spanning_zones_default_to_most_people() {
    for (state, expected) in [
        ("TX", "America/Chicago"),
        ("FL", "America/New_York"),
        ("IN", "America/Indiana/Indianapolis"),
        ("KY", "America/New_York"),
        ("TN", "America/Chicago"),
        ("OR", "America/Los_Angeles"),
        ("ID", "America/Boise"),
        ("ND", "America/Chicago"),
        ("SD", "America/Chicago"),
        ("NE", "America/Chicago"),
        ("KS", "America/Chicago"),
        ("MI", "America/Detroit"),
        ("AZ", "America/Phoenix"),
        ("NV", "America/Los_Angeles"),
    ] {
        by_region(region("US", state), expected);
        by_region(city("US", Some(state), "Somewhere Else"), expected);
    }
}

#[test]
fn us_cities_refine_their_state() {
    by_city(city("US", Some("TX"), "El Paso"), "America/Denver");
    by_region(city("US", Some("TX"), "Houston"), "America/Chicago");
    by_city(city("US", Some("FL"), "Pensacola"), "America/Chicago");
    by_city(city("US", Some("FL"), "Panama City"), "America/Chicago");
    by_region(city("US", Some("FL"), "Tallahassee"), "America/New_York");
    by_city(city("US", Some("TN"), "Knoxville"), "America/New_York");
    by_city(city("US", Some("TN"), "Chattanooga"), "America/New_York");
    by_region(city("US", Some("TN"), "Nashville"), "America/Chicago");
    by_city(
        city("US", Some("KY"), "Louisville"),
        "America/Kentucky/Louisville",
    );
    by_city(city("US", Some("KY"), "Bowling Green"), "America/Chicago");
    by_city(
        city("US", Some("ID"), "Coeur d'Alene"),
        "America/Los_Angeles",
    );
    by_region(city("US", Some("ID"), "Boise"), "America/Boise");
    by_city(city("US", Some("OR"), "Ontario"), "America/Boise");
    by_city(city("US", Some("IN"), "Gary"), "America/Chicago");
    by_city(city("US", Some("IN"), "Evansville"), "America/Chicago");
    by_city(
        city("US", Some("IN"), "Tell City"),
        "America/Indiana/Tell_City",
    );
    by_city(
        city("US", Some("IN"), "Jeffersonville"),
        "America/Kentucky/Louisville",
    );
    by_city(city("US", Some("MI"), "Menominee"), "America/Menominee");
    by_city(city("US", Some("MI"), "Iron Mountain"), "America/Menominee");
    by_city(city("US", Some("AZ"), "Tuba City"), "America/Denver");
    by_city(city("US", Some("AZ"), "Window Rock"), "America/Denver");
    by_region(city("US", Some("SD"), "Sioux Falls"), "America/Chicago");
    by_city(city("US", Some("SD"), "Rapid City"), "America/Denver");
    by_city(city("US", Some("NE"), "Scottsbluff"), "America/Denver");
    by_region(city("US", Some("NE"), "North Platte"), "America/Chicago");
    by_city(city("US", Some("KS"), "Goodland"), "America/Denver");
    by_region(city("US", Some("KS"), "Garden City"), "America/Chicago");
    by_city(city("US", Some("ND"), "Dickinson"), "America/Denver");
    by_city(city("US", Some("AK"), "Juneau"), "America/Juneau");
    by_city(city("US", Some("AK"), "Adak"), "America/Adak");
    by_city(city("US", Some("NV"), "West Wendover"), "America/Denver");
}

#[test]
fn a_well_known_city_settles_a_missing_or_unknown_region() {
    by_city(city("US", None, "Chicago"), "America/Chicago");
    by_city(city("US", None, "  san francisco "), "America/Los_Angeles");
    by_city(
        city("US", Some("Bay Area"), "Palo Alto"),
        "America/Los_Angeles",
    );
    by_city(city("US", None, "St. Louis"), "America/Chicago");
    assert_eq!(city("US", None, "Portland"), None);
    by_city(city("CA", None, "Montréal"), "America/Toronto");
    by_city(city("MX", None, "Tijuana"), "America/Tijuana");
    by_city(city("BR", None, "São Paulo"), "America/Sao_Paulo");
    by_city(city("RU", None, "Novosibirsk"), "Asia/Novosibirsk");
    by_city(city("AU", None, "Perth"), "Australia/Perth");
    by_city(city("ID", None, "Denpasar"), "Asia/Makassar");
}

#[test]
fn canadian_provinces_and_their_exceptions() {
    by_region(region("CA", "ON"), "America/Toronto");
    by_region(region("Canada", "Ontario"), "America/Toronto");
    by_region(city("CA", Some("ON"), "Thunder Bay"), "America/Toronto");
    by_city(city("CA", Some("ON"), "Kenora"), "America/Winnipeg");
    by_city(city("CA", Some("ON"), "Atikokan"), "America/Atikokan");
    by_region(region("CA", "QC"), "America/Toronto");
    by_region(region("CA", "Québec"), "America/Toronto");
    by_region(city("CA", Some("QC"), "Gaspé"), "America/Toronto");
    by_city(
        city("CA", Some("QC"), "Blanc-Sablon"),
        "America/Blanc-Sablon",
    );
    by_city(
        city("CA", Some("QC"), "Îles-de-la-Madeleine"),
        "America/Halifax",
    );
    by_region(region("CA", "BC"), "America/Vancouver");
    by_city(
        city("CA", Some("BC"), "Dawson Creek"),
        "America/Dawson_Creek",
    );
    by_city(
        city("CA", Some("BC"), "Ft. St. John"),
        "America/Dawson_Creek",
    );
    by_city(city("CA", Some("BC"), "Fort Nelson"), "America/Fort_Nelson");
    by_city(city("CA", Some("BC"), "Creston"), "America/Creston");
    by_city(city("CA", Some("BC"), "Cranbrook"), "America/Edmonton");
    by_region(region("CA", "AB"), "America/Edmonton");
    by_region(region("CA", "MB"), "America/Winnipeg");
    by_region(region("CA", "SK"), "America/Regina");
    by_city(city("CA", Some("SK"), "Lloydminster"), "America/Edmonton");
    by_region(region("CA", "NB"), "America/Moncton");
    by_region(region("CA", "NS"), "America/Halifax");
    by_region(region("CA", "PE"), "America/Halifax");
    by_region(region("CA", "NL"), "America/St_Johns");
    by_city(
        city("CA", Some("NL"), "Happy Valley-Goose Bay"),
        "America/Goose_Bay",
    );
    by_region(region("CA", "Labrador"), "America/Goose_Bay");
    by_region(region("CA", "NU"), "America/Iqaluit");
    by_city(
        city("CA", Some("NU"), "Rankin Inlet"),
        "America/Rankin_Inlet",
    );
    by_city(
        city("CA", Some("NU"), "Cambridge Bay"),
        "America/Cambridge_Bay",
    );
    by_region(region("CA", "NT"), "America/Edmonton");
    by_city(city("CA", Some("NT"), "Inuvik"), "America/Inuvik");
    by_region(region("CA", "YT"), "America/Whitehorse");
    by_city(city("CA", None, "St. John's"), "America/St_Johns");
}

#[test]
fn australian_states_and_their_exceptions() {
    by_region(region("AU", "NSW"), "Australia/Sydney");
    by_region(region("Australia", "New South Wales"), "Australia/Sydney");
    by_city(
        city("AU", Some("NSW"), "Broken Hill"),
        "Australia/Broken_Hill",
    );
    by_city(
        city("AU", Some("NSW"), "Lord Howe Island"),
        "Australia/Lord_Howe",
    );
    by_region(region("AU", "ACT"), "Australia/Sydney");
    by_region(region("AU", "VIC"), "Australia/Melbourne");
    by_region(region("AU", "QLD"), "Australia/Brisbane");
    by_region(region("AU", "SA"), "Australia/Adelaide");
    by_region(region("AU", "WA"), "Australia/Perth");
    by_city(city("AU", Some("WA"), "Eucla"), "Australia/Eucla");
    by_region(region("AU", "TAS"), "Australia/Hobart");
    by_region(region("AU", "NT"), "Australia/Darwin");
}

#[test]
fn brazilian_states() {
    by_region(region("BR", "SP"), "America/Sao_Paulo");
    by_region(region("BR", "São Paulo"), "America/Sao_Paulo");
    by_region(region("BR", "Sao Paulo"), "America/Sao_Paulo");
    by_region(region("Brazil", "Estado de São Paulo"), "America/Sao_Paulo");
    by_region(region("BR", "RJ"), "America/Sao_Paulo");
    by_region(region("BR", "Bahia"), "America/Bahia");
    by_region(region("BR", "AM"), "America/Manaus");
    by_city(city("BR", Some("AM"), "Eirunepé"), "America/Eirunepe");
    by_region(region("BR", "Acre"), "America/Rio_Branco");
    by_region(region("BR", "MT"), "America/Cuiaba");
    by_region(region("BR", "MS"), "America/Campo_Grande");
    by_region(region("BR", "Pernambuco"), "America/Recife");
    by_city(
        city("BR", Some("PE"), "Fernando de Noronha"),
        "America/Noronha",
    );
    by_region(region("BR", "Tocantins"), "America/Araguaina");
}

#[test]
fn mexican_states() {
    by_region(region("MX", "CDMX"), "America/Mexico_City");
    by_region(region("MX", "Jalisco"), "America/Mexico_City");
    by_region(region("MX", "Nuevo León"), "America/Monterrey");
    by_region(region("MX", "Quintana Roo"), "America/Cancun");
    by_city(city("MX", None, "Cancún"), "America/Cancun");
    by_region(region("MX", "Baja California"), "America/Tijuana");
    by_region(region("MX", "Baja California Sur"), "America/Mazatlan");
    by_region(region("MX", "Sonora"), "America/Hermosillo");
    by_region(region("MX", "Chihuahua"), "America/Chihuahua");
    by_city(
        city("MX", Some("Chihuahua"), "Ciudad Juárez"),
        "America/Ciudad_Juarez",
    );
    by_city(city("MX", Some("CHH"), "Ojinaga"), "America/Ojinaga");
    by_city(
        city("MX", Some("Tamaulipas"), "Reynosa"),
        "America/Matamoros",
    );
    by_city(
        city("MX", Some("Nayarit"), "Bahía de Banderas"),
        "America/Bahia_Banderas",
    );
    by_region(region("MX", "Yucatán"), "America/Merida");
}

#[test]
fn russian_subjects_reach_all_eleven_zones() {
    for (subject, expected) in [
        ("Kaliningrad Oblast", "Europe/Kaliningrad"),
        ("Moscow", "Europe/Moscow"),
        ("RU-SPE", "Europe/Moscow"),
        ("Samara Oblast", "Europe/Samara"),
        ("Sverdlovsk Oblast", "Asia/Yekaterinburg"),
        ("Omsk", "Asia/Omsk"),
        ("Novosibirsk Oblast", "Asia/Novosibirsk"),
        ("Krasnoyarsk Krai", "Asia/Krasnoyarsk"),
        ("Irkutsk Oblast", "Asia/Irkutsk"),
        ("Sakha (Yakutia) Republic", "Asia/Yakutsk"),
        ("Republic of Tatarstan", "Europe/Moscow"),
        ("Primorsky Krai", "Asia/Vladivostok"),
        ("Magadan Oblast", "Asia/Magadan"),
        ("Sakhalin", "Asia/Sakhalin"),
        ("Kamchatka Krai", "Asia/Kamchatka"),
        ("Chukotka Autonomous Okrug", "Asia/Anadyr"),
        ("Jewish Autonomous Oblast", "Asia/Vladivostok"),
        (
            "Khanty-Mansi Autonomous Okrug – Yugra",
            "Asia/Yekaterinburg",
        ),
    ] {
        by_region(region("RU", subject), expected);
    }
    by_city(city("RU", Some("Sakha"), "Ust-Nera"), "Asia/Ust-Nera");
    by_city(
        city("Russia", Some("SA"), "Srednekolymsk"),
        "Asia/Srednekolymsk",
    );
    by_city(city("RU", None, "Yekaterinburg"), "Asia/Yekaterinburg");
}

#[test]
fn indonesian_kazakh_mongolian_and_congolese_regions() {
    by_region(region("ID", "DKI Jakarta"), "Asia/Jakarta");
    by_region(region("ID", "West Java"), "Asia/Jakarta");
    by_region(region("ID", "Kalimantan Barat"), "Asia/Pontianak");
    by_region(region("ID", "Bali"), "Asia/Makassar");
    by_region(region("ID", "Papua"), "Asia/Jayapura");

    by_region(region("KZ", "Almaty"), "Asia/Almaty");
    by_region(region("KZ", "Atyrau Region"), "Asia/Atyrau");
    by_region(region("KZ", "West Kazakhstan"), "Asia/Oral");

    by_region(region("MN", "Ulaanbaatar"), "Asia/Ulaanbaatar");
    by_region(region("MN", "Khovd"), "Asia/Hovd");

    by_region(region("CD", "Kinshasa"), "Africa/Kinshasa");
    by_region(region("CD", "Haut-Katanga"), "Africa/Lubumbashi");
    by_city(city("CD", None, "Goma"), "Africa/Lubumbashi");

    by_region(region("FM", "Pohnpei"), "Pacific/Pohnpei");
    by_region(region("FM", "Yap"), "Pacific/Chuuk");
    by_region(region("AR", "Mendoza"), "America/Argentina/Mendoza");
}

#[test]
fn derived_serializes_as_snake_case() {
    let json = serde_json::to_string(&[Derived::Country, Derived::Region, Derived::City]).unwrap();
    assert_eq!(json, r#"["country","region","city"]"#);
    let back: Derived = serde_json::from_str(r#""region""#).unwrap();
    assert_eq!(back, Derived::Region);
}
