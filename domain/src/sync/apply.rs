//! `apply`: a command against the records it reads, giving the records it
//! changes — or the reason it is refused. Pure: the browser runs it on the
//! device's copy, the server on the real data, and the server's answer wins.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::command::{Command, CommandId, Envelope, MAX_ABSENT};
use super::form::{
    FormContent, FormError, FormPhoto, FormVersion, MAX_PHOTO_BYTES, Referral, RequestForm,
};
use super::record::{
    Attendee, AttendeeKind, CheckInFact, Closure, Full, LastDigits, MeetingRecord, Record,
    RecordKey, RegistrationRecord, Release, ReleaseReason, Review, Screening, Undo,
};
use super::replica::Records;
use crate::calls::{CallAttempt, CallOutcome, MAX_CALL_ATTEMPTS};
use crate::district::DistrictId;
use crate::followup::{MAX_REPORTS, Outcome, Report};
use crate::i18n::{Lang, Localized};
use crate::ids::{
    AttendeeId, DeputySlug, DeputySlugError, MeetingId, RegistrationId, TrusteeId, UserId,
};
use crate::person::{Mobile, NationalId, PersonName};
use crate::registration::{CaseNumber, Status};
use crate::text::clean_text;
use crate::time::jalali_today;

/// The longest reason, note or summary a committee writes.
const MAX_TEXT: usize = 1000;
/// The longest name of a door or desk ("ورودی شمالی، میز ۲").
pub const MAX_DOOR: usize = 40;
/// The most case files one review links: a citizen with more has one
/// matter the committee should see as one.
pub const MAX_CASE_FILES: usize = 20;
/// The most check-ins kept for one attendee. Every real one is kept
/// (DESIGN §5); this only stops a broken or hostile device from growing a
/// roster entry without bound.
pub const MAX_CHECK_INS: usize = 50;

/// What an accepted command does: the records it writes, in the district
/// whose staff may do it.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub district: DistrictId,
    pub changes: Vec<Record>,
}

/// Why a command is refused. The device shows the sentence and lets its
/// user act on it; it is never dropped silently. Each says what is wrong
/// and what to do (a stored refusal keeps its name, so names never change).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    #[error("the record the command is about does not exist")]
    UnknownRecord,
    /// A status change the state machine does not allow and none of the
    /// more precise reasons below explains.
    #[error("the request's current status does not allow this")]
    WrongStatus,
    #[error("the request has not been reviewed by the executive committee yet")]
    NotReviewedYet,
    #[error("the request has not been screened yet")]
    NotScreenedYet,
    #[error("the request is already past this step")]
    MovedOn,
    #[error("the request was rejected")]
    AlreadyRejected,
    #[error("the citizen withdrew the request")]
    AlreadyWithdrawn,
    #[error("a reason is required, at most 1000 characters")]
    ReasonNeeded,
    #[error("a text is longer than 1000 characters")]
    TextTooLong,
    #[error("a door name is longer than 40 characters")]
    DoorTooLong,
    #[error("more than 20 case files")]
    TooManyCaseFiles,
    #[error("the deputy domain is missing")]
    DeputyNeeded,
    #[error("there is no such deputy domain")]
    UnknownDeputy,
    #[error("the meeting is in another district")]
    OtherDistrict,
    #[error("the check-in to undo does not exist or was already undone")]
    NoSuchCheckIn,
    #[error("this attendee has more check-ins than any real arrival needs")]
    TooManyCheckIns,
    #[error("the request form does not say what was asked")]
    AskedNeeded,
    #[error("the request form has too many versions standing; choose one first")]
    FormConflicted,
    #[error("the photo is larger than the device would ever send")]
    PhotoTooLarge,
    #[error("the request form has as many photos as it may")]
    TooManyPhotos,
    /// The server does not have the picture the command attaches (or has
    /// it for another attendee, or of another size).
    #[error("the photo was not uploaded")]
    PhotoMissing,
    #[error("the meeting was already closed")]
    AlreadyClosed,
    #[error("the person already gave their place at the meeting up")]
    PlaceGivenUp,
    #[error("this person has been called more often than any invitation needs")]
    TooManyCalls,
    #[error("every citizen's place at the meeting is given")]
    MeetingFull,
    #[error("every trustee's place at the meeting is given")]
    TrusteesFull,
    /// An invitation cancelled that is not standing.
    #[error("the trustee is not invited to that meeting (any more)")]
    NotInvited,
    /// A deferral from a meeting the citizen no longer has a place at.
    #[error("the citizen has no place at that meeting (any more)")]
    NotSeatedThere,
    #[error("the list of absentees is longer than any meeting")]
    TooManyAbsent,
    #[error("the request form refers nothing to a deputy")]
    NotReferred,
    /// A postponement without a date, or with one not after today.
    #[error("a new date after today is required")]
    DateNeeded,
    #[error("the referral has more reports than any follow-up needs")]
    TooManyReports,
    #[error("the referral was already reported on; its deputy cannot change")]
    FollowedUp,
    #[error("the walk-in's name is missing or not a name")]
    BadName,
    #[error("the walk-in's mobile is not a mobile number")]
    BadMobile,
    #[error("the walk-in's national ID is missing or invalid")]
    BadNationalId,
    #[error("the author may not do this in this district")]
    NotPermitted,
    #[error("the command was made on another device or for another user")]
    WrongDevice,
    #[error("the command's id was already used by another device")]
    IdTaken,
    #[error("the device's clock is wrong")]
    ClockWrong,
    #[error("the command is older than 30 days")]
    TooOld,
    /// The server's database failed on this one command; nothing of it
    /// was stored, so trying again later judges it afresh.
    #[error("the server could not record the command")]
    ServerFailed,
}

impl Rejection {
    /// Why a request in `from` may not become `to`, as precisely as the
    /// state machine can tell: the committee needs to know whether to wait
    /// for an earlier step, or whether someone else got there first.
    pub fn for_transition(from: Status, to: Status) -> Rejection {
        match (from, to) {
            (Status::Rejected, _) => Rejection::AlreadyRejected,
            (Status::Withdrawn, _) => Rejection::AlreadyWithdrawn,
            (Status::Submitted, Status::Screened | Status::Invited) => Rejection::NotReviewedYet,
            (Status::Reviewed, Status::Invited) => Rejection::NotScreenedYet,
            _ if path_position(from) > path_position(to) => Rejection::MovedOn,
            _ => Rejection::WrongStatus,
        }
    }
}

/// A status's place on the normal path (`Status::ALL` lists it first).
fn path_position(status: Status) -> usize {
    Status::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(usize::MAX)
}

