//! The tracking code (کد رهگیری) a citizen receives the moment they submit a
//! registration — on the phone, even offline — and later reads to a call
//! operator, types into the status page or shows at the door.
//!
//! A code is nine symbols: eight random ones and a check symbol. The symbols
//! avoid the characters people misread or mistype, the check symbol catches
//! every single typo and every swap of two symbols, and the random part is
//! drawn from bytes the caller supplies (the browser's or the server's
//! cryptographic generator), so codes are neither sequential nor guessable
//! and this module stays free of any source of randomness.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};
use crate::text::{fold_digits, is_bidi_mark};

/// The symbols of a code, in value order: the digits 2–9 and the Latin
/// capitals without I, L, O, Q and U.
///
/// 0/O, 1/I/L and U/V are the classic misreadings. Q is left out too: on a
/// small screen or a poor print its tail disappears and it reads as O or 0,
/// and dropping it leaves 29 symbols. 29 is prime, which is what lets a
/// simple weighted checksum catch every substitution and every transposition
/// (see [`check_value`]); with 30 symbols no weighted sum modulo 30 can.
const ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPRSTVWXYZ";
const RADIX: u64 = 29;
/// Symbols drawn at random.
const RANDOM_LEN: usize = 8;
/// Symbols in a code: the random ones and the check symbol.
const LEN: usize = RANDOM_LEN + 1;
/// 29⁸, the number of different random parts.
const RANDOM_SPACE: u64 = RADIX.pow(RANDOM_LEN as u32);

/// A valid tracking code: nine upper-case ASCII symbols from
/// [`TrackingCode::ALPHABET`] whose check symbol matches.
///
/// The eight random symbols give 29⁸ ≈ 5.0 × 10¹¹ codes (about 39 bits).
/// That is plenty against guessing — a lookup also needs the mobile number
/// and is rate-limited (DESIGN §6) — but not enough to make collisions
/// impossible: among a million codes one repeated pair is expected by the
/// birthday bound. Codes are made offline on phones, so a code can arrive
/// that is already taken, and the server has to notice and settle it (give
/// the newcomer a new code in its receipt) rather than trust it is unique.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode([u8; LEN]);

/// Why a text is not a tracking code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackingCodeError {
    #[error("the tracking code is empty")]
    Empty,
    #[error("a tracking code has exactly 9 symbols")]
    WrongLength,
    #[error(
        "a tracking code contains only the digits 2-9 and Latin letters other than I, L, O, Q and U"
    )]
    InvalidCharacter,
    #[error("the tracking code's check symbol does not match; a symbol was probably mistyped")]
    BadCheck,
}

impl Localized for TrackingCodeError {
    fn key(&self) -> &'static str {
        match self {
            TrackingCodeError::Empty => "tracking_code.empty",
            TrackingCodeError::WrongLength => "tracking_code.wrong_length",
            TrackingCodeError::InvalidCharacter => "tracking_code.invalid_character",
            TrackingCodeError::BadCheck => "tracking_code.bad_check",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TrackingCodeError::Empty, Lang::Fa) => "لطفاً کد رهگیری خود را وارد کنید.",
            (TrackingCodeError::Empty, Lang::En) => "Please enter your tracking code.",
            (TrackingCodeError::WrongLength, Lang::Fa) => {
                "کد رهگیری ۹ حرف و رقم دارد. لطفاً آن را دوباره بررسی کنید."
            }
            (TrackingCodeError::WrongLength, Lang::En) => {
                "A tracking code has 9 letters and digits. Please check it and try again."
            }
            (TrackingCodeError::InvalidCharacter, Lang::Fa) => {
                "کد رهگیری فقط از حروف انگلیسی و رقم تشکیل می‌شود. لطفاً صفحه‌کلید را انگلیسی کنید و کد را همان‌طور که در رسید یا پیامک آمده است وارد کنید."
            }
            (TrackingCodeError::InvalidCharacter, Lang::En) => {
                "A tracking code contains only English letters and digits. Please switch your keyboard to English and type the code exactly as shown on your receipt or SMS."
            }
            (TrackingCodeError::BadCheck, Lang::Fa) => {
                "این کد رهگیری درست نیست؛ احتمالاً یکی از حروف یا رقم‌ها اشتباه وارد شده است. لطفاً آن را دوباره بررسی کنید."
            }
            (TrackingCodeError::BadCheck, Lang::En) => {
                "This tracking code is not right; a letter or digit was probably mistyped. Please check it and try again."
            }
        }
    }
}

