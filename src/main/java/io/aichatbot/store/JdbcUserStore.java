package io.aichatbot.store;

import io.aichatbot.chat.Ids;
import io.aichatbot.user.User;
import io.aichatbot.user.UserStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Users and API key hashes on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcUserStore implements UserStore {

    private final Database database;

    public JdbcUserStore(Database database) {
        this.database = database;
    }

    @Override
    public User ensureUser(String name, boolean admin, Instant now) {
        return findByName(name).orElseGet(() -> database.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO users (id, name, is_admin, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO NOTHING""")) {
                insert.setString(1, Ids.newId(now.toEpochMilli()));
                insert.setString(2, name);
                insert.setInt(3, admin ? 1 : 0);
                insert.setLong(4, now.toEpochMilli());
                insert.executeUpdate();
            }
            return selectByName(connection, name).orElseThrow();
        }));
    }

    @Override
    public User createUser(String name, boolean admin, Instant now) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            throw new IllegalArgumentException("a user name is 1-64 letters, digits or . _ @ -");
        }
        return database.write(connection -> {
            if (selectByName(connection, name).isPresent()) {
                throw new IllegalArgumentException("user " + name + " already exists");
            }
            var user = new User(Ids.newId(now.toEpochMilli()), name, admin, Instant.ofEpochMilli(now.toEpochMilli()));
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO users (id, name, is_admin, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, user.id());
                insert.setString(2, name);
                insert.setInt(3, admin ? 1 : 0);
                insert.setLong(4, now.toEpochMilli());
                insert.executeUpdate();
            }
            return user;
        });
    }

    @Override
    public Optional<User> findByName(String name) {
        return database.read(connection -> selectByName(connection, name));
    }

    @Override
    public void addApiKey(String userId, String keyHash, String keyPrefix, Instant now) {
        database.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO api_keys (key_hash, user_id, key_prefix, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, keyHash);
                insert.setString(2, userId);
                insert.setString(3, keyPrefix);
                insert.setLong(4, now.toEpochMilli());
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public Optional<User> findByKeyHash(String keyHash) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT u.id, u.name, u.is_admin, u.created_at
                    FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?""")) {
                select.setString(1, keyHash);
                return one(select);
            }
        });
    }

    private static Optional<User> selectByName(java.sql.Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, name, is_admin, created_at FROM users WHERE name = ?")) {
            select.setString(1, name);
            return one(select);
        }
    }

    private static Optional<User> one(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new User(row.getString("id"), row.getString("name"), row.getInt("is_admin") != 0,
                    Instant.ofEpochMilli(row.getLong("created_at"))));
        }
    }
}
