//! Persian text rules: digit conversion for input and display, the search
//! fold, and the canonical form of values people type.
//!
//! Persian keyboards differ (Windows, Android, iOS and the old Arabic layout
//! each produce different code points for what looks like the same letter),
//! so text is made canonical before it is stored or compared. The browser and
//! the server run this same code, so a search typed offline finds the same
//! rows as one answered by the server.

use crate::i18n::Lang;

/// Zero-width non-joiner (نیم‌فاصله): part of correct Persian spelling
/// ("می‌خواهم"), so stored text keeps it, but search ignores it because many
/// people type a plain join or a space instead.
const ZWNJ: char = '\u{200C}';
/// Zero-width joiner: never meaningful in names or searches.
const ZWJ: char = '\u{200D}';
/// Tatweel (kashida): a stretching stroke used for decoration only.
const TATWEEL: char = '\u{0640}';
const FARSI_YEH: char = '\u{06CC}';
const KEHEH: char = '\u{06A9}';
const HEH: char = '\u{0647}';
const ALEF: char = '\u{0627}';
const WAW: char = '\u{0648}';

/// The value of a Persian (U+06F0–06F9), Arabic-Indic (U+0660–0669) or ASCII
/// digit. Phones in Iran produce all three, often mixed in one number.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        _ => None,
    }
}

/// The ASCII digit for a Persian or Arabic-Indic digit; any other character
/// unchanged.
fn fold_digit(c: char) -> char {
    match c {
        '\u{06F0}'..='\u{06F9}' | '\u{0660}'..='\u{0669}' => {
            // Both ranges are ten consecutive code points, so the offset is
            // the digit's value and 0..=9 always has an ASCII digit.
            digit_value(c)
                .and_then(|d| char::from_digit(d, 10))
                .unwrap_or(c)
        }
        _ => c,
    }
}

/// Converts Persian and Arabic-Indic digits to ASCII so that numbers typed
/// on any keyboard can be parsed; every other character is left alone.
pub fn fold_digits(s: &str) -> String {
    s.chars().map(fold_digit).collect()
}

/// Converts ASCII digits to Persian digits for display in the Persian
/// interface; everything else is left alone.
pub fn to_persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Digits as readers of `lang` expect them: Persian digits in the Persian
/// interface, ASCII in the English one.
pub fn localize_digits(s: &str, lang: Lang) -> String {
    match lang {
        Lang::Fa => to_persian_digits(s),
        Lang::En => s.to_owned(),
    }
}

/// Invisible characters that only steer the bidirectional algorithm. They
/// arrive by copy-and-paste from other apps and would make equal-looking
/// values differ.
pub(crate) fn is_bidi_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Arabic diacritics (harakat, tanwin, shadda, superscript alef). Rarely
/// typed, and a reader treats a word with or without them as the same word.
pub(crate) fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

