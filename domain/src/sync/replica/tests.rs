//! Convergence (DESIGN §5, issue "sync engine"): devices make commands
//! offline, push them in random order with lost answers, duplicates and
//! replays, pull at random moments — and in the end every device shows what
//! the server has, and no command the server acknowledged is lost or applied
//! twice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use crate::calls::CallOutcome;

use super::*;
use crate::district::DistrictId;
use crate::ids::{AttendeeId, RegistrationId};
use crate::meeting::{Meeting, MeetingError, MeetingPlan};
use crate::registration::{CaseNumber, Status, TrackingCode};
use crate::screening::Priority;
use crate::sync::{
    Attendee, AttendeeKind, Command, Full, LastDigits, MAX_CASE_FILES, MAX_CHECK_INS,
    MAX_COMMAND_AGE, MAX_COMMAND_LEAD, MAX_DOOR, MeetingRecord, Outcome, RegistrationRecord,
    apply as apply_command,
};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 6, 0, 0)
        .single()
        .expect("a valid instant")
}

fn district() -> DistrictId {
    DistrictId::new(6).expect("district 6")
}

const REGISTRATIONS: usize = 4;
/// Fewer places than requests: devices selecting apart sometimes fill the
/// last one together.
const CITIZEN_QUOTA: u16 = 1;
const ATTENDEES: usize = 3;
/// Walk-in ids the devices may make: few, so two devices sometimes pick
/// the same one (the second is refused, never merged into the first).
const WALK_INS: usize = 2;

/// The server's data before the devices start: requests in several
/// statuses, a meeting, and a roster.
fn initial() -> Replica {
    let mut replica = Replica::new();
    for index in 0..REGISTRATIONS {
        let status = [Status::Submitted, Status::Reviewed, Status::Screened][index % 3];
        replica.put(Record::Registration(RegistrationRecord {
            tracking_code: TrackingCode::from_random([index as u8; 16]),
            status,
            submitted_at: start(),
            mobile_last4: LastDigits::parse(&format!("{:04}", 1000 + index)).ok(),
            ..RegistrationRecord::sample(&format!("r{index}"), &format!("شهروند {index}"))
        }));
    }
    replica.put(Record::Meeting(MeetingRecord::new(Meeting {
        id: "m1".into(),
        plan: MeetingPlan {
            district: district(),
            starts_at: start(),
            venue: "تالار".into(),
            capacity: 130,
            citizen_quota: CITIZEN_QUOTA,
            trustee_quota: 30,
        },
    })));
    for index in 0..ATTENDEES {
        replica.put(Record::Attendee(Attendee {
            attendee_kind: AttendeeKind::Trustee,
            ..Attendee::sample(&format!("a{index}"), &format!("معتمد {index}"))
        }));
    }
    replica
}

/// The server: the authority. Keeps each command id once, with its outcome,
/// and a change sequence devices pull by.
struct Server {
    state: Replica,
    outcomes: BTreeMap<CommandId, Outcome>,
    applications: BTreeMap<CommandId, usize>,
    changes: Vec<RecordKey>,
}

impl Server {
    fn new() -> Server {
        let state = initial();
        let changes = state.records().map(Record::key).collect();
        Server {
            state,
            outcomes: BTreeMap::new(),
            applications: BTreeMap::new(),
            changes,
        }
    }

    fn push(&mut self, commands: &[Envelope]) -> Vec<(CommandId, Outcome)> {
        commands
            .iter()
            .map(|envelope| (envelope.id.clone(), self.push_one(envelope)))
            .collect()
    }

    fn push_one(&mut self, envelope: &Envelope) -> Outcome {
        match self.outcomes.get(&envelope.id) {
            Some(Outcome::Applied | Outcome::Duplicate) => return Outcome::Duplicate,
            Some(rejected) => return rejected.clone(),
            None => {}
        }
        let outcome = match self.state.apply(envelope) {
            Ok(effect) => {
                *self.applications.entry(envelope.id.clone()).or_default() += 1;
                self.changes.extend(effect.changes.iter().map(Record::key));
                Outcome::Applied
            }
            Err(rejection) => Outcome::rejected(rejection),
        };
        self.outcomes.insert(envelope.id.clone(), outcome.clone());
        outcome
    }

