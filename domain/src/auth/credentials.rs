//! Usernames and the password rule (OWASP ASVS V2.1: at least 12
//! characters, no upper limit below 64, checked against common passwords,
//! no composition rules).

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};
use crate::text::fold_digits;

/// A staff username: 3–32 Latin lower-case letters, digits, `.`, `_`, `-`,
/// starting with a letter. Latin because people type it on shared
/// keyboards and read it to the call centre over the phone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UsernameError {
    #[error("the username is too short or too long")]
    Length,
    #[error(
        "the username has characters other than Latin letters, digits, dot, underscore or hyphen, or does not start with a letter"
    )]
    Characters,
}

impl Localized for UsernameError {
    fn key(&self) -> &'static str {
        match self {
            UsernameError::Length => "username.length",
            UsernameError::Characters => "username.characters",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (UsernameError::Length, Lang::Fa) => "نام کاربری باید بین ۳ تا ۳۲ نویسه باشد.",
            (UsernameError::Length, Lang::En) => "A username has 3 to 32 characters.",
            (UsernameError::Characters, Lang::Fa) => {
                "نام کاربری فقط حروف کوچک انگلیسی، رقم، نقطه، خط تیره و زیرخط دارد و با یک حرف شروع می‌شود."
            }
            (UsernameError::Characters, Lang::En) => {
                "A username has only lower-case Latin letters, digits, dots, hyphens and underscores, and starts with a letter."
            }
        }
    }
}

impl Username {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 32;

    /// Trims and lower-cases first: "Field6 " and "field6" are one account.
    pub fn parse(input: &str) -> Result<Username, UsernameError> {
        let name = fold_digits(input.trim()).to_ascii_lowercase();
        let length = name.chars().count();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&length) {
            return Err(UsernameError::Length);
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if !name.starts_with(|c: char| c.is_ascii_lowercase()) || !name.chars().all(allowed) {
            return Err(UsernameError::Characters);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password an administrator or a user chose, checked against the rule.
/// Deliberately neither `Serialize` nor `Debug`-printable: it must not end
/// up in a log or a stored record.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordRuleError {
    #[error("the password is shorter than 12 characters")]
    TooShort,
    #[error("the password is longer than 128 characters")]
    TooLong,
    #[error("the password is a commonly used one")]
    Common,
    #[error("the password contains the username")]
    ContainsUsername,
}

impl Localized for PasswordRuleError {
    fn key(&self) -> &'static str {
        match self {
            PasswordRuleError::TooShort => "password.too_short",
            PasswordRuleError::TooLong => "password.too_long",
            PasswordRuleError::Common => "password.common",
            PasswordRuleError::ContainsUsername => "password.contains_username",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PasswordRuleError::TooShort, Lang::Fa) => {
                "گذرواژه باید دست‌کم ۱۲ نویسه باشد. یک جملهٔ کوتاه که به خاطر می‌سپارید مناسب است."
            }
            (PasswordRuleError::TooShort, Lang::En) => {
                "A password needs at least 12 characters. A short sentence you will remember works well."
            }
            (PasswordRuleError::TooLong, Lang::Fa) => "گذرواژه نباید بیش از ۱۲۸ نویسه باشد.",
            (PasswordRuleError::TooLong, Lang::En) => "A password may have at most 128 characters.",
            (PasswordRuleError::Common, Lang::Fa) => {
                "این گذرواژه بسیار رایج است و به‌آسانی حدس زده می‌شود. لطفاً گذرواژهٔ دیگری انتخاب کنید."
            }
            (PasswordRuleError::Common, Lang::En) => {
                "This password is very common and easy to guess. Please choose another."
            }
            (PasswordRuleError::ContainsUsername, Lang::Fa) => {
                "گذرواژه نباید نام کاربری را در خود داشته باشد."
            }
            (PasswordRuleError::ContainsUsername, Lang::En) => {
                "A password must not contain the username."
            }
        }
    }
}

/// Passwords of 12 characters or more that leaked lists show most often
/// (a small sample of the top of such lists; shorter ones are refused by
/// length anyway). Compared case-insensitively.
const COMMON: [&str; 24] = [
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "111111111111",
    "000000000000",
    "123123123123",
    "qwertyuiop12",
    "qwertyuiopasdf",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "password1234",
    "password12345",
    "passwordpassword",
    "iloveyou1234",
    "abcdefghijkl",
    "abc123456789",
    "asdfghjkl123",
    "zxcvbnm12345",
    "987654321098",
    "mohammad1234",
    "esfahan12345",
    "isfahan12345",
];

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(password: &str, username: &Username) -> Result<NewPassword, PasswordRuleError> {
        let length = password.chars().count();
        if length < Self::MIN_CHARS {
            return Err(PasswordRuleError::TooShort);
        }
        if length > Self::MAX_CHARS {
            return Err(PasswordRuleError::TooLong);
        }
        let lower = password.to_lowercase();
        if COMMON.contains(&lower.as_str()) || is_one_repeated_char(&lower) {
            return Err(PasswordRuleError::Common);
        }
        if lower.contains(username.as_str()) {
            return Err(PasswordRuleError::ContainsUsername);
        }
        Ok(NewPassword(password.to_string()))
    }

    /// The password, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn is_one_repeated_char(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}

text_conversions!(Username, UsernameError, as_str);

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> Username {
        Username::parse("field6").unwrap()
    }

    #[test]
    fn usernames_are_trimmed_lowercased_and_checked() {
        assert_eq!(Username::parse(" Field6 ").unwrap().as_str(), "field6");
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse("6field"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("علی"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("a b c"), Err(UsernameError::Characters));
    }

    #[test]
    fn a_password_needs_twelve_characters_counted_as_characters_not_bytes() {
        assert_eq!(
            NewPassword::parse("short-pass1", &user()).err(),
            Some(PasswordRuleError::TooShort)
        );
        // Eleven Persian letters are 22 bytes but still too short.
        assert_eq!(
            NewPassword::parse("سلامسلامسلا", &user()).err(),
            Some(PasswordRuleError::TooShort)
        );
        assert!(NewPassword::parse("سلام دنیای زیبا", &user()).is_ok());
    }

    #[test]
    fn common_repeated_and_username_passwords_are_refused() {
        assert_eq!(
            NewPassword::parse("Password1234", &user()).err(),
            Some(PasswordRuleError::Common)
        );
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaaaa", &user()).err(),
            Some(PasswordRuleError::Common)
        );
        assert_eq!(
            NewPassword::parse("my-field6-password", &user()).err(),
            Some(PasswordRuleError::ContainsUsername)
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129), &user()).err(),
            Some(PasswordRuleError::TooLong)
        );
    }

    #[test]
    fn a_new_password_never_prints_itself() {
        let password = NewPassword::parse("correct horse battery", &user()).unwrap();
        assert_eq!(format!("{password:?}"), "NewPassword(…)");
    }
}
