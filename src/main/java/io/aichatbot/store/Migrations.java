package io.aichatbot.store;

import java.io.File;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Flyway migrations in a class loader of their own that is dropped afterwards.
 *
 * <p>Why: Flyway is needed for a second at start and never again, yet the ~400 classes it
 * loads (and their metadata, about 5 MB of resident memory) would stay for the life of the
 * process in the application class loader, which never unloads anything. Loaded here, they
 * are unloaded by the next full GC. Only JDK types ({@link DataSource}, strings, numbers)
 * cross between the two loaders, so nothing of Flyway's is reachable from ours afterwards.
 */
final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    /** The last loader used, for the test that proves it can be collected. */
    static volatile WeakReference<ClassLoader> lastLoader = new WeakReference<>(null);

    private Migrations() {}

    /** Applies pending migrations from the shared folder and the dialect's own; returns how many ran. */
    static int migrate(DataSource source, String dialect, String schema) {
        String[] locations = {"classpath:db/migration/common", "classpath:db/migration/" + dialect};
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (var loader = new URLClassLoader("migrations", classPath(), ClassLoader.getPlatformClassLoader())) {
            lastLoader = new WeakReference<>(loader);
            thread.setContextClassLoader(loader); // Flyway finds its plugins and our SQL files through it
            Object[] result = (Object[]) loader.loadClass(FlywayRun.class.getName())
                    .getMethod("migrate", DataSource.class, String[].class, String.class)
                    .invoke(null, source, locations, schema);
            int executed = (Integer) result[0];
            if (executed > 0) {
                log.info("applied {} migration(s); schema is at version {}", executed, result[1]);
            }
            return executed;
        } catch (InvocationTargetException e) {
            // Only the message crosses over: a Flyway exception would pin its class loader.
            Throwable cause = e.getCause();
            throw new StoreException("database migration failed: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage(), null);
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new StoreException("cannot load the migrations: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The application's class path (the shaded jar in production; a test class path otherwise). */
    private static URL[] classPath() {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                urls.add(new File(entry).toURI().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("bad class path entry " + entry, e);
            }
        }
        return urls.toArray(URL[]::new);
    }
}