impl Localized for Rejection {
    fn key(&self) -> &'static str {
        match self {
            Rejection::UnknownRecord => "sync.unknown_record",
            Rejection::WrongStatus => "sync.wrong_status",
            Rejection::NotReviewedYet => "sync.not_reviewed_yet",
            Rejection::NotScreenedYet => "sync.not_screened_yet",
            Rejection::MovedOn => "sync.moved_on",
            Rejection::AlreadyRejected => "sync.already_rejected",
            Rejection::AlreadyWithdrawn => "sync.already_withdrawn",
            Rejection::ReasonNeeded => "sync.reason_needed",
            Rejection::TextTooLong => "sync.text_too_long",
            Rejection::DoorTooLong => "sync.door_too_long",
            Rejection::TooManyCaseFiles => "sync.too_many_case_files",
            Rejection::DeputyNeeded => "sync.deputy_needed",
            Rejection::UnknownDeputy => "sync.unknown_deputy",
            Rejection::OtherDistrict => "sync.other_district",
            Rejection::NoSuchCheckIn => "sync.no_such_check_in",
            Rejection::TooManyCheckIns => "sync.too_many_check_ins",
            Rejection::AskedNeeded => "sync.asked_needed",
            Rejection::FormConflicted => "sync.form_conflicted",
            Rejection::PhotoTooLarge => "sync.photo_too_large",
            Rejection::TooManyPhotos => "sync.too_many_photos",
            Rejection::PhotoMissing => "sync.photo_missing",
            Rejection::AlreadyClosed => "sync.already_closed",
            Rejection::PlaceGivenUp => "sync.place_given_up",
            Rejection::NotSeatedThere => "sync.not_seated_there",
            Rejection::TrusteesFull => "sync.trustees_full",
            Rejection::NotInvited => "sync.not_invited",
            Rejection::TooManyCalls => "sync.too_many_calls",
            Rejection::MeetingFull => "sync.meeting_full",
            Rejection::TooManyAbsent => "sync.too_many_absent",
            Rejection::NotReferred => "sync.not_referred",
            Rejection::DateNeeded => "sync.date_needed",
            Rejection::TooManyReports => "sync.too_many_reports",
            Rejection::FollowedUp => "sync.followed_up",
            Rejection::BadName => "sync.bad_name",
            Rejection::BadMobile => "sync.bad_mobile",
            Rejection::BadNationalId => "sync.bad_national_id",
            Rejection::NotPermitted => "sync.not_permitted",
            Rejection::WrongDevice => "sync.wrong_device",
            Rejection::IdTaken => "sync.id_taken",
            Rejection::ClockWrong => "sync.clock_wrong",
            Rejection::TooOld => "sync.too_old",
            Rejection::ServerFailed => "sync.server_failed",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Rejection::UnknownRecord, Lang::Fa) => {
                "این مورد در سامانه پیدا نشد؛ شاید حذف شده یا از دسترس شما خارج شده است."
            }
            (Rejection::UnknownRecord, Lang::En) => {
                "This item was not found; it may have been removed or moved out of your reach."
            }
            (Rejection::WrongStatus, Lang::Fa) => {
                "وضعیت کنونی این درخواست اجازهٔ این کار را نمی‌دهد. وضعیت آن را ببینید و کار مناسب را انجام دهید."
            }
            (Rejection::WrongStatus, Lang::En) => {
                "The request's current status does not allow this. Check its status and choose the fitting step."
            }
            (Rejection::NotReviewedYet, Lang::Fa) => {
                "این درخواست هنوز در کمیتهٔ اجرایی بررسی نشده است؛ پس از بررسی دوباره تلاش کنید."
            }
            (Rejection::NotReviewedYet, Lang::En) => {
                "The executive committee has not reviewed this request yet; try again after its review."
            }
            (Rejection::NotScreenedYet, Lang::Fa) => {
                "این درخواست هنوز در کمیتهٔ تشخیص بررسی نشده است؛ نخست معاونت مربوط را تعیین کنید."
            }
            (Rejection::NotScreenedYet, Lang::En) => {
                "This request has not been screened yet; choose its deputy's domain first."
            }
            (Rejection::MovedOn, Lang::Fa) => {
                "این درخواست پیش از این از این مرحله گذشته است (احتمالاً در دستگاه دیگری)؛ کاری لازم نیست."
            }
            (Rejection::MovedOn, Lang::En) => {
                "This request is already past this step (probably on another device); nothing is needed."
            }
            (Rejection::AlreadyRejected, Lang::Fa) => {
                "این درخواست پیش از این رد شده است و دیگر قابل تغییر نیست."
            }
            (Rejection::AlreadyRejected, Lang::En) => {
                "This request was already rejected and can no longer change."
            }
            (Rejection::AlreadyWithdrawn, Lang::Fa) => {
                "شهروند این درخواست را پس گرفته است و دیگر قابل تغییر نیست."
            }
            (Rejection::AlreadyWithdrawn, Lang::En) => {
                "The citizen withdrew this request; it can no longer change."
            }
            (Rejection::ReasonNeeded, Lang::Fa) => "دلیل را بنویسید (حداکثر ۱۰۰۰ نویسه).",
            (Rejection::ReasonNeeded, Lang::En) => {
                "Please write the reason (at most 1,000 characters)."
            }
            (Rejection::TextTooLong, Lang::Fa) => {
                "متن از ۱۰۰۰ نویسه بلندتر است؛ آن را کوتاه کنید و دوباره بفرستید."
            }
            (Rejection::TextTooLong, Lang::En) => {
                "The text is longer than 1,000 characters; shorten it and send it again."
            }
            (Rejection::DoorTooLong, Lang::Fa) => {
                "نام ورودی یا میز از ۴۰ نویسه بلندتر است؛ نام کوتاه‌تری بگذارید."
            }
            (Rejection::DoorTooLong, Lang::En) => {
                "The door or desk name is longer than 40 characters; choose a shorter one."
            }
            (Rejection::TooManyCaseFiles, Lang::Fa) => {
                "بیش از ۲۰ پرونده پیوند داده شده است؛ پرونده‌های اصلی را نگه دارید."
            }
            (Rejection::TooManyCaseFiles, Lang::En) => {
                "More than 20 case files are linked; keep the main ones."
            }
            (Rejection::DeputyNeeded, Lang::Fa) => "معاونت مربوط را انتخاب کنید.",
            (Rejection::DeputyNeeded, Lang::En) => "Please choose the deputy's domain.",
            (Rejection::UnknownDeputy, Lang::Fa) => {
                "این معاونت در سامانه تعریف نشده است؛ یکی از معاونت‌های فهرست را انتخاب کنید."
            }
            (Rejection::UnknownDeputy, Lang::En) => {
                "This deputy's domain does not exist; choose one from the list."
            }
            (Rejection::OtherDistrict, Lang::Fa) => {
                "این جلسه در منطقهٔ دیگری است؛ جلسه‌ای از منطقهٔ همین درخواست انتخاب کنید."
            }
            (Rejection::OtherDistrict, Lang::En) => {
                "This meeting is in another district; choose a meeting of the request's district."
            }
            (Rejection::NoSuchCheckIn, Lang::Fa) => "این ورود ثبت نشده یا پیش از این لغو شده است.",
            (Rejection::NoSuchCheckIn, Lang::En) => {
                "This check-in does not exist or was already undone."
            }
            (Rejection::TooManyCheckIns, Lang::Fa) => {
                "برای این نفر بیش از اندازه ورود ثبت شده است؛ ورودهای نادرست را لغو کنید."
            }
            (Rejection::TooManyCheckIns, Lang::En) => {
                "This person has too many check-ins recorded; undo the wrong ones."
            }
            (Rejection::AskedNeeded, Lang::Fa) => "بنویسید شهروند چه درخواستی داشت.",
            (Rejection::AskedNeeded, Lang::En) => "Write what the citizen asked for.",
            (Rejection::FormConflicted, Lang::Fa) => {
                "این فرم نسخه‌های ناهمخوان بسیاری دارد؛ نخست یکی را برگزینید یا آن‌ها را یکی کنید."
            }
            (Rejection::FormConflicted, Lang::En) => {
                "This form has too many conflicting versions; choose one or merge them first."
            }
            (Rejection::PhotoTooLarge, Lang::Fa) => {
                "این عکس بزرگ‌تر از اندازهٔ مجاز است؛ آن را دوباره بگیرید."
            }
            (Rejection::PhotoTooLarge, Lang::En) => {
                "This photo is larger than allowed; take it again."
            }
            (Rejection::TooManyPhotos, Lang::Fa) => {
                "این فرم بیشترین شمار عکس را دارد؛ برای افزودن، نخست یکی را حذف کنید."
            }
            (Rejection::TooManyPhotos, Lang::En) => {
                "This form has as many photos as it may; remove one to add another."
            }
            (Rejection::PhotoMissing, Lang::Fa) => {
                "خود عکس به سامانه نرسید؛ آن را دوباره بگیرید و بیفزایید."
            }
            (Rejection::PhotoMissing, Lang::En) => {
                "The picture itself did not reach the server; take it again and add it."
            }
            (Rejection::AlreadyClosed, Lang::Fa) => {
                "این دیدار پیش از این بسته شده است؛ کاری لازم نیست."
            }
            (Rejection::AlreadyClosed, Lang::En) => {
                "This meeting was already closed; nothing is needed."
            }
            (Rejection::PlaceGivenUp, Lang::Fa) => {
                "این فرد پیش از این از جای خود در این دیدار گذشته است (انصراف یا درخواست روز دیگر)؛ نتیجهٔ تماس دیگری لازم نیست."
            }
            (Rejection::PlaceGivenUp, Lang::En) => {
                "This person already gave up their place at this meeting (withdrew or asked for another day); no further call outcome is needed."
            }
            (Rejection::TrusteesFull, Lang::Fa) => {
                "سهمیهٔ معتمدین این دیدار پر شده است؛ معتمد را به دیدار دیگری دعوت کنید."
            }
            (Rejection::TrusteesFull, Lang::En) => {
                "Every trustee's place at this meeting is given; invite the trustee to another meeting."
            }
            (Rejection::NotInvited, Lang::Fa) => {
                "این معتمد به این دیدار دعوت نشده است یا دعوتش پیش از این لغو شده است."
            }
            (Rejection::NotInvited, Lang::En) => {
                "This trustee is not invited to this meeting, or the invitation was already cancelled."
            }
            (Rejection::NotSeatedThere, Lang::Fa) => {
                "این شهروند دیگر در این دیدار جایی ندارد (شاید همکار دیگری او را جابه‌جا کرده یا خودش انصراف داده است)؛ فهرست را دوباره ببینید."
            }
            (Rejection::NotSeatedThere, Lang::En) => {
                "This citizen no longer has a place at this meeting (another member may have moved them, or they withdrew); look at the list again."
            }
            (Rejection::TooManyCalls, Lang::Fa) => {
                "برای این فرد بیش از اندازهٔ لازم تماس ثبت شده است؛ موضوع را به کمیتهٔ تشخیص بگویید."
            }
            (Rejection::TooManyCalls, Lang::En) => {
                "More calls are recorded for this person than any invitation needs; tell the screening committee."
            }
            (Rejection::MeetingFull, Lang::Fa) => {
                "سهمیهٔ شهروندان این دیدار پر شده است؛ درخواست را برای دیدار دیگری انتخاب کنید."
            }
            (Rejection::MeetingFull, Lang::En) => {
                "This meeting's citizens' places are all given; select the request for another meeting."
            }
            (Rejection::TooManyAbsent, Lang::Fa) => {
                "فهرست غایبان از گنجایش هر دیداری بلندتر است؛ فهرست دیدار را دوباره دریافت کنید."
            }
            (Rejection::TooManyAbsent, Lang::En) => {
                "The list of absentees is longer than any meeting holds; download the meeting's roster again."
            }
            (Rejection::NotReferred, Lang::Fa) => {
                "فرم این درخواست به هیچ معاونتی ارجاع نشده است؛ نتیجه‌ای برای ثبت ندارد."
            }
            (Rejection::NotReferred, Lang::En) => {
                "This request's form refers it to no deputy; there is no result to record."
            }
            (Rejection::DateNeeded, Lang::Fa) => {
                "برای زمان بیشتر، تاریخ تازه‌ای پس از امروز و دلیل آن را بنویسید."
            }
            (Rejection::DateNeeded, Lang::En) => {
                "For more time, give a new date after today and the reason."
            }
            (Rejection::TooManyReports, Lang::Fa) => {
                "برای این ارجاع بیش از اندازه گزارش ثبت شده است؛ با کمیتهٔ پیگیری هماهنگ کنید."
            }
            (Rejection::TooManyReports, Lang::En) => {
                "This referral has more reports than any follow-up needs; speak to the follow-up committee."
            }
            (Rejection::FollowedUp, Lang::Fa) => {
                "مدیر منطقه نتیجهٔ این ارجاع را گزارش کرده است؛ معاونت آن دیگر تغییر نمی‌کند."
            }
            (Rejection::FollowedUp, Lang::En) => {
                "The district manager has reported on this referral; its deputy can no longer change."
            }
            (Rejection::BadName, Lang::Fa) => {
                "نام و نام خانوادگی مراجعه‌کننده را کامل و با حروف بنویسید."
            }
            (Rejection::BadName, Lang::En) => "Write the walk-in's full name, in letters.",
            (Rejection::BadMobile, Lang::Fa) => {
                "شمارهٔ همراه مراجعه‌کننده درست نیست؛ آن را به شکل ۰۹xxxxxxxxx بنویسید."
            }
            (Rejection::BadMobile, Lang::En) => {
                "The walk-in's mobile number is not valid; write it as 09xxxxxxxxx."
            }
            (Rejection::BadNationalId, Lang::Fa) => {
                "کد ملی مراجعه‌کننده درست نیست (برای شهروندان لازم است، برای معتمدین اختیاری)."
            }
            (Rejection::BadNationalId, Lang::En) => {
                "The walk-in's national ID is not valid (required of citizens, optional for trustees)."
            }
            (Rejection::NotPermitted, Lang::Fa) => {
                "شما اجازهٔ این کار را در این منطقه ندارید؛ اگر باید داشته باشید، با مدیر سامانه تماس بگیرید."
            }
            (Rejection::NotPermitted, Lang::En) => {
                "You are not allowed to do this in this district; if you should be, contact the administrator."
            }
            (Rejection::WrongDevice, Lang::Fa) => {
                "این کار روی دستگاه یا با حساب دیگری ثبت شده است؛ با همان حساب روی همان دستگاه وارد شوید."
            }
            (Rejection::WrongDevice, Lang::En) => {
                "This was recorded on another device or by another account; sign in with that account on that device."
            }
            (Rejection::IdTaken, Lang::Fa) => {
                "شناسهٔ این کار پیش از این در دستگاه دیگری به کار رفته است؛ «تلاش دوباره» آن را با شناسهٔ تازه می‌فرستد."
            }
            (Rejection::IdTaken, Lang::En) => {
                "This action's id was already used on another device; “try again” sends it with a new id."
            }
            (Rejection::ClockWrong, Lang::Fa) => {
                "تاریخ و ساعت این دستگاه نادرست است؛ آن را درست کنید و دوباره تلاش کنید."
            }
            (Rejection::ClockWrong, Lang::En) => {
                "This device's date and time are wrong; correct them and try again."
            }
            (Rejection::TooOld, Lang::Fa) => {
                "این کار بیش از ۳۰ روز پیش ثبت شده و دیگر پذیرفته نمی‌شود؛ اگر هنوز لازم است، دوباره انجامش دهید."
            }
            (Rejection::TooOld, Lang::En) => {
                "This was recorded more than 30 days ago and is no longer accepted; if it is still needed, do it again."
            }
            (Rejection::ServerFailed, Lang::Fa) => {
                "سامانه نتوانست این کار را ثبت کند و چیزی از آن ذخیره نشد؛ کمی بعد «تلاش دوباره» را بزنید."
            }
            (Rejection::ServerFailed, Lang::En) => {
                "The server could not record this and stored nothing of it; press “try again” in a little while."
            }
        }
    }
}

