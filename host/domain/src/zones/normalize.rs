//! Matching keys for place names, built in a stack buffer.
//!
//! A key is lowercase ASCII words separated by single spaces: accents are folded
//! ("São Paulo" → "sao paulo"), apostrophes dropped ("Coeur d'Alene" → "coeur dalene"),
//! other punctuation separates words ("Baja-California." → "baja california"), "&" reads
//! "and", and the abbreviations "St", "Ste", "Ft" and "Mt" before another word read
//! "saint", "sainte", "fort" and "mount" ("Ft. St. John" → "fort saint john"). A lone
//! "MT" stays a code (Montana). Every key in the tables is stored in this form.

/// Longest key: longer text names no place in the tables.
const KEY_MAX: usize = 64;

/// The stack buffer a key is built in.
pub(super) struct Key([u8; KEY_MAX]);

impl Key {
    pub(super) const fn new() -> Self {
        Self([0; KEY_MAX])
    }
}

/// The key for `text`, or None when it is empty, too long, or holds a character no key
/// can contain (a non-Latin script).
pub(super) fn normalize<'a>(text: &str, key: &'a mut Key) -> Option<&'a str> {
    let mut out = Writer {
        buf: &mut key.0,
        len: 0,
        word_start: 0,
        pending_space: false,
    };
    for c in text.chars() {
        for lower in c.to_lowercase() {
            match classify(lower) {
                Class::Byte(b) => out.letters(&[b])?,
                Class::Folded(s) => out.letters(s.as_bytes())?,
                Class::Separator => out.pending_space = true,
                Class::Dropped => {}
                Class::And => {
                    out.pending_space = true;
                    out.letters(b"and")?;
                    out.pending_space = true;
                }
                Class::Other => return None,
            }
        }
    }
    let len = out.len;
    if len == 0 {
        return None;
    }
    core::str::from_utf8(&key.0[..len]).ok()
}

struct Writer<'a> {
    buf: &'a mut [u8; KEY_MAX],
    len: usize,
    word_start: usize,
    pending_space: bool,
}

impl Writer<'_> {
    /// Append letters to the current word, first closing the previous word when a
    /// separator came between them.
    fn letters(&mut self, bytes: &[u8]) -> Option<()> {
        if self.pending_space && self.len > 0 {
            self.expand_abbreviation()?;
            self.push(b" ")?;
            self.word_start = self.len;
        }
        self.pending_space = false;
        self.push(bytes)
    }

    fn push(&mut self, bytes: &[u8]) -> Option<()> {
        let end = self.len + bytes.len();
        self.buf.get_mut(self.len..end)?.copy_from_slice(bytes);
        self.len = end;
        Some(())
    }

    /// Spell out the word just finished when it abbreviates one (another word follows).
    fn expand_abbreviation(&mut self) -> Option<()> {
        let full: &[u8] = match &self.buf[self.word_start..self.len] {
            b"st" => b"saint",
            b"ste" => b"sainte",
            b"ft" => b"fort",
            b"mt" => b"mount",
            _ => return Some(()),
        };
        self.len = self.word_start;
        self.push(full)
    }
}

enum Class {
    Byte(u8),
    Folded(&'static str),
    Separator,
    Dropped,
    And,
    Other,
}

/// What a lowercase character contributes to a key.
fn classify(c: char) -> Class {
    if c.is_ascii_alphanumeric() {
        return Class::Byte(c as u8);
    }
    if c.is_whitespace() {
        return Class::Separator;
    }
    match c {
        '-' | '\u{2010}'..='\u{2015}' | '_' | '.' | ',' | '/' | '(' | ')' | ';' | ':' => {
            Class::Separator
        }
        '\'' | '\u{2018}' | '\u{2019}' | '`' | '\u{b4}' | '\u{2bb}' | '\u{2bc}' | '"' => {
            Class::Dropped
        }
        '&' => Class::And,
        _ => fold(c).map_or(Class::Other, Class::Folded),
    }
}

/// The ASCII spelling of a lowercase Latin letter with a diacritic.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ơ' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Option<String> {
        let mut buf = Key::new();
        normalize(text, &mut buf).map(str::to_owned)
    }

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(key("  São Paulo ").as_deref(), Some("sao paulo"));
        assert_eq!(key("QUÉBEC").as_deref(), Some("quebec"));
        assert_eq!(key("Coeur d'Alene").as_deref(), Some("coeur dalene"));
        assert_eq!(key("Coeur d’Alene").as_deref(), Some("coeur dalene"));
        assert_eq!(key("Baja-California.").as_deref(), Some("baja california"));
        assert_eq!(
            key("Trinidad & Tobago").as_deref(),
            Some("trinidad and tobago")
        );
        assert_eq!(
            key("Trinidad&Tobago").as_deref(),
            Some("trinidad and tobago")
        );
        assert_eq!(key("Hawaiʻi").as_deref(), Some("hawaii"));
        assert_eq!(key("US-CA").as_deref(), Some("us ca"));
    }

    #[test]
    fn spells_out_abbreviations_before_a_word() {
        assert_eq!(key("Ft. St. John").as_deref(), Some("fort saint john"));
        assert_eq!(key("St John's").as_deref(), Some("saint johns"));
        assert_eq!(key("Mt Isa").as_deref(), Some("mount isa"));
        assert_eq!(key("MT").as_deref(), Some("mt"));
        assert_eq!(key("Ste-Foy").as_deref(), Some("sainte foy"));
    }

    #[test]
    fn rejects_empty_long_and_foreign_script_text() {
        assert_eq!(key("   "), None);
        assert_eq!(key(" - "), None);
        assert_eq!(key(&"a".repeat(KEY_MAX + 1)), None);
        assert_eq!(key(&"a".repeat(KEY_MAX)).map(|k| k.len()), Some(KEY_MAX));
        assert_eq!(key("Москва"), None);
    }
}
