package io.aichatbot.user;

import java.time.Instant;
import java.util.Optional;

/** Users and their API keys; only key hashes are ever stored. Thread-safe. */
public interface UserStore {

    /** Returns the user with this name, creating it if missing (the local user, at start). */
    User ensureUser(String name, boolean admin, Instant now);

    /** Creates a user; throws IllegalArgumentException if the name is taken. */
    User createUser(String name, boolean admin, Instant now);

    Optional<User> findByName(String name);

    void addApiKey(String userId, String keyHash, String keyPrefix, Instant now);

    Optional<User> findByKeyHash(String keyHash);
}
