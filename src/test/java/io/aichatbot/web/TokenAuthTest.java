package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.testing.TestServer;
import io.aichatbot.user.ApiKeys;
import io.aichatbot.user.User;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token mode: every API call needs a valid bearer key, and users only ever see their own data. */
class TokenAuthTest {

    @TempDir
    Path dir;
    TestServer server;
    String aliceKey;
    String bobKey;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, Map.of("auth.mode", "token"));
        var users = new JdbcUserStore(server.app().database());
        aliceKey = key(users, "alice");
        bobKey = key(users, "bob");
    }

    private static String key(JdbcUserStore users, String name) {
        User user = users.createUser(name, false, Instant.now());
        String key = ApiKeys.newKey();
        users.addApiKey(user.id(), ApiKeys.hash(key), ApiKeys.displayPrefix(key), Instant.now());
        return key;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRequestWithoutAKeyIsRefusedWith401AndABearerChallenge() {
        var response = server.get("/api/conversations");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("unauthorized");
        assertThat(response.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void aWrongKeyIsRefusedWith401() {
        assertThat(server.withToken(aliceKey + "x").get("/api/conversations").status()).isEqualTo(401);
        assertThat(server.withToken("acb_nope").post("/api/conversations", "").status()).isEqualTo(401);
    }

    @Test
    void anotherUsersConversationAnswersExactlyLikeAMissingOne() {
        String aliceConversation = server.withToken(aliceKey).newConversation();
        server.post("/api/conversations/" + aliceConversation + "/messages", "{\"content\":\"secret\"}");
        String missing = "01a20a4b-8ae5-713b-9f99-c867d411d6e0";

        server.withToken(bobKey);
        var foreign = server.get("/api/conversations/" + aliceConversation);
        var absent = server.get("/api/conversations/" + missing);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(absent.body().deepCopy()).isNotNull();
        assertThat(server.get("/api/conversations/" + aliceConversation + "/messages").status()).isEqualTo(404);
        assertThat(server.post("/api/conversations/" + aliceConversation + "/messages", "{\"content\":\"hi\"}").status()).isEqualTo(404);
        assertThat(server.post("/api/conversations/" + aliceConversation + "/stop", "").status()).isEqualTo(404);
        assertThat(server.delete("/api/conversations/" + aliceConversation).status()).isEqualTo(404);
        assertThat(server.get("/api/conversations").body().get("items")).isEmpty();
        assertThat(server.withToken(aliceKey).get("/api/conversations/" + aliceConversation + "/messages").body().get("items")).hasSize(2);
    }

    @Test
    void healthChecksStayOpenForProbes() {
        assertThat(server.withToken(null).get("/health/ready").status()).isEqualTo(200);
    }
}
