package io.aichatbot.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where API keys come from: the process environment, or a secrets file of {@code NAME=value}
 * lines (as orchestrators mount them); the environment wins. Values are never logged; only
 * names and the file's path are.
 */
public final class Secrets {

    private static final Logger log = LoggerFactory.getLogger(Secrets.class);

    private Secrets() {}

    public static Map<String, String> load(Path secretsFile, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>();
        if (secretsFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(secretsFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read secrets.file " + secretsFile + ": " + e.getMessage());
            }
            file.stringPropertyNames().forEach(name -> all.put(name, file.getProperty(name).strip()));
            warnIfReadableByOthers(secretsFile);
            log.info("read {} secret(s) from {}", all.size(), secretsFile);
        }
        all.putAll(environment);
        return all;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ)) {
                log.warn("secrets.file {} is readable by other users; chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