/// Applies `envelope` to `records`.
pub fn apply(records: &impl Records, envelope: &Envelope) -> Result<Effect, Rejection> {
    // Every time a command writes comes from here: one that could not be
    // carried on the wire is refused, never stored.
    let at = envelope.happened_at().ok_or(Rejection::ClockWrong)?;
    let author = &envelope.author;
    match &envelope.command {
        Command::ReviewRegistration {
            registration,
            case_files,
            note,
        } => {
            let mut record = registration_of(records, registration)?;
            if case_files.len() > MAX_CASE_FILES {
                return Err(Rejection::TooManyCaseFiles);
            }
            // Reviewing again replaces the links: the committee found more.
            if record.status != Status::Reviewed {
                move_status(&mut record, Status::Reviewed)?;
            }
            record.review = Some(Review {
                case_files: case_files.clone(),
                note: short_text(note)?,
                by: author.clone(),
                at,
            });
            Ok(registration_effect(record))
        }
        Command::RejectRegistration {
            registration,
            reason,
        } => {
            let mut record = registration_of(records, registration)?;
            move_status(&mut record, Status::Rejected)?;
            record.rejection = Some(reason_text(reason)?);
            Ok(registration_effect(record))
        }
        Command::ScreenRegistration {
            registration,
            deputy,
            summary,
            priority,
        } => {
            let mut record = registration_of(records, registration)?;
            let deputy = deputy_slug(deputy)?;
            if record.status != Status::Screened {
                move_status(&mut record, Status::Screened)?;
            }
            record.screening = Some(Screening {
                deputy,
                summary: short_text(summary)?,
                priority: *priority,
                by: author.clone(),
                at,
            });
            Ok(registration_effect(record))
        }
        Command::SelectForMeeting {
            registration,
            meeting,
            slot,
        } => select_for_meeting(records, registration, meeting, *slot),
        Command::DeferSelection {
            registration,
            from,
            to,
            slot,
        } => defer_selection(
            records,
            registration,
            (from, to.as_ref()),
            *slot,
            (author, at),
        ),
        Command::InviteTrustee {
            trustee,
            meeting,
            slot,
        } => invite_trustee(records, trustee, meeting, *slot),
        Command::UninviteTrustee { trustee, meeting } => {
            uninvite_trustee(records, trustee, meeting, (author, at))
        }
        Command::RecordCall {
            attendee,
            outcome,
            note,
        } => {
            let call = CallAttempt {
                id: envelope.id.clone(),
                by: author.clone(),
                at,
                outcome: *outcome,
                note: short_text(note)?,
            };
            record_call(records, attendee, call)
        }
        Command::CheckIn { attendee, door } => {
            let mut record = attendee_of(records, attendee)?;
            // A replay of the same check-in changes nothing.
            if !record.check_ins.iter().any(|fact| fact.id == envelope.id) {
                if record.check_ins.len() >= MAX_CHECK_INS {
                    return Err(Rejection::TooManyCheckIns);
                }
                record.check_ins.push(check_in_fact(envelope, door, at)?);
                // Earliest first; the id breaks ties, so every replica
                // orders the same facts the same way.
                record
                    .check_ins
                    .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
            }
            Ok(attendance_effect(records, record))
        }
        Command::UndoCheckIn {
            attendee,
            check_in,
            reason,
        } => {
            let mut record = attendee_of(records, attendee)?;
            let reason = reason_text(reason)?;
            let fact = record
                .check_ins
                .iter_mut()
                .find(|fact| &fact.id == check_in && fact.undone.is_none())
                .ok_or(Rejection::NoSuchCheckIn)?;
            fact.undone = Some(Undo {
                reason,
                by: author.clone(),
                at,
            });
            Ok(attendance_effect(records, record))
        }
        Command::AddWalkIn {
            attendee,
            meeting,
            attendee_kind,
            full_name,
            mobile,
            national_id,
            door,
        } => {
            let Some(Record::Meeting(meeting_record)) = records.get(&RecordKey::meeting(meeting))
            else {
                return Err(Rejection::UnknownRecord);
            };
            if let Some(Record::Attendee(existing)) = records.get(&RecordKey::attendee(attendee)) {
                // The same walk-in applied again (a rebase before the
                // answer arrived) changes nothing; another place with
                // this id is not this walk-in's.
                return if existing.check_ins.iter().any(|fact| fact.id == envelope.id) {
                    Ok(attendee_effect(existing.clone()))
                } else {
                    Err(Rejection::IdTaken)
                };
            }
            let person = WalkInPerson::parse(*attendee_kind, full_name, mobile, national_id)?;
            let record = Attendee {
                id: attendee.clone(),
                meeting: meeting.clone(),
                district: meeting_record.meeting.plan.district,
                registration: None,
                trustee: None,
                full_name: person.name.as_str().to_owned(),
                tracking_code: None,
                deputy: None,
                attendee_kind: *attendee_kind,
                walk_in: true,
                slot: None,
                summary: String::new(),
                case_files: Vec::new(),
                mobile_last4: Some(LastDigits::of_mobile(&person.mobile)),
                national_id_last4: person.national_id.as_ref().map(LastDigits::of_national_id),
                check_ins: vec![check_in_fact(envelope, door, at)?],
                calls: Vec::new(),
                released: None,
            };
            Ok(attendee_effect(record))
        }
        Command::RecordRequestForm {
            attendee,
            seen,
            asked,
            decision,
            referral,
            answer,
        } => {
            let content = FormContent {
                asked: reason_text(asked).map_err(|error| match error {
                    Rejection::ReasonNeeded => Rejection::AskedNeeded,
                    other => other,
                })?,
                decision: short_text(decision)?,
                referral: match referral.trim() {
                    "" => None,
                    slug => Some(deputy_slug(slug)?),
                },
                answer: short_text(answer)?,
            };
            let version = FormVersion {
                id: envelope.id.clone(),
                device: envelope.device.clone(),
                by: author.clone(),
                at,
                content,
            };
            record_request_form(records, attendee, version, seen)
        }
        Command::CloseMeeting { meeting, absent } => {
            close_meeting(records, envelope, meeting, absent, at)
        }
        Command::AttachPhoto {
            attendee,
            photo,
            bytes,
        } => {
            if *bytes == 0 || *bytes > MAX_PHOTO_BYTES {
                return Err(Rejection::PhotoTooLarge);
            }
            let photo = FormPhoto {
                id: photo.clone(),
                bytes: *bytes,
                device: envelope.device.clone(),
                by: author.clone(),
                at,
            };
            change_form(records, attendee, |form| form.attach(photo))
        }
        Command::DetachPhoto { attendee, photo } => change_form(records, attendee, |form| {
            form.detach(photo);
            Ok(())
        }),
        Command::ReportFollowUp {
            attendee,
            outcome,
            note,
            until,
        } => {
            let note = if outcome.needs_note() {
                reason_text(note)?
            } else {
                short_text(note)?
            };
            let report = Report {
                id: envelope.id.clone(),
                outcome: *outcome,
                note,
                until: *until,
                by: author.clone(),
                at,
            };
            report_follow_up(records, attendee, report)
        }
    }
}