    /// Changes after `cursor`, as the records are now.
    fn pull(&self, cursor: usize) -> (Vec<Record>, usize) {
        let keys: BTreeSet<&RecordKey> = self.changes[cursor..].iter().collect();
        let records = keys
            .into_iter()
            .filter_map(|key| self.state.get(key).cloned())
            .collect();
        (records, self.changes.len())
    }
}

struct Device {
    name: String,
    /// The server's records as last pulled.
    base: Replica,
    cursor: usize,
    outbox: Vec<Envelope>,
    rejected: Vec<CommandId>,
    acknowledged: Vec<CommandId>,
    made: Vec<CommandId>,
    clock: u32,
}

impl Device {
    fn new(index: usize) -> Device {
        Device {
            name: format!("device-{index}"),
            base: Replica::new(),
            cursor: 0,
            outbox: Vec::new(),
            rejected: Vec::new(),
            acknowledged: Vec::new(),
            made: Vec::new(),
            clock: 0,
        }
    }

    fn view(&self) -> Replica {
        self.base.rebased(&self.outbox).0
    }

    /// Makes a command from what the screen shows; like the app, queues it
    /// only if the device's own view accepts it.
    fn make(&mut self, choice: u8, target: usize) {
        self.clock += 1;
        let view = self.view();
        let registration: RegistrationId = format!("r{}", target % REGISTRATIONS).as_str().into();
        // Trustees a0…, citizens' places once selected, and walk-ins.
        let attendee: AttendeeId = match target % 3 {
            0 => format!("a{}", target % ATTENDEES).as_str().into(),
            1 => AttendeeId::of_citizen(&"m1".into(), &registration),
            _ => format!("w{}", target % WALK_INS).as_str().into(),
        };
        let command = match choice % 13 {
            0 => Command::ReviewRegistration {
                registration,
                case_files: Vec::new(),
                note: format!("{} {}", self.name, self.clock),
            },
            1 => Command::RejectRegistration {
                registration,
                reason: "تکراری".into(),
            },
            2 => Command::ScreenRegistration {
                registration,
                deputy: "transport".into(),
                summary: String::new(),
                priority: Priority::Normal,
            },
            3 => Command::SelectForMeeting {
                registration,
                meeting: "m1".into(),
                slot: None,
            },
            6 => Command::AddWalkIn {
                attendee: format!("w{}", target % WALK_INS).as_str().into(),
                meeting: "m1".into(),
                attendee_kind: AttendeeKind::Trustee,
                full_name: "مهمان بی‌نوبت".into(),
                mobile: "09131234567".into(),
                national_id: String::new(),
                door: self.name.clone(),
            },
            4 => Command::CheckIn {
                attendee,
                door: self.name.clone(),
            },
            // The committee closes the meeting with whom its view shows
            // absent.
            8 => Command::CloseMeeting {
                meeting: "m1".into(),
                absent: view
                    .records()
                    .filter_map(|record| match record {
                        Record::Attendee(place) if place.present_since().is_none() => {
                            Some(place.id.clone())
                        }
                        _ => None,
                    })
                    .collect(),
            },
            // A table edits the form it shows: it has seen what stands in
            // its view, and nothing else.
            7 => Command::RecordRequestForm {
                seen: match view.get(&RecordKey::request_form(&attendee)) {
                    Some(Record::RequestForm(form)) => form.standing(),
                    _ => Vec::new(),
                },
                attendee,
                asked: format!("{} {}", self.name, self.clock),
                decision: String::new(),
                referral: ["", "services", "transport"][(target / 3) % 3].into(),
                answer: String::new(),
            },
            // The committee sends a selected citizen back to the waiting
            // list: two members may do it apart, or one after a call.
            12 => Command::DeferSelection {
                registration,
                from: "m1".into(),
                to: None,
                slot: None,
            },
            // The call centre records a call, whatever its view shows: two
            // operators may call the same citizen apart.
            11 => Command::RecordCall {
                attendee,
                outcome: CallOutcome::ALL[(target / 3) % CallOutcome::ALL.len()],
                note: String::new(),
            },
            // A table photographs a document: every device's photos stay.
            9 => Command::AttachPhoto {
                photo: format!("p-{}-{}", self.name.len(), self.clock)
                    .as_str()
                    .into(),
                attendee,
                bytes: 200_000,
            },
            // And takes off one its view shows.
            10 => {
                let Some(Record::RequestForm(form)) = view.get(&RecordKey::request_form(&attendee))
                else {
                    return;
                };
                let Some(photo) = form.photos.get(target % 2) else {
                    return;
                };
                Command::DetachPhoto {
                    photo: photo.id.clone(),
                    attendee,
                }
            }
            _ => {
                let Some(Record::Attendee(record)) = view.get(&RecordKey::attendee(&attendee))
                else {
                    return;
                };
                let Some(fact) = record.check_ins.iter().find(|f| f.undone.is_none()) else {
                    return;
                };
                Command::UndoCheckIn {
                    attendee,
                    check_in: fact.id.clone(),
                    reason: "اشتباه".into(),
                }
            }
        };
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&u64::from(self.clock).to_be_bytes());
        random[8] = self.name.len() as u8;
        random[9] = self.name.as_bytes()[self.name.len() - 1];
        let envelope = Envelope {
            id: CommandId::new_v7(
                start() + chrono::TimeDelta::seconds(self.clock.into()),
                random,
            ),
            device: self.name.as_str().into(),
            author: format!("user-{}", self.name).as_str().into(),
            made_at: start() + chrono::TimeDelta::seconds(self.clock.into()),
            clock_offset_ms: 0,
            command,
        };
        if apply_command(&view, &envelope).is_ok() {
            self.made.push(envelope.id.clone());
            self.outbox.push(envelope);
        }
    }

    /// Sends the first `count` entries. The answer may be lost (then the
    /// outbox stays as it was) or the push sent twice.
    fn push(&mut self, server: &mut Server, count: usize, answer_lost: bool, twice: bool) {
        let batch: Vec<Envelope> = self.outbox.iter().take(count).cloned().collect();
        if twice {
            server.push(&batch);
        }
        let results = server.push(&batch);
        if answer_lost {
            return;
        }
        for (id, outcome) in results {
            if outcome.is_acknowledged() {
                self.acknowledged.push(id.clone());
            } else {
                self.rejected.push(id.clone());
            }
            self.outbox.retain(|envelope| envelope.id != id);
        }
    }

    fn pull(&mut self, server: &Server) {
        let (records, cursor) = server.pull(self.cursor);
        for record in records {
            self.base.put(record);
        }
        self.cursor = cursor;
    }
}

