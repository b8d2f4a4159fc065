package io.aichatbot.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The only class that touches Flyway. It is loaded by {@link Migrations}' throwaway class
 * loader, never by the application's, so its signature uses JDK types only.
 */
public final class FlywayRun {

    private FlywayRun() {}

    /** Returns {number of migrations executed, target version or null}. */
    public static Object[] migrate(DataSource source, String[] locations, String schema) {
        var configuration = Flyway.configure()
                .dataSource(source)
                // Shared migrations first; a dialect folder holds only what cannot be written once.
                .locations(locations)
                .failOnMissingLocations(false);
        if (schema != null) {
            configuration.schemas(schema).defaultSchema(schema);
        }
        var result = configuration.load().migrate();
        return new Object[] {result.migrationsExecuted, result.targetSchemaVersion};
    }
}