/// The referral on the attendee's form with `report` kept, and the
/// citizen's request answered or resolved where the request is at hand.
fn report_follow_up(
    records: &impl Records,
    attendee: &AttendeeId,
    report: Report,
) -> Result<Effect, Rejection> {
    let Some(Record::RequestForm(form)) = records.get(&RecordKey::request_form(attendee)) else {
        return Err(Rejection::UnknownRecord);
    };
    let mut form = form.clone();
    let referral = form.referral.as_mut().ok_or(Rejection::NotReferred)?;
    // The same report again (a rebase before the answer came) is kept once.
    if !referral.reports.iter().any(|kept| kept.id == report.id) {
        check_report(referral, &report)?;
        referral.reports.push(report);
    }
    let outcome = referral.result().map(|result| result.outcome);
    let referral = referral.clone();
    let district = form.district;
    let mut changes = vec![];
    if let Some(id) = &form.registration
        && let Ok(mut request) = registration_of(records, id)
    {
        let status = outcome.map_or(Status::Referred, Outcome::status);
        if request.status != status {
            move_status(&mut request, status)?;
        }
        request.referral = Some(referral);
        changes.push(Record::Registration(request));
    }
    changes.insert(0, Record::RequestForm(form));
    Ok(Effect { district, changes })
}

