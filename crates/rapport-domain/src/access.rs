//! Who may do what: staff roles and the hotels a user or token may see.
//!
//! Profiles are group-wide (a guest recognised at one hotel is recognised at all), but
//! stays and spend belong to a hotel and are visible only within the principal's scope.

use serde::{Deserialize, Serialize};

use crate::hotel::HotelId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    FrontDesk,
    GuestRelations,
    Marketing,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Self::FrontDesk, Self::GuestRelations, Self::Marketing, Self::Manager, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FrontDesk => "front_desk",
            Self::GuestRelations => "guest_relations",
            Self::Marketing => "marketing",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| format!("unknown role '{s}' (one of front_desk, guest_relations, marketing, manager, admin)"))
    }

    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match action {
            ReadGuests | ReadStays => true,
            WriteGuests | WriteNotes => !matches!(self, Self::Marketing),
            WriteStays => matches!(self, Self::FrontDesk | Self::Manager | Self::Admin),
            // The front desk sees a guest's tier and benefits on their page, not lists of guests.
            ReadAnalysis => !matches!(self, Self::FrontDesk),
            ManageSegments => matches!(self, Self::Marketing | Self::Manager | Self::Admin),
            ImportData => matches!(self, Self::Manager | Self::Admin),
            MergeGuests => matches!(self, Self::GuestRelations | Self::Manager | Self::Admin),
            ManageHotels | ManageUsers => matches!(self, Self::Admin),
        }
    }
}

/// What a request wants to do, checked against the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadGuests,
    WriteGuests,
    WriteNotes,
    ReadStays,
    /// The value analysis: tiers, segments, at-risk lists across guests.
    ReadAnalysis,
    /// Saved guest segments and the benefits attached to them.
    ManageSegments,
    WriteStays,
    ImportData,
    /// Work the duplicate review queue: merge profiles, mark them distinct, undo merges.
    MergeGuests,
    ManageHotels,
    ManageUsers,
}

/// The hotels whose stays and spend a principal may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", content = "hotels", rename_all = "snake_case")]
pub enum Scope {
    /// Every hotel of the group.
    Group,
    /// Only these hotels.
    Hotels(Vec<HotelId>),
}

impl Scope {
    pub fn allows(&self, hotel: HotelId) -> bool {
        match self {
            Scope::Group => true,
            Scope::Hotels(ids) => ids.contains(&hotel),
        }
    }

    /// Whether figures computed over `hotel`'s stays and spend may be shown: `None` means
    /// figures over the whole group (a guest's group-wide value, revenue, tier), which add
    /// up every hotel's stays and so only a whole-group scope may read.
    pub fn sees_figures_of(&self, hotel: Option<HotelId>) -> bool {
        match hotel {
            Some(h) => self.allows(h),
            None => matches!(self, Scope::Group),
        }
    }

    /// `None` for the whole group, the hotel ids otherwise: what storage filters on.
    pub fn hotel_filter(&self) -> Option<&[HotelId]> {
        match self {
            Scope::Group => None,
            Scope::Hotels(ids) => Some(ids),
        }
    }
}

/// Who is acting: a staff user or an API token, with role and scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Principal {
    /// Login or token name, recorded as the author of changes.
    pub name: String,
    pub role: Role,
    pub scope: Scope,
}

impl Principal {
    pub fn may(&self, action: Action) -> bool {
        self.role.may(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marketing_reads_but_does_not_edit_profiles() {
        assert!(Role::Marketing.may(Action::ReadGuests));
        assert!(!Role::Marketing.may(Action::WriteGuests));
        assert!(Role::FrontDesk.may(Action::WriteGuests));
        assert!(!Role::Manager.may(Action::ManageUsers));
        assert!(!Role::FrontDesk.may(Action::ReadAnalysis));
        assert!(Role::Marketing.may(Action::ManageSegments));
        assert!(!Role::GuestRelations.may(Action::ManageSegments));
    }

    #[test]
    fn only_guest_relations_managers_and_admins_merge_profiles() {
        let merging: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may(Action::MergeGuests)).collect();
        assert_eq!(merging, vec![Role::GuestRelations, Role::Manager, Role::Admin]);
    }

    #[test]
    fn a_hotel_scope_hides_other_hotels() {
        let s = Scope::Hotels(vec![1, 3]);
        assert!(s.allows(3));
        assert!(!s.allows(2));
        assert!(Scope::Group.allows(2));
        assert_eq!(Role::parse("Front-Desk").unwrap(), Role::FrontDesk);
    }

    #[test]
    fn group_figures_are_for_whole_group_scopes_only() {
        let s = Scope::Hotels(vec![1, 3]);
        assert!(s.sees_figures_of(Some(1)));
        assert!(!s.sees_figures_of(Some(2)));
        assert!(!s.sees_figures_of(None), "the group's figures include hotel 2");
        assert!(Scope::Group.sees_figures_of(None));
        assert!(Scope::Group.sees_figures_of(Some(2)));
    }
}
