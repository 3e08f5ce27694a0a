//! Every ISO 3166-1 country: its codes, its English names and, where the country alone
//! settles it, its zone.
//!
//! Zones come from the IANA tz database's `zone.tab` (one row per country and zone). A
//! country with one row gets that zone. A country with several rows gets a zone only
//! when its zones keep the same offset and rules today, or when one zone holds nearly
//! everyone and the others are remote islands; each such choice is commented on its
//! row. Otherwise it gets `None` and the region (see `regions`) has to decide.
//! Overseas territories with their own ISO code (GP, RE, NC, PR, GU…) are separate rows,
//! so FR, NL, DK, GB and US name only their European or mainland zones.
//!
//! Names are the ISO short names, common names and official names plus everyday
//! aliases ("UK", "Great Britain", "Holland", "DRC"), stored normalized (see
//! `super::normalize`). "England", "Scotland" and "Wales" are deliberately absent: they
//! are regions of GB, not countries.

/// One country: lowercase alpha-2 code and the zone the country alone settles on.
pub(super) struct Country {
    pub(super) alpha2: &'static str,
    pub(super) zone: Option<&'static str>,
}

/// Find a country by a normalized alpha-2 code, alpha-3 code or name: binary searches,
/// never a scan of all names.
pub(super) fn find(key: &str) -> Option<&'static Country> {
    let by_code = |alpha2: &str| {
        COUNTRIES
            .binary_search_by(|c| c.alpha2.cmp(alpha2))
            .ok()
            .map(|i| &COUNTRIES[i])
    };
    let alpha2 = match key.len() {
        2 => by_code(key).map(|c| c.alpha2),
        3 => ALPHA3
            .binary_search_by(|(a3, _)| (*a3).cmp(key))
            .ok()
            .map(|i| ALPHA3[i].1),
        _ => None,
    };
    let alpha2 = alpha2.or_else(|| {
        NAMES
            .binary_search_by(|(name, _)| (*name).cmp(key))
            .ok()
            .map(|i| NAMES[i].1)
    })?;
    by_code(alpha2)
}

const fn c(alpha2: &'static str, zone: &'static str) -> Country {
    Country {
        alpha2,
        zone: Some(zone),
    }
}

/// A country with several zones that the country alone does not settle.
const fn regional(alpha2: &'static str) -> Country {
    Country { alpha2, zone: None }
}

