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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Bit equality with the oracle's vectors (NaN bits included; the sign of zero counts) or the
 * identical error code. The directory comes from the system property {@code regpen.vectors}, which
 * the POM sets; a missing or empty directory fails the build rather than passing vacuously. The
 * files are those the suite's manifest lists (the 1.0 files at least). Generated inputs are
 * expanded by {@link Generators}. Tests Java cannot express are reported as skipped, each with its
 * reason.
 */
class VectorsTest {
    private static final List<String> REQUIRED = List.of("value", "gradient", "prox", "loss", "config", "convert");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The vector files of the suite: every file of its manifest, which must include the 1.0 ones. */
    static List<String> files() throws IOException {
        JsonNode manifest = JSON.readTree(vectorsDir().resolve("manifest.json").toFile());
        List<String> out = new ArrayList<>();
        manifest.get("files").fieldNames().forEachRemaining(f -> out.add(f.replaceFirst("\\.json$", "")));
        assertTrue(out.containsAll(REQUIRED), "the manifest lacks some of " + REQUIRED + ": " + out);
        return out;
    }

    /** Why Java cannot run a test, or null when it can. */
    static String skipReason(JsonNode test) {
        List<String> flags = new ArrayList<>();
        test.path("flags").forEach(f -> flags.add(f.asText()));
        if (flags.contains("training")) {
            return "training: model fits run in TrainingVectorsTest";
        }
        if (flags.contains("integer_input")) {
            return "integer_input: Java's double[]/float[] cannot hold integer elements (capability gap)";
        }
        if (flags.contains("ndarray")) {
            return "ndarray: Java's arrays are one-dimensional (capability gap)";
        }
        if (test.has("arg_dtypes")) {
            return "mixed dtypes: Java's static types cannot express one call with arrays of two dtypes";
        }
        return null;
    }

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
        for (String file : files()) {
            assertFalse(tests(file).isEmpty(), file + ".json has no tests");
        }
    }

    @TestFactory
    Stream<DynamicTest> vectors() throws IOException {
        List<DynamicTest> all = new ArrayList<>();
        Map<String, Integer> skipped = new java.util.TreeMap<>();
        for (String file : files()) {
            for (JsonNode test : tests(file)) {
                String reason = skipReason(test);
                if (reason != null) {
                    skipped.merge(reason, 1, Integer::sum);
                    all.add(DynamicTest.dynamicTest(test.get("id").asText(), () -> Assumptions.abort(reason)));
                } else {
                    all.add(DynamicTest.dynamicTest(test.get("id").asText(), () -> check(test)));
                }
            }
        }
        skipped.forEach((reason, count) -> System.out.println("VectorsTest: skipping " + count + " tests, " + reason));
        assertTrue(all.size() > 1000, "suspiciously few vectors: " + all.size());
        return all.stream();
    }

    private static void check(JsonNode test) {
        String operation = test.get("operation").asText();
        Executable run = switch (operation) {
            case "value", "gradient", "prox", "loss", "l1_regularization" -> () -> checkNumeric(test, operation);
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
            if (operation.equals("l1_regularization")) {
                double lambda = param(args.get("lambda"));
                return f32 ? (Object) L1Regularization.l1Regularization(floats(args.get("w")), lambda)
                        : (Object) L1Regularization.l1Regularization(doubles(args.get("w")), lambda);
            }
            Penalty p = penalty(test.get("penalty"));
            if (f32) {
                float[] w = floats(args.get("w"));
                return switch (operation) {
                    case "value" -> p.value(w);
                    case "gradient" -> p.gradient(w);
                    case "prox" -> p.prox(w, param(args.get("step")));
                    default -> Loss.computeLoss(floats(args.get("y_true")), floats(args.get("y_pred")), w, p);
                };
            }
            double[] w = doubles(args.get("w"));
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

    /** The array of a vector's hex strings; a missing or JSON null argument is a null array. */
    static double[] doubles(JsonNode hexes) {
        if (hexes == null || hexes.isNull()) {
            return null;
        }
        if (hexes.isObject()) {
            return Generators.doubles(hexes);
        }
        double[] out = new double[hexes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = param(hexes.get(i));
        }
        return out;
    }

    static float[] floats(JsonNode hexes) {
        if (hexes == null || hexes.isNull()) {
            return null;
        }
        if (hexes.isObject()) {
            return Generators.floats(hexes);
        }
        float[] out = new float[hexes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = float32(hexes.get(i).asText());
        }
        return out;
    }

    static void assertDoubleBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            boolean same = Double.doubleToRawLongBits(expected[i]) == Double.doubleToRawLongBits(actual[i]);
            int at = i;
            assertTrue(same, () -> "element " + at + ": expected " + show(expected[at]) + ", got " + show(actual[at]));
        }
    }

    static void assertFloatBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
            int at = i;
            assertTrue(same, () -> "element " + at + ": expected " + show(expected[at]) + ", got " + show(actual[at]));
        }
    }

    /** A value with its bits, so that two NaNs that differ are told apart. */
    private static String show(double x) {
        return Double.toHexString(x) + " (0x" + Long.toHexString(Double.doubleToRawLongBits(x)) + ")";
    }

    private static String show(float x) {
        return Float.toHexString(x) + " (0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ")";
    }
}