#[derive(Clone, Debug)]
enum Step {
    Make {
        device: usize,
        choice: u8,
        target: usize,
    },
    Push {
        device: usize,
        count: usize,
        answer_lost: bool,
        twice: bool,
    },
    Pull {
        device: usize,
    },
    /// A device sends an old batch again (a replay from a restored backup
    /// or a stuck retry): the first `count` commands it ever made.
    Replay {
        device: usize,
        count: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..5usize, any::<u8>(), 0..12usize)
            .prop_map(|(device, choice, target)| Step::Make { device, choice, target }),
        2 => (0..5usize, 1..6usize, prop::bool::weighted(0.25), prop::bool::weighted(0.2))
            .prop_map(|(device, count, answer_lost, twice)| Step::Push { device, count, answer_lost, twice }),
        2 => (0..5usize).prop_map(|device| Step::Pull { device }),
        1 => (0..5usize, 1..6usize).prop_map(|(device, count)| Step::Replay { device, count }),
    ]
}

fn replay(
    device: &Device,
    server: &mut Server,
    count: usize,
    sent: &BTreeMap<CommandId, Envelope>,
) {
    let batch: Vec<Envelope> = device
        .made
        .iter()
        .take(count)
        .filter_map(|id| sent.get(id).cloned())
        .collect();
    server.push(&batch);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn devices_and_server_converge_and_no_acknowledged_command_is_lost(
        device_count in 2..=5usize,
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let mut server = Server::new();
        let mut devices: Vec<Device> = (0..device_count).map(Device::new).collect();
        for device in &mut devices {
            device.pull(&server);
        }
        // Every command a device ever queued, for replays.
        let mut sent: BTreeMap<CommandId, Envelope> = BTreeMap::new();
        for step in steps {
            match step {
                Step::Make { device, choice, target } => {
                    let device = &mut devices[device % device_count];
                    device.make(choice, target);
                    if let Some(envelope) = device.outbox.last() {
                        sent.insert(envelope.id.clone(), envelope.clone());
                    }
                }
                Step::Push { device, count, answer_lost, twice } => {
                    devices[device % device_count].push(&mut server, count, answer_lost, twice);
                }
                Step::Pull { device } => devices[device % device_count].pull(&server),
                Step::Replay { device, count } => {
                    replay(&devices[device % device_count], &mut server, count, &sent);
                }
            }
        }
        // The network comes back for good: everyone sends and fetches.
        for device in &mut devices {
            while !device.outbox.is_empty() {
                device.push(&mut server, 5, false, false);
            }
        }
        for device in &mut devices {
            device.pull(&server);
        }

        for device in &devices {
            prop_assert_eq!(device.view(), server.state.clone(), "{} differs", device.name);
            // Every command made is either acknowledged or shown as refused.
            let settled: BTreeSet<&CommandId> =
                device.acknowledged.iter().chain(&device.rejected).collect();
            prop_assert_eq!(settled.len(), device.made.len());
            for id in &device.acknowledged {
                prop_assert_eq!(server.applications.get(id), Some(&1), "applied exactly once");
            }
        }
        // Every applied check-in is on the roster exactly once.
        for (id, envelope) in &sent {
            if let (Command::CheckIn { attendee, .. }, Some(1)) =
                (&envelope.command, server.applications.get(id))
            {
                let Some(Record::Attendee(record)) = server.state.get(&RecordKey::attendee(attendee)) else {
                    return Err(TestCaseError::fail("attendee gone"));
                };
                prop_assert_eq!(record.check_ins.iter().filter(|f| &f.id == id).count(), 1);
            }
        }
        prop_assert!(server.applications.values().all(|count| *count == 1));
        // The citizens' quota holds however the selections interleaved, and
        // the meeting's seats are exactly the citizens on its roster who
        // did not give their place up.
        let Some(Record::Meeting(meeting)) = server.state.get(&RecordKey::meeting(&"m1".into())) else {
            return Err(TestCaseError::fail("meeting gone"));
        };
        prop_assert!(meeting.seated.len() <= usize::from(CITIZEN_QUOTA));
        let mut on_roster: Vec<RegistrationId> = server
            .state
            .records()
            .filter_map(|record| match record {
                Record::Attendee(place) if place.expected() => place.registration.clone(),
                _ => None,
            })
            .collect();
        on_roster.sort();
        prop_assert_eq!(&meeting.seated, &on_roster);
        // No form version is lost silently: each applied edit still stands,
        // or a later applied edit had seen it.
        let applied_forms: Vec<&Envelope> = sent
            .values()
            .filter(|e| matches!(e.command, Command::RecordRequestForm { .. }))
            .filter(|e| server.applications.contains_key(&e.id))
            .collect();
        for edit in &applied_forms {
            let Command::RecordRequestForm { attendee, .. } = &edit.command else { continue };
            let Some(Record::RequestForm(form)) = server.state.get(&RecordKey::request_form(attendee)) else {
                return Err(TestCaseError::fail("form gone"));
            };
            let stands = form.versions.iter().any(|v| v.id == edit.id);
            let seen_later = applied_forms.iter().any(|later| matches!(
                &later.command,
                Command::RecordRequestForm { seen, .. } if seen.contains(&edit.id)
            ));
            prop_assert!(stands || seen_later, "a version vanished unseen");
        }
    }

    /// Check-ins are facts: whatever order they arrive in, from however many
    /// devices, the roster ends the same and the earliest one counts.
    #[test]
    fn check_ins_merge_the_same_in_any_order(
        check_ins in prop::collection::vec((0..5u8, 0..ATTENDEES, 0..600i64), 1..20),
        order in any::<prop::sample::Index>(),
    ) {
        let envelopes: Vec<Envelope> = check_ins
            .iter()
            .enumerate()
            .map(|(index, (device, attendee, second))| {
                let made_at = start() + chrono::TimeDelta::seconds(*second);
                let mut random = [0u8; 10];
                random[0] = *device;
                random[1] = index as u8;
                Envelope {
                    id: CommandId::new_v7(made_at, random),
                    device: format!("door-{device}").as_str().into(),
                    author: "field".into(),
                    made_at,
                    clock_offset_ms: 0,
                    command: Command::CheckIn {
                        attendee: format!("a{attendee}").as_str().into(),
                        door: format!("در {device}"),
                    },
                }
            })
            .collect();
        let mut forward = initial();
        for envelope in &envelopes {
            prop_assert!(forward.apply(envelope).is_ok());
        }
        let mut rotated = initial();
        let split = order.index(envelopes.len());
        for envelope in envelopes[split..].iter().chain(envelopes[..split].iter()).rev() {
            prop_assert!(rotated.apply(envelope).is_ok());
        }
        prop_assert_eq!(&forward, &rotated);
        for record in forward.records() {
            if let Record::Attendee(attendee) = record {
                let earliest = envelopes
                    .iter()
                    .filter(|e| matches!(&e.command, Command::CheckIn { attendee: a, .. } if *a == attendee.id))
                    .filter_map(Envelope::happened_at)
                    .min();
                prop_assert_eq!(attendee.present_since().map(|fact| fact.at), earliest);
            }
        }
    }
}