/// Every ISO 3166-1 country (plus XK, Kosovo), sorted by alpha-2.
pub(super) static COUNTRIES: &[Country] = &[
    c("ad", "Europe/Andorra"),   // Andorra
    c("ae", "Asia/Dubai"),       // United Arab Emirates
    c("af", "Asia/Kabul"),       // Afghanistan
    c("ag", "America/Antigua"),  // Antigua and Barbuda
    c("ai", "America/Anguilla"), // Anguilla
    c("al", "Europe/Tirane"),    // Albania
    c("am", "Asia/Yerevan"),     // Armenia
    c("ao", "Africa/Luanda"),    // Angola
    regional("aq"),              // Antarctica: research stations on many offsets
    // Argentina: all provincial zones keep UTC-3 without DST; regions refine
    c("ar", "America/Argentina/Buenos_Aires"),
    c("as", "Pacific/Pago_Pago"),     // American Samoa
    c("at", "Europe/Vienna"),         // Austria
    regional("au"),                   // Australia: states decide
    c("aw", "America/Aruba"),         // Aruba
    c("ax", "Europe/Mariehamn"),      // Aland Islands
    c("az", "Asia/Baku"),             // Azerbaijan
    c("ba", "Europe/Sarajevo"),       // Bosnia and Herzegovina
    c("bb", "America/Barbados"),      // Barbados
    c("bd", "Asia/Dhaka"),            // Bangladesh
    c("be", "Europe/Brussels"),       // Belgium
    c("bf", "Africa/Ouagadougou"),    // Burkina Faso
    c("bg", "Europe/Sofia"),          // Bulgaria
    c("bh", "Asia/Bahrain"),          // Bahrain
    c("bi", "Africa/Bujumbura"),      // Burundi
    c("bj", "Africa/Porto-Novo"),     // Benin
    c("bl", "America/St_Barthelemy"), // Saint Barthelemy
    c("bm", "Atlantic/Bermuda"),      // Bermuda
    c("bn", "Asia/Brunei"),           // Brunei Darussalam
    c("bo", "America/La_Paz"),        // Bolivia, Plurinational State of
    c("bq", "America/Kralendijk"),    // Bonaire, Sint Eustatius and Saba
    regional("br"),                   // Brazil: states decide
    c("bs", "America/Nassau"),        // Bahamas
    c("bt", "Asia/Thimphu"),          // Bhutan
    regional("bv"),                   // Bouvet Island: uninhabited; not in zone.tab
    c("bw", "Africa/Gaborone"),       // Botswana
    c("by", "Europe/Minsk"),          // Belarus
    c("bz", "America/Belize"),        // Belize
    regional("ca"),                   // Canada: provinces decide
    c("cc", "Indian/Cocos"),          // Cocos (Keeling) Islands
    // Congo, The Democratic Republic of the: west UTC+1, east UTC+2: provinces decide
    regional("cd"),
    c("cf", "Africa/Bangui"),      // Central African Republic
    c("cg", "Africa/Brazzaville"), // Congo
    c("ch", "Europe/Zurich"),      // Switzerland
    c("ci", "Africa/Abidjan"),     // Cote d'Ivoire
    c("ck", "Pacific/Rarotonga"),  // Cook Islands
    // Chile: Aysén, Magallanes and Easter Island (~3% of people) are settled by region
    c("cl", "America/Santiago"),
    c("cm", "Africa/Douala"), // Cameroon
    // China: Beijing time is the legal time everywhere; Xinjiang's unofficial Asia/Urumqi is
    // not used for work
    c("cn", "Asia/Shanghai"),
    c("co", "America/Bogota"),        // Colombia
    c("cr", "America/Costa_Rica"),    // Costa Rica
    c("cu", "America/Havana"),        // Cuba
    c("cv", "Atlantic/Cape_Verde"),   // Cabo Verde
    c("cw", "America/Curacao"),       // Curacao
    c("cx", "Indian/Christmas"),      // Christmas Island
    c("cy", "Asia/Nicosia"),          // Cyprus: Asia/Famagusta keeps the same offset and rules
    c("cz", "Europe/Prague"),         // Czechia
    c("de", "Europe/Berlin"),         // Germany: Europe/Busingen keeps the same offset and rules
    c("dj", "Africa/Djibouti"),       // Djibouti
    c("dk", "Europe/Copenhagen"),     // Denmark
    c("dm", "America/Dominica"),      // Dominica
    c("do", "America/Santo_Domingo"), // Dominican Republic
    c("dz", "Africa/Algiers"),        // Algeria
    c("ec", "America/Guayaquil"), // Ecuador: mainland; the Galapagos (region) are remote islands
    c("ee", "Europe/Tallinn"),    // Estonia
    c("eg", "Africa/Cairo"),      // Egypt
    c("eh", "Africa/El_Aaiun"),   // Western Sahara
    c("er", "Africa/Asmara"),     // Eritrea
    // Spain: mainland; the Canary Islands (region) are remote islands; Ceuta/Melilla keep
    // Madrid's rules
    c("es", "Europe/Madrid"),
    c("et", "Africa/Addis_Ababa"), // Ethiopia
    c("fi", "Europe/Helsinki"),    // Finland
    c("fj", "Pacific/Fiji"),       // Fiji
    c("fk", "Atlantic/Stanley"),   // Falkland Islands (Malvinas)
    // Micronesia, Federated States of: Yap/Chuuk UTC+10, Pohnpei/Kosrae UTC+11: states decide
    regional("fm"),
    c("fo", "Atlantic/Faroe"),    // Faroe Islands
    c("fr", "Europe/Paris"),      // France
    c("ga", "Africa/Libreville"), // Gabon
    c("gb", "Europe/London"),     // United Kingdom
    c("gd", "America/Grenada"),   // Grenada
    c("ge", "Asia/Tbilisi"),      // Georgia
    c("gf", "America/Cayenne"),   // French Guiana
    c("gg", "Europe/Guernsey"),   // Guernsey
    c("gh", "Africa/Accra"),      // Ghana
    c("gi", "Europe/Gibraltar"),  // Gibraltar
    // Greenland: nearly everyone; Qaanaaq/Pituffik and Danmarkshavn are remote settlements
    // settled by city
    c("gl", "America/Nuuk"),
    c("gm", "Africa/Banjul"),          // Gambia
    c("gn", "Africa/Conakry"),         // Guinea
    c("gp", "America/Guadeloupe"),     // Guadeloupe
    c("gq", "Africa/Malabo"),          // Equatorial Guinea
    c("gr", "Europe/Athens"),          // Greece
    c("gs", "Atlantic/South_Georgia"), // South Georgia and the South Sandwich Islands
    c("gt", "America/Guatemala"),      // Guatemala
    c("gu", "Pacific/Guam"),           // Guam
    c("gw", "Africa/Bissau"),          // Guinea-Bissau
    c("gy", "America/Guyana"),         // Guyana
    c("hk", "Asia/Hong_Kong"),         // Hong Kong
    regional("hm"), // Heard Island and McDonald Islands: uninhabited; not in zone.tab
    c("hn", "America/Tegucigalpa"), // Honduras
    c("hr", "Europe/Zagreb"), // Croatia
    c("ht", "America/Port-au-Prince"), // Haiti
    c("hu", "Europe/Budapest"), // Hungary
    regional("id"), // Indonesia: provinces decide
    c("ie", "Europe/Dublin"), // Ireland
    c("il", "Asia/Jerusalem"), // Israel
    c("im", "Europe/Isle_of_Man"), // Isle of Man
    c("in", "Asia/Kolkata"), // India
    c("io", "Indian/Chagos"), // British Indian Ocean Territory
    c("iq", "Asia/Baghdad"), // Iraq
    c("ir", "Asia/Tehran"), // Iran, Islamic Republic of
    c("is", "Atlantic/Reykjavik"), // Iceland
    c("it", "Europe/Rome"), // Italy
    c("je", "Europe/Jersey"), // Jersey
    c("jm", "America/Jamaica"), // Jamaica
    c("jo", "Asia/Amman"), // Jordan
    c("jp", "Asia/Tokyo"), // Japan
    c("ke", "Africa/Nairobi"), // Kenya
    c("kg", "Asia/Bishkek"), // Kyrgyzstan
    c("kh", "Asia/Phnom_Penh"), // Cambodia
    // Kiribati: the Gilbert Islands hold ~90% of people; the Line and Phoenix Islands are
    // remote (region)
    c("ki", "Pacific/Tarawa"),
    c("km", "Indian/Comoro"),    // Comoros
    c("kn", "America/St_Kitts"), // Saint Kitts and Nevis
    c("kp", "Asia/Pyongyang"),   // Korea, Democratic People's Republic of
    c("kr", "Asia/Seoul"),       // Korea, Republic of
    c("kw", "Asia/Kuwait"),      // Kuwait
    c("ky", "America/Cayman"),   // Cayman Islands
    // Kazakhstan: all zones keep UTC+5 without DST since March 2024; regions refine
    c("kz", "Asia/Almaty"),
    c("la", "Asia/Vientiane"),      // Lao People's Democratic Republic
    c("lb", "Asia/Beirut"),         // Lebanon
    c("lc", "America/St_Lucia"),    // Saint Lucia
    c("li", "Europe/Vaduz"),        // Liechtenstein
    c("lk", "Asia/Colombo"),        // Sri Lanka
    c("lr", "Africa/Monrovia"),     // Liberia
    c("ls", "Africa/Maseru"),       // Lesotho
    c("lt", "Europe/Vilnius"),      // Lithuania
    c("lu", "Europe/Luxembourg"),   // Luxembourg
    c("lv", "Europe/Riga"),         // Latvia
    c("ly", "Africa/Tripoli"),      // Libya
    c("ma", "Africa/Casablanca"),   // Morocco
    c("mc", "Europe/Monaco"),       // Monaco
    c("md", "Europe/Chisinau"),     // Moldova, Republic of
    c("me", "Europe/Podgorica"),    // Montenegro
    c("mf", "America/Marigot"),     // Saint Martin (French part)
    c("mg", "Indian/Antananarivo"), // Madagascar
    // Marshall Islands: Pacific/Kwajalein keeps the same offset and rules
    c("mh", "Pacific/Majuro"),
    c("mk", "Europe/Skopje"),      // North Macedonia
    c("ml", "Africa/Bamako"),      // Mali
    c("mm", "Asia/Yangon"),        // Myanmar
    regional("mn"),                // Mongolia: the western aimags keep UTC+7: provinces decide
    c("mo", "Asia/Macau"),         // Macao
    c("mp", "Pacific/Saipan"),     // Northern Mariana Islands
    c("mq", "America/Martinique"), // Martinique
    c("mr", "Africa/Nouakchott"),  // Mauritania
    c("ms", "America/Montserrat"), // Montserrat
    c("mt", "Europe/Malta"),       // Malta
    c("mu", "Indian/Mauritius"),   // Mauritius
    c("mv", "Indian/Maldives"),    // Maldives
    c("mw", "Africa/Blantyre"),    // Malawi
    regional("mx"),                // Mexico: states decide
    // Malaysia: Asia/Kuching (Sabah, Sarawak) keeps the same offset and rules
    c("my", "Asia/Kuala_Lumpur"),
    c("mz", "Africa/Maputo"),    // Mozambique
    c("na", "Africa/Windhoek"),  // Namibia
    c("nc", "Pacific/Noumea"),   // New Caledonia
    c("ne", "Africa/Niamey"),    // Niger
    c("nf", "Pacific/Norfolk"),  // Norfolk Island
    c("ng", "Africa/Lagos"),     // Nigeria
    c("ni", "America/Managua"),  // Nicaragua
    c("nl", "Europe/Amsterdam"), // Netherlands
    c("no", "Europe/Oslo"),      // Norway
    c("np", "Asia/Kathmandu"),   // Nepal
    c("nr", "Pacific/Nauru"),    // Nauru
    c("nu", "Pacific/Niue"),     // Niue
    c("nz", "Pacific/Auckland"), // New Zealand: the Chatham Islands (region) are remote islands
    c("om", "Asia/Muscat"),      // Oman
    c("pa", "America/Panama"),   // Panama
    c("pe", "America/Lima"),     // Peru
    // French Polynesia: the Society Islands hold ~90% of people; the Marquesas and Gambier are
    // remote (region)
    c("pf", "Pacific/Tahiti"),
    // Papua New Guinea: Bougainville (region) is a remote island region
    c("pg", "Pacific/Port_Moresby"),
    c("ph", "Asia/Manila"),         // Philippines
    c("pk", "Asia/Karachi"),        // Pakistan
    c("pl", "Europe/Warsaw"),       // Poland
    c("pm", "America/Miquelon"),    // Saint Pierre and Miquelon
    c("pn", "Pacific/Pitcairn"),    // Pitcairn
    c("pr", "America/Puerto_Rico"), // Puerto Rico
    // Palestine, State of: West Bank, most people; Asia/Gaza keeps the same offset and rules
    c("ps", "Asia/Hebron"),
    // Portugal: mainland; the Azores and Madeira (regions) are remote islands
    c("pt", "Europe/Lisbon"),
    c("pw", "Pacific/Palau"),         // Palau
    c("py", "America/Asuncion"),      // Paraguay
    c("qa", "Asia/Qatar"),            // Qatar
    c("re", "Indian/Reunion"),        // Reunion
    c("ro", "Europe/Bucharest"),      // Romania
    c("rs", "Europe/Belgrade"),       // Serbia
    regional("ru"),                   // Russian Federation: federal subjects decide
    c("rw", "Africa/Kigali"),         // Rwanda
    c("sa", "Asia/Riyadh"),           // Saudi Arabia
    c("sb", "Pacific/Guadalcanal"),   // Solomon Islands
    c("sc", "Indian/Mahe"),           // Seychelles
    c("sd", "Africa/Khartoum"),       // Sudan
    c("se", "Europe/Stockholm"),      // Sweden
    c("sg", "Asia/Singapore"),        // Singapore
    c("sh", "Atlantic/St_Helena"),    // Saint Helena, Ascension and Tristan da Cunha
    c("si", "Europe/Ljubljana"),      // Slovenia
    c("sj", "Arctic/Longyearbyen"),   // Svalbard and Jan Mayen
    c("sk", "Europe/Bratislava"),     // Slovakia
    c("sl", "Africa/Freetown"),       // Sierra Leone
    c("sm", "Europe/San_Marino"),     // San Marino
    c("sn", "Africa/Dakar"),          // Senegal
    c("so", "Africa/Mogadishu"),      // Somalia
    c("sr", "America/Paramaribo"),    // Suriname
    c("ss", "Africa/Juba"),           // South Sudan
    c("st", "Africa/Sao_Tome"),       // Sao Tome and Principe
    c("sv", "America/El_Salvador"),   // El Salvador
    c("sx", "America/Lower_Princes"), // Sint Maarten (Dutch part)
    c("sy", "Asia/Damascus"),         // Syrian Arab Republic
    c("sz", "Africa/Mbabane"),        // Eswatini
    c("tc", "America/Grand_Turk"),    // Turks and Caicos Islands
    c("td", "Africa/Ndjamena"),       // Chad
    c("tf", "Indian/Kerguelen"),      // French Southern Territories
    c("tg", "Africa/Lome"),           // Togo
    c("th", "Asia/Bangkok"),          // Thailand
    c("tj", "Asia/Dushanbe"),         // Tajikistan
    c("tk", "Pacific/Fakaofo"),       // Tokelau
    c("tl", "Asia/Dili"),             // Timor-Leste
    c("tm", "Asia/Ashgabat"),         // Turkmenistan
    c("tn", "Africa/Tunis"),          // Tunisia
    c("to", "Pacific/Tongatapu"),     // Tonga
    c("tr", "Europe/Istanbul"),       // Türkiye
    c("tt", "America/Port_of_Spain"), // Trinidad and Tobago
    c("tv", "Pacific/Funafuti"),      // Tuvalu
    c("tw", "Asia/Taipei"),           // Taiwan, Province of China
    c("tz", "Africa/Dar_es_Salaam"),  // Tanzania, United Republic of
    // Ukraine: Crimea (region) keeps Moscow time under occupation; employers' Ukrainian sites
    // use Kyiv time
    c("ua", "Europe/Kyiv"),
    c("ug", "Africa/Kampala"),      // Uganda
    regional("um"), // United States Minor Outlying Islands: Midway and Wake keep different offsets
    regional("us"), // United States: states decide
    c("uy", "America/Montevideo"), // Uruguay
    c("uz", "Asia/Tashkent"), // Uzbekistan: Asia/Samarkand keeps the same offset and rules
    c("va", "Europe/Vatican"), // Holy See (Vatican City State)
    c("vc", "America/St_Vincent"), // Saint Vincent and the Grenadines
    c("ve", "America/Caracas"), // Venezuela, Bolivarian Republic of
    c("vg", "America/Tortola"), // Virgin Islands, British
    c("vi", "America/St_Thomas"), // Virgin Islands, U.S.
    c("vn", "Asia/Ho_Chi_Minh"), // Viet Nam
    c("vu", "Pacific/Efate"), // Vanuatu
    c("wf", "Pacific/Wallis"), // Wallis and Futuna
    c("ws", "Pacific/Apia"), // Samoa
    c("xk", "Europe/Belgrade"), // Kosovo: user-assigned code; Kosovo keeps Belgrade's time
    c("ye", "Asia/Aden"), // Yemen
    c("yt", "Indian/Mayotte"), // Mayotte
    c("za", "Africa/Johannesburg"), // South Africa
    c("zm", "Africa/Lusaka"), // Zambia
    c("zw", "Africa/Harare"), // Zimbabwe
];

