//! The citizen's registration (DESIGN §2 step 1): the form and its rules,
//! the weekly window and the grace period for requests made offline, the
//! tracking code given on submit, and the status a request moves through
//! afterwards.
//!
//! The same code runs in two places. The browser runs it while the citizen
//! types and when they submit, possibly offline, so mistakes are shown at
//! once and the tracking code exists before any network does. The server
//! runs it again on every request it receives and is the authority: what it
//! refuses is refused, whatever the phone said.

mod form;
mod status;
mod tracking;
mod window;
mod wire;

pub use form::{
    CaseNumber, CaseNumberError, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, Field, FormError,
    Registration, RegistrationForm, Topic, normalize_description,
};
pub use status::Status;
pub use tracking::{TrackingCode, TrackingCodeError};
pub use window::{WindowError, WindowId, WindowRule, WindowRuleError, WindowState};
pub use wire::{
    Invitation, LookupAnswer, LookupQuery, Receipt, RegistrationOptions, Submission, WindowSetting,
};
