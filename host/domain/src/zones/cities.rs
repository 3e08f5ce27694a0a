//! Well-known cities, used when the region is missing or unknown.
//!
//! For a country that spans zones these are its large cities; for a country with one
//! main zone, only the places that keep another (the Canary Islands, Sabah…). A name
//! shared by cities in different zones of one country ("Portland": Oregon and Maine;
//! "Richmond": Virginia and California) is deliberately left out: without the
//! region Tenure does not guess; a large city is kept when only small towns elsewhere
//! share its name. Zones as in `regions` and the per-country files.

use super::regions::{Place, place};

/// The well-known cities of a country (lowercase alpha-2).
pub(super) fn of(alpha2: &str) -> &'static [Place] {
    match alpha2 {
        "us" => UNITED_STATES,
        "ca" => CANADA,
        "mx" => MEXICO,
        "br" => BRAZIL,
        "ru" => RUSSIA,
        "au" => AUSTRALIA,
        "id" => INDONESIA,
        "kz" => KAZAKHSTAN,
        "mn" => MONGOLIA,
        "cd" => CONGO_KINSHASA,
        "cl" => CHILE,
        "ec" => ECUADOR,
        "es" => SPAIN,
        "pt" => PORTUGAL,
        "nz" => NEW_ZEALAND,
        "ua" => UKRAINE,
        "my" => MALAYSIA,
        "ki" => KIRIBATI,
        "pf" => FRENCH_POLYNESIA,
        "pg" => PAPUA_NEW_GUINEA,
        "gl" => GREENLAND,
        "fm" => MICRONESIA,
        "aq" => ANTARCTICA,
        "ps" => PALESTINE,
        _ => &[],
    }
}

static UNITED_STATES: &[Place] = &[
    place(
        &[
            "new york",
            "new york city",
            "nyc",
            "brooklyn",
            "manhattan",
            "queens",
            "bronx",
            "staten island",
            "philadelphia",
            "boston",
            "baltimore",
            "atlanta",
            "miami",
            "miami beach",
            "fort lauderdale",
            "boca raton",
            "west palm beach",
            "orlando",
            "tampa",
            "saint petersburg",
            "jacksonville",
            "tallahassee",
            "charlotte",
            "raleigh",
            "durham",
            "pittsburgh",
            "cleveland",
            "cincinnati",
            "buffalo",
            "jersey city",
            "hoboken",
            "stamford",
            "hartford",
            "new haven",
            "providence",
            "virginia beach",
            "norfolk",
            "charleston",
            "savannah",
            "wilmington",
            "knoxville",
            "chattanooga",
        ],
        "America/New_York",
    ),
    place(&["detroit", "ann arbor", "grand rapids"], "America/Detroit"),
    place(&["indianapolis"], "America/Indiana/Indianapolis"),
    place(&["louisville"], "America/Kentucky/Louisville"),
    place(
        &[
            "chicago",
            "houston",
            "dallas",
            "san antonio",
            "austin",
            "fort worth",
            "plano",
            "irving",
            "frisco",
            "corpus christi",
            "nashville",
            "memphis",
            "new orleans",
            "baton rouge",
            "kansas city",
            "saint louis",
            "minneapolis",
            "saint paul",
            "milwaukee",
            "oklahoma city",
            "tulsa",
            "omaha",
            "des moines",
            "little rock",
            "wichita",
            "sioux falls",
            "fargo",
            "green bay",
        ],
        "America/Chicago",
    ),
    place(
        &[
            "denver",
            "boulder",
            "colorado springs",
            "fort collins",
            "salt lake city",
            "provo",
            "ogden",
            "albuquerque",
            "el paso",
            "billings",
            "cheyenne",
        ],
        "America/Denver",
    ),
    place(&["boise"], "America/Boise"),
    place(
        &[
            "phoenix",
            "tucson",
            "scottsdale",
            "tempe",
            "mesa",
            "chandler",
            "flagstaff",
        ],
        "America/Phoenix",
    ),
    place(
        &[
            "los angeles",
            "san francisco",
            "san diego",
            "san jose",
            "sacramento",
            "oakland",
            "fresno",
            "long beach",
            "bakersfield",
            "palo alto",
            "mountain view",
            "menlo park",
            "cupertino",
            "sunnyvale",
            "santa clara",
            "redwood city",
            "san mateo",
            "berkeley",
            "irvine",
            "santa monica",
            "santa barbara",
            "seattle",
            "tacoma",
            "spokane",
            "redmond",
            "kirkland",
            "las vegas",
            "reno",
            "beaverton",
            "eugene",
        ],
        "America/Los_Angeles",
    ),
    place(&["anchorage", "fairbanks"], "America/Anchorage"),
    place(&["juneau"], "America/Juneau"),
    place(&["honolulu"], "Pacific/Honolulu"),
    place(&["san juan"], "America/Puerto_Rico"),
    place(&["hagatna"], "Pacific/Guam"),
];

