// Reading and writing the JSON configuration of a penalty (SPEC §3, configuration).
package org.regpen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/** The configuration format, e.g. {@code {"type": "elastic_net", "l1": 0.01, "l2": 0.001}}. */
final class Config {
    private Config() {}

    // Jackson caps number length by default; the spec reads any JSON number, however many digits.
    // A configuration is two levels deep, so deeper nesting is refused by the parser (a
    // StreamConstraintsException, i.e. invalid_config) long before any recursion could overflow.
    // Duplicate keys are an error (SPEC 2.0 §D), as is trailing content after the object. The
    // writer uses the shortest representation that reads back to the same binary64.
    private static final int MAX_DEPTH = 64;
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> LAM_KEYS = Set.of("type", "lam", "penalty_factor");
    private static final Set<String> ELASTIC_NET_KEYS = Set.of("type", "l1", "l2", "penalty_factor");

    /** The configuration of a penalty with one parameter. */
    static String write(String type, PenaltyFactor factors, String key, double value) {
        ObjectNode node = MAPPER.createObjectNode().put("type", type).put(key, value);
        return write(node, factors);
    }

    /** The configuration of a penalty with two parameters. */
    static String write(String type, PenaltyFactor factors, String key1, double value1, String key2, double value2) {
        ObjectNode node = MAPPER.createObjectNode().put("type", type).put(key1, value1).put(key2, value2);
        return write(node, factors);
    }

    private static String write(ObjectNode node, PenaltyFactor factors) {
        if (factors != null) {
            ArrayNode array = node.putArray("penalty_factor");
            for (double f : factors.values()) {
                array.add(f);
            }
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a penalty always serializes", e);
        }
    }

    static Penalty read(String json) {
        if (json == null) {
            throw invalid("the configuration must be a JSON text, got null", null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("the configuration is not JSON (or nests deeper than " + MAX_DEPTH
                    + " levels, or repeats a key): " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw invalid("a configuration must be a JSON object, got " + abbreviated(root), null);
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid("\"type\" must be one of the strings \"l1\", \"l2\", \"elastic_net\", got "
                    + abbreviated(type), null);
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
            default -> throw invalid("\"type\" must be \"l1\", \"l2\" or \"elastic_net\", got " + abbreviated(type), null);
        };
        JsonNode factors = root.get("penalty_factor");
        return factors == null ? penalty : penalty.withPenaltyFactor(numbers(factors));
    }

    private static void checkKeys(JsonNode root, Set<String> allowed, String... required) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw invalid("unknown key \"" + key + "\"; the keys of this type are " + allowed, null);
            }
        }
        for (String key : required) {
            if (!root.has(key)) {
                throw invalid("missing key \"" + key + "\", which this type requires", null);
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
            throw invalid("\"" + key + "\" must be a JSON number, got " + abbreviated(node), null);
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
            throw invalid("\"penalty_factor\" must be an array of numbers, got " + abbreviated(node), null);
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isNumber()) {
                throw invalid("\"penalty_factor\" must be an array of numbers, but element " + i + " is "
                        + abbreviated(item), null);
            }
            out[i] = toDouble(item);
        }
        return out;
    }

    /** A JSON value for a message, cut short so that a huge document does not become a huge message. */
    private static String abbreviated(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static RegpenException invalid(String message, Throwable cause) {
        return cause == null
                ? new RegpenException(ErrorCode.INVALID_CONFIG, message)
                : new RegpenException(ErrorCode.INVALID_CONFIG, message, cause);
    }
}
