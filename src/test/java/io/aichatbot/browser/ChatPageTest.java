package io.aichatbot.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.testing.FakeOpenAiServer;
import io.aichatbot.testing.TestServer;
import io.aichatbot.user.ApiKeys;
import io.aichatbot.user.User;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in Debian's headless Chromium against a real server: streaming, stop and reload,
 * feedback, long histories, hostile model output, errors, token mode and the phone layout.
 *
 * <p>One browser for the class (starting Chromium is the slow part), a fresh server and data
 * directory per test; each server listens on its own port, so no page state leaks between tests.
 * Without Chromium the tests are skipped with a message, unless {@code aichatbot.requireBrowser=true}
 * (set by CI), where a skip would hide a failure. Screenshots go to {@code target/screenshots}.
 */
class ChatPageTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** A 1000x700 page: headless Chromium still counts a window frame of about 143 pixels in the height. */
    private static final Dimension DESKTOP = new Dimension(1000, 843);

    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static Path profile;

    @TempDir
    Path dataDir;
    private TestServer server;
    private FakeOpenAiServer fake;

    @BeforeEach
    void startBrowserOnce() throws IOException {
        requireBrowser(); // per test, so that each skipped test reports why
        if (driver == null) {
            startBrowser();
        }
        driver.manage().window().setSize(DESKTOP);
    }

    private static void startBrowser() throws IOException {
        profile = Files.createTempDirectory("aichatbot-chromium");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1000,843", "--force-prefers-reduced-motion");
        var logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    /** Mirrors TestDatabases.requirePostgres: skip without a browser, fail when CI says one must be there. */
    static void requireBrowser() {
        if (CHROMIUM.canExecute() && CHROMEDRIVER.canExecute()) {
            return;
        }
        String message = "Chromium or chromedriver is missing (" + CHROMIUM + ", " + CHROMEDRIVER
                + "; apt-get install chromium chromium-driver)";
        if (Boolean.parseBoolean(System.getProperty("aichatbot.requireBrowser"))) {
            Assertions.fail(message + "; aichatbot.requireBrowser=true makes this a failure");
        }
        Assumptions.abort(message + "; skipping browser tests");
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @AfterEach
    void stopServer() throws IOException {
        List<String> pageErrors = List.of();
        if (driver != null) {
            pageErrors = pageErrors();
            driver.get("about:blank"); // end the page's open requests before its server goes away
            driver.manage().logs().get(LogType.BROWSER); // drop the console lines of the page just left
        }
        if (server != null) {
            server.close();
        }
        if (fake != null) {
            fake.close();
        }
        assertThat(pageErrors).as("CSP violations and uncaught errors in the page's console").isEmpty();
    }

    // ---- the tests ----------------------------------------------------------------------

    @Test
    void aSentMessageShowsAtOnceAndItsAnswerStreamsInUntilComplete() {
        start(Map.of("model.demo.token-delay", "25ms"));
        open("/");
        waitFor(By.cssSelector("#model-picker option[value='demo']"));

        WebElement input = input();
        input.sendKeys("Hello there");
        input.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
        input.sendKeys("second line");
        input.sendKeys(Keys.ENTER);

        WebElement user = waitFor(By.cssSelector(".msg-user .msg-body"));
        assertThat(user.getText()).isEqualTo("Hello there\nsecond line");
        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        wait(Duration.ofSeconds(5)).until(d -> reply.getAttribute("data-status").equals("streaming")
                && !reply.findElement(By.cssSelector(".msg-body")).getText().isBlank());
        assertThat(driver.findElement(By.id("stop-button")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("send-button")).isDisplayed()).isFalse();
        assertThat(reply.findElement(By.cssSelector(".msg-body")).getAttribute("aria-live")).isEqualTo("polite");
        assertThat(driver.switchTo().activeElement()).isEqualTo(input);
        String partial = reply.findElement(By.cssSelector(".msg-body")).getText(); // "**" stays literal until closed

        waitForStatus(reply, "complete", Duration.ofSeconds(15));
        String answer = reply.findElement(By.cssSelector(".msg-body")).getText();
        assertThat(answer).startsWith(partial.replace("*", "").strip()).contains("You wrote: \"Hello there\nsecond line\"");
        assertThat(reply.findElement(By.cssSelector(".msg-body strong")).getText()).isEqualTo("Demo model (offline, no AI).");
        assertThat(reply.findElements(By.cssSelector(".badge"))).isEmpty();
        assertThat(driver.findElement(By.id("send-button")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.cssSelector(".conv-item.active .conv-open")).getText()).startsWith("Hello there");
        assertThat(driver.getCurrentUrl()).contains("#/c/");
        screenshot("streamed-answer");
        // The turn travelled over the tab's WebSocket (SSE is only the fallback).
        assertThat(server.app().chat().runningTurns()).isZero();
        assertThat(metricsText()).contains("websocket_connections 1.0");
    }

    private String metricsText() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(server.request("/metrics").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStoppedAnswerIsMarkedStoppedAndStillShowsSoAfterAReload() {
        start(Map.of("model.demo.token-delay", "120ms"));
        open("/");

        send("Please write slowly");
        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        wait(Duration.ofSeconds(10)).until(d -> words(reply) >= 4);
        driver.findElement(By.id("stop-button")).click();

        waitForStatus(reply, "stopped", Duration.ofSeconds(10));
        assertThat(reply.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Stopped");
        assertThat(reply.findElement(By.cssSelector(".msg-retry")).getText()).isEqualTo("Regenerate");
        String partial = reply.findElement(By.cssSelector(".msg-body")).getText();
        assertThat(partial).isNotBlank().doesNotContain("Configure a real provider");
        screenshot("stopped-answer");

        driver.navigate().refresh();

        WebElement reloaded = waitFor(By.cssSelector(".msg-assistant[data-status='stopped']"));
        assertThat(reloaded.findElement(By.cssSelector(".msg-body")).getText()).isEqualTo(partial);
        assertThat(reloaded.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Stopped");
        assertThat(reloaded.findElement(By.cssSelector(".state-note")).getText()).isEqualTo("You stopped this answer.");

        // Regenerate answers the same question again: a second answer below the first, no second question.
        reloaded.findElement(By.cssSelector(".msg-retry")).click();
        wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".msg-assistant")).size() == 2);
        assertThat(driver.findElements(By.cssSelector(".msg-user .msg-body"))).extracting(WebElement::getText)
                .containsExactly("Please write slowly");
        WebElement regenerated = driver.findElements(By.cssSelector(".msg-assistant")).get(1);
        wait(Duration.ofSeconds(10)).until(d -> words(regenerated) >= 2);
        driver.findElement(By.id("stop-button")).click();
        waitForStatus(regenerated, "stopped", Duration.ofSeconds(10));

        driver.navigate().refresh();
        wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".msg-assistant[data-status='stopped']")).size() == 2);
        assertThat(driver.findElements(By.cssSelector(".msg-user"))).hasSize(1);
    }

    @Test
    void aThumbsDownWithACommentIsStoredAndShownAgainAfterAReload() {
        start(Map.of());
        open("/");

        send("Rate this");
        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(reply, "complete", Duration.ofSeconds(10));
        String messageId = reply.getAttribute("data-id");
        reply.findElement(By.cssSelector(".feedback-down")).click();
        WebElement comment = waitFor(By.cssSelector(".feedback-comment"));
        assertThat(driver.switchTo().activeElement()).isEqualTo(comment);
        comment.sendKeys("Too vague");
        screenshot("feedback-form");
        reply.findElement(By.cssSelector(".feedback-save")).click();

        wait(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElement(
                reply.findElement(By.cssSelector(".feedback-status")), "Too vague"));
        assertThat(reply.findElements(By.cssSelector(".feedback-form"))).isEmpty();
        assertThat(reply.findElement(By.cssSelector(".feedback-down")).getAttribute("aria-pressed")).isEqualTo("true");
        JsonNode stored = server.get("/api/messages/" + messageId + "/feedback").body();
        assertThat(stored.get("rating").asText()).isEqualTo("down");
        assertThat(stored.get("comment").asText()).isEqualTo("Too vague");

        driver.navigate().refresh();

        WebElement reloaded = waitFor(By.cssSelector(".msg-assistant[data-feedback='down']"));
        assertThat(reloaded.findElement(By.cssSelector(".feedback-down")).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(reloaded.findElement(By.cssSelector(".feedback-status")).getText()).contains("Too vague");
    }

    @Test
    void aLongConversationOpensOnItsNewestPageAndLoadsOlderPagesWhenScrolledUp() {
        start(Map.of());
        String id = server.newConversation();
        long seeding = System.nanoTime();
        for (int i = 0; i < 150; i++) {
            var response = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"Message number " + i + "\"}");
            assertThat(response.status()).isEqualTo(201);
        }
        System.out.printf("seeded 300 messages in %d ms%n", (System.nanoTime() - seeding) / 1_000_000);

        open("/#/c/" + id);

        wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".msg")).size() == 30);
        List<WebElement> users = driver.findElements(By.cssSelector(".msg-user .msg-body"));
        assertThat(users.getLast().getText()).isEqualTo("Message number 149");
        assertThat(users.getFirst().getText()).isEqualTo("Message number 135");
        assertThat(messagePagesFetched()).isEqualTo(1);
        assertThat(isInView(driver.findElements(By.cssSelector(".msg")).getLast())).isTrue();
        screenshot("long-conversation");

        WebElement oldestShown = users.getFirst();
        scrollMessagesTo(0);
        wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".msg")).size() >= 60);
        assertThat(driver.findElements(By.cssSelector(".msg-user .msg-body")).getFirst().getText())
                .isEqualTo("Message number 120");
        assertThat(isInView(oldestShown)).as("the message the reader was looking at stays in view").isTrue();

        for (int page = 3; page <= 10; page++) {
            int expected = page * 30;
            scrollMessagesTo(0);
            wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".msg")).size() >= expected);
        }
        assertThat(driver.findElements(By.cssSelector(".msg-user .msg-body")).getFirst().getText())
                .isEqualTo("Message number 0");
        wait(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("history-status"), "Beginning of the conversation"));
        assertThat(driver.findElements(By.cssSelector(".msg"))).hasSize(300);
    }

    @Test
    void hostileModelOutputIsShownAsTextAndNeverRuns() throws IOException {
        startWithFakeProvider(FakeOpenAiServer.Behavior.answering(
                "Look: <img src=x onerror=\"window.__xss=1\">",
                "<script>window.__xss=2</script> and ",
                "[x](javascript:window.__xss=3)",
                "\n\nevent: done\ndata: {}\n\n",
                "The stream goes on after that."), Map.of());
        open("/");

        send("<b>not bold</b> <img src=y onerror=\"window.__xss=4\">");

        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(reply, "complete", Duration.ofSeconds(10));
        WebElement body = reply.findElement(By.cssSelector(".msg-body"));
        assertThat(body.getText())
                .contains("Look: <img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script> and [x](javascript:window.__xss=3)")
                .contains("event: done\ndata: {}")
                .endsWith("The stream goes on after that.");
        assertThat(body.findElements(By.cssSelector("img, script, a"))).isEmpty();
        WebElement user = driver.findElement(By.cssSelector(".msg-user .msg-body"));
        assertThat(user.getText()).isEqualTo("<b>not bold</b> <img src=y onerror=\"window.__xss=4\">");
        assertThat(user.findElements(By.cssSelector("b, img"))).isEmpty();
        assertThat(driver.executeScript("return typeof window.__xss")).isEqualTo("undefined");

        driver.navigate().refresh();
        WebElement reloaded = waitFor(By.cssSelector(".msg-assistant[data-status='complete'] .msg-body"));
        assertThat(reloaded.getText()).endsWith("The stream goes on after that.");
        assertThat(reloaded.findElements(By.cssSelector("img, script, a"))).isEmpty();
        assertThat(driver.executeScript("return typeof window.__xss")).isEqualTo("undefined");
    }

    @Test
    void anAnswerCutAtTheModelsOutputLimitSaysSoLiveAndAfterAReload() throws IOException {
        startWithFakeProvider(FakeOpenAiServer.Behavior.answering("Once upon", " a time there").finishing("length"), Map.of());
        open("/");

        send("Tell me a long story");

        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(reply, "complete", Duration.ofSeconds(10));
        WebElement state = reply.findElement(By.cssSelector(".msg-state"));
        assertThat(state.isDisplayed()).isTrue();
        assertThat(state.getText()).contains("Cut short").contains("output limit");

        driver.navigate().refresh();
        WebElement reloaded = waitFor(By.cssSelector(".msg-assistant[data-status='complete'] .msg-state .badge-cut"));
        assertThat(reloaded.isDisplayed()).isTrue();
    }

    @Test
    void theLatestCompleteAnswerCanBeRegeneratedWithoutAskingTheQuestionAgain() throws IOException {
        startWithFakeProvider(FakeOpenAiServer.Behavior.answering("Lyon."), Map.of());
        open("/");
        send("Capital of France?");
        WebElement first = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(first, "complete", Duration.ofSeconds(10));
        fake.behave(FakeOpenAiServer.Behavior.answering("Paris."));

        WebElement regenerate = wait(Duration.ofSeconds(5)).until(
                ExpectedConditions.elementToBeClickable(first.findElement(By.cssSelector(".msg-regenerate"))));
        regenerate.click();

        wait(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector(".msg-assistant[data-status='complete']")).size() == 2);
        assertThat(driver.findElements(By.cssSelector(".msg-user .msg-body"))).extracting(WebElement::getText)
                .containsExactly("Capital of France?");
        List<WebElement> answers = driver.findElements(By.cssSelector(".msg-assistant"));
        assertThat(answers.get(1).findElement(By.cssSelector(".msg-body")).getText()).isEqualTo("Paris.");
        assertThat(answers.get(0).findElement(By.cssSelector(".msg-regenerate")).isDisplayed())
                .as("only the latest answer offers it").isFalse();
        assertThat(answers.get(1).findElement(By.cssSelector(".msg-regenerate")).isDisplayed()).isTrue();
    }

    @Test
    void aMarkdownAnswerGetsHeadingsListsLinksAndACodeBlockWithACopyButton() throws IOException {
        startWithFakeProvider(FakeOpenAiServer.Behavior.answering(
                "## Reading a file in Java\n\n",
                "Use **`Files.readString`**, which reads the whole file as *one* string:\n\n",
                "```java\nPath path = Path.of(\"notes.txt\");\nString text = Files.readString(path);\n",
                "System.out.println(text.length());\n```\n\n",
                "- It decodes **UTF-8** by default\n- It throws `IOException` when the file is missing\n\n",
                "See the [Files javadoc](https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/nio/file/Files.html).")
                .delays(Duration.ZERO, Duration.ofMillis(60)), Map.of());
        open("/");

        send("How do I read a text file in Java?");

        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(reply, "complete", Duration.ofSeconds(10));
        assertThat(reply.findElement(By.cssSelector(".msg-body h2")).getText()).isEqualTo("Reading a file in Java");
        assertThat(reply.findElement(By.cssSelector(".code-block .code-lang")).getText()).isEqualTo("java");
        assertThat(reply.findElement(By.cssSelector(".code-block code")).getText())
                .isEqualTo("Path path = Path.of(\"notes.txt\");\nString text = Files.readString(path);\nSystem.out.println(text.length());");
        assertThat(reply.findElements(By.cssSelector(".msg-body li"))).hasSize(2);
        WebElement link = reply.findElement(By.cssSelector(".msg-body a"));
        assertThat(link.getAttribute("href")).startsWith("https://docs.oracle.com/");
        assertThat(link.getAttribute("rel")).isEqualTo("noopener noreferrer");
        assertThat(link.getAttribute("target")).isEqualTo("_blank");
        screenshot("markdown-answer");
        WebElement copy = reply.findElement(By.cssSelector(".copy-code"));
        copy.click();
        wait(Duration.ofSeconds(3)).until(d -> copy.getText().startsWith("Cop") && !copy.getText().equals("Copy"));
    }

    @Test
    void aRateLimitedAnswerSaysSoInWordsAndRetryAnswersTheSameMessageAgain() throws IOException {
        startWithFakeProvider(FakeOpenAiServer.Behavior.error(429, "rate_limit_exceeded", "Rate limit reached"),
                Map.of("routing.max-attempts", "1"));
        open("/");

        send("Are you there?");

        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(reply, "failed", Duration.ofSeconds(10));
        assertThat(reply.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Failed");
        assertThat(reply.findElement(By.cssSelector(".state-note")).getText())
                .isEqualTo("The model provider is rate-limiting requests; try again in a moment.");
        screenshot("failed-answer");

        fake.behave(FakeOpenAiServer.Behavior.answering("Yes, ", "I am here."));
        reply.findElement(By.cssSelector(".msg-retry")).click();

        wait(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector(".msg-assistant[data-status='complete']")).size() == 1);
        List<WebElement> users = driver.findElements(By.cssSelector(".msg-user .msg-body"));
        assertThat(users).extracting(WebElement::getText).as("the question is not sent twice").containsExactly("Are you there?");
        assertThat(driver.findElements(By.cssSelector(".msg-assistant"))).extracting(e -> e.getAttribute("data-status"))
                .containsExactly("failed", "complete");
        assertThat(driver.findElement(By.cssSelector(".msg-assistant[data-status='complete'] .msg-body")).getText())
                .isEqualTo("Yes, I am here.");
    }

    @Test
    void aMessageTheServerRefusesStaysInTheBoxWithTheReason() {
        start(Map.of("chat.max-message-bytes", "64"));
        open("/");
        waitFor(By.cssSelector("#model-picker option"));

        String tooLong = "x".repeat(100);
        send(tooLong);

        WebElement alert = wait(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
        assertThat(alert.getText()).contains("Your message is too long.");
        assertThat(input().getAttribute("value")).isEqualTo(tooLong);
        assertThat(driver.findElements(By.cssSelector(".msg"))).isEmpty();
    }

    @Test
    void inTokenModeThePageAsksForAKeyAndThenWorks() {
        start(Map.of("auth.mode", "token"));
        var users = new JdbcUserStore(server.app().database());
        User alice = users.createUser("alice", false, Instant.now());
        String key = ApiKeys.newKey();
        users.addApiKey(alice.id(), ApiKeys.hash(key), ApiKeys.displayPrefix(key), Instant.now());
        open("/");

        WebElement keyInput = wait(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input")));
        screenshot("api-key-dialog");
        keyInput.sendKeys("acb_wrong", Keys.ENTER);
        wait(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("key-error"),
                "That key was not accepted. Check it and try again."));
        keyInput.sendKeys(key, Keys.ENTER);
        wait(Duration.ofSeconds(5)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("key-dialog")));
        waitFor(By.cssSelector("#model-picker option[value='demo']"));

        send("Hello with a key");

        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(reply, "complete", Duration.ofSeconds(10));
        assertThat(reply.getText()).contains("You wrote: \"Hello with a key\"");
        assertThat(driver.executeScript("return sessionStorage.getItem('aichatbot.apiKey')")).isEqualTo(key);
        assertThat(server.withToken(key).get("/api/conversations").body().get("items")).hasSize(1);
    }

    @Test
    void atPhoneWidthTheConversationListHidesBehindAMenuButton() {
        start(Map.of());
        String first = server.newConversation();
        server.post("/api/conversations/" + first + "/messages", "{\"content\":\"First topic\"}");
        String second = server.newConversation();
        server.post("/api/conversations/" + second + "/messages", "{\"content\":\"Second topic\"}");
        driver.manage().window().setSize(new Dimension(390, 760));
        open("/");

        WebElement menu = wait(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("menu-button")));
        waitFor(By.cssSelector(".conv-item"));
        assertThat(driver.findElement(By.id("sidebar")).isDisplayed()).isFalse();
        menu.click();
        WebElement item = wait(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//button[contains(@class,'conv-open') and text()='First topic']")));
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("true");
        screenshot("phone-sidebar");
        item.click();

        wait(Duration.ofSeconds(5)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("sidebar")));
        wait(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("conversation-title"), "First topic"));
        waitFor(By.cssSelector(".msg-assistant[data-status='complete']"));
        screenshot("phone-conversation");
    }

    @Test
    void conversationsCanBeRenamedAndDeletedAfterConfirming() {
        start(Map.of());
        String id = server.newConversation();
        server.post("/api/conversations/" + id + "/messages", "{\"content\":\"Old title\"}");
        open("/#/c/" + id);
        WebElement item = waitFor(By.cssSelector(".conv-item.active"));

        item.findElement(By.cssSelector(".conv-rename")).click();
        WebElement title = waitFor(By.cssSelector(".conv-rename-input"));
        title.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Trip plans", Keys.ENTER);
        wait(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("conversation-title"), "Trip plans"));
        assertThat(server.get("/api/conversations/" + id).body().get("title").asText()).isEqualTo("Trip plans");

        item.findElement(By.cssSelector(".conv-delete")).click();
        WebElement cancel = wait(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-cancel")));
        assertThat(driver.findElement(By.id("confirm-text")).getText()).contains("“Trip plans”");
        screenshot("delete-confirmation");
        cancel.click();
        assertThat(server.get("/api/conversations/" + id).status()).isEqualTo(200);

        item.findElement(By.cssSelector(".conv-delete")).click();
        wait(Duration.ofSeconds(5)).until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
        wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".conv-item")).isEmpty());
        assertThat(server.get("/api/conversations/" + id).status()).isEqualTo(404);
        assertThat(driver.findElement(By.id("empty-state")).isDisplayed()).isTrue();
    }

    @Test
    void anAnswerWhoseStreamIsCutShowsAsIncompleteAndThenShowsWhatWasSaved() {
        start(Map.of("model.demo.token-delay", "40ms"));
        open("/");
        waitFor(By.cssSelector("#model-picker option"));
        // A proxy or a network drop ends the body after the first delta, with no final event.
        driver.executeScript("""
                const realFetch = window.fetch;
                window.fetch = async (url, init) => {
                  const response = await realFetch(url, init);
                  if (!(init && init.method === 'POST' && String(url).endsWith('/messages'))) {
                    return response;
                  }
                  const reader = response.body.getReader();
                  const decoder = new TextDecoder();
                  let seen = '';
                  const body = new ReadableStream({
                    async pull(controller) {
                      const { value, done } = await reader.read();
                      if (done) {
                        controller.close();
                        return;
                      }
                      seen += decoder.decode(value, { stream: true });
                      controller.enqueue(value);
                      if (seen.includes('event: delta')) {
                        reader.cancel();
                        controller.close();
                      }
                    },
                  });
                  return new Response(body, { status: response.status, headers: response.headers });
                };
                // The same drop for turns that travel over the tab's WebSocket: it closes after the first delta.
                const RealWebSocket = window.WebSocket;
                window.WebSocket = function (url, protocols) {
                  const socket = new RealWebSocket(url, protocols);
                  socket.addEventListener('message', (event) => {
                    if (String(event.data).includes('"type":"delta"')) {
                      socket.close();
                    }
                  });
                  return socket;
                };
                window.WebSocket.OPEN = RealWebSocket.OPEN;
                window.WebSocket.prototype = RealWebSocket.prototype;""");

        send("Cut me off");

        WebElement reply = waitFor(By.cssSelector(".msg-assistant"));
        waitForStatus(reply, "incomplete", Duration.ofSeconds(10));
        assertThat(reply.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Incomplete");
        assertThat(reply.findElement(By.cssSelector(".state-note")).getText())
                .isEqualTo("The connection ended before the answer was finished.");
        screenshot("incomplete-answer");

        reply.findElement(By.cssSelector(".msg-refresh")).click();

        waitForStatus(reply, "stopped", Duration.ofSeconds(10)); // the server saw the connection close
        assertThat(reply.findElement(By.cssSelector(".state-note")).getText()).contains("its connection closed");
    }

    @Test
    void anAnswerAnotherConnectionIsWritingShowsAsStillGeneratingUntilItIsDone() throws Exception {
        start(Map.of("model.demo.token-delay", "40ms"));
        String id = server.newConversation();
        var firstDelta = new CountDownLatch(1);
        var otherTab = CompletableFuture.runAsync(() -> server.stream(id, "{\"content\":\"From another tab\"}", event -> {
            if (event.event().equals("delta")) {
                firstDelta.countDown();
            }
            return false;
        }));
        assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();

        open("/#/c/" + id);

        WebElement reply = waitFor(By.cssSelector(".msg-assistant[data-status='generating']"));
        assertThat(reply.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Still generating…");
        assertThat(reply.findElement(By.cssSelector(".msg-refresh")).isDisplayed()).isTrue();
        screenshot("still-generating");
        otherTab.get(15, TimeUnit.SECONDS);
        waitForStatus(reply, "complete", Duration.ofSeconds(10));
        assertThat(reply.findElement(By.cssSelector(".msg-body")).getText()).contains("You wrote: \"From another tab\"");
        assertThat(reply.findElements(By.cssSelector(".badge"))).isEmpty();
    }

    @Test
    void theConversationListLoadsItsNextPageWhenScrolledToTheBottom() {
        start(Map.of());
        for (int i = 0; i < 45; i++) {
            assertThat(server.post("/api/conversations", "{\"title\":\"Topic " + i + "\"}").status()).isEqualTo(201);
        }
        open("/");

        wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".conv-item")).size() == 30);
        driver.executeScript("const list = document.getElementById('conversation-scroller'); list.scrollTop = list.scrollHeight;");

        wait(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector(".conv-item")).size() == 45);
        List<String> titles = driver.findElements(By.cssSelector(".conv-open")).stream()
                .map(item -> item.getAttribute("textContent")).toList();
        assertThat(titles).doesNotHaveDuplicates().hasSize(45).contains("Topic 0", "Topic 44");
    }

    @Test
    void theStreamReaderFindsEventsSplitAnywhereWithAnyLineEndingAndSkipsHeartbeats() {
        start(Map.of());
        open("/");

        Object distinctResults = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/api.js').then(({ SseParser }) => {
                  const wire = ': heartbeat\\r\\nevent: turn\\r\\ndata: {"a":1}\\r\\n\\r\\n'
                    + 'event: delta\\ndata: {"text":"x\\\\n\\\\nevent: done"}\\n\\n'
                    + 'event: delta\\rdata: line1\\rdata: line2\\r\\r:hb\\n\\n'
                    + 'event: done\\ndata: {}\\n\\nevent: cut\\ndata: never finished';
                  const results = new Set();
                  for (let size = 1; size <= wire.length; size++) {
                    const events = [];
                    const parser = new SseParser((name, data) => events.push(`${name}=${data}`));
                    for (let i = 0; i < wire.length; i += size) {
                      parser.push(wire.slice(i, i + size));
                    }
                    results.add(events.join('|'));
                  }
                  done([...results]);
                });""");

        assertThat(distinctResults).isEqualTo(List.of(
                "turn={\"a\":1}|delta={\"text\":\"x\\n\\nevent: done\"}|delta=line1\nline2|done={}"));
    }

    // ---- helpers ------------------------------------------------------------------------

    private void start(Map<String, String> settings) {
        server = TestServer.start(dataDir, settings);
    }

    /** The server with one OpenAI-compatible model, "local-llm", answered by the fake provider, as the default. */
    private void startWithFakeProvider(FakeOpenAiServer.Behavior behavior, Map<String, String> extra) throws IOException {
        fake = new FakeOpenAiServer().behave(behavior);
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("models", "local-llm");
        settings.put("model.local-llm.base-url", fake.baseUrl());
        settings.put("default-model", "local-llm");
        start(settings);
    }

    private void open(String path) {
        driver.get(server.uri(path).toString());
    }

    private WebElement input() {
        return driver.findElement(By.id("composer-input"));
    }

    private void send(String text) {
        WebElement input = wait(Duration.ofSeconds(5)).until(ExpectedConditions.elementToBeClickable(By.id("composer-input")));
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    private static WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    private static WebElement waitFor(By locator) {
        return wait(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    private static void waitForStatus(WebElement message, String status, Duration timeout) {
        wait(timeout).until(d -> status.equals(message.getAttribute("data-status")));
    }

    private static int words(WebElement message) {
        String text = message.findElement(By.cssSelector(".msg-body")).getText().strip();
        return text.isEmpty() ? 0 : text.split("\\s+").length;
    }

    private static long messagePagesFetched() {
        return (Long) driver.executeScript("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/messages?')).length");
    }

    private static void scrollMessagesTo(int top) {
        driver.executeScript("document.getElementById('messages').scrollTop = arguments[0]", top);
    }

    private static boolean isInView(WebElement element) {
        return (Boolean) driver.executeScript("""
                const box = arguments[0].getBoundingClientRect();
                const view = document.getElementById('messages').getBoundingClientRect();
                return box.bottom > view.top && box.top < view.bottom;""", element);
    }

    /** Console lines that mean the page is broken: a CSP violation (an inline style or script) or an uncaught error. */
    private static List<String> pageErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Uncaught")).toList();
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException("could not save screenshot " + name, e);
        }
    }
}