/// The search key of a text: two spellings a Persian reader would call the
/// same word get the same key.
///
/// This is the fold of DESIGN §9, applied identically in the browser and on
/// the server: Arabic letter forms become their Persian counterparts, hamza
/// and madda variants of alef, waw and yeh become the plain letter, digits
/// become ASCII, diacritics, tatweel, ZWNJ/ZWJ and bidi marks disappear,
/// whitespace runs become one space, and ASCII letters are lowercased. ZWNJ is
/// dropped rather than turned into a space, so "میخواهم" and "می‌خواهم" match.
/// The result is for comparison only; the original is kept for display.
pub fn normalize_for_search(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let c = match c {
            '\u{064A}' | '\u{0649}' | '\u{0626}' => FARSI_YEH,
            '\u{0643}' => KEHEH,
            '\u{0629}' | '\u{06C0}' => HEH,
            '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' => ALEF,
            '\u{0624}' => WAW,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => fold_digit(c),
        };
        if is_diacritic(c) || c == TATWEEL || c == ZWNJ || c == ZWJ || is_bidi_mark(c) {
            // Dropped without ending a whitespace run, so "a \u{200C} b"
            // still folds to "a b".
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Characters that are never part of what a person meant to type: control
/// characters (NUL, ESC, …; tabs and newlines count as whitespace and are
/// handled as such) and invisible format characters that arrive by
/// copy-and-paste and make equal-looking values differ — zero-width space,
/// word joiner and its invisible operators, byte-order mark, soft hyphen,
/// Mongolian vowel separator. ZWNJ and ZWJ are not here: they are Persian
/// orthography (DESIGN §9).
pub(crate) fn is_invisible_junk(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(
            c,
            '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
        )
}

/// The canonical form of a value a person typed, to be stored and shown.
///
/// Unlike [`normalize_for_search`] this keeps the person's spelling: only
/// differences that no reader can see are removed. Arabic yeh and kaf become
/// their Persian forms (Arabic keyboards produce them for Persian words),
/// digits become ASCII, bidi marks and invisible junk
/// ([`is_invisible_junk`]) go, whitespace runs become one space and the
/// ends are trimmed. ZWNJ is correct Persian orthography and stays, but a
/// ZWNJ next to a space or at either end joins nothing and is removed, and
/// a run of ZWNJs counts as one.
pub fn normalize_input(s: &str) -> String {
    canonical(s, Digits::Ascii)
}

/// Free text a person wrote for other people to read (a door's name, a
/// note, a reason, a summary, a device's name): canonical like
/// [`normalize_input`], but its digits stay as typed — "در ۲" is shown back
/// as "در ۲", not "در 2".
pub fn clean_text(s: &str) -> String {
    canonical(s, Digits::AsTyped)
}

#[derive(Clone, Copy, PartialEq)]
enum Digits {
    Ascii,
    AsTyped,
}

fn canonical(s: &str, digits: Digits) -> String {
    let mut out = String::with_capacity(s.len());
    // The separator run being read: None outside a run, Some(true) when the
    // run contains a space, Some(false) when it holds only ZWNJs.
    let mut separator: Option<bool> = None;
    for c in s.chars() {
        let c = match c {
            '\u{064A}' | '\u{0649}' => FARSI_YEH,
            '\u{0643}' => KEHEH,
            _ if digits == Digits::Ascii => fold_digit(c),
            _ => c,
        };
        if is_bidi_mark(c) || is_invisible_junk(c) {
            continue;
        }
        if c.is_whitespace() || c == ZWNJ {
            let has_space = c != ZWNJ;
            separator = Some(separator.unwrap_or(false) || has_space);
            continue;
        }
        if let Some(has_space) = separator.take() {
            // A separator before the first visible character is dropped: it
            // is leading whitespace or a ZWNJ joining nothing.
            if !out.is_empty() {
                out.push(if has_space { ' ' } else { ZWNJ });
            }
        }
        out.push(c);
    }
    // A separator still open here is trailing and is dropped.
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn persian_and_arabic_indic_digits_fold_to_ascii() {
        assert_eq!(fold_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(fold_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(fold_digits("کد ۱۲۳ و ٤٥6"), "کد 123 و 456");
    }

    #[test]
    fn ascii_digits_are_shown_as_persian_digits_in_the_persian_interface() {
        assert_eq!(to_persian_digits("1405/09/05"), "۱۴۰۵/۰۹/۰۵");
        assert_eq!(localize_digits("14:30", Lang::Fa), "۱۴:۳۰");
        assert_eq!(localize_digits("14:30", Lang::En), "14:30");
    }

    #[test]
    fn every_digit_form_has_its_value() {
        assert_eq!(digit_value('7'), Some(7));
        assert_eq!(digit_value('۷'), Some(7));
        assert_eq!(digit_value('٧'), Some(7));
        assert_eq!(digit_value('a'), None);
    }

    #[test]
    fn arabic_letter_forms_fold_to_their_persian_counterparts_for_search() {
        assert_eq!(normalize_for_search("علي"), "علی");
        assert_eq!(normalize_for_search("موسى"), "موسی");
        assert_eq!(normalize_for_search("مسئول"), "مسیول");
        assert_eq!(normalize_for_search("كريم"), "کریم");
        assert_eq!(normalize_for_search("فاطمة"), "فاطمه");
        assert_eq!(normalize_for_search("خانۀ"), "خانه");
        assert_eq!(normalize_for_search("أحمد إمام آرش ٱ"), "احمد امام ارش ا");
        assert_eq!(normalize_for_search("مؤمن"), "مومن");
    }

    #[test]
    fn a_word_typed_with_or_without_zwnj_folds_to_the_same_search_key() {
        assert_eq!(
            normalize_for_search("می\u{200C}خواهم"),
            normalize_for_search("میخواهم")
        );
    }

    #[test]
    fn diacritics_tatweel_joiners_and_bidi_marks_are_ignored_by_search() {
        assert_eq!(normalize_for_search("مُحَمَّد"), "محمد");
        assert_eq!(normalize_for_search("رحمٰن"), "رحمن");
        assert_eq!(normalize_for_search("اصـــفهان"), "اصفهان");
        assert_eq!(
            normalize_for_search("\u{200F}اصفهان\u{200E}\u{2067}\u{2069}\u{202B}\u{061C}\u{200D}"),
            "اصفهان"
        );
    }

    #[test]
    fn search_collapses_whitespace_and_ignores_latin_case() {
        assert_eq!(normalize_for_search("  Ali \t\n REZAEI  "), "ali rezaei");
        assert_eq!(
            normalize_for_search("علی\u{00A0}\u{200C} رضایی"),
            "علی رضایی"
        );
        assert_eq!(normalize_for_search("   "), "");
        assert_eq!(normalize_for_search("۰۹۱۲"), "0912");
    }

    #[test]
    fn stored_input_gets_persian_letters_and_ascii_digits_but_keeps_its_spelling() {
        assert_eq!(normalize_input("  علي   كريمي  "), "علی کریمی");
        assert_eq!(normalize_input("موسى ۱۲"), "موسی 12");
        // Hamza forms, teh marbuta and diacritics are the person's spelling.
        assert_eq!(normalize_input("مسئول فاطمة مُحمد"), "مسئول فاطمة مُحمد");
    }

    #[test]
    fn stored_input_keeps_zwnj_inside_a_word() {
        assert_eq!(normalize_input("محمد\u{200C}رضا"), "محمد\u{200C}رضا");
        assert_eq!(
            normalize_input("محمد\u{200C}\u{200C}رضا"),
            "محمد\u{200C}رضا"
        );
    }

    #[test]
    fn stored_input_drops_zwnj_at_the_ends_and_next_to_spaces() {
        assert_eq!(normalize_input("\u{200C}علی\u{200C}"), "علی");
        assert_eq!(normalize_input("علی\u{200C} رضایی"), "علی رضایی");
        assert_eq!(normalize_input("علی \u{200C}رضایی"), "علی رضایی");
        assert_eq!(normalize_input("\u{200C} \u{200C}"), "");
    }

    #[test]
    fn stored_input_drops_bidi_marks() {
        assert_eq!(
            normalize_input("\u{202B}علی\u{202C} \u{200F}رضایی"),
            "علی رضایی"
        );
    }

    #[test]
    fn stored_input_drops_control_and_invisible_format_characters() {
        assert_eq!(
            normalize_input("ع\u{0}ل\u{1B}ی\u{200B} \u{2060}رضا\u{FEFF}یی\u{00AD}"),
            "علی رضایی"
        );
        // A tab or a newline is whitespace, not junk: it separates words.
        assert_eq!(normalize_input("علی\tرضایی"), "علی رضایی");
    }

    #[test]
    fn free_text_keeps_its_digits_as_typed_and_loses_the_same_junk() {
        assert_eq!(clean_text("  در ۲\u{200B} "), "در ۲");
        assert_eq!(clean_text("door 2\u{0}"), "door 2");
        assert_eq!(clean_text("علي\u{200C}\u{200C}رضا"), "علی\u{200C}رضا");
    }

    fn interesting_text() -> impl Strategy<Value = String> {
        let tricky = prop::sample::select(vec![
            ' ', '\t', '\n', '\u{00A0}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}',
            '\u{061C}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{0640}', '\u{064B}',
            '\u{0650}', '\u{065F}', '\u{0670}', 'ي', 'ى', 'ئ', 'ك', 'ة', 'ۀ', 'أ', 'إ', 'آ', 'ٱ',
            'ؤ', 'ی', 'ک', 'ه', 'ا', 'و', 'م', '۵', '٥', '5', 'A', 'z', '\u{0}', '\u{1B}',
            '\u{200B}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
        ]);
        prop::collection::vec(prop_oneof![3 => tricky, 1 => any::<char>()], 0..40)
            .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn the_search_fold_is_idempotent(s in interesting_text()) {
            let once = normalize_for_search(&s);
            prop_assert_eq!(normalize_for_search(&once), once);
        }

        #[test]
        fn the_search_fold_leaves_no_invisible_or_arabic_variant_characters(s in interesting_text()) {
            let folded = normalize_for_search(&s);
            for bad in ['\u{200C}', '\u{200D}', '\u{0640}', 'ي', 'ى', 'ك', '\u{200F}'] {
                prop_assert!(!folded.contains(bad), "{:?} kept {:?}", folded, bad);
            }
            prop_assert!(!folded.contains("  "));
            prop_assert_eq!(folded.trim(), folded.as_str());
            prop_assert!(!folded.chars().any(|c| c.is_ascii_uppercase()));
            prop_assert!(!folded.chars().any(|c| c.is_whitespace() && c != ' '));
        }

        #[test]
        fn persian_digits_fold_back_to_the_ascii_digits_they_came_from(s in "[0-9]{0,30}") {
            prop_assert_eq!(fold_digits(&to_persian_digits(&s)), s);
        }

        #[test]
        fn normalized_input_is_canonical(s in interesting_text()) {
            let once = normalize_input(&s);
            prop_assert_eq!(normalize_input(&once), once.clone());
            for bad in ['ي', 'ى', 'ك', '\u{200F}', '\u{202E}', '۵', '٥'] {
                prop_assert!(!once.contains(bad), "{:?} kept {:?}", once, bad);
            }
            prop_assert!(!once.contains("  "));
            let zwnj_by_space = once.contains("\u{200C} ") || once.contains(" \u{200C}");
            prop_assert!(!zwnj_by_space, "{:?} has a ZWNJ next to a space", once);
            prop_assert!(!once.contains("\u{200C}\u{200C}"), "{:?} has a ZWNJ run", once);
            let loose_ends = once.starts_with([' ', ZWNJ]) || once.ends_with([' ', ZWNJ]);
            prop_assert!(!loose_ends, "{:?} has a separator at an end", once);
            prop_assert!(!once.chars().any(|c| c.is_whitespace() && c != ' '));
            prop_assert!(!once.chars().any(is_invisible_junk), "{:?} kept junk", once);
        }

        #[test]
        fn clean_text_is_normalized_input_but_for_the_digits(s in interesting_text()) {
            let cleaned = clean_text(&s);
            prop_assert_eq!(clean_text(&cleaned), cleaned.clone());
            prop_assert_eq!(fold_digits(&cleaned), normalize_input(&s));
        }
    }
}
