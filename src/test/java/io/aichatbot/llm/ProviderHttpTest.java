package io.aichatbot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class ProviderHttpTest {

    static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1));

    @Test
    void anHttpsEndpointGetsTheJdksTlsSetUp() throws Exception {
        var client = ProviderHttp.newClient(TIMEOUTS, URI.create("https://api.openai.com/v1"));
        assertThat(client.sslContext()).isSameAs(SSLContext.getDefault());
        assertThat(client.followRedirects()).isEqualTo(java.net.http.HttpClient.Redirect.NEVER);
    }

    @Test
    void aPlainHttpEndpointNeverBuildsTheTrustStore() throws Exception {
        var client = ProviderHttp.newClient(TIMEOUTS, URI.create("http://127.0.0.1:11434/v1"));
        assertThat(client.sslContext()).isNotSameAs(SSLContext.getDefault());
        assertThat(client.followRedirects()).isEqualTo(java.net.http.HttpClient.Redirect.NEVER);
    }
}
