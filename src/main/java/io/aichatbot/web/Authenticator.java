package io.aichatbot.web;

import io.aichatbot.config.AuthSettings;
import io.aichatbot.user.ApiKeys;
import io.aichatbot.user.User;
import io.aichatbot.user.UserStore;
import io.javalin.http.Context;

/**
 * Decides who a request acts as. Identity comes only from the connection's credentials, never
 * from a body or a path. Local mode (loopback only, enforced at start) is one implicit user.
 */
final class Authenticator {

    static final String USER = "aichatbot.user";

    private final AuthSettings.Mode mode;
    private final UserStore users;
    private final User localUser;

    Authenticator(AuthSettings.Mode mode, UserStore users, User localUser) {
        this.mode = mode;
        this.users = users;
        this.localUser = localUser;
    }

    AuthSettings.Mode mode() {
        return mode;
    }

    void authenticate(Context ctx) {
        ctx.attribute(USER, resolve(ctx));
    }

    private User resolve(Context ctx) {
        if (mode == AuthSettings.Mode.LOCAL) {
            return localUser;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "send an API key as 'Authorization: Bearer <key>'");
        }
        String key = header.substring(7).strip();
        if (key.length() > 200) {
            throw new ApiException(401, "unauthorized", "invalid API key");
        }
        return users.findByKeyHash(ApiKeys.hash(key)).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new ApiException(401, "unauthorized", "invalid API key");
        });
    }

    /** For admin routes: any authenticated admin (the local user is one). */
    void requireAdmin(Context ctx) {
        User user = resolve(ctx);
        if (!user.admin()) {
            throw new ApiException(403, "forbidden", "this needs an admin API key (bin/aichatbot user add NAME --admin)");
        }
        ctx.attribute(USER, user);
    }

    /**
     * For WebSocket clients, which authenticate with a header on the upgrade (programs) or with
     * a first "auth" message (browsers cannot set headers on a WebSocket). Empty when the key is
     * missing or wrong; local mode always answers the local user.
     */
    java.util.Optional<User> fromKey(String key) {
        if (mode == AuthSettings.Mode.LOCAL) {
            return java.util.Optional.of(localUser);
        }
        if (key == null || key.isBlank() || key.length() > 200) {
            return java.util.Optional.empty();
        }
        return users.findByKeyHash(ApiKeys.hash(key.strip()));
    }

    static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    }

    static User user(Context ctx) {
        User user = ctx.attribute(USER);
        if (user == null) {
            throw new IllegalStateException("route is missing authentication");
        }
        return user;
    }
}