/// Whether `report` may join the referral's: within the bound, after what
/// stands (see [`Outcome::may_follow`]), and a postponement to a day after
/// the one it is made on.
fn check_report(referral: &Referral, report: &Report) -> Result<(), Rejection> {
    if referral.reports.len() >= MAX_REPORTS {
        return Err(Rejection::TooManyReports);
    }
    if !referral.accepts(report.outcome) {
        return Err(Rejection::MovedOn);
    }
    match (report.outcome, report.until) {
        (Outcome::MoreTime, Some(until)) if until > jalali_today(report.at) => Ok(()),
        (Outcome::MoreTime, _) => Err(Rejection::DateNeeded),
        _ => Ok(()),
    }
}

/// The attendee's request form (a new one if nobody wrote it yet) changed
/// by `change`.
fn change_form(
    records: &impl Records,
    attendee: &AttendeeId,
    change: impl FnOnce(&mut RequestForm) -> Result<(), FormError>,
) -> Result<Effect, Rejection> {
    let place = attendee_of(records, attendee)?;
    let mut form = form_of(records, &place);
    change(&mut form).map_err(form_rejection)?;
    Ok(Effect {
        district: place.district,
        changes: vec![Record::RequestForm(form)],
    })
}

/// The attendee's request form as it stands, or a new one.
fn form_of(records: &impl Records, place: &Attendee) -> RequestForm {
    match records.get(&RecordKey::request_form(&place.id)) {
        Some(Record::RequestForm(form)) => form.clone(),
        _ => RequestForm::for_attendee(place),
    }
}

