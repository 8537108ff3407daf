// Reading and writing the JSON configuration of a penalty (SPEC §3, configuration).
package org.regpen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/** The configuration format, e.g. {@code {"type": "elastic_net", "l1": 0.01, "l2": 0.001}}. */
final class Config {
    private Config() {}

    // Jackson caps number length by default; the spec reads any JSON number, however many digits.
    // Trailing content after the object is not JSON, so it is rejected. The writer uses the
    // shortest representation that reads back to the same binary64.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxStringLength(Integer.MAX_VALUE)
                            .build())
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> LAM_KEYS = Set.of("type", "lam", "penalty_factor");
    private static final Set<String> ELASTIC_NET_KEYS = Set.of("type", "l1", "l2", "penalty_factor");

    static String write(Penalty p) {
        ObjectNode node = MAPPER.createObjectNode();
        if (p instanceof L1 l1) {
            node.put("type", "l1").put("lam", l1.lam());
        } else if (p instanceof L2 l2) {
            node.put("type", "l2").put("lam", l2.lam());
        } else if (p instanceof ElasticNet en) {
            node.put("type", "elastic_net").put("l1", en.l1()).put("l2", en.l2());
        }
        if (p.penaltyFactor() != null) {
            ArrayNode factors = node.putArray("penalty_factor");
            for (double f : p.penaltyFactor().values()) {
                factors.add(f);
            }
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a penalty always serializes", e);
        }
    }

    static Penalty read(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw invalid("a configuration is a JSON object", null);
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid("\"type\" must be a string", null);
        }
        Penalty penalty = switch (type.textValue()) {
            case "l1" -> {
                checkKeys(root, LAM_KEYS, "lam");
                yield new L1(number(root, "lam"));
            }
            case "l2" -> {
                checkKeys(root, LAM_KEYS, "lam");
                yield new L2(number(root, "lam"));
            }
            case "elastic_net" -> {
                checkKeys(root, ELASTIC_NET_KEYS, "l1", "l2");
                yield new ElasticNet(number(root, "l1"), number(root, "l2"));
            }
            default -> throw invalid("unknown type " + type, null);
        };
        JsonNode factors = root.get("penalty_factor");
        return factors == null ? penalty : penalty.withPenaltyFactor(numbers(factors));
    }

    private static void checkKeys(JsonNode root, Set<String> allowed, String... required) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw invalid("unknown key \"" + key + "\"", null);
            }
        }
        for (String key : required) {
            if (!root.has(key)) {
                throw invalid("missing key \"" + key + "\"", null);
            }
        }
        // Every value must have the right kind before any value is judged, so that a malformed
        // configuration is invalid_config even when another parameter is out of range.
        for (String key : required) {
            number(root, key);
        }
        if (root.has("penalty_factor")) {
            numbers(root.get("penalty_factor"));
        }
    }

    /** A JSON number read as the nearest binary64 (Java's parser rounds correctly). */
    private static double number(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.isNumber()) {
            throw invalid("\"" + key + "\" must be a number", null);
        }
        return toDouble(node);
    }

    private static double toDouble(JsonNode node) {
        // Jackson parsed decimal literals with Double.parseDouble, which rounds correctly; integers
        // (of any size) are converted from their exact decimal form the same way.
        if (node.isDouble()) {
            return node.doubleValue();
        }
        return Double.parseDouble(node.numberValue().toString());
    }

    private static double[] numbers(JsonNode node) {
        if (!node.isArray()) {
            throw invalid("\"penalty_factor\" must be an array of numbers", null);
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isNumber()) {
                throw invalid("\"penalty_factor\" must be an array of numbers", null);
            }
            out[i] = toDouble(item);
        }
        return out;
    }

    private static RegpenException invalid(String message, Throwable cause) {
        return cause == null
                ? new RegpenException(ErrorCode.INVALID_CONFIG, message)
                : new RegpenException(ErrorCode.INVALID_CONFIG, message, cause);
    }
}
