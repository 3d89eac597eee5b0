//! Made-up citizens for tests and benchmarks: valid, distinct national IDs
//! and submissions as a phone makes them.

use chrono::{DateTime, Utc};
use domain::person::national_id_check_digit;
use domain::registration::{RegistrationForm, Submission, TrackingCode};

/// A valid national ID made from a number (distinct numbers, distinct IDs).
pub fn national_id(n: u32) -> String {
    let digits: Vec<u8> = format!("{:09}", n + 100_000)
        .bytes()
        .map(|b| b - b'0')
        .collect();
    let first_nine: [u8; 9] = digits.try_into().expect("nine digits");
    let check = national_id_check_digit(first_nine);
    first_nine
        .iter()
        .chain(std::iter::once(&check))
        .map(|digit| char::from(b'0' + digit))
        .collect()
}

/// A name part made from a number (names may not contain digits).
pub fn letters(mut n: u32) -> String {
    const ALPHABET: [char; 10] = ['ا', 'ب', 'پ', 'ت', 'ج', 'د', 'ر', 'س', 'م', 'ن'];
    let mut text = String::new();
    loop {
        text.push(ALPHABET[(n % 10) as usize]);
        n /= 10;
        if n == 0 {
            return text;
        }
    }
}

/// Citizen `n`'s submission for `district`, made at `made_at`: a fresh
/// request id and a random tracking code, like a phone's.
pub fn submission(n: u32, district: u8, made_at: DateTime<Utc>) -> Submission {
    let mut random = [0u8; 16];
    random.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    Submission {
        request_id: uuid::Uuid::now_v7().to_string(),
        tracking_code: TrackingCode::from_random(random),
        made_at,
        form: RegistrationForm {
            full_name: format!("شهروند {}", letters(n)),
            national_id: national_id(n),
            mobile: format!("0912{:07}", n % 10_000_000),
            district: Some(district),
            topic: "services".into(),
            description: "چراغ‌های کوچهٔ ما چند ماه است خاموش است.".into(),
            case_number: String::new(),
            consent: true,
        },
    }
}