#[test]
fn a_second_check_in_is_kept_and_the_first_counts() {
    let mut replica = initial();
    let early = start();
    let late = start() + chrono::TimeDelta::minutes(3);
    let check_in = |at: DateTime<Utc>, device: &str, byte: u8| Envelope {
        id: CommandId::new_v7(at, [byte; 10]),
        device: device.into(),
        author: "field".into(),
        made_at: at,
        clock_offset_ms: 0,
        command: Command::CheckIn {
            attendee: "a0".into(),
            door: device.into(),
        },
    };
    // The later one arrives first.
    replica
        .apply(&check_in(late, "door-2", 2))
        .expect("applied");
    replica
        .apply(&check_in(early, "door-1", 1))
        .expect("applied");
    let Some(Record::Attendee(attendee)) = replica.get(&RecordKey::attendee(&"a0".into())) else {
        panic!("attendee a0");
    };
    assert_eq!(attendee.check_ins.len(), 2);
    let first = attendee.present_since().expect("present");
    assert_eq!((first.at, first.door.as_str()), (early, "door-1"));
}

#[test]
fn a_device_clock_offset_corrects_the_recorded_time() {
    let mut replica = initial();
    let device_time = start();
    let envelope = Envelope {
        id: CommandId::new_v7(device_time, [7; 10]),
        device: "door".into(),
        author: "field".into(),
        made_at: device_time,
        clock_offset_ms: 90_000,
        command: Command::CheckIn {
            attendee: "a1".into(),
            door: "در ۱".into(),
        },
    };
    replica.apply(&envelope).expect("applied");
    let Some(Record::Attendee(attendee)) = replica.get(&RecordKey::attendee(&"a1".into())) else {
        panic!("attendee a1");
    };
    assert_eq!(
        attendee.check_ins[0].at,
        device_time + chrono::TimeDelta::seconds(90)
    );
}

