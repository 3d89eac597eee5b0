//! Inviting a meeting's local trustees from the district's list (DESIGN
//! §2 step 3): chosen one by one or the first of the list up to the
//! trustees' places left; the quota is the meeting record's, refused past
//! it here and on the server alike. An invitation can be cancelled, which
//! frees the place for another trustee.

use std::collections::BTreeSet;

use domain::i18n::Lang;
use domain::ids::{MeetingId, TrusteeId};
use domain::sync::{Command, MeetingRecord};
use domain::text::localize_digits;
use domain::trustees::Trustee;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::sync::CommandSender;

#[component]
pub fn InviteTrustees(
    record: MeetingRecord,
    listed: Vec<Trustee>,
    chosen: RwSignal<BTreeSet<TrusteeId>>,
    sender: CommandSender,
    may_invite: bool,
) -> impl IntoView {
    let lang = use_lang();
    let invited: BTreeSet<TrusteeId> = record.trustees.iter().cloned().collect();
    let quota = usize::from(record.meeting.plan.trustee_quota);
    let left = record.trustee_places_left();
    let meeting = StoredValue::new(record.meeting.id.clone());
    let waiting: Vec<TrusteeId> = listed
        .iter()
        .filter(|trustee| !invited.contains(&trustee.id))
        .map(|trustee| trustee.id.clone())
        .collect();
    let count = move |n: usize| localize_digits(&n.to_string(), lang.get());
    let fill = move |_| chosen.set(waiting.iter().take(left).cloned().collect());
    let invite = move |_| {
        let trustees: Vec<TrusteeId> = chosen.get_untracked().into_iter().collect();
        leptos::task::spawn_local(invite_all(sender, meeting.get_value(), trustees, chosen));
    };
    let invited_count = invited.len();
    view! {
        <section class="card" aria-labelledby="trustees-title">
            <h2 id="trustees-title">{tr("معتمدین محلی", "Local trustees")}</h2>
            <p class="notice" data-testid="trustee-seats" data-invited=invited_count data-left=left>{move || match lang.get() {
                Lang::Fa => format!("{} معتمد از {} جای معتمدین دعوت شده‌اند؛ {} جا مانده است.", count(invited_count), count(quota), count(left)),
                Lang::En => format!("{invited_count} trustees of {quota} places invited; {left} left."),
            }}</p>
            {listed.is_empty().then(|| view! {
                <p data-testid="trustees-none">{tr(
                    "فهرست معتمدین این منطقه هنوز روی این دستگاه نیست؛ مدیر سامانه آن را وارد می‌کند.",
                    "This district's list of trustees is not on this device yet; an administrator imports it.",
                )}</p>
            })}
            {(may_invite && !listed.is_empty()).then(|| view! {
                <div class="actions">
                    <button class="button button-secondary" type="button" on:click=fill data-testid="trustees-fill" disabled=left == 0>
                        {move || match lang.get() {
                            Lang::Fa => format!("انتخاب {} نفر نخست فهرست", count(left)),
                            Lang::En => format!("Choose the first {left} on the list"),
                        }}
                    </button>
                    <button class="button button-secondary" type="button" on:click=move |_| chosen.set(BTreeSet::new())>
                        {tr("پاک کردن انتخاب", "Clear the choice")}
                    </button>
                </div>
            })}
            <ul class="request-list" data-testid="trustees-list">
                {listed.into_iter().map(|trustee| {
                    let already = invited.contains(&trustee.id);
                    let cancel = (may_invite && already).then(|| Cancel { meeting: meeting.get_value(), sender });
                    view! { <TrusteeItem trustee already chosen may_invite cancel/> }
                }).collect_view()}
            </ul>
            {may_invite.then(|| view! {
                <button class="button" type="button" on:click=invite data-testid="trustees-invite"
                    disabled=move || sender.busy().get() || chosen.with(BTreeSet::is_empty)>
                    {move || match lang.get() {
                        Lang::Fa => format!("دعوت {} معتمد به این دیدار", count(chosen.with(BTreeSet::len))),
                        Lang::En => format!("Invite {} trustees to this meeting", chosen.with(BTreeSet::len)),
                    }}
                </button>
            })}
        </section>
    }
}

/// What cancelling an invited trustee's invitation needs.
struct Cancel {
    meeting: MeetingId,
    sender: CommandSender,
}

#[component]
fn TrusteeItem(
    trustee: Trustee,
    already: bool,
    chosen: RwSignal<BTreeSet<TrusteeId>>,
    may_invite: bool,
    cancel: Option<Cancel>,
) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(trustee.id.clone());
    let check_id = format!("trustee-{}", trustee.id);
    let about = [trustee.neighbourhood.as_str(), trustee.group.as_str()]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" — ");
    let digits = format!("…{}", trustee.mobile_last4.as_str());
    let toggle = move |event: leptos::ev::Event| {
        let on = event_target_checked(&event);
        chosen.update(|chosen| {
            if on {
                chosen.insert(id.get_value());
            } else {
                chosen.remove(&id.get_value());
            }
        });
    };
    view! {
        <li class="card request selectable" data-testid="trustee-item" data-invited=already.to_string()>
            {(may_invite && !already).then(|| view! {
                <input type="checkbox" id=check_id.clone() data-testid="trustee-check"
                    prop:checked=move || chosen.with(|chosen| id.with_value(|id| chosen.contains(id)))
                    on:change=toggle/>
            })}
            <label for=check_id>
                <strong>{trustee.full_name.clone()}</strong>
                " "
                <span class="ltr meta">{move || localize_digits(&digits, lang.get())}</span>
                {(!about.is_empty()).then(|| view! { <br/><span class="meta">{about.clone()}</span> })}
                {already.then(|| view! {
                    " " <span class="badge" data-testid="trustee-invited">{tr("دعوت‌شده", "Invited")}</span>
                })}
            </label>
            {cancel.map(|Cancel { meeting, sender }| {
                let trustee = id.get_value();
                view! {
                    <button class="button button-small button-secondary" type="button" data-testid="trustee-uninvite"
                        disabled=sender.busy()
                        on:click=move |_| sender.send(Command::UninviteTrustee {
                            trustee: trustee.clone(),
                            meeting: meeting.clone(),
                        })>
                        {tr("لغو دعوت", "Cancel the invitation")}
                    </button>
                }
            })}
        </li>
    }
}

/// Invites `trustees` one after another, each its own command; stops at
/// the first one the device refuses (the places ran out), which the screen
/// then says. Those invited leave the choice.
async fn invite_all(
    sender: CommandSender,
    meeting: MeetingId,
    trustees: Vec<TrusteeId>,
    chosen: RwSignal<BTreeSet<TrusteeId>>,
) {
    for trustee in trustees {
        let command = Command::InviteTrustee {
            trustee: trustee.clone(),
            meeting: meeting.clone(),
            slot: None,
        };
        if sender.run(command, Vec::new()).await.is_none() {
            return;
        }
        chosen.try_update(|chosen| chosen.remove(&trustee));
    }
}