static CANADA: &[Place] = &[
    place(
        &[
            "toronto",
            "ottawa",
            "mississauga",
            "brampton",
            "hamilton",
            "markham",
            "vaughan",
            "oakville",
            "kitchener",
            "waterloo",
            "london",
            "windsor",
            "kingston",
            "sudbury",
            "greater sudbury",
            "thunder bay",
            "barrie",
            "guelph",
            "montreal",
            "laval",
            "quebec city",
            "gatineau",
            "longueuil",
            "sherbrooke",
            "trois rivieres",
        ],
        "America/Toronto",
    ),
    place(&["winnipeg"], "America/Winnipeg"),
    place(&["regina", "saskatoon"], "America/Regina"),
    place(
        &[
            "calgary",
            "edmonton",
            "red deer",
            "lethbridge",
            "yellowknife",
        ],
        "America/Edmonton",
    ),
    place(
        &[
            "vancouver",
            "surrey",
            "burnaby",
            "richmond",
            "victoria",
            "kelowna",
            "abbotsford",
            "coquitlam",
            "kamloops",
            "nanaimo",
            "prince george",
        ],
        "America/Vancouver",
    ),
    place(
        &["halifax", "dartmouth", "charlottetown"],
        "America/Halifax",
    ),
    place(&["moncton", "fredericton", "saint john"], "America/Moncton"),
    place(&["saint johns"], "America/St_Johns"),
    place(&["whitehorse"], "America/Whitehorse"),
    place(&["iqaluit"], "America/Iqaluit"),
];

static MEXICO: &[Place] = &[
    place(
        &[
            "mexico city",
            "ciudad de mexico",
            "cdmx",
            "guadalajara",
            "zapopan",
            "puebla",
            "leon",
            "queretaro",
            "santiago de queretaro",
            "toluca",
            "morelia",
            "aguascalientes",
            "san luis potosi",
            "oaxaca",
            "veracruz",
            "xalapa",
            "villahermosa",
            "tuxtla gutierrez",
            "acapulco",
            "puerto vallarta",
            "cuernavaca",
            "pachuca",
            "celaya",
            "irapuato",
        ],
        "America/Mexico_City",
    ),
    place(
        &[
            "monterrey",
            "san pedro garza garcia",
            "san nicolas de los garza",
            "apodaca",
            "saltillo",
            "torreon",
            "tampico",
            "ciudad victoria",
        ],
        "America/Monterrey",
    ),
    place(
        &[
            "reynosa",
            "matamoros",
            "nuevo laredo",
            "piedras negras",
            "ciudad acuna",
        ],
        "America/Matamoros",
    ),
    place(
        &["tijuana", "mexicali", "ensenada", "rosarito", "tecate"],
        "America/Tijuana",
    ),
    place(
        &[
            "hermosillo",
            "ciudad obregon",
            "nogales",
            "guaymas",
            "san luis rio colorado",
        ],
        "America/Hermosillo",
    ),
    place(
        &["cancun", "playa del carmen", "tulum", "chetumal", "cozumel"],
        "America/Cancun",
    ),
    place(&["merida", "campeche"], "America/Merida"),
    place(
        &[
            "culiacan",
            "mazatlan",
            "los mochis",
            "los cabos",
            "cabo san lucas",
            "san jose del cabo",
            "tepic",
        ],
        "America/Mazatlan",
    ),
    place(&["nuevo vallarta", "bucerias"], "America/Bahia_Banderas"),
    place(&["chihuahua", "delicias", "parral"], "America/Chihuahua"),
    place(&["ciudad juarez", "juarez"], "America/Ciudad_Juarez"),
];