#[test]
fn a_refused_transition_names_its_reason_and_changes_nothing() {
    let mut replica = initial();
    let before = replica.clone();
    // r0 is only submitted: it cannot be selected for a meeting yet.
    let envelope = Envelope {
        id: CommandId::new_v7(start(), [1; 10]),
        device: "desk".into(),
        author: "screening".into(),
        made_at: start(),
        clock_offset_ms: 0,
        command: Command::SelectForMeeting {
            registration: "r0".into(),
            meeting: "m1".into(),
            slot: None,
        },
    };
    assert_eq!(replica.apply(&envelope), Err(Rejection::NotReviewedYet));
    assert_eq!(replica, before);
}

#[test]
fn the_last_place_goes_to_the_selection_applied_first_and_the_other_is_refused_as_full() {
    let mut server = initial();
    assert_eq!(CITIZEN_QUOTA, 1);
    let screened = |server: &mut Replica, registration: &str| {
        let Some(Record::Registration(request)) = server
            .get(&RecordKey::registration(&registration.into()))
            .cloned()
        else {
            panic!("{registration} is there");
        };
        server.put(Record::Registration(RegistrationRecord {
            status: Status::Screened,
            ..request
        }));
    };
    screened(&mut server, "r0");
    let select = |registration: &str, seed: u8| Envelope {
        id: CommandId::new_v7(start(), [seed; 10]),
        ..at(
            start(),
            0,
            Command::SelectForMeeting {
                registration: registration.into(),
                meeting: "m1".into(),
                slot: None,
            },
        )
    };
    let before = server.clone();
    // Two members, each offline, gave the last place to another request.
    assert!(server.apply(&select("r0", 2)).is_ok());
    assert_eq!(server.apply(&select("r2", 3)), Err(Rejection::MeetingFull));
    let Some(Record::Meeting(meeting)) = server.get(&RecordKey::meeting(&"m1".into())) else {
        panic!("the meeting is there");
    };
    assert_eq!(meeting.seated, vec!["r0".into()]);
    // Applied in the other order, the other one has it: the server's order
    // decides, the same on every device.
    let mut other = before;
    assert!(other.apply(&select("r2", 3)).is_ok());
    assert_eq!(other.apply(&select("r0", 2)), Err(Rejection::MeetingFull));
    // The refused request waits, still screened, for a later meeting.
    let Some(Record::Registration(waiting)) = other.get(&RecordKey::registration(&"r0".into()))
    else {
        panic!("r0 is there");
    };
    assert_eq!(waiting.status, Status::Screened);
}

