//! Australian states, Indonesian provinces, Kazakh regions and Mongolian provinces.
//!
//! Zones follow `zone.tab`/`zone1970.tab` of the IANA tz database and the notes in its
//! `australasia` and `asia` files.

use super::regions::{Region, place, region, region_with};

const SYDNEY: &str = "Australia/Sydney";

pub(super) static AUSTRALIA: &[Region] = &[
    // Broken Hill (Yancowinna County) keeps South Australia's time; Lord Howe Island
    // its own half-hour zone.
    region_with(
        &["nsw", "new south wales"],
        SYDNEY,
        &[
            place(&["broken hill", "silverton"], "Australia/Broken_Hill"),
            place(&["lord howe island", "lord howe"], "Australia/Lord_Howe"),
        ],
    ),
    region(&["lord howe island"], "Australia/Lord_Howe"),
    region(&["act", "australian capital territory"], SYDNEY),
    region(&["jbt", "jervis bay territory", "jervis bay"], SYDNEY),
    region(&["vic", "victoria"], "Australia/Melbourne"),
    region_with(
        &["qld", "queensland"],
        "Australia/Brisbane",
        &[place(
            &[
                "whitsunday islands",
                "hamilton island",
                "lindeman island",
                "hayman island",
                "daydream island",
            ],
            "Australia/Lindeman",
        )],
    ),
    region_with(
        &["sa", "south australia"],
        "Australia/Adelaide",
        &[place(&["border village"], "Australia/Eucla")],
    ),
    // The Eyre Highway roadhouses near the South Australian border keep Eucla's time.
    region_with(
        &["wa", "western australia"],
        "Australia/Perth",
        &[place(
            &["eucla", "madura", "cocklebiddy", "caiguna", "mundrabilla"],
            "Australia/Eucla",
        )],
    ),
    region_with(
        &["tas", "tasmania"],
        "Australia/Hobart",
        &[place(&["macquarie island"], "Antarctica/Macquarie")],
    ),
    region(&["nt", "northern territory"], "Australia/Darwin"),
];

const JAKARTA: &str = "Asia/Jakarta";
const PONTIANAK: &str = "Asia/Pontianak";
const MAKASSAR: &str = "Asia/Makassar";
const JAYAPURA: &str = "Asia/Jayapura";

/// Java and Sumatra keep WIB (Jakarta), west and central Kalimantan WIB (Pontianak),
/// the rest of Kalimantan, Sulawesi, Bali and Nusa Tenggara WITA, Maluku and Papua WIT.
pub(super) static INDONESIA: &[Region] = &[
    region(
        &[
            "jk",
            "jakarta",
            "dki jakarta",
            "jakarta raya",
            "special capital region of jakarta",
        ],
        JAKARTA,
    ),
    region(&["jb", "west java", "jawa barat"], JAKARTA),
    region(&["jt", "central java", "jawa tengah"], JAKARTA),
    region(&["ji", "east java", "jawa timur"], JAKARTA),
    region(
        &[
            "yo",
            "yogyakarta",
            "di yogyakarta",
            "special region of yogyakarta",
            "jogja",
        ],
        JAKARTA,
    ),
    region(&["bt", "banten"], JAKARTA),
    region(&["jw", "java", "jawa"], JAKARTA),
    region(&["ac", "aceh"], JAKARTA),
    region(&["su", "north sumatra", "sumatera utara"], JAKARTA),
    region(&["sb", "west sumatra", "sumatera barat"], JAKARTA),
    region(&["ss", "south sumatra", "sumatera selatan"], JAKARTA),
    region(&["ri", "riau"], JAKARTA),
    region(&["kr", "riau islands", "kepulauan riau"], JAKARTA),
    region(&["ja", "jambi"], JAKARTA),
    region(&["be", "bengkulu"], JAKARTA),
    region(&["la", "lampung"], JAKARTA),
    region(
        &[
            "bb",
            "bangka belitung",
            "bangka belitung islands",
            "kepulauan bangka belitung",
        ],
        JAKARTA,
    ),
    region(&["sm", "sumatra", "sumatera"], JAKARTA),
    region(&["kb", "west kalimantan", "kalimantan barat"], PONTIANAK),
    region(
        &["kt", "central kalimantan", "kalimantan tengah"],
        PONTIANAK,
    ),
    region(&["ks", "south kalimantan", "kalimantan selatan"], MAKASSAR),
    region(&["ki", "east kalimantan", "kalimantan timur"], MAKASSAR),
    region(&["ku", "north kalimantan", "kalimantan utara"], MAKASSAR),
    region(&["ba", "bali"], MAKASSAR),
    region(
        &["nb", "ntb", "west nusa tenggara", "nusa tenggara barat"],
        MAKASSAR,
    ),
    region(
        &["nt", "ntt", "east nusa tenggara", "nusa tenggara timur"],
        MAKASSAR,
    ),
    region(&["nu", "nusa tenggara", "lesser sunda islands"], MAKASSAR),
    region(&["sa", "north sulawesi", "sulawesi utara"], MAKASSAR),
    region(&["go", "gorontalo"], MAKASSAR),
    region(&["st", "central sulawesi", "sulawesi tengah"], MAKASSAR),
    region(&["sr", "west sulawesi", "sulawesi barat"], MAKASSAR),
    region(&["sn", "south sulawesi", "sulawesi selatan"], MAKASSAR),
    region(&["sg", "southeast sulawesi", "sulawesi tenggara"], MAKASSAR),
    region(&["sl", "sulawesi", "celebes"], MAKASSAR),
    region(&["ma", "maluku", "moluccas"], JAYAPURA),
    region(&["mu", "north maluku", "maluku utara"], JAYAPURA),
    region(&["ml", "maluku islands"], JAYAPURA),
    region(&["pa", "papua"], JAYAPURA),
    region(&["pb", "west papua", "papua barat"], JAYAPURA),
    region(&["ps", "south papua", "papua selatan"], JAYAPURA),
    region(&["pt", "central papua", "papua tengah"], JAYAPURA),
    region(
        &[
            "pe",
            "highland papua",
            "papua pegunungan",
            "highlands papua",
        ],
        JAYAPURA,
    ),
    region(&["pd", "southwest papua", "papua barat daya"], JAYAPURA),
    region(&["pp", "papua island", "western new guinea"], JAYAPURA),
];