static BRAZIL: &[Place] = &[
    place(
        &[
            "sao paulo",
            "campinas",
            "santos",
            "guarulhos",
            "sao jose dos campos",
            "ribeirao preto",
            "sorocaba",
            "rio de janeiro",
            "niteroi",
            "belo horizonte",
            "uberlandia",
            "brasilia",
            "goiania",
            "curitiba",
            "londrina",
            "florianopolis",
            "joinville",
            "blumenau",
            "porto alegre",
            "vitoria",
        ],
        "America/Sao_Paulo",
    ),
    place(&["salvador"], "America/Bahia"),
    place(&["recife"], "America/Recife"),
    place(
        &["fortaleza", "sao luis", "teresina", "natal", "joao pessoa"],
        "America/Fortaleza",
    ),
    place(&["maceio", "aracaju"], "America/Maceio"),
    place(&["belem", "macapa"], "America/Belem"),
    place(&["santarem"], "America/Santarem"),
    place(&["manaus"], "America/Manaus"),
    place(&["porto velho"], "America/Porto_Velho"),
    place(&["rio branco"], "America/Rio_Branco"),
    place(&["boa vista"], "America/Boa_Vista"),
    place(&["cuiaba"], "America/Cuiaba"),
    place(&["campo grande"], "America/Campo_Grande"),
    place(&["palmas"], "America/Araguaina"),
    place(&["fernando de noronha"], "America/Noronha"),
];

static RUSSIA: &[Place] = &[
    place(&["kaliningrad"], "Europe/Kaliningrad"),
    place(
        &[
            "moscow",
            "moskva",
            "saint petersburg",
            "sankt peterburg",
            "kazan",
            "nizhny novgorod",
            "rostov on don",
            "voronezh",
            "krasnodar",
            "sochi",
            "yaroslavl",
            "makhachkala",
            "ryazan",
            "penza",
            "lipetsk",
            "tula",
            "tver",
            "murmansk",
            "arkhangelsk",
        ],
        "Europe/Moscow",
    ),
    place(&["kirov"], "Europe/Kirov"),
    place(&["volgograd"], "Europe/Volgograd"),
    place(&["sevastopol", "simferopol"], "Europe/Simferopol"),
    place(&["astrakhan"], "Europe/Astrakhan"),
    place(&["saratov"], "Europe/Saratov"),
    place(&["ulyanovsk"], "Europe/Ulyanovsk"),
    place(
        &["samara", "tolyatti", "togliatti", "izhevsk"],
        "Europe/Samara",
    ),
    place(
        &[
            "yekaterinburg",
            "ekaterinburg",
            "chelyabinsk",
            "ufa",
            "perm",
            "tyumen",
            "orenburg",
            "surgut",
        ],
        "Asia/Yekaterinburg",
    ),
    place(&["omsk"], "Asia/Omsk"),
    place(&["novosibirsk"], "Asia/Novosibirsk"),
    place(&["barnaul"], "Asia/Barnaul"),
    place(&["tomsk"], "Asia/Tomsk"),
    place(&["kemerovo", "novokuznetsk"], "Asia/Novokuznetsk"),
    place(&["krasnoyarsk"], "Asia/Krasnoyarsk"),
    place(&["irkutsk", "ulan ude"], "Asia/Irkutsk"),
    place(&["chita"], "Asia/Chita"),
    place(&["yakutsk", "blagoveshchensk"], "Asia/Yakutsk"),
    place(&["vladivostok", "khabarovsk"], "Asia/Vladivostok"),
    place(&["magadan"], "Asia/Magadan"),
    place(&["yuzhno sakhalinsk"], "Asia/Sakhalin"),
    place(&["petropavlovsk kamchatsky"], "Asia/Kamchatka"),
    place(&["anadyr"], "Asia/Anadyr"),
];

