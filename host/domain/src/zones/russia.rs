//! Russia's federal subjects and their zones, MSK-1 to MSK+9.
//!
//! Which subject keeps which zone, and the districts of Sakha and Sakhalin that keep
//! another, follow the "covers" notes in the IANA tz database's `europe` file. Keys are
//! the ISO 3166-2 code, the English name and the Russian adjective form
//! ("tverskaya"); "Oblast", "Krai", "Republic" and the like are stripped before
//! matching. Crimea and Sevastopol are listed because Russian HR data names them.

use super::regions::{Region, place, region, region_with};

const MOSCOW: &str = "Europe/Moscow";
const SAMARA: &str = "Europe/Samara";
const YEKATERINBURG: &str = "Asia/Yekaterinburg";
const BARNAUL: &str = "Asia/Barnaul";
const KRASNOYARSK: &str = "Asia/Krasnoyarsk";
const IRKUTSK: &str = "Asia/Irkutsk";
const YAKUTSK: &str = "Asia/Yakutsk";
const VLADIVOSTOK: &str = "Asia/Vladivostok";
const SREDNEKOLYMSK: &str = "Asia/Srednekolymsk";

pub(super) static REGIONS: &[Region] = &[
    // MSK-1
    region(
        &["kgd", "kaliningrad", "kaliningradskaya"],
        "Europe/Kaliningrad",
    ),
    // MSK
    region(&["mow", "moscow", "moskva", "moscow city"], MOSCOW),
    region(
        &["mos", "moscow oblast", "moskovskaya", "podmoskovye"],
        MOSCOW,
    ),
    region(
        &[
            "spe",
            "spb",
            "saint petersburg",
            "sankt peterburg",
            "petersburg",
        ],
        MOSCOW,
    ),
    region(&["len", "leningrad", "leningradskaya"], MOSCOW),
    region(&["ad", "adygea", "adygeya", "adygeja"], MOSCOW),
    region(&["da", "dagestan"], MOSCOW),
    region(&["in", "ingushetia"], MOSCOW),
    region(
        &[
            "kb",
            "kabardino balkaria",
            "kabardino balkar",
            "kabardino balkarian",
        ],
        MOSCOW,
    ),
    region(&["kl", "kalmykia"], MOSCOW),
    region(
        &[
            "kc",
            "karachay cherkessia",
            "karachay cherkess",
            "karachaevo cherkessia",
        ],
        MOSCOW,
    ),
    region(&["kr", "karelia"], MOSCOW),
    region(&["ko", "komi"], MOSCOW),
    region(&["me", "mari el"], MOSCOW),
    region(&["mo", "mordovia"], MOSCOW),
    region(
        &["se", "north ossetia", "north ossetia alania", "alania"],
        MOSCOW,
    ),
    region(&["ta", "tatarstan"], MOSCOW),
    region(&["ce", "chechnya", "chechen"], MOSCOW),
    region(&["cu", "chuvashia", "chuvash"], MOSCOW),
    region(&["kda", "krasnodar", "krasnodarsky", "kuban"], MOSCOW),
    region(&["sta", "stavropol", "stavropolsky"], MOSCOW),
    region(&["ark", "arkhangelsk", "arkhangelskaya"], MOSCOW),
    region(&["bel", "belgorod", "belgorodskaya"], MOSCOW),
    region(&["bry", "bryansk", "bryanskaya"], MOSCOW),
    region(&["vla", "vladimir", "vladimirskaya"], MOSCOW),
    region(&["vlg", "vologda", "vologodskaya"], MOSCOW),
    region(&["vor", "voronezh", "voronezhskaya"], MOSCOW),
    region(&["iva", "ivanovo", "ivanovskaya"], MOSCOW),
    region(&["klu", "kaluga", "kaluzhskaya"], MOSCOW),
    region(&["kos", "kostroma", "kostromskaya"], MOSCOW),
    region(&["krs", "kursk", "kurskaya"], MOSCOW),
    region(&["lip", "lipetsk", "lipetskaya"], MOSCOW),
    region(&["mur", "murmansk", "murmanskaya"], MOSCOW),
    region(
        &[
            "niz",
            "nizhny novgorod",
            "nizhniy novgorod",
            "nizhegorodskaya",
        ],
        MOSCOW,
    ),
    region(
        &["ngr", "novgorod", "novgorodskaya", "veliky novgorod"],
        MOSCOW,
    ),
    region(&["orl", "oryol", "orel", "orlovskaya"], MOSCOW),
    region(&["pnz", "penza", "penzenskaya"], MOSCOW),
    region(&["psk", "pskov", "pskovskaya"], MOSCOW),
    region(&["ros", "rostov", "rostovskaya", "rostov on don"], MOSCOW),
    region(&["rya", "ryazan", "ryazanskaya"], MOSCOW),
    region(&["smo", "smolensk", "smolenskaya"], MOSCOW),
    region(&["tam", "tambov", "tambovskaya"], MOSCOW),
    region(&["tve", "tver", "tverskaya"], MOSCOW),
    region(&["tul", "tula", "tulskaya"], MOSCOW),
    region(&["yar", "yaroslavl", "yaroslavskaya"], MOSCOW),
    region(&["nen", "nenets", "nenetsky"], MOSCOW),
    region(&["kir", "kirov", "kirovskaya"], "Europe/Kirov"),
    region(&["vgg", "volgograd", "volgogradskaya"], "Europe/Volgograd"),
    region(&["crimea", "krym"], "Europe/Simferopol"),
    region(&["sevastopol"], "Europe/Simferopol"),
    // MSK+1
    region(&["ast", "astrakhan", "astrakhanskaya"], "Europe/Astrakhan"),
    region(&["sar", "saratov", "saratovskaya"], "Europe/Saratov"),
    region(&["uly", "ulyanovsk", "ulyanovskaya"], "Europe/Ulyanovsk"),
    region(&["sam", "samara", "samarskaya"], SAMARA),
    region(&["ud", "udmurtia", "udmurt"], SAMARA),
    // MSK+2
    region(&["ba", "bashkortostan", "bashkiria"], YEKATERINBURG),
    region(&["per", "perm", "permsky"], YEKATERINBURG),
    region(&["kgn", "kurgan", "kurganskaya"], YEKATERINBURG),
    region(&["ore", "orenburg", "orenburgskaya"], YEKATERINBURG),
    region(
        &["sve", "sverdlovsk", "sverdlovskaya", "yekaterinburg"],
        YEKATERINBURG,
    ),
    region(&["tyu", "tyumen", "tyumenskaya"], YEKATERINBURG),
    region(&["che", "chelyabinsk", "chelyabinskaya"], YEKATERINBURG),
    region(
        &[
            "khm",
            "khanty mansi",
            "khanty mansiysk",
            "yugra",
            "khanty mansi autonomous okrug yugra",
        ],
        YEKATERINBURG,
    ),
    region(
        &["yan", "yamalo nenets", "yamalo nenetsky", "yamal"],
        YEKATERINBURG,
    ),
    // MSK+3
    region(&["oms", "omsk", "omskaya"], "Asia/Omsk"),
    // MSK+4
    region(
        &["nvs", "novosibirsk", "novosibirskaya"],
        "Asia/Novosibirsk",
    ),
    region(
        &["al", "altai republic", "altay republic", "gorno altai"],
        BARNAUL,
    ),
    region(&["alt", "altai", "altay", "altaysky"], BARNAUL),
    region(&["tom", "tomsk", "tomskaya"], "Asia/Tomsk"),
    region(
        &["kem", "kemerovo", "kemerovskaya", "kuzbass"],
        "Asia/Novokuznetsk",
    ),
    region(&["kya", "krasnoyarsk", "krasnoyarsky"], KRASNOYARSK),
    region(&["kk", "khakassia", "khakasia"], KRASNOYARSK),
    region(&["ty", "tuva", "tyva"], KRASNOYARSK),
    // MSK+5
    region(&["irk", "irkutsk", "irkutskaya"], IRKUTSK),
    region(&["bu", "buryatia"], IRKUTSK),
    // MSK+6
    region(
        &[
            "zab",
            "zabaykalsky",
            "zabaikalsky",
            "transbaikal",
            "transbaikalia",
            "chita",
        ],
        "Asia/Chita",
    ),
    region(&["amu", "amur", "amurskaya"], YAKUTSK),
    // Sakha: most people live on Yakutsk time; the northeastern and Oymyakon
    // districts keep later zones.
    region_with(
        &["sa", "sakha", "yakutia", "sakha yakutia"],
        YAKUTSK,
        &[
            place(&["verkhoyansk", "batagay", "deputatsky"], VLADIVOSTOK),
            place(&["khandyga", "ust maya"], "Asia/Khandyga"),
            place(&["ust nera", "oymyakon", "tomtor"], "Asia/Ust-Nera"),
            place(
                &[
                    "srednekolymsk",
                    "zyryanka",
                    "chersky",
                    "chokurdakh",
                    "belaya gora",
                    "khonuu",
                ],
                SREDNEKOLYMSK,
            ),
        ],
    ),
    // MSK+7
    region(&["pri", "primorsky", "primorye"], VLADIVOSTOK),
    region(&["kha", "khabarovsk", "khabarovsky"], VLADIVOSTOK),
    region(
        &["yev", "jewish", "jewish autonomous", "yevreyskaya"],
        VLADIVOSTOK,
    ),
    // MSK+8
    region(&["mag", "magadan", "magadanskaya"], "Asia/Magadan"),
    region_with(
        &["sak", "sakhalin", "sakhalinskaya"],
        "Asia/Sakhalin",
        &[place(
            &["severo kurilsk", "north kuril islands", "paramushir"],
            SREDNEKOLYMSK,
        )],
    ),
    // MSK+9
    region(&["kam", "kamchatka", "kamchatsky"], "Asia/Kamchatka"),
    region(&["chu", "chukotka", "chukotsky", "chukchi"], "Asia/Anadyr"),
];