#[test]
fn nobody_is_selected_for_a_meeting_already_closed() {
    let mut replica = initial();
    replica
        .apply(&at(
            start(),
            0,
            Command::CloseMeeting {
                meeting: "m1".into(),
                absent: Vec::new(),
            },
        ))
        .expect("closed");
    let select = Envelope {
        id: CommandId::new_v7(start(), [4; 10]),
        ..at(
            start(),
            0,
            Command::SelectForMeeting {
                registration: "r2".into(),
                meeting: "m1".into(),
                slot: None,
            },
        )
    };
    assert_eq!(replica.apply(&select), Err(Rejection::AlreadyClosed));
}

#[test]
fn a_quota_cannot_fall_below_the_places_given() {
    let mut record = MeetingRecord::new(Meeting {
        id: "m".into(),
        plan: MeetingPlan {
            district: district(),
            starts_at: start(),
            venue: "تالار".into(),
            capacity: 130,
            citizen_quota: 2,
            trustee_quota: 30,
        },
    });
    record.seat(&"r1".into()).expect("a place");
    record.seat(&"r1".into()).expect("the same place again");
    record.seat(&"r2".into()).expect("the last place");
    assert_eq!(record.seat(&"r3".into()), Err(Full));
    let mut smaller = record.meeting.clone();
    smaller.plan.citizen_quota = 1;
    assert_eq!(record.replan(smaller), Err(MeetingError::QuotaBelowSeated));
    let mut larger = record.meeting.clone();
    larger.plan.citizen_quota = 3;
    record.replan(larger).expect("more places");
    assert_eq!(record.seats_left(), 1);
}

/// An envelope at `made_at` with `offset_ms`, from a field device.
fn at(made_at: DateTime<Utc>, offset_ms: i64, command: Command) -> Envelope {
    Envelope {
        id: CommandId::new_v7(start(), [3; 10]),
        device: "desk".into(),
        author: "staff".into(),
        made_at,
        clock_offset_ms: offset_ms,
        command,
    }
}

fn check_in(door: &str) -> Command {
    Command::CheckIn {
        attendee: "a0".into(),
        door: door.into(),
    }
}

#[test]
fn a_refusal_names_the_step_that_is_missing_or_already_done() {
    let mut replica = initial();
    let screen = |registration: &str| Command::ScreenRegistration {
        registration: registration.into(),
        deputy: "transport".into(),
        summary: String::new(),
        priority: Priority::Normal,
    };
    // r0 was never reviewed: screening it waits for the review, nothing
    // "changed meanwhile".
    assert_eq!(
        replica.apply(&at(start(), 0, screen("r0"))),
        Err(Rejection::NotReviewedYet)
    );
    // r2 is screened already; reviewing it again is a step behind.
    let review = Command::ReviewRegistration {
        registration: "r2".into(),
        case_files: Vec::new(),
        note: String::new(),
    };
    assert_eq!(
        replica.apply(&at(start(), 0, review)),
        Err(Rejection::MovedOn)
    );
    let reject = Command::RejectRegistration {
        registration: "r0".into(),
        reason: "تکراری".into(),
    };
    replica.apply(&at(start(), 0, reject)).expect("rejected");
    assert_eq!(
        replica.apply(&at(start(), 0, screen("r0"))),
        Err(Rejection::AlreadyRejected)
    );
}

#[test]
fn a_routing_keeps_its_priority_and_an_older_device_sends_normal() {
    let mut replica = initial();
    // r1 is reviewed (index 1 of the initial statuses).
    let urgent = Command::ScreenRegistration {
        registration: "r1".into(),
        deputy: "transport".into(),
        summary: "آب‌گرفتگی".into(),
        priority: Priority::Urgent,
    };
    replica.apply(&at(start(), 0, urgent)).expect("routed");
    let Some(Record::Registration(request)) = replica.get(&RecordKey::registration(&"r1".into()))
    else {
        panic!("r1 is there");
    };
    assert_eq!(
        request.screening.as_ref().map(|s| s.priority),
        Some(Priority::Urgent)
    );
    let older: Command = serde_json::from_str(
        r#"{"kind":"screen_registration","registration":"r1","deputy":"services","summary":""}"#,
    )
    .expect("a command without a priority");
    assert!(matches!(
        older,
        Command::ScreenRegistration {
            priority: Priority::Normal,
            ..
        }
    ));
}

