//! A set of records that commands are applied to: the device's view (the
//! server's records as last pulled, with its own pending commands applied
//! on top — the rebase) and, in the tests, the server.

use std::collections::BTreeMap;

use super::apply::{Effect, Rejection, apply};
use super::command::{CommandId, Envelope};
use super::record::{Record, RecordKey};

/// Where `apply` reads records from.
pub trait Records {
    fn get(&self, key: &RecordKey) -> Option<&Record>;
}

impl Records for BTreeMap<RecordKey, Record> {
    fn get(&self, key: &RecordKey) -> Option<&Record> {
        BTreeMap::get(self, key)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replica {
    records: BTreeMap<RecordKey, Record>,
}

impl Records for Replica {
    fn get(&self, key: &RecordKey) -> Option<&Record> {
        self.records.get(key)
    }
}

impl Replica {
    pub fn new() -> Replica {
        Replica::default()
    }

    pub fn put(&mut self, record: Record) {
        self.records.insert(record.key(), record);
    }

    pub fn remove(&mut self, key: &RecordKey) {
        self.records.remove(key);
    }

    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.values()
    }

    /// Applies one command and keeps its changes.
    pub fn apply(&mut self, envelope: &Envelope) -> Result<Effect, Rejection> {
        let effect = apply(self, envelope)?;
        for record in &effect.changes {
            self.put(record.clone());
        }
        Ok(effect)
    }

    /// This state with `pending` applied in order: what the device shows
    /// while those commands wait. A command the current state refuses
    /// is skipped here (the server will refuse it too, and say why) and
    /// returned with its reason.
    pub fn rebased<'a>(
        &self,
        pending: impl IntoIterator<Item = &'a Envelope>,
    ) -> (Replica, Vec<(CommandId, Rejection)>) {
        let mut view = self.clone();
        let mut refused = Vec::new();
        for envelope in pending {
            if let Err(rejection) = view.apply(envelope) {
                refused.push((envelope.id.clone(), rejection));
            }
        }
        (view, refused)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod meeting_day_tests;

#[cfg(test)]
mod call_tests;

#[cfg(test)]
mod defer_tests;

#[cfg(test)]
mod trustee_tests;

#[cfg(test)]
mod followup_tests;
