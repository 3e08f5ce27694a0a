//! US states, DC and the inhabited territories.
//!
//! A state that spans zones takes the zone of most of its people (Texas → Central,
//! Florida → Eastern, Tennessee → Central, Kentucky → Eastern, Oregon → Pacific); its
//! `cities` list the towns in the other zones, taken from the county lists in the IANA
//! tz database's `northamerica` file (e.g. Florida's panhandle counties, Indiana's
//! Central-time counties, Idaho's Pacific-time panhandle). The Navajo Nation keeps
//! daylight saving time inside Arizona, so its towns take America/Denver.

use super::regions::{Region, place, region, region_with};

const NEW_YORK: &str = "America/New_York";
const CHICAGO: &str = "America/Chicago";
const DENVER: &str = "America/Denver";
const LOS_ANGELES: &str = "America/Los_Angeles";
const BOISE: &str = "America/Boise";
const LOUISVILLE: &str = "America/Kentucky/Louisville";

pub(super) static REGIONS: &[Region] = &[
    region(&["al", "alabama"], CHICAGO),
    region_with(
        &["ak", "alaska"],
        "America/Anchorage",
        &[
            place(&["juneau"], "America/Juneau"),
            place(&["sitka"], "America/Sitka"),
            place(&["metlakatla", "annette island"], "America/Metlakatla"),
            place(&["yakutat"], "America/Yakutat"),
            place(&["nome"], "America/Nome"),
            place(&["adak", "atka"], "America/Adak"),
        ],
    ),
    region_with(
        &["az", "arizona"],
        "America/Phoenix",
        &[place(
            &[
                "window rock",
                "tuba city",
                "chinle",
                "kayenta",
                "fort defiance",
                "ganado",
                "navajo nation",
            ],
            DENVER,
        )],
    ),
    region(&["ar", "arkansas"], CHICAGO),
    region(&["ca", "california"], LOS_ANGELES),
    region(&["co", "colorado"], DENVER),
    region(&["ct", "connecticut"], NEW_YORK),
    region(&["de", "delaware"], NEW_YORK),
    region(
        &[
            "dc",
            "district of columbia",
            "washington dc",
            "washington d c",
        ],
        NEW_YORK,
    ),
    // Bay, Calhoun, Escambia, Gulf (north), Holmes, Jackson, Okaloosa, Santa Rosa,
    // Walton and Washington counties keep Central time; Tallahassee is Eastern.
    region_with(
        &["fl", "florida"],
        NEW_YORK,
        &[place(
            &[
                "pensacola",
                "gulf breeze",
                "milton",
                "pace",
                "navarre",
                "fort walton beach",
                "destin",
                "crestview",
                "niceville",
                "defuniak springs",
                "santa rosa beach",
                "miramar beach",
                "panama city",
                "panama city beach",
                "lynn haven",
                "callaway",
                "marianna",
                "chipley",
                "bonifay",
                "blountstown",
                "wewahitchka",
            ],
            CHICAGO,
        )],
    ),
    region(&["ga", "georgia"], NEW_YORK),
    region(&["hi", "hawaii"], "Pacific/Honolulu"),
    // The panhandle (Benewah, Bonner, Boundary, Clearwater, Kootenai, Latah, Lewis,
    // Nez Perce, Shoshone and northern Idaho counties) keeps Pacific time.
    region_with(
        &["id", "idaho"],
        BOISE,
        &[place(
            &[
                "coeur dalene",
                "post falls",
                "hayden",
                "rathdrum",
                "sandpoint",
                "bonners ferry",
                "moscow",
                "lewiston",
                "orofino",
                "kellogg",
                "wallace",
                "saint maries",
                "grangeville",
            ],
            LOS_ANGELES,
        )],
    ),
    region(&["il", "illinois"], CHICAGO),
    region_with(
        &["in", "indiana"],
        "America/Indiana/Indianapolis",
        &[
            // Lake, Porter, LaPorte, Newton, Jasper (northwest) and Gibson, Posey,
            // Vanderburgh, Warrick, Spencer (southwest) counties keep Central time.
            place(
                &[
                    "gary",
                    "hammond",
                    "east chicago",
                    "merrillville",
                    "crown point",
                    "hobart",
                    "schererville",
                    "munster",
                    "highland",
                    "valparaiso",
                    "portage",
                    "chesterton",
                    "michigan city",
                    "la porte",
                    "laporte",
                    "rensselaer",
                    "evansville",
                    "newburgh",
                    "boonville",
                    "princeton",
                    "rockport",
                ],
                CHICAGO,
            ),
            // Clark, Floyd and Harrison counties follow Louisville.
            place(
                &["jeffersonville", "new albany", "clarksville", "corydon"],
                LOUISVILLE,
            ),
            place(&["lawrenceburg", "rising sun"], NEW_YORK),
            place(&["tell city"], "America/Indiana/Tell_City"),
            place(&["knox"], "America/Indiana/Knox"),
            place(&["winamac"], "America/Indiana/Winamac"),
            place(
                &["vincennes", "washington", "jasper", "loogootee"],
                "America/Indiana/Vincennes",
            ),
            place(&["petersburg"], "America/Indiana/Petersburg"),
            place(&["marengo"], "America/Indiana/Marengo"),
            place(&["vevay"], "America/Indiana/Vevay"),
        ],
    ),
    region(&["ia", "iowa"], CHICAGO),
    // Sherman, Wallace, Greeley and Hamilton counties keep Mountain time (Garden City
    // and Dodge City are Central).
    region_with(
        &["ks", "kansas"],
        CHICAGO,
        &[place(
            &["goodland", "sharon springs", "tribune", "syracuse"],
            DENVER,
        )],
    ),
    region_with(
        &["ky", "kentucky"],
        NEW_YORK,
        &[
            place(&["louisville"], LOUISVILLE),
            place(&["monticello"], "America/Kentucky/Monticello"),
            place(
                &[
                    "bowling green",
                    "owensboro",
                    "paducah",
                    "hopkinsville",
                    "henderson",
                    "madisonville",
                    "murray",
                    "mayfield",
                    "glasgow",
                    "russellville",
                    "fort campbell",
                ],
                CHICAGO,
            ),
        ],
    ),
    region(&["la", "louisiana"], CHICAGO),
    region(&["me", "maine"], NEW_YORK),
    region(&["md", "maryland"], NEW_YORK),
    region(&["ma", "massachusetts"], NEW_YORK),
    // Gogebic, Iron, Dickinson and Menominee counties keep Central time.
    region_with(
        &["mi", "michigan"],
        "America/Detroit",
        &[place(
            &[
                "menominee",
                "iron mountain",
                "kingsford",
                "norway",
                "iron river",
                "ironwood",
                "bessemer",
                "wakefield",
            ],
            "America/Menominee",
        )],
    ),
    region(&["mn", "minnesota"], CHICAGO),
    region(&["ms", "mississippi"], CHICAGO),
    region(&["mo", "missouri"], CHICAGO),
    region(&["mt", "montana"], DENVER),
    // The panhandle and the western Sandhills keep Mountain time (North Platte is
    // Central).
    region_with(
        &["ne", "nebraska"],
        CHICAGO,
        &[place(
            &[
                "scottsbluff",
                "gering",
                "alliance",
                "sidney",
                "chadron",
                "ogallala",
                "kimball",
                "imperial",
            ],
            DENVER,
        )],
    ),
    region_with(
        &["nv", "nevada"],
        LOS_ANGELES,
        &[place(
            &["west wendover", "jackpot", "owyhee", "mountain city"],
            DENVER,
        )],
    ),
    region(&["nh", "new hampshire"], NEW_YORK),
    region(&["nj", "new jersey"], NEW_YORK),
    region(&["nm", "new mexico"], DENVER),
    region(&["ny", "new york"], NEW_YORK),
    region(&["nc", "north carolina"], NEW_YORK),
    region_with(
        &["nd", "north dakota"],
        CHICAGO,
        &[
            place(
                &[
                    "dickinson",
                    "belfield",
                    "medora",
                    "beach",
                    "bowman",
                    "hettinger",
                ],
                DENVER,
            ),
            place(&["new salem"], "America/North_Dakota/New_Salem"),
            place(&["center"], "America/North_Dakota/Center"),
            place(&["beulah", "hazen"], "America/North_Dakota/Beulah"),
        ],
    ),
    region(&["oh", "ohio"], NEW_YORK),
    region(&["ok", "oklahoma"], CHICAGO),
    // Most of Malheur County keeps Mountain time.
    region_with(
        &["or", "oregon"],
        LOS_ANGELES,
        &[place(&["ontario", "nyssa", "vale"], BOISE)],
    ),
    region(&["pa", "pennsylvania"], NEW_YORK),
    region(&["ri", "rhode island"], NEW_YORK),
    region(&["sc", "south carolina"], NEW_YORK),
    // West River keeps Mountain time (Pierre is Central).
    region_with(
        &["sd", "south dakota"],
        CHICAGO,
        &[place(
            &[
                "rapid city",
                "box elder",
                "wall",
                "spearfish",
                "lead",
                "deadwood",
                "sturgis",
                "belle fourche",
                "custer",
                "hill city",
                "hot springs",
                "pine ridge",
                "lemmon",
            ],
            DENVER,
        )],
    ),
    // East Tennessee keeps Eastern time; Nashville and Memphis hold most people.
    region_with(
        &["tn", "tennessee"],
        CHICAGO,
        &[place(
            &[
                "knoxville",
                "chattanooga",
                "johnson city",
                "kingsport",
                "bristol",
                "cleveland",
                "oak ridge",
                "maryville",
                "alcoa",
                "morristown",
                "sevierville",
                "gatlinburg",
                "pigeon forge",
                "greeneville",
                "elizabethton",
                "athens",
                "lenoir city",
            ],
            NEW_YORK,
        )],
    ),
    // El Paso and Hudspeth counties keep Mountain time.
    region_with(
        &["tx", "texas"],
        CHICAGO,
        &[place(
            &[
                "el paso",
                "socorro",
                "horizon city",
                "anthony",
                "canutillo",
                "clint",
                "fabens",
                "san elizario",
                "sierra blanca",
                "dell city",
            ],
            DENVER,
        )],
    ),
    region(&["ut", "utah"], DENVER),
    region(&["vt", "vermont"], NEW_YORK),
    region(&["va", "virginia"], NEW_YORK),
    region(&["wa", "washington", "washington state"], LOS_ANGELES),
    region(&["wv", "west virginia"], NEW_YORK),
    region(&["wi", "wisconsin"], CHICAGO),
    region(&["wy", "wyoming"], DENVER),
    region(&["pr", "puerto rico"], "America/Puerto_Rico"),
    region(&["gu", "guam"], "Pacific/Guam"),
    region(
        &[
            "vi",
            "virgin islands",
            "us virgin islands",
            "united states virgin islands",
        ],
        "America/St_Thomas",
    ),
    region(&["as", "american samoa"], "Pacific/Pago_Pago"),
    region(
        &["mp", "northern mariana islands", "northern marianas"],
        "Pacific/Saipan",
    ),
];
