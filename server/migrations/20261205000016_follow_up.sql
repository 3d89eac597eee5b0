-- Follow-up (issue 14): the district manager's latest report on a
-- referral, as the citizen reads it (`domain::followup::CitizenReport`,
-- JSON), kept beside the referral for the lookup like the status.
ALTER TABLE registrations ADD COLUMN follow_up TEXT;
