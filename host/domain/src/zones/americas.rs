//! Canadian provinces and territories, Mexican states and Brazilian states.
//!
//! Exceptions inside a province or state follow the area notes of the IANA tz
//! database's `northamerica` and `southamerica` files and `zone.tab`. Canada's
//! one-town zones (America/Atikokan, America/Creston, America/Blanc-Sablon) are
//! the names `zone.tab` gives them; they are links in recent releases and exist in the
//! bundled database.

use super::regions::{Region, place, region, region_with};

const TORONTO: &str = "America/Toronto";
const WINNIPEG: &str = "America/Winnipeg";
const EDMONTON: &str = "America/Edmonton";
const HALIFAX: &str = "America/Halifax";

pub(super) static CANADA: &[Region] = &[
    region(&["ab", "alberta"], EDMONTON),
    // Most of British Columbia is on America/Vancouver; the Peace River region, Fort
    // Nelson and Creston keep their own zones, and the East Kootenays follow Alberta.
    region_with(
        &["bc", "british columbia", "colombie britannique"],
        "America/Vancouver",
        &[
            place(
                &[
                    "dawson creek",
                    "fort saint john",
                    "chetwynd",
                    "hudsons hope",
                    "taylor",
                    "tumbler ridge",
                    "pouce coupe",
                ],
                "America/Dawson_Creek",
            ),
            place(&["fort nelson"], "America/Fort_Nelson"),
            place(&["creston"], "America/Creston"),
            place(
                &[
                    "cranbrook",
                    "kimberley",
                    "fernie",
                    "sparwood",
                    "elkford",
                    "invermere",
                    "golden",
                    "radium hot springs",
                ],
                EDMONTON,
            ),
        ],
    ),
    region(&["mb", "manitoba"], WINNIPEG),
    region(
        &["nb", "new brunswick", "nouveau brunswick"],
        "America/Moncton",
    ),
    // Labrador keeps Atlantic time except its southeast coast, which follows the island.
    region_with(
        &[
            "nl",
            "newfoundland and labrador",
            "newfoundland",
            "nf",
            "terre neuve et labrador",
        ],
        "America/St_Johns",
        &[place(
            &[
                "happy valley goose bay",
                "goose bay",
                "labrador city",
                "wabush",
                "churchill falls",
                "north west river",
                "sheshatshiu",
                "nain",
                "hopedale",
                "natuashish",
                "makkovik",
                "postville",
                "rigolet",
            ],
            "America/Goose_Bay",
        )],
    ),
    region(&["labrador"], "America/Goose_Bay"),
    // Cape Breton Island has its own zone with Halifax's rules.
    region_with(
        &["ns", "nova scotia", "nouvelle ecosse"],
        HALIFAX,
        &[place(
            &[
                "sydney",
                "glace bay",
                "new waterford",
                "north sydney",
                "sydney mines",
                "port hawkesbury",
                "baddeck",
                "inverness",
                "cape breton",
            ],
            "America/Glace_Bay",
        )],
    ),
    region_with(
        &["nt", "northwest territories", "territoires du nord ouest"],
        EDMONTON,
        &[place(
            &["inuvik", "aklavik", "tuktoyaktuk", "fort mcpherson"],
            "America/Inuvik",
        )],
    ),
    // Nunavut: Qikiqtaaluk (Eastern) holds the most people; Kivalliq keeps Central time,
    // Kitikmeot Mountain time.
    region_with(
        &["nu", "nunavut"],
        "America/Iqaluit",
        &[
            place(
                &[
                    "rankin inlet",
                    "arviat",
                    "baker lake",
                    "chesterfield inlet",
                    "whale cove",
                    "naujaat",
                    "repulse bay",
                ],
                "America/Rankin_Inlet",
            ),
            place(
                &[
                    "cambridge bay",
                    "kugluktuk",
                    "gjoa haven",
                    "taloyoak",
                    "kugaaruk",
                    "pelly bay",
                ],
                "America/Cambridge_Bay",
            ),
            place(&["resolute", "resolute bay"], "America/Resolute"),
            place(&["coral harbour", "salliq"], "America/Atikokan"),
        ],
    ),
    // Northwestern Ontario keeps Central time; Atikokan keeps Eastern Standard Time all
    // year; Thunder Bay is Eastern.
    region_with(
        &["on", "ontario"],
        TORONTO,
        &[
            place(
                &[
                    "kenora",
                    "dryden",
                    "sioux lookout",
                    "fort frances",
                    "rainy river",
                    "red lake",
                    "ear falls",
                    "emo",
                    "sioux narrows",
                ],
                WINNIPEG,
            ),
            place(&["atikokan"], "America/Atikokan"),
        ],
    ),
    region(
        &["pe", "pei", "prince edward island", "ile du prince edouard"],
        HALIFAX,
    ),
    // The Lower North Shore keeps Atlantic Standard Time all year; the Magdalen Islands
    // and the Listuguj reserve follow Halifax.
    region_with(
        &["qc", "quebec", "pq"],
        TORONTO,
        &[
            place(
                &[
                    "blanc sablon",
                    "lourdes de blanc sablon",
                    "bonne esperance",
                    "gros mecatina",
                    "cote nord du golfe du saint laurent",
                ],
                "America/Blanc-Sablon",
            ),
            place(
                &[
                    "iles de la madeleine",
                    "magdalen islands",
                    "cap aux meules",
                    "listuguj",
                ],
                HALIFAX,
            ),
        ],
    ),
    // Saskatchewan keeps Central Standard Time all year; Lloydminster follows Alberta.
    region_with(
        &["sk", "saskatchewan"],
        "America/Regina",
        &[
            place(&["lloydminster"], EDMONTON),
            place(&["swift current"], "America/Swift_Current"),
        ],
    ),
    region_with(
        &["yt", "yukon", "yukon territory"],
        "America/Whitehorse",
        &[place(&["dawson", "dawson city"], "America/Dawson")],
    ),
];