static AUSTRALIA: &[Place] = &[
    place(
        &["sydney", "newcastle", "wollongong", "canberra"],
        "Australia/Sydney",
    ),
    place(
        &["melbourne", "geelong", "ballarat", "bendigo"],
        "Australia/Melbourne",
    ),
    place(
        &[
            "brisbane",
            "gold coast",
            "sunshine coast",
            "cairns",
            "townsville",
            "toowoomba",
        ],
        "Australia/Brisbane",
    ),
    place(&["perth", "fremantle"], "Australia/Perth"),
    place(&["adelaide"], "Australia/Adelaide"),
    place(&["hobart", "launceston"], "Australia/Hobart"),
    place(&["darwin", "alice springs"], "Australia/Darwin"),
    place(&["broken hill"], "Australia/Broken_Hill"),
];

static INDONESIA: &[Place] = &[
    place(
        &[
            "jakarta",
            "bandung",
            "surabaya",
            "semarang",
            "yogyakarta",
            "medan",
            "palembang",
            "bekasi",
            "tangerang",
            "depok",
            "bogor",
            "batam",
            "pekanbaru",
            "padang",
            "malang",
            "bandar lampung",
        ],
        "Asia/Jakarta",
    ),
    place(&["pontianak", "palangka raya"], "Asia/Pontianak"),
    place(
        &[
            "denpasar",
            "makassar",
            "balikpapan",
            "samarinda",
            "banjarmasin",
            "manado",
            "kupang",
            "mataram",
        ],
        "Asia/Makassar",
    ),
    place(
        &[
            "jayapura",
            "ambon",
            "sorong",
            "ternate",
            "merauke",
            "manokwari",
        ],
        "Asia/Jayapura",
    ),
];

static KAZAKHSTAN: &[Place] = &[
    place(&["aktobe", "aqtobe"], "Asia/Aqtobe"),
    place(&["atyrau"], "Asia/Atyrau"),
    place(&["aktau", "aqtau"], "Asia/Aqtau"),
    place(&["oral", "uralsk"], "Asia/Oral"),
    place(&["kostanay", "qostanay"], "Asia/Qostanay"),
    place(&["kyzylorda", "qyzylorda"], "Asia/Qyzylorda"),
];

static MONGOLIA: &[Place] = &[
    place(
        &[
            "ulaanbaatar",
            "ulan bator",
            "erdenet",
            "darkhan",
            "choibalsan",
        ],
        "Asia/Ulaanbaatar",
    ),
    place(
        &["khovd", "hovd", "olgii", "ulgii", "ulaangom"],
        "Asia/Hovd",
    ),
];

static CONGO_KINSHASA: &[Place] = &[
    place(
        &[
            "kinshasa", "matadi", "boma", "kikwit", "mbandaka", "bandundu",
        ],
        "Africa/Kinshasa",
    ),
    place(
        &[
            "lubumbashi",
            "kolwezi",
            "likasi",
            "mbuji mayi",
            "kananga",
            "kisangani",
            "goma",
            "bukavu",
            "bunia",
            "kalemie",
            "kindu",
            "uvira",
        ],
        "Africa/Lubumbashi",
    ),
];

