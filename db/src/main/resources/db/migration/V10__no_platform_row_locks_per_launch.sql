-- A foreign key check locks the referenced row (FOR KEY SHARE) until the inserting transaction ends. Every login
-- inserts an oidc_state row and every first launch a person row, all pointing at the same platform row: under
-- load every launch in flight shared a lock on that one row, and each new locker made PostgreSQL write a new
-- multixact of all of them (in the launch benchmark, two per launch, and about a third of the database's work).
-- These two references are kept by Berth instead:
-- * a login state names its platform only to be checked against the registry when it is used; a state whose
--   platform is gone is refused like an unknown one, and deleting a platform deletes its states;
-- * deleting a platform deletes its people, and only a platform without courses can be deleted. A launch that
--   inserts a person writes a course of the same platform in the same statement, and course keeps its foreign
--   key, so a launch racing a deletion either fails whole or makes the deletion fail: no person is left behind.
ALTER TABLE oidc_state DROP CONSTRAINT oidc_state_platform_id_fkey;
ALTER TABLE person DROP CONSTRAINT person_platform_id_fkey;
