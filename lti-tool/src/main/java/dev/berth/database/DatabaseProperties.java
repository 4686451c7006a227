package dev.berth.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Berth keeps its data on one machine.
 *
 * @param dataDir folder for the embedded PostgreSQL and other local state; created when missing
 * @param embeddedPort port of the embedded PostgreSQL on 127.0.0.1; 0 picks a free one
 * @param embeddedPoolSize connections from Berth to the embedded PostgreSQL; it shares the machine's cores
 *     with Berth, so more connections than a few per core only add waiting inside the database
 */
@ConfigurationProperties("berth")
public record DatabaseProperties(
        @DefaultValue("data") Path dataDir,
        @DefaultValue("0") int embeddedPort,
        @DefaultValue("20") int embeddedPoolSize) {}