fn form_rejection(error: FormError) -> Rejection {
    match error {
        FormError::TooManyVersions => Rejection::FormConflicted,
        FormError::TooManyPhotos => Rejection::TooManyPhotos,
        FormError::FollowedUp => Rejection::FollowedUp,
    }
}

/// The meeting closed, and the invited citizens in `absent` who are
/// still not present marked as no-shows.
fn close_meeting(
    records: &impl Records,
    envelope: &Envelope,
    meeting: &MeetingId,
    absent: &[AttendeeId],
    at: DateTime<Utc>,
) -> Result<Effect, Rejection> {
    let Some(Record::Meeting(record)) = records.get(&RecordKey::meeting(meeting)) else {
        return Err(Rejection::UnknownRecord);
    };
    let mut record = record.clone();
    match &record.closed {
        // The same closing applied again (a rebase) changes nothing.
        Some(closure) if closure.command == envelope.id => return Ok(meeting_effect(record)),
        Some(_) => return Err(Rejection::AlreadyClosed),
        None => {}
    }
    if absent.len() > MAX_ABSENT {
        return Err(Rejection::TooManyAbsent);
    }
    let mut changes = Vec::new();
    for id in absent {
        // A place the server does not hold at this meeting (a walk-in it
        // refused) has nobody to mark.
        let Ok(place) = attendee_of(records, id) else {
            continue;
        };
        if &place.meeting != meeting {
            continue;
        }
        // Arrived after all (a check-in synced since the list was made):
        // not a no-show.
        if place.present_since().is_some() {
            continue;
        }
        let Some(mut request) = place
            .registration
            .as_ref()
            .and_then(|id| registration_of(records, id).ok())
        else {
            continue;
        };
        if matches!(request.status, Status::Invited | Status::Confirmed) {
            move_status(&mut request, Status::NoShow)?;
            changes.push(Record::Registration(request));
        }
    }
    record.closed = Some(Closure {
        command: envelope.id.clone(),
        by: envelope.author.clone(),
        at,
        no_shows: changes.len(),
    });
    changes.insert(0, Record::Meeting(record.clone()));
    Ok(Effect {
        district: record.meeting.plan.district,
        changes,
    })
}

fn meeting_effect(record: MeetingRecord) -> Effect {
    Effect {
        district: record.meeting.plan.district,
        changes: vec![Record::Meeting(record)],
    }
}

/// A request form with `version` kept, and the citizen's request moved
/// to `referred` (or back) where the request is at hand.
fn record_request_form(
    records: &impl Records,
    attendee: &AttendeeId,
    version: FormVersion,
    seen: &[CommandId],
) -> Result<Effect, Rejection> {
    let place = attendee_of(records, attendee)?;
    let Some(Record::Meeting(meeting)) = records.get(&RecordKey::meeting(&place.meeting)) else {
        return Err(Rejection::UnknownRecord);
    };
    let mut form = form_of(records, &place);
    form.record(version, seen).map_err(form_rejection)?;
    form.settle_referral(meeting.meeting.plan.starts_at)
        .map_err(form_rejection)?;
    let mut changes = Vec::new();
    if let Some(id) = &place.registration
        && let Ok(mut request) = registration_of(records, id)
        && refer(&mut request, form.referral.as_ref())
    {
        changes.push(Record::Registration(request));
    }
    changes.insert(0, Record::RequestForm(form));
    Ok(Effect {
        district: place.district,
        changes,
    })
}

/// Moves a request along with its form's referral: referred (through
/// `attended` when the check-in has not arrived yet — the citizen was at
/// the table); back to `attended` when the form no longer refers it, or
/// its versions disagree. A request the follow-up has taken further, or
/// one that never reached the meeting, stays where it is. Whether it
/// changed.
fn refer(request: &mut RegistrationRecord, referral: Option<&Referral>) -> bool {
    match (referral, request.status) {
        (Some(referral), Status::Invited | Status::Confirmed | Status::Attended) => {
            request.status = Status::Referred;
            request.referral = Some(referral.clone());
            true
        }
        (Some(referral), Status::Referred) if request.referral.as_ref() != Some(referral) => {
            request.referral = Some(referral.clone());
            true
        }
        // Not a step of the workflow: the form's own referral taken back.
        (None, Status::Referred) => {
            request.status = Status::Attended;
            request.referral = None;
            true
        }
        _ => false,
    }
}

/// A walk-in's details, checked with the registration form's rules: a
/// name and a mobile always, a national ID from citizens (a trustee is
/// known to the district and may not carry one).
pub struct WalkInPerson {
    pub name: PersonName,
    pub mobile: Mobile,
    pub national_id: Option<NationalId>,
}

impl WalkInPerson {
    pub fn parse(
        kind: AttendeeKind,
        full_name: &str,
        mobile: &str,
        national_id: &str,
    ) -> Result<WalkInPerson, Rejection> {
        let name = PersonName::parse(full_name).map_err(|_| Rejection::BadName)?;
        let mobile = Mobile::parse(mobile).map_err(|_| Rejection::BadMobile)?;
        let national_id = match (kind, national_id.trim().is_empty()) {
            (AttendeeKind::Trustee, true) => None,
            _ => Some(NationalId::parse(national_id).map_err(|_| Rejection::BadNationalId)?),
        };
        Ok(WalkInPerson {
            name,
            mobile,
            national_id,
        })
    }
}

/// A check-in as `envelope` records it.
fn check_in_fact(
    envelope: &Envelope,
    door: &str,
    at: DateTime<Utc>,
) -> Result<CheckInFact, Rejection> {
    Ok(CheckInFact {
        id: envelope.id.clone(),
        device: envelope.device.clone(),
        by: envelope.author.clone(),
        door: door_name(door)?,
        at,
        undone: None,
    })
}