/// The value 0..29 of an upper-case symbol, `None` for anything else.
fn symbol_value(c: char) -> Option<u8> {
    let byte = u8::try_from(c).ok()?;
    let index = ALPHABET.iter().position(|&s| s == byte)?;
    u8::try_from(index).ok()
}

/// The symbol for a value; values are always below 29, the fallback is
/// never used.
fn symbol(value: u64) -> u8 {
    usize::try_from(value)
        .ok()
        .and_then(|i| ALPHABET.get(i))
        .copied()
        .unwrap_or(ALPHABET[0])
}

/// The weight of each position in the checksum: 9, 8, …, 2 for the random
/// symbols and 1 for the check symbol.
const fn weight(position: usize) -> u64 {
    (LEN - position) as u64
}

/// The weighted sum of the symbol values, modulo 29. A valid code sums to 0.
///
/// Why this catches the errors people make, for every code:
/// - one symbol changed from value a to b changes the sum by
///   w·(b − a); w is 1..=9 and b − a is ±1..±28, neither a multiple of the
///   prime 29, so their product is not either;
/// - two symbols a ≠ b at positions i and j swapped changes the sum by
///   (wᵢ − wⱼ)·(b − a); the weights are distinct and below 29, so
///   wᵢ − wⱼ is ±1..±8 and, again, the product is not a multiple of 29.
///
/// This holds for swaps of any two positions, adjacent or not.
fn weighted_sum(values: &[u8; LEN]) -> u64 {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| weight(i) * u64::from(v))
        .sum::<u64>()
        % RADIX
}

/// The check value that makes the weighted sum of `random` and it 0
/// modulo 29 (its own weight is 1).
fn check_value(random: &[u8; RANDOM_LEN]) -> u64 {
    let partial: u64 = random
        .iter()
        .enumerate()
        .map(|(i, &v)| weight(i) * u64::from(v))
        .sum();
    (RADIX - partial % RADIX) % RADIX
}

/// Dashes people and phones put between groups of a code.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{00AD}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Characters nobody can see that arrive when a code is pasted from an SMS.
fn is_invisible(c: char) -> bool {
    is_bidi_mark(c) || matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}')
}

impl TrackingCode {
    /// The symbols a code is written with, in value order.
    pub const ALPHABET: &'static str = "23456789ABCDEFGHJKMNPRSTVWXYZ";
    /// The number of symbols in a code.
    pub const LEN: usize = LEN;

    /// A new code from 16 random bytes, which the caller takes from a
    /// cryptographically secure generator (`crypto.getRandomValues` in the
    /// browser, the OS generator on the server).
    ///
    /// The bytes are read as one 128-bit number and its remainder modulo
    /// 29⁸ gives the eight random symbols as base-29 digits. Nothing is
    /// rejected and redrawn; the remainder is uniform to within
    /// 29⁸ / 2¹²⁸ ≈ 1.5 × 10⁻²⁷, far below anything measurable.
    pub fn from_random(bytes: [u8; 16]) -> TrackingCode {
        // The u128 remainder is below 29⁸ < 2⁴⁰, so it fits in a u64 and the
        // digits are taken with cheap 64-bit arithmetic.
        let mut rest = u64::try_from(u128::from_be_bytes(bytes) % u128::from(RANDOM_SPACE))
            .unwrap_or_default();
        let mut random = [0u8; RANDOM_LEN];
        for value in &mut random {
            // rest % 29 < 29 fits in a u8.
            *value = (rest % RADIX) as u8;
            rest /= RADIX;
        }
        let mut code = [0u8; LEN];
        for (out, &value) in code.iter_mut().zip(&random) {
            *out = symbol(u64::from(value));
        }
        code[RANDOM_LEN] = symbol(check_value(&random));
        TrackingCode(code)
    }

