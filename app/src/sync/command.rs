//! How a staff screen does something (DESIGN §5): one call makes the
//! command as the signed-in person, applies it to this device's view,
//! queues it, tells this tab and the others, and starts sending. What the
//! device's own copy refuses is said on the screen, in the person's
//! language; nothing is queued then.

use domain::i18n::Lang;
use domain::sync::{Command, CommandId};
use leptos::prelude::*;

use super::{RunError, SyncState, envelope, run, use_sync};
use crate::i18n::use_lang;
use crate::session;
use crate::store::Write;

/// A screen's handle for sending commands, with the last refusal and
/// whether one is on its way to the device's storage.
#[derive(Clone, Copy)]
pub struct CommandSender {
    sync: SyncState,
    lang: RwSignal<Lang>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

pub fn use_command() -> CommandSender {
    CommandSender {
        sync: use_sync(),
        lang: use_lang(),
        error: RwSignal::new(None),
        busy: RwSignal::new(false),
    }
}

impl CommandSender {
    /// Does `command` now, in the background.
    pub fn send(self, command: Command) {
        self.send_with(command, Vec::new());
    }

    /// Does `command` now, in the background; `also` joins the transaction
    /// that queues it.
    pub fn send_with(self, command: Command, also: Vec<Write<'static>>) {
        leptos::task::spawn_local(async move {
            self.run(command, also).await;
        });
    }

    /// Does `command` and gives its id if it was queued (a screen that
    /// clears its inputs afterwards waits for this; a form's next edit
    /// names the version this one made).
    /// The screen may be left while the command is written: its signals
    /// are then gone, so they are only touched through `try_`.
    pub async fn run(self, command: Command, also: Vec<Write<'static>>) -> Option<CommandId> {
        self.busy.try_set(true);
        let outcome = match session::kept_profile() {
            Some(profile) => {
                let envelope = envelope(&profile, command);
                let id = envelope.id.clone();
                run(self.sync, envelope, also).await.map(|()| id)
            }
            None => Err(RunError::SignedOut),
        };
        self.busy.try_set(false);
        let lang = self.lang.try_get_untracked().unwrap_or_default();
        match outcome {
            Ok(id) => {
                self.error.try_set(None);
                Some(id)
            }
            Err(error) => {
                self.error.try_set(Some(error.explain(lang)));
                None
            }
        }
    }

    /// Why the last command was not queued, if it was not.
    pub fn error(self) -> Signal<Option<String>> {
        self.error.into()
    }

    /// A command is being written to the device.
    pub fn busy(self) -> Signal<bool> {
        self.busy.into()
    }

    /// Says a problem found before any command was made (an input that
    /// does not parse), where refusals are said.
    pub fn refuse(self, message: String) {
        self.error.set(Some(message));
    }
}
