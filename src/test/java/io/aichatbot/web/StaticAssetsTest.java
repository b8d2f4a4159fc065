package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's assets: versioned for long caching, compressed on request, confined to web/. */
class StaticAssetsTest {

    @TempDir
    Path dir;

    @Test
    void thePageNamesVersionedAssetsThatAreImmutableAndCompressed() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            var http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(server.request("/").GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher script = Pattern.compile("src=\"(/assets/([0-9a-f]{12})/js/app\\.js)\"").matcher(page.body());
            assertThat(script.find()).as(page.body()).isTrue();
            String version = script.group(2);

            assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
            assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(page.body()).contains("href=\"/assets/" + version + "/app.css\"");

            var app = http.send(server.request(script.group(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            var module = http.send(server.request("/assets/" + version + "/js/api.js").GET().build(), HttpResponse.BodyHandlers.ofString());
            var gzipped = http.send(server.request(script.group(1)).header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            var stale = http.send(server.request("/assets/000000000000/js/app.js").GET().build(), HttpResponse.BodyHandlers.ofString());
            var escape = http.send(server.request("/assets/" + version + "/..%2F..%2Fsimplelogger.properties").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(app.statusCode()).isEqualTo(200);
            assertThat(app.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
            assertThat(app.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
            assertThat(module.statusCode()).isEqualTo(200); // relative imports resolve under the same version
            assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(stale.headers().firstValue("Cache-Control")).contains("no-cache");
            assertThat(escape.statusCode()).isEqualTo(404);
        }
    }
}
