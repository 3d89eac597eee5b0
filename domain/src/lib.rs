//! Didar's domain: the rules of the mayor's public meetings, written once and
//! run in two places — compiled to wasm in the citizen's and staff's browser,
//! and natively in the server, which re-checks everything it receives.
//!
//! No I/O lives here: no clock, no storage, no network. Functions that need
//! the time take it as an argument.

/// The conversions every parse-don't-validate text type shares: shown and
/// serialised as its canonical text, read back only through its `parse`,
/// so an invalid value cannot enter through `FromStr`, `TryFrom` or serde.
macro_rules! text_conversions {
    ($type:ident, $error:ty, $text:ident) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$text())
            }
        }

        impl AsRef<str> for $type {
            fn as_ref(&self) -> &str {
                self.$text()
            }
        }

        impl std::str::FromStr for $type {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $type::parse(s)
            }
        }

        impl TryFrom<String> for $type {
            type Error = $error;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                $type::parse(&s)
            }
        }

        impl From<$type> for String {
            fn from(value: $type) -> String {
                value.$text().to_owned()
            }
        }
    };
}

pub mod auth;
pub mod calls;
pub mod case_files;
pub mod checkin;
pub mod csv;
pub mod district;
pub mod followup;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod jalali;
pub mod meeting;
pub mod person;
pub mod registration;
pub mod review;
pub mod screening;
pub mod sync;
pub mod text;
pub mod time;
pub mod trustees;
