//! Meeting day on the server (DESIGN §2 step 5): which meetings each field
//! staff member works at. Administrators assign them (`admin::meetings`);
//! a field device pulls the rosters of its user's meetings and nothing
//! else (`sync::pull`), and its check-ins and walk-ins are accepted only
//! for those meetings (`sync::push`). The check-ins themselves are sync
//! commands, applied by `domain::sync::apply`.

pub mod queries;