    /// Reads a code as people type or paste it: any letter case, Persian or
    /// Arabic-Indic digits, and spaces, hyphens or invisible marks anywhere
    /// ("abc-def-ghj", "ABC DEF GHJ").
    ///
    /// No look-alike is silently corrected (an O is not read as 0, which is
    /// not a symbol either): a wrong guess would turn a typo the check
    /// symbol can report into a different person's code.
    pub fn parse(input: &str) -> Result<TrackingCode, TrackingCodeError> {
        let mut values = Vec::with_capacity(LEN);
        for c in fold_digits(input).chars() {
            if c.is_whitespace() || is_dash(c) || is_invisible(c) {
                continue;
            }
            let value =
                symbol_value(c.to_ascii_uppercase()).ok_or(TrackingCodeError::InvalidCharacter)?;
            values.push(value);
        }
        if values.is_empty() {
            return Err(TrackingCodeError::Empty);
        }
        let values = <[u8; LEN]>::try_from(values).map_err(|_| TrackingCodeError::WrongLength)?;
        if weighted_sum(&values) != 0 {
            return Err(TrackingCodeError::BadCheck);
        }
        Ok(TrackingCode(values.map(|v| symbol(u64::from(v)))))
    }

    /// The nine symbols, "ABCDEFGHJ": the form stored and sent.
    pub fn as_str(&self) -> &str {
        // Every byte is an ASCII symbol of the alphabet, so this never
        // fails.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The code in three groups of three, "ABC-DEF-GHJ", the way it is
    /// shown, printed and read aloud. ASCII digits in both interfaces: a
    /// code mixes Latin letters and digits, and Persian digits among Latin
    /// letters would only confuse. In a right-to-left page render it in a
    /// left-to-right isolate (`<bdi dir="ltr">`).
    pub fn display(&self) -> String {
        let s = self.as_str();
        format!(
            "{}-{}-{}",
            s.get(..3).unwrap_or_default(),
            s.get(3..6).unwrap_or_default(),
            s.get(6..).unwrap_or_default()
        )
    }
}

impl fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TrackingCode").field(&self.as_str()).finish()
    }
}