const MEXICO_CITY: &str = "America/Mexico_City";
const MONTERREY: &str = "America/Monterrey";
const MAZATLAN: &str = "America/Mazatlan";

/// The municipios of Coahuila and Tamaulipas on the US border keep US daylight saving
/// time (America/Matamoros), as does Anáhuac in Nuevo León.
const COAHUILA_BORDER: &[&str] = &[
    "acuna",
    "ciudad acuna",
    "piedras negras",
    "allende",
    "guerrero",
    "hidalgo",
    "jimenez",
    "morelos",
    "nava",
    "ocampo",
    "villa union",
    "zaragoza",
];
const TAMAULIPAS_BORDER: &[&str] = &[
    "nuevo laredo",
    "guerrero",
    "mier",
    "miguel aleman",
    "camargo",
    "gustavo diaz ordaz",
    "reynosa",
    "rio bravo",
    "valle hermoso",
    "matamoros",
];

pub(super) static MEXICO: &[Region] = &[
    region(&["agu", "ags", "aguascalientes"], MEXICO_CITY),
    region(
        &["bcn", "bc", "baja california", "baja california norte"],
        "America/Tijuana",
    ),
    region(&["bcs", "baja california sur"], MAZATLAN),
    region(&["cam", "camp", "campeche"], "America/Merida"),
    region(&["chp", "chis", "chiapas"], MEXICO_CITY),
    // Chihuahua keeps Central time without DST; its border municipios keep US DST.
    region_with(
        &["chh", "chih", "chihuahua"],
        "America/Chihuahua",
        &[
            place(
                &[
                    "ciudad juarez",
                    "juarez",
                    "janos",
                    "ascension",
                    "guadalupe",
                    "praxedis g guerrero",
                    "praxedis guerrero",
                ],
                "America/Ciudad_Juarez",
            ),
            place(
                &["ojinaga", "manuel benavides", "coyame del sotol", "coyame"],
                "America/Ojinaga",
            ),
        ],
    ),
    region(
        &[
            "cmx",
            "cdmx",
            "df",
            "ciudad de mexico",
            "mexico city",
            "distrito federal",
        ],
        MEXICO_CITY,
    ),
    region_with(
        &["coa", "coah", "coahuila", "coahuila de zaragoza"],
        MONTERREY,
        &[place(COAHUILA_BORDER, "America/Matamoros")],
    ),
    region(&["col", "colima"], MEXICO_CITY),
    region(&["dur", "dgo", "durango"], MONTERREY),
    region(&["gua", "gto", "guanajuato"], MEXICO_CITY),
    region(&["gro", "guerrero"], MEXICO_CITY),
    region(&["hid", "hgo", "hidalgo"], MEXICO_CITY),
    region(&["jal", "jalisco"], MEXICO_CITY),
    region(
        &[
            "mex",
            "edomex",
            "mexico",
            "estado de mexico",
            "state of mexico",
        ],
        MEXICO_CITY,
    ),
    region(
        &["mic", "mich", "michoacan", "michoacan de ocampo"],
        MEXICO_CITY,
    ),
    region(&["mor", "morelos"], MEXICO_CITY),
    // Bahía de Banderas keeps Central time with Puerto Vallarta; the rest of Nayarit
    // keeps Mazatlán's.
    region_with(
        &["nay", "nayarit"],
        MAZATLAN,
        &[place(
            &[
                "bahia de banderas",
                "nuevo vallarta",
                "bucerias",
                "la cruz de huanacaxtle",
                "punta de mita",
                "sayulita",
                "san jose del valle",
                "mezcales",
            ],
            "America/Bahia_Banderas",
        )],
    ),
    region_with(
        &["nle", "nl", "nuevo leon"],
        MONTERREY,
        &[place(&["anahuac"], "America/Matamoros")],
    ),
    region(&["oax", "oaxaca"], MEXICO_CITY),
    region(&["pue", "puebla"], MEXICO_CITY),
    region(
        &["que", "qro", "queretaro", "queretaro de arteaga"],
        MEXICO_CITY,
    ),
    region(&["roo", "qr", "q roo", "quintana roo"], "America/Cancun"),
    region(&["sin", "sinaloa"], MAZATLAN),
    region(&["slp", "san luis potosi"], MEXICO_CITY),
    region(&["son", "sonora"], "America/Hermosillo"),
    region(&["tab", "tabasco"], MEXICO_CITY),
    region_with(
        &["tam", "tamps", "tamaulipas"],
        MONTERREY,
        &[place(TAMAULIPAS_BORDER, "America/Matamoros")],
    ),
    region(&["tla", "tlax", "tlaxcala"], MEXICO_CITY),
    region(
        &["ver", "veracruz", "veracruz de ignacio de la llave"],
        MEXICO_CITY,
    ),
    region(&["yuc", "yucatan"], "America/Merida"),
    region(&["zac", "zacatecas"], MEXICO_CITY),
];