#[test]
fn an_absurd_clock_offset_is_refused_instead_of_overflowing() {
    let replica = initial();
    for offset in [i64::MAX, i64::MIN, 200 * 366 * 86_400_000] {
        assert_eq!(
            apply_command(&replica, &at(start(), offset, check_in("در ۱"))),
            Err(Rejection::ClockWrong),
            "offset {offset}"
        );
    }
    let year_9999 = Utc
        .with_ymd_and_hms(9999, 12, 31, 23, 0, 0)
        .single()
        .expect("instant");
    assert_eq!(
        apply_command(&replica, &at(year_9999, 7_200_000, check_in("در ۱"))),
        Err(Rejection::ClockWrong),
        "past year 9999 the record could not be read back"
    );
}

#[test]
fn the_server_accepts_command_times_within_a_month_back_and_minutes_ahead() {
    let now = start();
    let envelope = |made_at| at(made_at, 0, check_in("در ۱"));
    assert_eq!(envelope(now).check_time(now), Ok(now));
    let ahead = now + MAX_COMMAND_LEAD + chrono::TimeDelta::seconds(1);
    assert_eq!(envelope(ahead).check_time(now), Err(Rejection::ClockWrong));
    let old = now - MAX_COMMAND_AGE - chrono::TimeDelta::seconds(1);
    assert_eq!(envelope(old).check_time(now), Err(Rejection::TooOld));
    // A device whose clock is a year behind, with its offset measured, is
    // right: the offset corrects it.
    let year_behind = at(
        now - chrono::TimeDelta::days(365),
        365 * 86_400_000,
        check_in("در ۱"),
    );
    assert_eq!(year_behind.check_time(now), Ok(now));
}

#[test]
fn command_fields_are_bounded() {
    let mut replica = initial();
    let long_door = "د".repeat(MAX_DOOR + 1);
    assert_eq!(
        replica.apply(&at(start(), 0, check_in(&long_door))),
        Err(Rejection::DoorTooLong)
    );
    let review = Command::ReviewRegistration {
        registration: "r0".into(),
        case_files: vec![CaseNumber::parse("6/1403/77").expect("case"); MAX_CASE_FILES + 1],
        note: String::new(),
    };
    assert_eq!(
        replica.apply(&at(start(), 0, review)),
        Err(Rejection::TooManyCaseFiles)
    );
    let screen = |deputy: String| Command::ScreenRegistration {
        registration: "r1".into(),
        deputy,
        summary: String::new(),
        priority: Priority::Normal,
    };
    for deputy in [
        "x".repeat(300_000),
        "Urban Planning".into(),
        "شهرسازی".into(),
    ] {
        assert_eq!(
            replica.apply(&at(start(), 0, screen(deputy))),
            Err(Rejection::UnknownDeputy)
        );
    }
    for n in 0..MAX_CHECK_INS {
        let mut envelope = at(start(), 0, check_in("در ۱"));
        envelope.id = CommandId::new_v7(start(), [n as u8; 10]);
        replica.apply(&envelope).expect("a check-in under the cap");
    }
    let mut one_more = at(start(), 0, check_in("در ۱"));
    one_more.id = CommandId::new_v7(start(), [255; 10]);
    assert_eq!(replica.apply(&one_more), Err(Rejection::TooManyCheckIns));
}

#[test]
fn a_door_name_keeps_the_digits_it_was_typed_with() {
    let mut replica = initial();
    replica
        .apply(&at(start(), 0, check_in("  در\u{200B} ۲ ")))
        .expect("applied");
    let Some(Record::Attendee(attendee)) = replica.get(&RecordKey::attendee(&"a0".into())) else {
        panic!("attendee a0");
    };
    assert_eq!(attendee.check_ins[0].door, "در ۲");
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => ".{0,40}",
        1 => prop::collection::vec(any::<char>(), 900..1100).prop_map(|cs| cs.into_iter().collect()),
    ]
}

