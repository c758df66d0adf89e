-- Where a member OUS's data are: delivered (with a release date), "In progress" (observed in
-- part, or being reduced and quality-assessed: no files, no release date yet) or "In QA3"
-- (a problem found after delivery is being resolved: its files are withdrawn until then), as
-- the ALMA archive's Release date column shows it.
ALTER TABLE archive.member_ous
    ADD COLUMN delivery text NOT NULL DEFAULT 'Delivered'
        CHECK (delivery IN ('Delivered', 'In progress', 'In QA3'));
