package io.aichatbot.llm;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** What every HTTP provider shares: how its client is built, and how a whole (non-stream) body is read. */
public final class ProviderHttp {

    /** The largest whole answer read into memory; a longer one is a protocol failure. */
    public static final int MAX_WHOLE_BODY = 8 * 1024 * 1024;

    static {
        // A pooled keep-alive connection the provider has just closed fails a POST before any
        // response byte; the JDK only retries that for idempotent methods unless told to. The
        // request never reached the provider in that case, so one retry cannot double-charge.
        // The JDK reads this once, so it is set before the first client of any provider exists.
        if (System.getProperty("jdk.httpclient.enableAllMethodRetry") == null) {
            System.setProperty("jdk.httpclient.enableAllMethodRetry", "true");
        }
    }

    private ProviderHttp() {}

    /**
     * A mapper for a provider's wire format. Its parse and write buffers come from one bounded
     * pool shared by all threads: Jackson's default pool is per thread, and every call here runs
     * on a new virtual thread, so each call would allocate fresh 8–16 KB buffers.
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder(new JsonFactoryBuilder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build()).build();
    }

    /**
     * One pooled client per provider endpoint. HTTP/1.1 on purpose: cancelling a half-read
     * HTTP/1.1 response closes its socket, which is how a provider learns the user stopped (and
     * stops billing output); on HTTP/2 a cancelled stream may go unnoticed by a proxy. Redirects
     * are never followed: a redirect would re-send the key to another host.
     */
    public static HttpClient newClient(Timeouts timeouts) {
        return builder(timeouts).build();
    }

    /**
     * The client for one endpoint. For a plain {@code http://} endpoint (Ollama, vLLM, llama.cpp
     * on the same host or network) the client gets an SSL context that is never initialised: the
     * JDK would otherwise build its default one eagerly, loading the TLS stack and parsing the
     * whole CA trust store, about 10 MB of memory for a client that cannot use it (redirects,
     * the only way to reach an https URL from here, are never followed).
     */
    public static HttpClient newClient(Timeouts timeouts, URI endpoint) {
        var builder = builder(timeouts);
        if ("http".equalsIgnoreCase(endpoint.getScheme())) {
            try {
                builder.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK has no TLS", e);
            }
        }
        return builder.build();
    }

    /**
     * A POST of {@code wireRequest} as JSON, the start of every provider's request; the caller
     * adds its own authentication header. No {@link HttpRequest.Builder#timeout}: the stream
     * enforces every limit, the total one included, in {@code next()} and cancels the exchange
     * itself; the client's own request timer would only duplicate that, and it costs a wake-up of
     * the client's selector thread to arm and another to disarm on every call (measured from a
     * virtual thread against a local fake: 0.1–0.2 ms added to a 0.3 ms call, p50).
     */
    public static HttpRequest.Builder jsonPost(URI endpoint, ObjectMapper json, Object wireRequest, boolean stream) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(wireRequest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request not serializable", e);
        }
        return HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /**
     * The client hands its callbacks (body readers, decoders) to a new virtual thread each, so the
     * decoding of many concurrent streams spreads over all cores instead of queueing on the
     * client's one selector thread. Running them inline ({@code Runnable::run}) was tried: one
     * call from a virtual thread against a local fake took 0.31 ms instead of 0.55 ms (p50), but
     * through the whole server the difference was below this machine's noise (paired benchmark:
     * added p50 3.10 vs 3.13 ms; throughput 872 vs 898 and 764 vs 755 turns/s in two pairings), so
     * the executor that cannot become a single-thread ceiling under load stays.
     */
    private static HttpClient.Builder builder(Timeouts timeouts) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor());
    }

    /**
     * Collects a bounded whole body, parses it as {@code T} at the end, and lets the provider turn
     * it into events; a body that is not valid JSON is a protocol failure. Not thread-safe.
     */
    public abstract static class WholeBody<T> implements HttpModelStream.Decoder {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final ObjectMapper json;
        private final Class<T> type;

        protected WholeBody(ObjectMapper json, Class<T> type) {
            this.json = json;
            this.type = type;
        }

        @Override
        public final void onBytes(ByteBuffer bytes, Consumer<ModelEvent> emit) {
            if (body.size() + bytes.remaining() > MAX_WHOLE_BODY) {
                throw new IllegalStateException("the answer is larger than " + MAX_WHOLE_BODY + " bytes");
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.write(copy, 0, copy.length);
        }

        @Override
        public final void onEnd(Consumer<ModelEvent> emit) {
            T answer;
            try {
                answer = json.readValue(body.toByteArray(), type);
            } catch (java.io.IOException | RuntimeException e) {
                emit.accept(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL, "the answer is not valid JSON")));
                return;
            }
            decode(answer, emit);
        }

        /** Emits the events of the whole answer, ending with exactly one terminal event. */
        protected abstract void decode(T answer, Consumer<ModelEvent> emit);
    }
}
