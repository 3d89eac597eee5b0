//! Staff roles and their district scope (DESIGN §3). The server enforces
//! them on every endpoint and sync scope; the app only hides what the server
//! would refuse anyway.

mod credentials;
mod wire;

pub use credentials::{NewPassword, PasswordRuleError, Username, UsernameError};
pub use wire::{
    AlsoOnRevoke, AuditEntry, DeviceSummary, NewUser, PasswordReset, Profile, RevokeDevice, SignIn,
    UserSummary,
};

use serde::{Deserialize, Serialize};

use crate::district::DistrictId;
use crate::i18n::Lang;

/// What a staff member may do. Citizens have no account and no role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Meeting-day check-in and request forms.
    FieldStaff,
    /// The 137 call centre: call lists and outcomes.
    CallCenter,
    /// Executive committee: links requests to existing case files.
    ReviewCommittee,
    /// Screening committee: routes requests, selects attendees.
    ScreeningCommittee,
    /// Follow-up committee: results within one month, report to the mayor.
    FollowupCommittee,
    /// Reports the results of referrals in the own district.
    DistrictManager,
    /// Districts, meetings, windows, users, devices, audit, all reports.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::FieldStaff,
        Role::CallCenter,
        Role::ReviewCommittee,
        Role::ScreeningCommittee,
        Role::FollowupCommittee,
        Role::DistrictManager,
        Role::Administrator,
    ];

    /// The stable name used in the database and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Role::FieldStaff => "field_staff",
            Role::CallCenter => "call_center",
            Role::ReviewCommittee => "review_committee",
            Role::ScreeningCommittee => "screening_committee",
            Role::FollowupCommittee => "followup_committee",
            Role::DistrictManager => "district_manager",
            Role::Administrator => "administrator",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::FieldStaff, Lang::Fa) => "کارشناس پذیرش",
            (Role::FieldStaff, Lang::En) => "Field staff",
            (Role::CallCenter, Lang::Fa) => "کارشناس سامانهٔ ۱۳۷",
            (Role::CallCenter, Lang::En) => "137 call-centre operator",
            (Role::ReviewCommittee, Lang::Fa) => "عضو کمیتهٔ اجرایی",
            (Role::ReviewCommittee, Lang::En) => "Executive committee member",
            (Role::ScreeningCommittee, Lang::Fa) => "عضو کمیتهٔ تشخیص",
            (Role::ScreeningCommittee, Lang::En) => "Screening committee member",
            (Role::FollowupCommittee, Lang::Fa) => "عضو کمیتهٔ پیگیری",
            (Role::FollowupCommittee, Lang::En) => "Follow-up committee member",
            (Role::DistrictManager, Lang::Fa) => "مدیر منطقه",
            (Role::DistrictManager, Lang::En) => "District manager",
            (Role::Administrator, Lang::Fa) => "مدیر سامانه",
            (Role::Administrator, Lang::En) => "Administrator",
        }
    }

    /// Administrators act in every district; every other role is granted
    /// per district.
    pub fn spans_all_districts(self) -> bool {
        self == Role::Administrator
    }
}

/// One grant: a role, in one district or (administrators) in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    /// `None` means every district.
    pub district: Option<DistrictId>,
}

impl Grant {
    /// Whether this grant lets its holder act as `role` in `district`.
    pub fn allows(&self, role: Role, district: DistrictId) -> bool {
        self.role == role && self.district.is_none_or(|own| own == district)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_code_reads_back_as_the_same_role() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("mayor"), None);
    }

    #[test]
    fn a_grant_in_one_district_does_not_reach_another() {
        let six = DistrictId::new(6).unwrap_or_else(|_| unreachable!());
        let seven = DistrictId::new(7).unwrap_or_else(|_| unreachable!());
        let grant = Grant {
            role: Role::FieldStaff,
            district: Some(six),
        };
        assert!(grant.allows(Role::FieldStaff, six));
        assert!(!grant.allows(Role::FieldStaff, seven));
        assert!(!grant.allows(Role::CallCenter, six));
    }

    #[test]
    fn a_grant_for_every_district_reaches_each_one() {
        let grant = Grant {
            role: Role::Administrator,
            district: None,
        };
        for number in 1..=15 {
            let district = DistrictId::new(number).unwrap_or_else(|_| unreachable!());
            assert!(grant.allows(Role::Administrator, district));
        }
    }
}
