// Runs every golden vector of conformance/vectors against the Java backend, one test per id.
package org.regpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Bit equality with the oracle's vectors (NaN matches any NaN; the sign of zero counts) or the
 * identical error code. The directory comes from the system property {@code regpen.vectors}, which
 * the POM sets; a missing or empty directory fails the build rather than passing vacuously.
 */
class VectorsTest {
    private static final List<String> FILES = List.of("value", "gradient", "prox", "loss", "config", "convert");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path vectorsDir() {
        String dir = System.getProperty("regpen.vectors");
        assertTrue(dir != null && !dir.isBlank(), "system property regpen.vectors is not set (see jvm/pom.xml)");
        Path path = Path.of(dir);
        assertTrue(Files.isDirectory(path), "vector directory " + path.toAbsolutePath() + " does not exist");
        return path;
    }

    static List<JsonNode> tests(String file) throws IOException {
        Path path = vectorsDir().resolve(file + ".json");
        assertTrue(Files.isRegularFile(path), "missing vector file " + path);
        JsonNode doc = JSON.readTree(path.toFile());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : doc.get("groups")) {
            group.get("tests").forEach(out::add);
        }
        assertEquals(doc.get("number_of_tests").asInt(), out.size(), file + ": number_of_tests disagrees with the file");
        return out;
    }

    @Test
    void everyVectorFileHasTests() throws IOException {
        for (String file : FILES) {
            assertFalse(tests(file).isEmpty(), file + ".json has no tests");
        }
    }

    @TestFactory
    Stream<DynamicTest> vectors() throws IOException {
        List<DynamicTest> all = new ArrayList<>();
        for (String file : FILES) {
            for (JsonNode test : tests(file)) {
                // Java's static types cannot express one call with arrays of two dtypes: the
                // compiler rejects it, so those (invalid_dtype) cases have no Java form.
                if (test.has("arg_dtypes")) {
                    continue;
                }
                all.add(DynamicTest.dynamicTest(test.get("id").asText(), () -> check(test)));
            }
        }
        assertTrue(all.size() > 1000, "suspiciously few vectors: " + all.size());
        return all.stream();
    }

    private static void check(JsonNode test) {
        String operation = test.get("operation").asText();
        Executable run = switch (operation) {
            case "value", "gradient", "prox", "loss" -> () -> checkNumeric(test, operation);
            case "from_config" -> () -> checkPenalty(test, () -> Penalty.fromConfig(test.get("args").get("config").asText()));
            case "config_roundtrip" -> () -> checkPenalty(test, () -> Penalty.fromConfig(penalty(test.get("penalty")).toConfig()));
            case "convert" -> () -> checkPenalty(test, () -> convert(test.get("args")));
            default -> () -> fail("unknown operation " + operation);
        };
        try {
            run.execute();
        } catch (Throwable t) {
            if (t instanceof AssertionError e) {
                throw e;
            }
            throw new AssertionError(test.get("id").asText() + " crashed", t);
        }
    }

    /** Runs {@code call}; expects its result or the test's error code. */
    private static Object outcome(JsonNode test, java.util.concurrent.Callable<Object> call) throws Exception {
        try {
            Object result = call.call();
            if (test.has("expected_error")) {
                fail("expected " + test.get("expected_error").asText() + ", got a result");
            }
            return result;
        } catch (RegpenException e) {
            if (!test.has("expected_error")) {
                fail("unexpected error " + e.getMessage());
            }
            assertEquals(test.get("expected_error").asText(), e.code().id());
            return null;
        }
    }

    private static void checkNumeric(JsonNode test, String operation) throws Exception {
        JsonNode args = test.get("args");
        boolean f32 = test.get("dtype").asText().equals("float32");
        Object result = outcome(test, () -> {
            Penalty p = penalty(test.get("penalty"));
            if (f32) {
                float[] w = args.has("w") ? floats(args.get("w")) : null;
                return switch (operation) {
                    case "value" -> p.value(w);
                    case "gradient" -> p.gradient(w);
                    case "prox" -> p.prox(w, param(args.get("step")));
                    default -> Loss.computeLoss(floats(args.get("y_true")), floats(args.get("y_pred")), w, p);
                };
            }
            double[] w = args.has("w") ? doubles(args.get("w")) : null;
            return switch (operation) {
                case "value" -> p.value(w);
                case "gradient" -> p.gradient(w);
                case "prox" -> p.prox(w, param(args.get("step")));
                default -> Loss.computeLoss(doubles(args.get("y_true")), doubles(args.get("y_pred")), w, p);
            };
        });
        if (result == null) {
            return;
        }
        JsonNode expected = test.get("expected");
        if (expected.isArray()) {
            if (f32) {
                assertFloatBits(floats(expected), (float[]) result);
            } else {
                assertDoubleBits(doubles(expected), (double[]) result);
            }
        } else if (f32) {
            assertFloatBits(new float[] {float32(expected.asText())}, new float[] {(Float) result});
        } else {
            assertDoubleBits(new double[] {param(expected)}, new double[] {(Double) result});
        }
    }

    private static void checkPenalty(JsonNode test, java.util.concurrent.Callable<Object> call) throws Exception {
        Object result = outcome(test, call);
        if (result != null) {
            Penalty expected = penalty(test.get("expected"));
            assertEquals(expected, result, "penalties differ (equality compares parameter bits)");
        }
    }

    private static Penalty convert(JsonNode args) {
        JsonNode params = args.get("params");
        return switch (args.get("convention").asText()) {
            case "sklearn" -> Conventions.fromSklearn(param(params.get("alpha")), param(params.get("l1_ratio")));
            case "glmnet" -> Conventions.fromGlmnet(param(params.get("lambda")), param(params.get("alpha")));
            case "keras" -> Conventions.fromKeras(param(params.get("l1")), param(params.get("l2")));
            case "torch" -> Conventions.fromTorchWeightDecay(param(params.get("weight_decay")));
            default -> throw new IllegalArgumentException("unknown convention " + args.get("convention"));
        };
    }

    /** A penalty from its vector form (hex parameters), validated by the constructors. */
    static Penalty penalty(JsonNode node) {
        Penalty p = switch (node.get("type").asText()) {
            case "l1" -> new L1(param(node.get("lam")));
            case "l2" -> new L2(param(node.get("lam")));
            case "elastic_net" -> new ElasticNet(param(node.get("l1")), param(node.get("l2")));
            default -> throw new IllegalArgumentException("unknown type " + node.get("type"));
        };
        return node.has("penalty_factor") ? p.withPenaltyFactor(doubles(node.get("penalty_factor"))) : p;
    }

    static double param(JsonNode hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex.asText().substring(2), 16));
    }

    static float float32(String hex) {
        return Float.intBitsToFloat(Integer.parseUnsignedInt(hex.substring(2), 16));
    }

    static double[] doubles(JsonNode hexes) {
        double[] out = new double[hexes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = param(hexes.get(i));
        }
        return out;
    }

    static float[] floats(JsonNode hexes) {
        float[] out = new float[hexes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = float32(hexes.get(i).asText());
        }
        return out;
    }

    static void assertDoubleBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            boolean same = Double.isNaN(expected[i]) ? Double.isNaN(actual[i])
                    : Double.doubleToRawLongBits(expected[i]) == Double.doubleToRawLongBits(actual[i]);
            assertTrue(same, "element " + i + ": expected " + Double.toHexString(expected[i]) + ", got " + Double.toHexString(actual[i]));
        }
    }

    static void assertFloatBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
            assertTrue(same, "element " + i + ": expected " + Float.toHexString(expected[i]) + ", got " + Float.toHexString(actual[i]));
        }
    }
}