/// A roster change after a check-in or its undo, with the citizen's
/// request moved along where the request is at hand (see
/// `Command::reads_after`): present makes an invited request `attended`;
/// the last check-in undone takes it back to `invited`. A request already
/// further on (referred at the tables) stays where it is.
fn attendance_effect(records: &impl Records, attendee: Attendee) -> Effect {
    let mut effect = attendee_effect(attendee.clone());
    let request = attendee
        .registration
        .as_ref()
        .and_then(|id| registration_of(records, id).ok());
    if let Some(mut request) = request {
        let changed = match (attendee.present_since(), request.status) {
            (Some(_), Status::Invited | Status::Confirmed) => {
                move_status(&mut request, Status::Attended).is_ok()
            }
            // A check-in that reached the server after the meeting was
            // closed: the citizen came, so not a no-show (a correction,
            // like the undo below).
            (Some(_), Status::NoShow) => {
                request.status = Status::Attended;
                true
            }
            // Not a step of the workflow: the mistaken check-in's own
            // transition taken back (so no state-machine edge lets any
            // other command lead from attended to invited).
            (None, Status::Attended) => {
                request.status = Status::Invited;
                true
            }
            _ => false,
        };
        if changed {
            effect.changes.push(Record::Registration(request));
        }
    }
    effect
}

/// A call kept on the person's place, and its outcome carried to the
/// request where it is at hand: confirmed, withdrawn (declined) or
/// deferred (another day) — the last two free the place at the meeting.
fn record_call(
    records: &impl Records,
    attendee: &AttendeeId,
    call: CallAttempt,
) -> Result<Effect, Rejection> {
    let mut place = attendee_of(records, attendee)?;
    // The same call applied again (a rebase) changes nothing.
    if place.calls.iter().any(|kept| kept.id == call.id) {
        return Ok(attendee_effect(place));
    }
    if place.released.is_some() {
        return Err(Rejection::PlaceGivenUp);
    }
    if place.calls.len() >= MAX_CALL_ATTEMPTS {
        return Err(Rejection::TooManyCalls);
    }
    let Some(Record::Meeting(meeting)) = records.get(&RecordKey::meeting(&place.meeting)) else {
        return Err(Rejection::UnknownRecord);
    };
    if meeting.closed.is_some() {
        return Err(Rejection::AlreadyClosed);
    }
    let mut changes = Vec::new();
    let request = place
        .registration
        .as_ref()
        .and_then(|id| registration_of(records, id).ok());
    if let Some(mut request) = request {
        let next = match call.outcome {
            CallOutcome::Confirmed => Some(Status::Confirmed),
            CallOutcome::Declined => Some(Status::Withdrawn),
            CallOutcome::Reschedule => Some(Status::Deferred),
            CallOutcome::NoAnswer | CallOutcome::WrongNumber => None,
        };
        if let Some(next) = next.filter(|next| *next != request.status) {
            move_status(&mut request, next)?;
            changes.push(Record::Registration(request));
        }
    }
    if let Some(reason) = ReleaseReason::of_call(call.outcome) {
        place.released = Some(Release {
            reason,
            by: call.by.clone(),
            at: call.at,
        });
        if let Some(request) = &place.registration {
            let mut meeting = meeting.clone();
            meeting.unseat(request);
            changes.push(Record::Meeting(meeting));
        }
    }
    place.calls.push(call);
    changes.insert(0, Record::Attendee(place.clone()));
    Ok(Effect {
        district: place.district,
        changes,
    })
}

fn select_for_meeting(
    records: &impl Records,
    registration: &RegistrationId,
    meeting: &MeetingId,
    slot: Option<DateTime<Utc>>,
) -> Result<Effect, Rejection> {
    let request = registration_of(records, registration)?;
    seat_at(records, request, meeting, slot)
}

/// Gives `request` (screened, or deferred back to the committee) a
/// citizen's place at `meeting`, within its quota.
fn seat_at(
    records: &impl Records,
    mut request: RegistrationRecord,
    meeting: &MeetingId,
    slot: Option<DateTime<Utc>>,
) -> Result<Effect, Rejection> {
    let registration = &request.id.clone();
    let Some(Record::Meeting(meeting_record)) = records.get(&RecordKey::meeting(meeting)) else {
        return Err(Rejection::UnknownRecord);
    };
    if meeting_record.meeting.plan.district != request.district {
        return Err(Rejection::OtherDistrict);
    }
    if meeting_record.closed.is_some() {
        return Err(Rejection::AlreadyClosed);
    }
    // Asked for another day: back on the committee's list, and now on
    // this meeting's.
    if request.status == Status::Deferred {
        move_status(&mut request, Status::Screened)?;
    }
    move_status(&mut request, Status::Invited)?;
    // Two members who fill the last places apart: whichever the server
    // applies second finds the meeting full, on every device.
    let mut meeting_record = meeting_record.clone();
    meeting_record
        .seat(registration)
        .map_err(|Full| Rejection::MeetingFull)?;
    let attendee = Attendee {
        id: AttendeeId::of_citizen(meeting, registration),
        meeting: meeting.clone(),
        district: request.district,
        registration: Some(request.id.clone()),
        trustee: None,
        full_name: request.full_name.clone(),
        tracking_code: Some(request.tracking_code),
        deputy: request.screening.as_ref().map(|s| s.deputy.clone()),
        attendee_kind: AttendeeKind::Citizen,
        walk_in: false,
        slot,
        summary: request
            .screening
            .as_ref()
            .map(|s| s.summary.clone())
            .unwrap_or_default(),
        case_files: linked_case_files(&request),
        mobile_last4: request.mobile_last4.clone(),
        national_id_last4: request.national_id_last4.clone(),
        check_ins: Vec::new(),
        calls: Vec::new(),
        released: None,
    };
    Ok(Effect {
        district: request.district,
        changes: vec![
            Record::Registration(request),
            Record::Attendee(attendee),
            Record::Meeting(meeting_record),
        ],
    })
}

