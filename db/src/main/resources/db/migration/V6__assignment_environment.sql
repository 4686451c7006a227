-- Berth schema, part 6: the environment an assignment opens (issue 4, student page).
-- NULL means the default, the built-in terminal. A launch sets it from the LTI custom parameter `environment`
-- (Canvas: custom field environment=jupyter) unless staff chose one on the assignment page: staff win, so a
-- course's choice survives the LMS re-sending an old custom parameter on every launch.
ALTER TABLE assignment
    ADD COLUMN environment_id        bigint REFERENCES environment (id),
    ADD COLUMN environment_source    text CHECK (environment_source IN ('launch', 'staff')),
    -- The last custom `environment` value that named no enabled environment; shown to staff, cleared by a
    -- valid one or by a staff choice.
    ADD COLUMN environment_requested text CHECK (length(environment_requested) <= 200);