static CHILE: &[Place] = &[
    place(
        &["punta arenas", "puerto natales", "porvenir"],
        "America/Punta_Arenas",
    ),
    place(
        &["coyhaique", "coihaique", "puerto aysen"],
        "America/Coyhaique",
    ),
    place(
        &["hanga roa", "easter island", "isla de pascua", "rapa nui"],
        "Pacific/Easter",
    ),
];

static ECUADOR: &[Place] = &[place(
    &["puerto ayora", "puerto baquerizo moreno", "puerto villamil"],
    "Pacific/Galapagos",
)];

static SPAIN: &[Place] = &[
    place(
        &[
            "las palmas",
            "las palmas de gran canaria",
            "santa cruz de tenerife",
            "san cristobal de la laguna",
            "la laguna",
            "arrecife",
            "puerto del rosario",
            "telde",
            "adeje",
            "arona",
        ],
        "Atlantic/Canary",
    ),
    place(&["ceuta", "melilla"], "Africa/Ceuta"),
];

static PORTUGAL: &[Place] = &[
    place(
        &["ponta delgada", "angra do heroismo", "horta"],
        "Atlantic/Azores",
    ),
    place(&["funchal"], "Atlantic/Madeira"),
];

static NEW_ZEALAND: &[Place] = &[place(&["chatham islands"], "Pacific/Chatham")];

static UKRAINE: &[Place] = &[place(
    &[
        "simferopol",
        "sevastopol",
        "yalta",
        "kerch",
        "yevpatoria",
        "evpatoria",
        "feodosia",
    ],
    "Europe/Simferopol",
)];

static MALAYSIA: &[Place] = &[place(
    &[
        "kota kinabalu",
        "kuching",
        "miri",
        "sandakan",
        "sibu",
        "tawau",
        "bintulu",
        "labuan",
    ],
    "Asia/Kuching",
)];

static KIRIBATI: &[Place] = &[
    place(
        &["kiritimati", "christmas island", "tabuaeran"],
        "Pacific/Kiritimati",
    ),
    place(&["kanton", "canton"], "Pacific/Kanton"),
];

static FRENCH_POLYNESIA: &[Place] = &[
    place(
        &["nuku hiva", "taiohae", "hiva oa", "atuona"],
        "Pacific/Marquesas",
    ),
    place(&["rikitea", "mangareva"], "Pacific/Gambier"),
];

static PAPUA_NEW_GUINEA: &[Place] = &[place(&["buka", "arawa"], "Pacific/Bougainville")];

static GREENLAND: &[Place] = &[
    place(&["qaanaaq", "pituffik", "thule"], "America/Thule"),
    place(
        &["ittoqqortoormiit", "scoresbysund"],
        "America/Scoresbysund",
    ),
    place(&["danmarkshavn"], "America/Danmarkshavn"),
];

static MICRONESIA: &[Place] = &[
    place(&["palikir", "kolonia"], "Pacific/Pohnpei"),
    place(&["weno", "colonia"], "Pacific/Chuuk"),
    place(&["tofol", "lelu"], "Pacific/Kosrae"),
];

static ANTARCTICA: &[Place] = &[
    place(
        &["mcmurdo", "mcmurdo station", "south pole", "amundsen scott"],
        "Antarctica/McMurdo",
    ),
    place(&["casey"], "Antarctica/Casey"),
    place(&["davis"], "Antarctica/Davis"),
    place(&["mawson"], "Antarctica/Mawson"),
    place(&["dumont durville"], "Antarctica/DumontDUrville"),
    place(&["palmer"], "Antarctica/Palmer"),
    place(&["rothera"], "Antarctica/Rothera"),
    place(&["syowa"], "Antarctica/Syowa"),
    place(&["troll"], "Antarctica/Troll"),
    place(&["vostok"], "Antarctica/Vostok"),
];

static PALESTINE: &[Place] = &[place(
    &["gaza", "gaza city", "khan yunis", "rafah", "deir al balah"],
    "Asia/Gaza",
)];
