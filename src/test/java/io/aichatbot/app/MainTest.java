package io.aichatbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        Run help = run("--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("serve", "user add NAME", "migrate", "--port", "--db-url");
    }

    @Test
    void userAddPrintsAKeyThatOpensTheApiInTokenMode() throws Exception {
        Run added = run("user", "add", "alice", "--data-dir", dir.toString());
        String key = added.out().strip();

        assertThat(added.exit()).isZero();
        assertThat(key).startsWith("acb_").hasSizeGreaterThan(40);
        try (TestServer server = TestServer.start(dir, Map.of("auth.mode", "token"))) {
            assertThat(server.get("/api/conversations").status()).isEqualTo(401);
            assertThat(server.withToken(key).get("/api/conversations").status()).isEqualTo(200);
        }
    }

    @Test
    void aConfigurationMistakeExitsWith2AndSaysWhichSetting() throws Exception {
        Run bad = run("serve", "--port", "eighty", "--data-dir", dir.toString());

        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("server.port");
    }

    @Test
    void unknownCommandsAndOptionsAreRefused() throws Exception {
        assertThat(run("fly").exit()).isEqualTo(2);
        assertThat(run("serve", "--turbo").exit()).isEqualTo(2);
    }
}