text_conversions!(TrackingCode, TrackingCodeError, as_str);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::text::to_persian_digits;

    /// SplitMix64: a tiny deterministic generator, good enough to stand in
    /// for the secure one in tests.
    struct SplitMix64(u64);

    impl SplitMix64 {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn bytes(&mut self) -> [u8; 16] {
            let mut out = [0u8; 16];
            out[..8].copy_from_slice(&self.next().to_le_bytes());
            out[8..].copy_from_slice(&self.next().to_le_bytes());
            out
        }
    }

    fn codes(seed: u64, n: usize) -> Vec<TrackingCode> {
        let mut rng = SplitMix64(seed);
        (0..n)
            .map(|_| TrackingCode::from_random(rng.bytes()))
            .collect()
    }

    fn with_symbol(code: &TrackingCode, position: usize, symbol: u8) -> String {
        let mut bytes = code.0;
        bytes[position] = symbol;
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn the_alphabet_has_29_distinct_unambiguous_symbols() {
        assert_eq!(TrackingCode::ALPHABET.as_bytes(), ALPHABET);
        assert_eq!(ALPHABET.len(), 29);
        let distinct: HashSet<u8> = ALPHABET.iter().copied().collect();
        assert_eq!(distinct.len(), 29);
        for excluded in b"01ILOQU" {
            assert!(!ALPHABET.contains(excluded), "{}", char::from(*excluded));
        }
        assert!(
            ALPHABET
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
    }

    #[test]
    fn a_new_code_has_nine_symbols_from_the_alphabet_and_a_matching_check() {
        for code in codes(1, 1000) {
            assert_eq!(code.as_str().len(), TrackingCode::LEN);
            assert!(code.as_str().bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(TrackingCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn the_same_random_bytes_give_the_same_code_and_the_extremes_work() {
        assert_eq!(
            TrackingCode::from_random([7; 16]),
            TrackingCode::from_random([7; 16])
        );
        // All-zero bytes give the all-"2" random part, whose check is "2".
        assert_eq!(TrackingCode::from_random([0; 16]).as_str(), "222222222");
        assert!(TrackingCode::parse(TrackingCode::from_random([255; 16]).as_str()).is_ok());
    }

    #[test]
    fn the_checksum_catches_every_substitution_and_transposition_of_any_code() {
        // A proof by exhaustion over the checksum itself, independent of any
        // particular code: each error changes the weighted sum by a non-zero
        // amount modulo 29.
        for i in 0..LEN {
            for a in 0..RADIX {
                for b in (0..RADIX).filter(|&b| b != a) {
                    let substitution = weight(i) * (a + RADIX - b) % RADIX;
                    assert_ne!(substitution, 0, "position {i}: {a} -> {b}");
                    for j in (i + 1)..LEN {
                        // Swapping a at i with b at j changes the sum by
                        // (wᵢ − wⱼ)·(b − a).
                        let swap = (weight(i) - weight(j)) * (b + RADIX - a) % RADIX;
                        assert_ne!(swap, 0, "positions {i},{j}: {a} <-> {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_single_symbol_typo_in_a_code_is_reported() {
        for code in codes(2, 200) {
            for position in 0..LEN {
                for &other in ALPHABET.iter().filter(|&&s| s != code.0[position]) {
                    let typo = with_symbol(&code, position, other);
                    assert_eq!(
                        TrackingCode::parse(&typo),
                        Err(TrackingCodeError::BadCheck),
                        "{typo} from {code}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_swap_of_two_adjacent_symbols_in_a_code_is_reported() {
        let mut swaps = 0;
        for code in codes(3, 2000) {
            for position in 0..LEN - 1 {
                let mut bytes = code.0;
                if bytes[position] == bytes[position + 1] {
                    continue;
                }
                bytes.swap(position, position + 1);
                let swapped = String::from_utf8(bytes.to_vec()).unwrap();
                assert_eq!(
                    TrackingCode::parse(&swapped),
                    Err(TrackingCodeError::BadCheck),
                    "{swapped} from {code}"
                );
                swaps += 1;
            }
        }
        assert!(swaps > 15_000);
    }

    #[test]
    fn the_displayed_form_is_three_groups_and_reads_back_as_the_same_code() {
        for code in codes(4, 1000) {
            let shown = code.display();
            assert_eq!(shown.len(), 11);
            assert_eq!(shown.get(3..4), Some("-"));
            assert_eq!(shown.get(7..8), Some("-"));
            assert_eq!(shown.replace('-', ""), code.as_str());
            assert_eq!(TrackingCode::parse(&shown), Ok(code));
        }
    }

    #[test]
    fn a_code_is_read_in_lower_case_with_persian_digits_spaces_and_hyphens() {
        let code = TrackingCode::from_random([42; 16]);
        let canonical = code.as_str().to_owned();
        let typed = [
            canonical.to_ascii_lowercase(),
            to_persian_digits(&code.display()),
            format!(
                " {} ",
                canonical
                    .chars()
                    .fold(String::new(), |s, c| format!("{s}{c} "))
            ),
            format!(
                "\u{200F}{}\u{200E}",
                code.display().replace('-', "\u{2013}")
            ),
        ];
        for input in typed {
            assert_eq!(TrackingCode::parse(&input), Ok(code), "{input:?}");
        }
    }

    #[test]
    fn look_alike_characters_are_refused_rather_than_guessed() {
        let code = TrackingCode::from_random([9; 16]);
        for wrong in [b'0', b'O', b'1', b'I', b'L', b'U', b'Q'] {
            let typed = with_symbol(&code, 4, wrong);
            assert_eq!(
                TrackingCode::parse(&typed),
                Err(TrackingCodeError::InvalidCharacter),
                "{typed}"
            );
        }
        // A Persian letter, as typed with the keyboard still in Persian.
        assert_eq!(
            TrackingCode::parse("شذز۲۳۴۵۶۷"),
            Err(TrackingCodeError::InvalidCharacter)
        );
    }

    #[test]
    fn empty_and_wrong_length_input_is_refused() {
        assert_eq!(TrackingCode::parse(""), Err(TrackingCodeError::Empty));
        assert_eq!(TrackingCode::parse(" - "), Err(TrackingCodeError::Empty));
        let code = TrackingCode::from_random([5; 16]);
        let s = code.as_str();
        assert_eq!(
            TrackingCode::parse(&s[..8]),
            Err(TrackingCodeError::WrongLength)
        );
        assert_eq!(
            TrackingCode::parse(&format!("{s}2")),
            Err(TrackingCodeError::WrongLength)
        );
    }

    #[test]
    fn a_code_round_trips_through_json_and_a_mistyped_one_is_refused() {
        let code = TrackingCode::from_random([3; 16]);
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
        assert_eq!(serde_json::from_str::<TrackingCode>(&json).unwrap(), code);
        let typo = with_symbol(&code, 0, if code.0[0] == b'2' { b'3' } else { b'2' });
        assert!(serde_json::from_str::<TrackingCode>(&format!("\"{typo}\"")).is_err());
    }

    /// The value of each ASCII symbol, looked up by byte (a linear search
    /// per symbol would dominate a million-code test in a debug build).
    fn value_table() -> [u8; 128] {
        let mut table = [u8::MAX; 128];
        for (value, &symbol) in ALPHABET.iter().enumerate() {
            table[usize::from(symbol)] = u8::try_from(value).unwrap();
        }
        table
    }

    #[test]
    fn a_million_codes_repeat_no_more_often_than_chance_and_use_every_symbol_evenly() {
        // With 29⁸ ≈ 5.0e11 random parts, a million codes hold on average
        // n(n−1)/(2·29⁸) ≈ 1.0 repeated pair (the birthday bound), so "no
        // repeat at all" would be luck, not a property. What must hold is
        // that repeats are as rare as chance allows (more than 6 has a
        // probability below 10⁻⁴ and would point at a biased generator)
        // and that each symbol is equally likely at every random position.
        const N: usize = 1_000_000;
        let mut rng = SplitMix64(0x5EED);
        let mut seen: HashSet<u64> = HashSet::with_capacity(N);
        let mut repeats = 0;
        let mut counts = [[0u32; 29]; RANDOM_LEN];
        let table = value_table();
        for _ in 0..N {
            let code = TrackingCode::from_random(rng.bytes());
            // The random part packed into one number, for a compact set
            // (the check symbol follows from it).
            let mut packed = 0u64;
            for position in 0..RANDOM_LEN {
                let value = table[usize::from(code.0[position])];
                packed = packed * RADIX + u64::from(value);
                counts[position][usize::from(value)] += 1;
            }
            if !seen.insert(packed) {
                repeats += 1;
            }
        }
        assert!(repeats <= 6, "{repeats} repeated codes");
        // Chi-squared with 28 degrees of freedom: above 70 has a
        // probability below 10⁻⁵ for a uniform source.
        let expected = N as f64 / 29.0;
        for (position, row) in counts.iter().enumerate() {
            let chi2: f64 = row
                .iter()
                .map(|&c| (f64::from(c) - expected).powi(2) / expected)
                .sum();
            assert!(chi2 < 70.0, "position {position}: chi² = {chi2}");
        }
    }

    #[test]
    fn every_error_has_a_unique_key_and_a_sentence_in_each_language() {
        let errors = [
            TrackingCodeError::Empty,
            TrackingCodeError::WrongLength,
            TrackingCodeError::InvalidCharacter,
            TrackingCodeError::BadCheck,
        ];
        let keys: HashSet<&str> = errors.iter().map(|e| e.key()).collect();
        assert_eq!(keys.len(), errors.len());
        for error in errors {
            let fa = error.message(Lang::Fa);
            let en = error.message(Lang::En);
            assert!(fa.ends_with('.') && en.ends_with('.'), "{}", error.key());
            assert!(en.is_ascii(), "{}", error.key());
            assert!(
                !fa.chars().any(|c| matches!(c, 'ي' | 'ك' | '0'..='9')),
                "{}",
                error.key()
            );
        }
    }
}
