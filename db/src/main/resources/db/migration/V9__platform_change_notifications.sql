-- Every Berth keeps the platform registrations in memory while it listens on this channel (PlatformChanges):
-- any change to a registration or its deployments, by any Berth or by hand, tells them all at commit.
CREATE FUNCTION berth_platform_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('berth_platform_changed', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER platform_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON platform
    FOR EACH STATEMENT EXECUTE FUNCTION berth_platform_changed();

CREATE TRIGGER deployment_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON deployment
    FOR EACH STATEMENT EXECUTE FUNCTION berth_platform_changed();
