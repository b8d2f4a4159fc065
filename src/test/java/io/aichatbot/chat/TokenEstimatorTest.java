package io.aichatbot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    @Test
    void utf8LengthMatchesTheJdkEncoderForMixedScripts() {
        String text = "héllo wörld — 你好 🙂 \uD83D\uDE00 plain";
        assertThat(TokenEstimator.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void englishIsOverEstimatedRatherThanUnderEstimated() {
        String english = "The quick brown fox jumps over the lazy dog. ".repeat(20);
        // Real tokenizers give about 10 tokens per repetition here.
        assertThat(TokenEstimator.estimate(english)).isGreaterThan(200);
    }

    @Test
    void cjkCountsAboutOneTokenPerCharacter() {
        assertThat(TokenEstimator.estimate("你好世界".repeat(25))).isBetween(100, 110);
    }
}