/// Alpha-3 code → alpha-2 code, sorted by alpha-3.
#[rustfmt::skip]
pub(super) static ALPHA3: &[(&str, &str)] = &[
    ("abw", "aw"), ("afg", "af"), ("ago", "ao"), ("aia", "ai"), ("ala", "ax"), ("alb", "al"),
    ("and", "ad"), ("are", "ae"), ("arg", "ar"), ("arm", "am"), ("asm", "as"), ("ata", "aq"),
    ("atf", "tf"), ("atg", "ag"), ("aus", "au"), ("aut", "at"), ("aze", "az"), ("bdi", "bi"),
    ("bel", "be"), ("ben", "bj"), ("bes", "bq"), ("bfa", "bf"), ("bgd", "bd"), ("bgr", "bg"),
    ("bhr", "bh"), ("bhs", "bs"), ("bih", "ba"), ("blm", "bl"), ("blr", "by"), ("blz", "bz"),
    ("bmu", "bm"), ("bol", "bo"), ("bra", "br"), ("brb", "bb"), ("brn", "bn"), ("btn", "bt"),
    ("bvt", "bv"), ("bwa", "bw"), ("caf", "cf"), ("can", "ca"), ("cck", "cc"), ("che", "ch"),
    ("chl", "cl"), ("chn", "cn"), ("civ", "ci"), ("cmr", "cm"), ("cod", "cd"), ("cog", "cg"),
    ("cok", "ck"), ("col", "co"), ("com", "km"), ("cpv", "cv"), ("cri", "cr"), ("cub", "cu"),
    ("cuw", "cw"), ("cxr", "cx"), ("cym", "ky"), ("cyp", "cy"), ("cze", "cz"), ("deu", "de"),
    ("dji", "dj"), ("dma", "dm"), ("dnk", "dk"), ("dom", "do"), ("dza", "dz"), ("ecu", "ec"),
    ("egy", "eg"), ("eri", "er"), ("esh", "eh"), ("esp", "es"), ("est", "ee"), ("eth", "et"),
    ("fin", "fi"), ("fji", "fj"), ("flk", "fk"), ("fra", "fr"), ("fro", "fo"), ("fsm", "fm"),
    ("gab", "ga"), ("gbr", "gb"), ("geo", "ge"), ("ggy", "gg"), ("gha", "gh"), ("gib", "gi"),
    ("gin", "gn"), ("glp", "gp"), ("gmb", "gm"), ("gnb", "gw"), ("gnq", "gq"), ("grc", "gr"),
    ("grd", "gd"), ("grl", "gl"), ("gtm", "gt"), ("guf", "gf"), ("gum", "gu"), ("guy", "gy"),
    ("hkg", "hk"), ("hmd", "hm"), ("hnd", "hn"), ("hrv", "hr"), ("hti", "ht"), ("hun", "hu"),
    ("idn", "id"), ("imn", "im"), ("ind", "in"), ("iot", "io"), ("irl", "ie"), ("irn", "ir"),
    ("irq", "iq"), ("isl", "is"), ("isr", "il"), ("ita", "it"), ("jam", "jm"), ("jey", "je"),
    ("jor", "jo"), ("jpn", "jp"), ("kaz", "kz"), ("ken", "ke"), ("kgz", "kg"), ("khm", "kh"),
    ("kir", "ki"), ("kna", "kn"), ("kor", "kr"), ("kwt", "kw"), ("lao", "la"), ("lbn", "lb"),
    ("lbr", "lr"), ("lby", "ly"), ("lca", "lc"), ("lie", "li"), ("lka", "lk"), ("lso", "ls"),
    ("ltu", "lt"), ("lux", "lu"), ("lva", "lv"), ("mac", "mo"), ("maf", "mf"), ("mar", "ma"),
    ("mco", "mc"), ("mda", "md"), ("mdg", "mg"), ("mdv", "mv"), ("mex", "mx"), ("mhl", "mh"),
    ("mkd", "mk"), ("mli", "ml"), ("mlt", "mt"), ("mmr", "mm"), ("mne", "me"), ("mng", "mn"),
    ("mnp", "mp"), ("moz", "mz"), ("mrt", "mr"), ("msr", "ms"), ("mtq", "mq"), ("mus", "mu"),
    ("mwi", "mw"), ("mys", "my"), ("myt", "yt"), ("nam", "na"), ("ncl", "nc"), ("ner", "ne"),
    ("nfk", "nf"), ("nga", "ng"), ("nic", "ni"), ("niu", "nu"), ("nld", "nl"), ("nor", "no"),
    ("npl", "np"), ("nru", "nr"), ("nzl", "nz"), ("omn", "om"), ("pak", "pk"), ("pan", "pa"),
    ("pcn", "pn"), ("per", "pe"), ("phl", "ph"), ("plw", "pw"), ("png", "pg"), ("pol", "pl"),
    ("pri", "pr"), ("prk", "kp"), ("prt", "pt"), ("pry", "py"), ("pse", "ps"), ("pyf", "pf"),
    ("qat", "qa"), ("reu", "re"), ("rou", "ro"), ("rus", "ru"), ("rwa", "rw"), ("sau", "sa"),
    ("sdn", "sd"), ("sen", "sn"), ("sgp", "sg"), ("sgs", "gs"), ("shn", "sh"), ("sjm", "sj"),
    ("slb", "sb"), ("sle", "sl"), ("slv", "sv"), ("smr", "sm"), ("som", "so"), ("spm", "pm"),
    ("srb", "rs"), ("ssd", "ss"), ("stp", "st"), ("sur", "sr"), ("svk", "sk"), ("svn", "si"),
    ("swe", "se"), ("swz", "sz"), ("sxm", "sx"), ("syc", "sc"), ("syr", "sy"), ("tca", "tc"),
    ("tcd", "td"), ("tgo", "tg"), ("tha", "th"), ("tjk", "tj"), ("tkl", "tk"), ("tkm", "tm"),
    ("tls", "tl"), ("ton", "to"), ("tto", "tt"), ("tun", "tn"), ("tur", "tr"), ("tuv", "tv"),
    ("twn", "tw"), ("tza", "tz"), ("uga", "ug"), ("ukr", "ua"), ("umi", "um"), ("ury", "uy"),
    ("usa", "us"), ("uzb", "uz"), ("vat", "va"), ("vct", "vc"), ("ven", "ve"), ("vgb", "vg"),
    ("vir", "vi"), ("vnm", "vn"), ("vut", "vu"), ("wlf", "wf"), ("wsm", "ws"), ("xkx", "xk"),
    ("yem", "ye"), ("zaf", "za"), ("zmb", "zm"), ("zwe", "zw"),
];

