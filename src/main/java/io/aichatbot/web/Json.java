package io.aichatbot.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The one ObjectMapper of the web layer, and body parsing that turns every mistake into a 400. */
final class Json {

    /** Buffers from one bounded pool shared by all threads (requests run on fresh virtual threads). */
    static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    // {"content": 42} is a client bug; turning it into "42" would hide it.
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {}

    /** Parses a request body; {@code emptyAllowed} turns an empty body into {@code fallback}. */
    static <T> T parse(byte[] body, Class<T> type, T fallback) {
        if (body.length == 0 || isBlank(body)) {
            if (fallback != null) {
                return fallback;
            }
            throw new ApiException(400, "malformed_json", "a JSON object body is required");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new ApiException(400, "malformed_json", "a JSON object body is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(400, "unknown_field", "unknown field '" + e.getPropertyName() + "'; expected one of "
                    + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : "field '" + e.getPath().getLast().getFieldName() + "'";
            throw new ApiException(400, "invalid_field", field + " has the wrong type");
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "the body could not be read");
        }
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