fn any_command() -> impl Strategy<Value = Command> {
    // Ids of the records, and others that parse but name nothing.
    let registration = prop_oneof![
        (0..REGISTRATIONS).prop_map(|n| format!("r{n}")),
        "[a-z0-9]{1,10}"
    ]
    .prop_map(|id| RegistrationId::from(id.as_str()));
    let attendee = prop_oneof![
        (0..ATTENDEES).prop_map(|n| format!("a{n}")),
        "[a-z0-9]{1,10}"
    ]
    .prop_map(|id| AttendeeId::from(id.as_str()));
    prop_oneof![
        (registration.clone(), any_text()).prop_map(|(registration, note)| {
            Command::ReviewRegistration {
                registration,
                case_files: Vec::new(),
                note,
            }
        }),
        (registration.clone(), any_text()).prop_map(|(registration, reason)| {
            Command::RejectRegistration {
                registration,
                reason,
            }
        }),
        (
            registration.clone(),
            prop_oneof!["[a-z_]{1,12}", ".{0,50}"],
            any_text()
        )
            .prop_map(
                |(registration, deputy, summary)| Command::ScreenRegistration {
                    registration,
                    deputy,
                    summary,
                    priority: Priority::Urgent,
                }
            ),
        registration.prop_map(|registration| Command::SelectForMeeting {
            registration,
            meeting: "m1".into(),
            slot: None,
        }),
        (attendee.clone(), any_text())
            .prop_map(|(attendee, door)| Command::CheckIn { attendee, door }),
        (
            attendee.clone(),
            any_text(),
            any_text(),
            prop_oneof!["", "services", ".{0,12}"]
        )
            .prop_map(
                |(attendee, asked, answer, referral)| Command::RecordRequestForm {
                    attendee,
                    seen: Vec::new(),
                    asked,
                    decision: String::new(),
                    referral,
                    answer,
                }
            ),
        (attendee, "[a-z0-9]{1,10}", any::<u32>()).prop_map(|(attendee, photo, bytes)| {
            Command::AttachPhoto {
                attendee,
                photo: photo.as_str().into(),
                bytes,
            }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Whatever a device sends — any text, any clock — every record `apply`
    /// accepts reads back from JSON as it was written: one command can never
    /// leave a record that fails every later pull.
    #[test]
    fn every_record_apply_writes_survives_a_json_round_trip(
        command in any_command(),
        seconds in -70_000_000_000i64..300_000_000_000,
        offset_ms in prop_oneof![any::<i64>(), -1_000_000_000_000i64..1_000_000_000_000],
        earlier_steps in prop::collection::vec(any_command(), 0..4),
    ) {
        let Some(made_at) = DateTime::from_timestamp(seconds, 0) else {
            return Ok(());
        };
        let mut replica = initial();
        for command in earlier_steps {
            let _ = replica.apply(&at(start(), 0, command));
        }
        if let Ok(effect) = apply_command(&replica, &at(made_at, offset_ms, command)) {
            for record in effect.changes {
                let json = serde_json::to_string(&record).expect("serialises");
                let back: Record = serde_json::from_str(&json).map_err(|e| {
                    TestCaseError::fail(format!("{json} does not read back: {e}"))
                })?;
                prop_assert_eq!(back, record);
            }
        }
    }
}

#[test]
fn command_ids_accept_only_the_canonical_uuid_form() {
    let id = CommandId::new_v7(start(), [9; 10]);
    assert_eq!(CommandId::parse(id.as_str()).as_ref(), Ok(&id));
    assert!(CommandId::parse(&id.as_str().to_uppercase()).is_err());
    assert!(CommandId::parse("not-a-uuid").is_err());
    assert!(CommandId::parse("").is_err());
}

#[test]
fn the_review_screen_offers_decisions_exactly_when_apply_accepts_a_review() {
    for status in Status::ALL {
        let mut records = initial();
        let Some(Record::Registration(mut record)) =
            Records::get(&records, &RecordKey::registration(&"r0".into())).cloned()
        else {
            panic!("r0 is a registration");
        };
        record.status = status;
        records.put(Record::Registration(record));
        let review = Envelope {
            id: CommandId::new_v7(start(), [1; 10]),
            device: "desk".into(),
            author: "committee".into(),
            made_at: start(),
            clock_offset_ms: 0,
            command: Command::ReviewRegistration {
                registration: "r0".into(),
                case_files: Vec::new(),
                note: String::new(),
            },
        };
        assert_eq!(
            apply(&records, &review).is_ok(),
            status.is_with_review_committee(),
            "{status:?}"
        );
    }
}
