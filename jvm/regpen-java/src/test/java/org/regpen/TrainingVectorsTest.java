// Runs conformance/vectors/training.json against Model.trainModel and Model.path, bit for bit.
package org.regpen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every training vector: the whole trajectory, coef, intercept, n_iter, gap and converged compared
 * as bits (so −0 ≠ +0), or the expected error code. Path vectors compare the strengths used and
 * every point's coefficients, intercept, iterations and gap.
 */
class TrainingVectorsTest {

    @TestFactory
    Stream<DynamicTest> trainingVectors() throws IOException {
        List<DynamicTest> all = new ArrayList<>();
        for (JsonNode test : VectorsTest.tests("training")) {
            all.add(DynamicTest.dynamicTest(test.get("id").asText(), () -> check(test)));
        }
        assertTrue(all.size() >= 50, "suspiciously few training vectors: " + all.size());
        return all.stream();
    }

    private static void check(JsonNode test) {
        if (test.has("expected_error")) {
            RegpenException e = assertThrows(RegpenException.class, () -> run(test));
            assertEquals(test.get("expected_error").asText(), e.code().id(), e.getMessage());
        } else {
            Object result = run(test);
            if (result instanceof TrainedModel fit) {
                checkFit(test.get("expected"), fit);
            } else {
                checkPath(test.get("expected"), (RegularizationPath) result);
            }
        }
    }

    /** Builds the penalty and the model (their checks come first), then trains or runs the path. */
    private static Object run(JsonNode test) {
        JsonNode args = test.get("args");
        Penalty penalty = VectorsTest.penalty(test.get("penalty"));
        Model model = Model.builder().penalty(penalty).solver(args.get("solver").asText())
                .fitIntercept(args.get("fit_intercept").asBoolean()).maxIter(args.get("max_iter").asInt())
                .tol(VectorsTest.param(args.get("tol"))).recordTrajectory(true).build();
        double[] x = VectorsTest.doubles(args.get("x"));
        int n = args.get("x_shape").get(0).asInt();
        int p = args.get("x_shape").get(1).asInt();
        double[] y = VectorsTest.doubles(args.get("y"));
        return switch (test.get("operation").asText()) {
            case "train" -> model.trainModel(x, n, p, y, null);
            case "path" -> args.has("strengths")
                    ? model.path(x, n, p, y, VectorsTest.doubles(args.get("strengths")))
                    : model.path(x, n, p, y, args.get("n_strengths").asInt(), VectorsTest.param(args.get("eps")));
            default -> throw new AssertionError("unknown operation " + test.get("operation"));
        };
    }

    private static void checkFit(JsonNode expected, TrainedModel fit) {
        JsonNode trajectory = expected.get("trajectory");
        double[][] got = fit.trajectory();
        assertEquals(trajectory.size(), got.length, "trajectory length");
        for (int k = 0; k < got.length; k++) {
            assertBits(VectorsTest.doubles(trajectory.get(k)), got[k], "trajectory[" + k + "]");
        }
        assertBits(VectorsTest.doubles(expected.get("coef")), fit.coefficients(), "coef");
        assertBits(VectorsTest.param(expected.get("intercept")), fit.intercept(), "intercept");
        assertEquals(expected.get("n_iter").asInt(), fit.nIter(), "n_iter");
        assertBits(VectorsTest.param(expected.get("gap")), fit.gap(), "gap");
        assertEquals(expected.get("converged").asBoolean(), fit.converged(), "converged");
    }

    private static void checkPath(JsonNode expected, RegularizationPath path) {
        assertBits(VectorsTest.doubles(expected.get("strengths")), path.strengths(), "strengths");
        JsonNode coefs = expected.get("coefs");
        assertEquals(coefs.size(), path.coefs().length, "number of fits");
        for (int k = 0; k < coefs.size(); k++) {
            assertBits(VectorsTest.doubles(coefs.get(k)), path.coefs()[k], "coefs[" + k + "]");
        }
        assertBits(VectorsTest.doubles(expected.get("intercepts")), path.intercepts(), "intercepts");
        int[] iters = new int[expected.get("n_iters").size()];
        for (int k = 0; k < iters.length; k++) {
            iters[k] = expected.get("n_iters").get(k).asInt();
        }
        assertArrayEquals(iters, path.nIters(), "n_iters");
        assertBits(VectorsTest.doubles(expected.get("gaps")), path.gaps(), "gaps");
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertBits(expected[i], actual[i], what + "[" + i + "]");
        }
    }

    private static void assertBits(double expected, double actual, String what) {
        boolean same = Double.isNaN(expected) ? Double.isNaN(actual)
                : Double.doubleToRawLongBits(expected) == Double.doubleToRawLongBits(actual);
        assertTrue(same, () -> what + ": expected " + expected + " (" + Double.toHexString(expected) + "), got "
                + actual + " (" + Double.toHexString(actual) + ")");
    }
}