/// Normalized English name or alias → alpha-2 code, sorted by name.
pub(super) static NAMES: &[(&str, &str)] = &[
    ("afghanistan", "af"),
    ("aland", "ax"),
    ("aland islands", "ax"),
    ("albania", "al"),
    ("algeria", "dz"),
    ("america", "us"),
    ("american samoa", "as"),
    ("andorra", "ad"),
    ("angola", "ao"),
    ("anguilla", "ai"),
    ("antarctica", "aq"),
    ("antigua", "ag"),
    ("antigua and barbuda", "ag"),
    ("arab republic of egypt", "eg"),
    ("argentina", "ar"),
    ("argentine republic", "ar"),
    ("armenia", "am"),
    ("aruba", "aw"),
    ("australia", "au"),
    ("austria", "at"),
    ("azerbaijan", "az"),
    ("bahamas", "bs"),
    ("bahrain", "bh"),
    ("bangladesh", "bd"),
    ("barbados", "bb"),
    ("belarus", "by"),
    ("belgium", "be"),
    ("belize", "bz"),
    ("benin", "bj"),
    ("bermuda", "bm"),
    ("bhutan", "bt"),
    ("bolivarian republic of venezuela", "ve"),
    ("bolivia", "bo"),
    ("bolivia plurinational state of", "bo"),
    ("bonaire", "bq"),
    ("bonaire sint eustatius and saba", "bq"),
    ("bosnia", "ba"),
    ("bosnia and herzegovina", "ba"),
    ("bosnia herzegovina", "ba"),
    ("botswana", "bw"),
    ("bouvet island", "bv"),
    ("brazil", "br"),
    ("britain", "gb"),
    ("british indian ocean territory", "io"),
    ("british virgin islands", "vg"),
    ("brunei", "bn"),
    ("brunei darussalam", "bn"),
    ("bulgaria", "bg"),
    ("burkina faso", "bf"),
    ("burma", "mm"),
    ("burundi", "bi"),
    ("bvi", "vg"),
    ("cabo verde", "cv"),
    ("cambodia", "kh"),
    ("cameroon", "cm"),
    ("canada", "ca"),
    ("cape verde", "cv"),
    ("caribbean netherlands", "bq"),
    ("cayman islands", "ky"),
    ("central african republic", "cf"),
    ("chad", "td"),
    ("chagos islands", "io"),
    ("chile", "cl"),
    ("china", "cn"),
    ("christmas island", "cx"),
    ("cocos", "cc"),
    ("cocos islands", "cc"),
    ("cocos keeling islands", "cc"),
    ("colombia", "co"),
    ("commonwealth of dominica", "dm"),
    ("commonwealth of the bahamas", "bs"),
    ("commonwealth of the northern mariana islands", "mp"),
    ("comoros", "km"),
    ("congo", "cg"),
    ("congo brazzaville", "cg"),
    ("congo democratic republic of the", "cd"),
    ("congo kinshasa", "cd"),
    ("congo republic", "cg"),
    ("congo the democratic republic of the", "cd"),
    ("cook islands", "ck"),
    ("costa rica", "cr"),
    ("cote divoire", "ci"),
    ("croatia", "hr"),
    ("cuba", "cu"),
    ("curacao", "cw"),
    ("cyprus", "cy"),
    ("czech republic", "cz"),
    ("czechia", "cz"),
    ("d r congo", "cd"),
    ("democratic peoples republic of korea", "kp"),
    ("democratic republic of congo", "cd"),
    ("democratic republic of sao tome and principe", "st"),
    ("democratic republic of the congo", "cd"),
    ("democratic republic of timor leste", "tl"),
    ("democratic socialist republic of sri lanka", "lk"),
    ("denmark", "dk"),
    ("djibouti", "dj"),
    ("dominica", "dm"),
    ("dominican republic", "do"),
    ("dprk", "kp"),
    ("dr congo", "cd"),
    ("drc", "cd"),
    ("east timor", "tl"),
    ("eastern republic of uruguay", "uy"),
    ("ecuador", "ec"),
    ("egypt", "eg"),
    ("eire", "ie"),
    ("el salvador", "sv"),
    ("emirates", "ae"),
    ("equatorial guinea", "gq"),
    ("eritrea", "er"),
    ("estonia", "ee"),
    ("eswatini", "sz"),
    ("ethiopia", "et"),
    ("falkland islands", "fk"),
    ("falkland islands malvinas", "fk"),
    ("falklands", "fk"),
    ("faroe islands", "fo"),
    ("federal democratic republic of ethiopia", "et"),
    ("federal democratic republic of nepal", "np"),
    ("federal republic of germany", "de"),
    ("federal republic of nigeria", "ng"),
    ("federal republic of somalia", "so"),
    ("federated states of micronesia", "fm"),
    ("federative republic of brazil", "br"),
    ("fiji", "fj"),
    ("finland", "fi"),
    ("france", "fr"),
    ("french guiana", "gf"),
    ("french polynesia", "pf"),
    ("french republic", "fr"),
    ("french southern territories", "tf"),
    ("gabon", "ga"),
    ("gabonese republic", "ga"),
    ("gambia", "gm"),
    ("georgia", "ge"),
    ("georgia country", "ge"),
    ("germany", "de"),
    ("ghana", "gh"),
    ("gibraltar", "gi"),
    ("grand duchy of luxembourg", "lu"),
    ("great britain", "gb"),
    ("greece", "gr"),
    ("greenland", "gl"),
    ("grenada", "gd"),
    ("guadeloupe", "gp"),
    ("guam", "gu"),
    ("guatemala", "gt"),
    ("guernsey", "gg"),
    ("guinea", "gn"),
    ("guinea bissau", "gw"),
    ("guyana", "gy"),
    ("haiti", "ht"),
    ("hashemite kingdom of jordan", "jo"),
    ("heard island and mcdonald islands", "hm"),
    ("hellenic republic", "gr"),
    ("holland", "nl"),
    ("holy see", "va"),
    ("holy see vatican city state", "va"),
    ("honduras", "hn"),
    ("hong kong", "hk"),
    ("hong kong sar", "hk"),
    ("hong kong special administrative region of china", "hk"),
    ("hongkong", "hk"),
    ("hungary", "hu"),
    ("iceland", "is"),
    ("independent state of papua new guinea", "pg"),
    ("independent state of samoa", "ws"),
    ("india", "in"),
    ("indonesia", "id"),
    ("iran", "ir"),
    ("iran islamic republic of", "ir"),
    ("iraq", "iq"),
    ("ireland", "ie"),
    ("islamic republic of afghanistan", "af"),
    ("islamic republic of iran", "ir"),
    ("islamic republic of mauritania", "mr"),
    ("islamic republic of pakistan", "pk"),
    ("isle of man", "im"),
    ("israel", "il"),
    ("italian republic", "it"),
    ("italy", "it"),
    ("ivory coast", "ci"),
    ("jamaica", "jm"),
    ("japan", "jp"),
    ("jersey", "je"),
    ("jordan", "jo"),
    ("kazakhstan", "kz"),
    ("keeling islands", "cc"),
    ("kenya", "ke"),
    ("kingdom of bahrain", "bh"),
    ("kingdom of belgium", "be"),
    ("kingdom of bhutan", "bt"),
    ("kingdom of cambodia", "kh"),
    ("kingdom of denmark", "dk"),
    ("kingdom of eswatini", "sz"),
    ("kingdom of lesotho", "ls"),
    ("kingdom of morocco", "ma"),
    ("kingdom of norway", "no"),
    ("kingdom of saudi arabia", "sa"),
    ("kingdom of spain", "es"),
    ("kingdom of sweden", "se"),
    ("kingdom of thailand", "th"),
    ("kingdom of the netherlands", "nl"),
    ("kingdom of tonga", "to"),
    ("kiribati", "ki"),
    ("korea", "kr"),
    ("korea democratic peoples republic of", "kp"),
    ("korea north", "kp"),
    ("korea republic", "kr"),
    ("korea republic of", "kr"),
    ("korea south", "kr"),
    ("kosovo", "xk"),
    ("ksa", "sa"),
    ("kuwait", "kw"),
    ("kyrgyz republic", "kg"),
    ("kyrgyzstan", "kg"),
    ("lao pdr", "la"),
    ("lao peoples democratic republic", "la"),
    ("laos", "la"),
    ("latvia", "lv"),
    ("lebanese republic", "lb"),
    ("lebanon", "lb"),
    ("lesotho", "ls"),
    ("liberia", "lr"),
    ("libya", "ly"),
    ("liechtenstein", "li"),
    ("lithuania", "lt"),
    ("luxembourg", "lu"),
    ("macao", "mo"),
    ("macao sar", "mo"),
    ("macao special administrative region of china", "mo"),
    ("macau", "mo"),
    ("macau sar", "mo"),
    ("macedonia", "mk"),
    ("madagascar", "mg"),
    ("mainland china", "cn"),
    ("malawi", "mw"),
    ("malaysia", "my"),
    ("maldives", "mv"),
    ("mali", "ml"),
    ("malta", "mt"),
    ("marshall islands", "mh"),
    ("martinique", "mq"),
    ("mauritania", "mr"),
    ("mauritius", "mu"),
    ("mayotte", "yt"),
    ("mexico", "mx"),
    ("micronesia", "fm"),
    ("micronesia federated states of", "fm"),
    ("moldova", "md"),
    ("moldova republic of", "md"),
    ("monaco", "mc"),
    ("mongolia", "mn"),
    ("montenegro", "me"),
    ("montserrat", "ms"),
    ("morocco", "ma"),
    ("mozambique", "mz"),
    ("myanmar", "mm"),
    ("namibia", "na"),
    ("nauru", "nr"),
    ("nepal", "np"),
    ("netherlands", "nl"),
    ("new caledonia", "nc"),
    ("new zealand", "nz"),
    ("nicaragua", "ni"),
    ("niger", "ne"),
    ("nigeria", "ng"),
    ("niue", "nu"),
    ("norfolk island", "nf"),
    ("north korea", "kp"),
    ("north macedonia", "mk"),
    ("northern mariana islands", "mp"),
    ("norway", "no"),
    ("oman", "om"),
    ("pakistan", "pk"),
    ("palau", "pw"),
    ("palestine", "ps"),
    ("palestine state of", "ps"),
    ("palestinian territories", "ps"),
    ("panama", "pa"),
    ("papua new guinea", "pg"),
    ("paraguay", "py"),
    ("peoples democratic republic of algeria", "dz"),
    ("peoples republic of bangladesh", "bd"),
    ("peoples republic of china", "cn"),
    ("peru", "pe"),
    ("philippines", "ph"),
    ("pitcairn", "pn"),
    ("pitcairn islands", "pn"),
    ("plurinational state of bolivia", "bo"),
    ("poland", "pl"),
    ("portugal", "pt"),
    ("portuguese republic", "pt"),
    ("prc", "cn"),
    ("principality of andorra", "ad"),
    ("principality of liechtenstein", "li"),
    ("principality of monaco", "mc"),
    ("puerto rico", "pr"),
    ("qatar", "qa"),
    ("republic of albania", "al"),
    ("republic of angola", "ao"),
    ("republic of armenia", "am"),
    ("republic of austria", "at"),
    ("republic of azerbaijan", "az"),
    ("republic of belarus", "by"),
    ("republic of benin", "bj"),
    ("republic of bosnia and herzegovina", "ba"),
    ("republic of botswana", "bw"),
    ("republic of bulgaria", "bg"),
    ("republic of burundi", "bi"),
    ("republic of cabo verde", "cv"),
    ("republic of cameroon", "cm"),
    ("republic of chad", "td"),
    ("republic of chile", "cl"),
    ("republic of china", "tw"),
    ("republic of colombia", "co"),
    ("republic of costa rica", "cr"),
    ("republic of cote divoire", "ci"),
    ("republic of croatia", "hr"),
    ("republic of cuba", "cu"),
    ("republic of cyprus", "cy"),
    ("republic of djibouti", "dj"),
    ("republic of ecuador", "ec"),
    ("republic of el salvador", "sv"),
    ("republic of equatorial guinea", "gq"),
    ("republic of estonia", "ee"),
    ("republic of fiji", "fj"),
    ("republic of finland", "fi"),
    ("republic of ghana", "gh"),
    ("republic of guatemala", "gt"),
    ("republic of guinea", "gn"),
    ("republic of guinea bissau", "gw"),
    ("republic of guyana", "gy"),
    ("republic of haiti", "ht"),
    ("republic of honduras", "hn"),
    ("republic of iceland", "is"),
    ("republic of india", "in"),
    ("republic of indonesia", "id"),
    ("republic of iraq", "iq"),
    ("republic of ireland", "ie"),
    ("republic of kazakhstan", "kz"),
    ("republic of kenya", "ke"),
    ("republic of kiribati", "ki"),
    ("republic of korea", "kr"),
    ("republic of latvia", "lv"),
    ("republic of liberia", "lr"),
    ("republic of lithuania", "lt"),
    ("republic of madagascar", "mg"),
    ("republic of malawi", "mw"),
    ("republic of maldives", "mv"),
    ("republic of mali", "ml"),
    ("republic of malta", "mt"),
    ("republic of mauritius", "mu"),
    ("republic of moldova", "md"),
    ("republic of mozambique", "mz"),
    ("republic of myanmar", "mm"),
    ("republic of namibia", "na"),
    ("republic of nauru", "nr"),
    ("republic of nicaragua", "ni"),
    ("republic of north macedonia", "mk"),
    ("republic of palau", "pw"),
    ("republic of panama", "pa"),
    ("republic of paraguay", "py"),
    ("republic of peru", "pe"),
    ("republic of poland", "pl"),
    ("republic of san marino", "sm"),
    ("republic of senegal", "sn"),
    ("republic of serbia", "rs"),
    ("republic of seychelles", "sc"),
    ("republic of sierra leone", "sl"),
    ("republic of singapore", "sg"),
    ("republic of slovenia", "si"),
    ("republic of south africa", "za"),
    ("republic of south sudan", "ss"),
    ("republic of suriname", "sr"),
    ("republic of tajikistan", "tj"),
    ("republic of the congo", "cg"),
    ("republic of the gambia", "gm"),
    ("republic of the marshall islands", "mh"),
    ("republic of the niger", "ne"),
    ("republic of the philippines", "ph"),
    ("republic of the sudan", "sd"),
    ("republic of trinidad and tobago", "tt"),
    ("republic of tunisia", "tn"),
    ("republic of turkiye", "tr"),
    ("republic of uganda", "ug"),
    ("republic of uzbekistan", "uz"),
    ("republic of vanuatu", "vu"),
    ("republic of yemen", "ye"),
    ("republic of zambia", "zm"),
    ("republic of zimbabwe", "zw"),
    ("reunion", "re"),
    ("romania", "ro"),
    ("russia", "ru"),
    ("russian federation", "ru"),
    ("rwanda", "rw"),
    ("rwandese republic", "rw"),
    ("saint barthelemy", "bl"),
    ("saint barts", "bl"),
    ("saint helena", "sh"),
    ("saint helena ascension and tristan da cunha", "sh"),
    ("saint kitts", "kn"),
    ("saint kitts and nevis", "kn"),
    ("saint lucia", "lc"),
    ("saint martin", "mf"),
    ("saint martin french part", "mf"),
    ("saint pierre and miquelon", "pm"),
    ("saint vincent", "vc"),
    ("saint vincent and grenadines", "vc"),
    ("saint vincent and the grenadines", "vc"),
    ("samoa", "ws"),
    ("san marino", "sm"),
    ("sao tome", "st"),
    ("sao tome and principe", "st"),
    ("saudi arabia", "sa"),
    ("senegal", "sn"),
    ("serbia", "rs"),
    ("seychelles", "sc"),
    ("sierra leone", "sl"),
    ("singapore", "sg"),
    ("sint maarten", "sx"),
    ("sint maarten dutch part", "sx"),
    ("slovak republic", "sk"),
    ("slovakia", "sk"),
    ("slovenia", "si"),
    ("socialist republic of viet nam", "vn"),
    ("solomon islands", "sb"),
    ("somalia", "so"),
    ("south africa", "za"),
    ("south georgia", "gs"),
    ("south georgia and the south sandwich islands", "gs"),
    ("south korea", "kr"),
    ("south sudan", "ss"),
    ("spain", "es"),
    ("sri lanka", "lk"),
    ("state of israel", "il"),
    ("state of kuwait", "kw"),
    ("state of palestine", "ps"),
    ("state of qatar", "qa"),
    ("sudan", "sd"),
    ("sultanate of oman", "om"),
    ("suriname", "sr"),
    ("svalbard", "sj"),
    ("svalbard and jan mayen", "sj"),
    ("swaziland", "sz"),
    ("sweden", "se"),
    ("swiss confederation", "ch"),
    ("switzerland", "ch"),
    ("syria", "sy"),
    ("syrian arab republic", "sy"),
    ("taiwan", "tw"),
    ("taiwan province of china", "tw"),
    ("tajikistan", "tj"),
    ("tanzania", "tz"),
    ("tanzania united republic of", "tz"),
    ("thailand", "th"),
    ("the bahamas", "bs"),
    ("the gambia", "gm"),
    ("the netherlands", "nl"),
    ("the philippines", "ph"),
    ("the state of eritrea", "er"),
    ("the state of palestine", "ps"),
    ("timor leste", "tl"),
    ("togo", "tg"),
    ("togolese republic", "tg"),
    ("tokelau", "tk"),
    ("tonga", "to"),
    ("trinidad", "tt"),
    ("trinidad and tobago", "tt"),
    ("tunisia", "tn"),
    ("turkey", "tr"),
    ("turkiye", "tr"),
    ("turkmenistan", "tm"),
    ("turks and caicos islands", "tc"),
    ("tuvalu", "tv"),
    ("u a e", "ae"),
    ("u k", "gb"),
    ("u s", "us"),
    ("u s a", "us"),
    ("u s minor outlying islands", "um"),
    ("u s virgin islands", "vi"),
    ("uae", "ae"),
    ("uganda", "ug"),
    ("uk", "gb"),
    ("ukraine", "ua"),
    ("union of the comoros", "km"),
    ("united arab emirates", "ae"),
    ("united kingdom", "gb"),
    ("united kingdom of great britain and northern ireland", "gb"),
    ("united mexican states", "mx"),
    ("united republic of tanzania", "tz"),
    ("united states", "us"),
    ("united states minor outlying islands", "um"),
    ("united states of america", "us"),
    ("united states virgin islands", "vi"),
    ("uruguay", "uy"),
    ("us minor outlying islands", "um"),
    ("us of a", "us"),
    ("us virgin islands", "vi"),
    ("usvi", "vi"),
    ("uzbekistan", "uz"),
    ("vanuatu", "vu"),
    ("vatican", "va"),
    ("vatican city", "va"),
    ("venezuela", "ve"),
    ("venezuela bolivarian republic of", "ve"),
    ("viet nam", "vn"),
    ("vietnam", "vn"),
    ("virgin islands british", "vg"),
    ("virgin islands of the united states", "vi"),
    ("virgin islands u s", "vi"),
    ("wallis and futuna", "wf"),
    ("wallis and futuna islands", "wf"),
    ("western sahara", "eh"),
    ("yemen", "ye"),
    ("zaire", "cd"),
    ("zambia", "zm"),
    ("zimbabwe", "zw"),
];