/// Gives a trustee of the district's list a place at `meeting`, within
/// the trustees' quota; inviting again only moves the slot.
fn invite_trustee(
    records: &impl Records,
    trustee: &TrusteeId,
    meeting: &MeetingId,
    slot: Option<DateTime<Utc>>,
) -> Result<Effect, Rejection> {
    let Some(Record::Trustee(listed)) = records.get(&RecordKey::trustee(trustee)) else {
        return Err(Rejection::UnknownRecord);
    };
    let Some(Record::Meeting(meeting_record)) = records.get(&RecordKey::meeting(meeting)) else {
        return Err(Rejection::UnknownRecord);
    };
    if meeting_record.meeting.plan.district != listed.district {
        return Err(Rejection::OtherDistrict);
    }
    if meeting_record.closed.is_some() {
        return Err(Rejection::AlreadyClosed);
    }
    let mut meeting_record = meeting_record.clone();
    meeting_record
        .invite(trustee)
        .map_err(|Full| Rejection::TrusteesFull)?;
    let id = AttendeeId::of_trustee(meeting, trustee);
    let place = match records.get(&RecordKey::attendee(&id)) {
        // Invited again: the same place, with its check-ins, taken back
        // if it was given up.
        Some(Record::Attendee(place)) => Attendee {
            slot,
            released: None,
            ..place.clone()
        },
        _ => Attendee {
            id,
            meeting: meeting.clone(),
            district: listed.district,
            registration: None,
            trustee: Some(trustee.clone()),
            full_name: listed.full_name.clone(),
            tracking_code: None,
            deputy: None,
            attendee_kind: AttendeeKind::Trustee,
            walk_in: false,
            slot,
            summary: [listed.neighbourhood.as_str(), listed.group.as_str()]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" — "),
            case_files: Vec::new(),
            mobile_last4: Some(listed.mobile_last4.clone()),
            national_id_last4: None,
            check_ins: Vec::new(),
            calls: Vec::new(),
            released: None,
        },
    };
    Ok(Effect {
        district: listed.district,
        changes: vec![Record::Attendee(place), Record::Meeting(meeting_record)],
    })
}

/// Frees an invited trustee's place at `meeting`, keeping it marked.
fn uninvite_trustee(
    records: &impl Records,
    trustee: &TrusteeId,
    meeting: &MeetingId,
    (by, at): (&UserId, DateTime<Utc>),
) -> Result<Effect, Rejection> {
    let mut place = attendee_of(records, &AttendeeId::of_trustee(meeting, trustee))
        .map_err(|_| Rejection::NotInvited)?;
    if place.released.is_some() {
        return Err(Rejection::NotInvited);
    }
    let Some(Record::Meeting(meeting_record)) = records.get(&RecordKey::meeting(meeting)) else {
        return Err(Rejection::UnknownRecord);
    };
    if meeting_record.closed.is_some() {
        return Err(Rejection::AlreadyClosed);
    }
    let mut meeting_record = meeting_record.clone();
    meeting_record.uninvite(trustee);
    place.released = Some(Release {
        reason: ReleaseReason::Uninvited,
        by: by.clone(),
        at,
    });
    Ok(Effect {
        district: place.district,
        changes: vec![Record::Attendee(place), Record::Meeting(meeting_record)],
    })
}

/// Moves a citizen seated at `from` to `to`, or back to the waiting list:
/// the place at `from` is freed and kept, marked as moved.
fn defer_selection(
    records: &impl Records,
    registration: &RegistrationId,
    (from, to): (&MeetingId, Option<&MeetingId>),
    slot: Option<DateTime<Utc>>,
    (by, at): (&UserId, DateTime<Utc>),
) -> Result<Effect, Rejection> {
    let mut request = registration_of(records, registration)?;
    if to == Some(from) {
        return Err(Rejection::NotSeatedThere);
    }
    let mut place = attendee_of(records, &AttendeeId::of_citizen(from, registration))
        .map_err(|_| Rejection::NotSeatedThere)?;
    if place.released.is_some() || !matches!(request.status, Status::Invited | Status::Confirmed) {
        return Err(Rejection::NotSeatedThere);
    }
    let Some(Record::Meeting(left)) = records.get(&RecordKey::meeting(from)) else {
        return Err(Rejection::UnknownRecord);
    };
    if left.closed.is_some() {
        return Err(Rejection::AlreadyClosed);
    }
    let mut left = left.clone();
    left.unseat(registration);
    place.released = Some(Release {
        reason: ReleaseReason::Moved,
        by: by.clone(),
        at,
    });
    move_status(&mut request, Status::Deferred)?;
    let mut effect = match to {
        Some(to) => seat_at(records, request, to, slot)?,
        None => registration_effect(request),
    };
    effect
        .changes
        .extend([Record::Attendee(place), Record::Meeting(left)]);
    Ok(effect)
}

/// The case files a request brings to the meeting: the committee's links,
/// and the number the citizen wrote if the committee did not link it.
fn linked_case_files(request: &RegistrationRecord) -> Vec<CaseNumber> {
    let mut files = request
        .review
        .as_ref()
        .map(|review| review.case_files.clone())
        .unwrap_or_default();
    if let Some(own) = &request.case_number
        && !files.contains(own)
    {
        files.push(own.clone());
    }
    files
}

fn registration_of(
    records: &impl Records,
    id: &RegistrationId,
) -> Result<RegistrationRecord, Rejection> {
    match records.get(&RecordKey::registration(id)) {
        Some(Record::Registration(record)) => Ok(record.clone()),
        _ => Err(Rejection::UnknownRecord),
    }
}

fn attendee_of(records: &impl Records, id: &AttendeeId) -> Result<Attendee, Rejection> {
    match records.get(&RecordKey::attendee(id)) {
        Some(Record::Attendee(record)) => Ok(record.clone()),
        _ => Err(Rejection::UnknownRecord),
    }
}

fn move_status(record: &mut RegistrationRecord, next: Status) -> Result<(), Rejection> {
    if record.status.can_become(next) {
        record.status = next;
        Ok(())
    } else {
        Err(Rejection::for_transition(record.status, next))
    }
}

fn registration_effect(record: RegistrationRecord) -> Effect {
    Effect {
        district: record.district,
        changes: vec![Record::Registration(record)],
    }
}

fn attendee_effect(record: Attendee) -> Effect {
    Effect {
        district: record.district,
        changes: vec![Record::Attendee(record)],
    }
}

fn short_text(text: &str) -> Result<String, Rejection> {
    let text = clean_text(text);
    if text.chars().count() > MAX_TEXT {
        return Err(Rejection::TextTooLong);
    }
    Ok(text)
}

fn reason_text(text: &str) -> Result<String, Rejection> {
    match short_text(text) {
        Ok(text) if !text.is_empty() => Ok(text),
        _ => Err(Rejection::ReasonNeeded),
    }
}

fn door_name(text: &str) -> Result<String, Rejection> {
    let door = clean_text(text);
    if door.chars().count() > MAX_DOOR {
        return Err(Rejection::DoorTooLong);
    }
    Ok(door)
}

/// A deputy's slug as the city's data spells them (`urban_planning`).
/// Whether the city has that deputy is the server's check (`judge`): the
/// device's list of deputies is not among the synced records yet.
fn deputy_slug(text: &str) -> Result<DeputySlug, Rejection> {
    DeputySlug::parse(text).map_err(|error| match error {
        DeputySlugError::Missing => Rejection::DeputyNeeded,
        DeputySlugError::Malformed => Rejection::UnknownDeputy,
    })
}
