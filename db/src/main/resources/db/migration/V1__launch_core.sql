-- Berth schema, part 1: platform registry, tool keys, OIDC login state, courses and rosters, sessions, audit.
-- Flyway migrations in this folder are the only source of Berth's schema (docs/architecture.md).

CREATE TABLE platform (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer          text        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 1024),
    client_id       text        NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    product         text        NOT NULL DEFAULT 'other'
                                CHECK (product IN ('canvas', 'moodle', 'brightspace', 'other')),
    auth_url        text        NOT NULL,
    token_url       text        NOT NULL,
    jwks_url        text        NOT NULL,
    -- The `aud` of our client assertions when it is not the token URL (Brightspace).
    token_audience  text,
    -- Origins allowed to frame Berth besides the issuer's and the auth URL's (CSP frame-ancestors).
    frame_origins   text[]      NOT NULL DEFAULT '{}',
    enabled         boolean     NOT NULL DEFAULT true,
    -- Who manages the row: the admin page, the admin API, or the application configuration.
    source          text        NOT NULL DEFAULT 'admin' CHECK (source IN ('admin', 'api', 'config')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT platform_issuer_client_uq UNIQUE (issuer, client_id)
);

CREATE TABLE deployment (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id    bigint      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    deployment_id  text        NOT NULL CHECK (length(deployment_id) BETWEEN 1 AND 255),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deployment_platform_uq UNIQUE (platform_id, deployment_id)
);

-- Berth's own signing keys. State is derived from the timestamps, never stored:
--   next     activates_at > now            (published, signs nothing yet)
--   active   the newest key with activates_at <= now
--   retired  an older key with activates_at <= now, published until unpublish_at
CREATE TABLE tool_key (
    kid                    text        PRIMARY KEY,
    public_jwk             text        NOT NULL,
    -- The private JWK as a compact JWE (dir + A256GCM) under the configured encryption key.
    private_jwk_encrypted  text        NOT NULL,
    created_at             timestamptz NOT NULL,
    activates_at           timestamptz NOT NULL,
    unpublish_at           timestamptz
);

-- OIDC login state: single use, short-lived. Unlogged on purpose: it is a handshake that lives for
-- minutes, and after a database crash the only loss is that logins in flight must be started again.
CREATE UNLOGGED TABLE oidc_state (
    state            text        PRIMARY KEY,
    nonce            text        NOT NULL,
    platform_id      bigint      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    target_link_uri  text        NOT NULL,
    deployment_hint  text,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz
);
CREATE INDEX oidc_state_expires_idx ON oidc_state (expires_at);

CREATE TABLE course (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id       bigint      NOT NULL REFERENCES platform (id),
    deployment_id     bigint      NOT NULL REFERENCES deployment (id),
    context_id        text        NOT NULL,
    title             text,
    label             text,
    -- NRPS endpoint from the launch, for roster sync (LTI Advantage).
    memberships_url   text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT course_context_uq UNIQUE (platform_id, context_id)
);

CREATE TABLE person (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id    bigint      NOT NULL REFERENCES platform (id),
    subject        text        NOT NULL,
    name           text,
    given_name     text,
    family_name    text,
    email          text,
    picture        text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT person_subject_uq UNIQUE (platform_id, subject)
);

-- A course's learners form its main cohort (kind 'course'); sections sent by the LMS form sub-cohorts.
CREATE TABLE cohort (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id   bigint NOT NULL REFERENCES course (id) ON DELETE CASCADE,
    kind        text   NOT NULL CHECK (kind IN ('course', 'section')),
    source_id   text   NOT NULL,
    name        text   NOT NULL,
    CONSTRAINT cohort_source_uq UNIQUE (course_id, kind, source_id)
);

CREATE TABLE membership (
    person_id       bigint      NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    course_id       bigint      NOT NULL REFERENCES course (id) ON DELETE CASCADE,
    roles           text[]      NOT NULL,
    access          text        NOT NULL CHECK (access IN ('staff', 'learner', 'none')),
    first_launch_at timestamptz NOT NULL,
    last_launch_at  timestamptz NOT NULL,
    PRIMARY KEY (person_id, course_id)
);
CREATE INDEX membership_course_idx ON membership (course_id);

CREATE TABLE cohort_member (
    cohort_id  bigint NOT NULL REFERENCES cohort (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    PRIMARY KEY (cohort_id, person_id)
);

CREATE TABLE assignment (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id          bigint      NOT NULL REFERENCES course (id) ON DELETE CASCADE,
    resource_link_id   text        NOT NULL,
    title              text,
    description        text,
    -- AGS endpoints from the launch (LTI Advantage).
    lineitems_url      text,
    lineitem_url       text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assignment_link_uq UNIQUE (course_id, resource_link_id)
);

CREATE TABLE audit (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor     text        NOT NULL,
    action    text        NOT NULL,
    target    text        NOT NULL,
    details   jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_at_idx ON audit (at DESC);

-- Spring Session JDBC (Berth sessions survive restarts and are shared by replicas).
CREATE TABLE spring_session (
    primary_id             char(36) NOT NULL,
    session_id             char(36) NOT NULL,
    creation_time          bigint   NOT NULL,
    last_access_time       bigint   NOT NULL,
    max_inactive_interval  int      NOT NULL,
    expiry_time            bigint   NOT NULL,
    principal_name         varchar(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id  char(36)     NOT NULL,
    attribute_name      varchar(200) NOT NULL,
    attribute_bytes     bytea        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);