const SAO_PAULO: &str = "America/Sao_Paulo";
const FORTALEZA: &str = "America/Fortaleza";

pub(super) static BRAZIL: &[Region] = &[
    region(&["ac", "acre"], "America/Rio_Branco"),
    region(&["al", "alagoas"], "America/Maceio"),
    region(&["ap", "amapa"], "America/Belem"),
    // Amazonas west of the Rio Branco line keeps Acre's time.
    region_with(
        &["am", "amazonas"],
        "America/Manaus",
        &[place(
            &[
                "eirunepe",
                "atalaia do norte",
                "boca do acre",
                "benjamin constant",
                "envira",
                "ipixuna",
            ],
            "America/Eirunepe",
        )],
    ),
    region(&["ba", "bahia"], "America/Bahia"),
    region(&["ce", "ceara"], FORTALEZA),
    region(&["df", "distrito federal", "federal district"], SAO_PAULO),
    region(&["es", "espirito santo"], SAO_PAULO),
    region(&["go", "goias"], SAO_PAULO),
    region(&["ma", "maranhao"], FORTALEZA),
    region(&["mt", "mato grosso"], "America/Cuiaba"),
    region(&["ms", "mato grosso do sul"], "America/Campo_Grande"),
    region(&["mg", "minas gerais"], SAO_PAULO),
    // Western Pará has its own zone (same offset today).
    region_with(
        &["pa", "para"],
        "America/Belem",
        &[place(
            &[
                "santarem",
                "itaituba",
                "oriximina",
                "obidos",
                "juruti",
                "alenquer",
            ],
            "America/Santarem",
        )],
    ),
    region(&["pb", "paraiba"], FORTALEZA),
    region(&["pr", "parana"], SAO_PAULO),
    region_with(
        &["pe", "pernambuco"],
        "America/Recife",
        &[place(&["fernando de noronha"], "America/Noronha")],
    ),
    region(&["fernando de noronha"], "America/Noronha"),
    region(&["pi", "piaui"], FORTALEZA),
    region(&["rj", "rio de janeiro"], SAO_PAULO),
    region(&["rn", "rio grande do norte"], FORTALEZA),
    region(&["rs", "rio grande do sul"], SAO_PAULO),
    region(&["ro", "rondonia"], "America/Porto_Velho"),
    region(&["rr", "roraima"], "America/Boa_Vista"),
    region(&["sc", "santa catarina"], SAO_PAULO),
    region(&["sp", "sao paulo"], SAO_PAULO),
    region(&["se", "sergipe"], "America/Maceio"),
    region(&["to", "tocantins"], "America/Araguaina"),
];
