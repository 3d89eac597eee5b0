//! Typed ids: a registration's id cannot be passed where a meeting's is
//! expected, and none is a free-form string. On the wire and in storage
//! each is its text; read back only through `parse` (so through serde
//! too), which takes the ids Didar makes — UUIDs, and an attendee's
//! `{meeting}:{registration}` — and refuses anything else.

use serde::{Deserialize, Serialize};

/// The longest id: two UUIDs and a colon, with room to spare.
pub const MAX_ID_LEN: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an id is 1–100 characters of Latin letters, digits, '-', '_' or ':'")]
pub struct IdError;

fn check(text: &str) -> Result<(), IdError> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':');
    if (1..=MAX_ID_LEN).contains(&text.len()) && text.bytes().all(allowed) {
        Ok(())
    } else {
        Err(IdError)
    }
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(text: &str) -> Result<$name, IdError> {
                check(text).map(|()| $name(text.to_owned()))
            }

            /// A new id from a time and 10 random bytes: a UUIDv7, so ids
            /// sort by creation (the caller owns the randomness).
            pub fn new_v7(at: chrono::DateTime<chrono::Utc>, random: [u8; 10]) -> $name {
                let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
                let uuid = uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid();
                $name(uuid.hyphenated().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        text_conversions!($name, IdError, as_str);

        /// The domain's tests name ids by literal; a bad one is a bug in
        /// the test.
        #[cfg(test)]
        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name::parse(text).unwrap_or_else(|_| panic!("{text:?} is not an id"))
            }
        }
    };
}

id_type!(
    /// A citizen's request (the registration's `request_id`).
    RegistrationId
);
id_type!(
    /// A district meeting.
    MeetingId
);
id_type!(
    /// Someone on a meeting's roster.
    AttendeeId
);
id_type!(
    /// A staff account.
    UserId
);
id_type!(
    /// A phone or tablet staff signed in on.
    DeviceId
);
id_type!(
    /// A photo of a document, named on the device that took it.
    PhotoId
);
id_type!(
    /// A person the server knows by national ID, named without it: the
    /// same key on each of a citizen's requests and on the case files they
    /// own, so a committee's device can match them while the national ID
    /// stays on the server. Made by the server, at random, once per
    /// national ID.
    PersonKey
);

id_type!(
    /// One of a district's local trustees (معتمدین محلی), on its managed
    /// list.
    TrusteeId
);

impl AttendeeId {
    /// A selected citizen's place on a meeting's roster: one per request
    /// and meeting, so selecting again finds the same place.
    pub fn of_citizen(meeting: &MeetingId, registration: &RegistrationId) -> AttendeeId {
        AttendeeId([meeting.as_str(), registration.as_str()].join(":"))
    }

    /// An invited trustee's place: one per trustee and meeting.
    pub fn of_trustee(meeting: &MeetingId, trustee: &TrusteeId) -> AttendeeId {
        AttendeeId([meeting.as_str(), trustee.as_str()].join(":"))
    }
}

/// A deputy mayor's domain (`urban_planning`, `services`, …): lower-case
/// Latin letters, digits and underscores, at most 40. Stored on every
/// request routed there, so never renamed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeputySlug(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeputySlugError {
    #[error("no deputy domain was given")]
    Missing,
    #[error("a deputy domain is lower-case Latin letters, digits and '_', at most 40")]
    Malformed,
}

impl DeputySlug {
    pub const MAX_LEN: usize = 40;

    /// The slug as typed or sent, around spaces trimmed.
    pub fn parse(text: &str) -> Result<DeputySlug, DeputySlugError> {
        let slug = text.trim();
        if slug.is_empty() {
            return Err(DeputySlugError::Missing);
        }
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
        if slug.len() <= Self::MAX_LEN && slug.bytes().all(allowed) {
            Ok(DeputySlug(slug.to_owned()))
        } else {
            Err(DeputySlugError::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(DeputySlug, DeputySlugError, as_str);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_texts_didar_makes_and_nothing_else() {
        let uuid = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(
            RegistrationId::parse(uuid).map(|id| id.to_string()),
            Ok(uuid.into())
        );
        for bad in [
            "",
            " r1",
            "r 1",
            "r1\n",
            "رکورد",
            "a/b",
            &"a".repeat(MAX_ID_LEN + 1),
        ] {
            assert_eq!(MeetingId::parse(bad), Err(IdError), "{bad:?}");
        }
        let read: Result<UserId, _> = serde_json::from_str("\"x y\"");
        assert!(read.is_err(), "serde reads through parse");
    }

    #[test]
    fn a_citizens_place_on_a_roster_is_made_of_the_meeting_and_the_request() {
        let meeting = MeetingId::parse("m1").expect("an id");
        let request = RegistrationId::parse("r7").expect("an id");
        let place = AttendeeId::of_citizen(&meeting, &request);
        assert_eq!(place.as_str(), "m1:r7");
        assert_eq!(AttendeeId::parse(place.as_str()), Ok(place));
    }

    #[test]
    fn a_new_id_is_a_uuid_v7_that_parses() {
        let at = chrono::DateTime::UNIX_EPOCH + chrono::TimeDelta::days(20_000);
        let id = DeviceId::new_v7(at, [7; 10]);
        assert_eq!(
            uuid::Uuid::parse_str(id.as_str()).map(|u| u.get_version_num()),
            Ok(7)
        );
        assert_eq!(DeviceId::parse(id.as_str()), Ok(id));
    }

    #[test]
    fn a_deputy_slug_is_trimmed_and_checked() {
        assert_eq!(
            DeputySlug::parse(" transport ").map(|s| s.to_string()),
            Ok("transport".into())
        );
        assert_eq!(DeputySlug::parse("  "), Err(DeputySlugError::Missing));
        assert_eq!(
            DeputySlug::parse("Transport"),
            Err(DeputySlugError::Malformed)
        );
        assert_eq!(
            DeputySlug::parse(&"a".repeat(41)),
            Err(DeputySlugError::Malformed)
        );
    }
}