const ALMATY: &str = "Asia/Almaty";

/// Every zone keeps UTC+5 since March 2024; the western zones differ only in history.
/// Keys: the current numeric ISO codes, the older letter codes, English and Kazakh
/// names.
pub(super) static KAZAKHSTAN: &[Region] = &[
    region(&["75", "ala", "almaty city"], ALMATY),
    region(&["19", "alm", "almaty", "almaty oblysy"], ALMATY),
    region(&["71", "ast", "astana", "nur sultan"], ALMATY),
    region(&["79", "shy", "shymkent"], ALMATY),
    region(&["11", "akm", "akmola", "aqmola"], ALMATY),
    region(
        &["35", "kar", "karaganda", "karagandy", "qaraghandy"],
        ALMATY,
    ),
    region(&["55", "pav", "pavlodar"], ALMATY),
    region(
        &["59", "sev", "north kazakhstan", "soltustik qazaqstan"],
        ALMATY,
    ),
    region(
        &["63", "vos", "east kazakhstan", "shygys qazaqstan"],
        ALMATY,
    ),
    region(&["10", "abai", "abay"], ALMATY),
    region(&["33", "jetisu", "zhetysu"], ALMATY),
    region(&["31", "zha", "zhambyl", "jambyl"], ALMATY),
    region(
        &["61", "yuz", "turkistan", "turkestan", "south kazakhstan"],
        ALMATY,
    ),
    region(&["62", "ulytau"], ALMATY),
    region(&["43", "kzy", "kyzylorda", "qyzylorda"], "Asia/Qyzylorda"),
    region(
        &["39", "kus", "kostanay", "qostanay", "kustanay"],
        "Asia/Qostanay",
    ),
    region(&["15", "akt", "aktobe", "aqtobe"], "Asia/Aqtobe"),
    region(
        &["47", "man", "mangystau", "mangghystau", "mangistau"],
        "Asia/Aqtau",
    ),
    region(&["23", "aty", "atyrau"], "Asia/Atyrau"),
    region(
        &["27", "zap", "west kazakhstan", "batys qazaqstan"],
        "Asia/Oral",
    ),
];

const ULAANBAATAR: &str = "Asia/Ulaanbaatar";
const HOVD: &str = "Asia/Hovd";

/// The three westernmost provinces keep UTC+7, the rest UTC+8 (the configuration the
/// tz database's `asia` file finds observed in practice).
pub(super) static MONGOLIA: &[Region] = &[
    region(&["071", "bayan olgii", "bayan olgiy", "bayan ulgii"], HOVD),
    region(&["043", "khovd", "hovd"], HOVD),
    region(&["046", "uvs"], HOVD),
    region(&["1", "ulaanbaatar", "ulan bator"], ULAANBAATAR),
    region(&["073", "arkhangai", "arhangay"], ULAANBAATAR),
    region(&["069", "bayankhongor", "bayanhongor"], ULAANBAATAR),
    region(&["067", "bulgan"], ULAANBAATAR),
    region(&["037", "darkhan uul", "darhan uul"], ULAANBAATAR),
    region(&["061", "dornod"], ULAANBAATAR),
    region(&["063", "dornogovi"], ULAANBAATAR),
    region(&["059", "dundgovi"], ULAANBAATAR),
    region(&["065", "govi altai", "govi altay"], ULAANBAATAR),
    region(&["064", "govisumber", "govi sumber"], ULAANBAATAR),
    region(&["039", "khentii", "hentiy"], ULAANBAATAR),
    region(&["041", "khovsgol", "hovsgol", "khuvsgul"], ULAANBAATAR),
    region(&["053", "omnogovi", "umnugovi"], ULAANBAATAR),
    region(&["035", "orkhon", "orhon"], ULAANBAATAR),
    region(
        &["055", "ovorkhangai", "ovorhangay", "uvurkhangai"],
        ULAANBAATAR,
    ),
    region(&["049", "selenge"], ULAANBAATAR),
    region(&["051", "sukhbaatar", "suhbaatar"], ULAANBAATAR),
    region(&["047", "tov", "tuv"], ULAANBAATAR),
    region(&["057", "zavkhan", "dzavhan"], ULAANBAATAR),
];
