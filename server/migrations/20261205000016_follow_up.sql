-- Follow-up (issue 14): the district manager's latest report on a
-- referral, in the words the citizen reads (`followup::Report::for_citizen`,
-- JSON in both languages), kept beside the referral for the lookup like the
-- status.
ALTER TABLE registrations ADD COLUMN follow_up TEXT;
