// Runs conformance/vectors/training.json against Model.trainModel and Model.path, bit for bit.
package regpen

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import java.nio.file.{Files, Path}
import scala.jdk.CollectionConverters.*

/**
 * Every training vector: the whole trajectory, coef, intercept, n_iter, gap and converged as bits
 * (−0 ≠ +0), or the expected error code; path vectors compare the strengths and every point.
 */
class TrainingVectorsSuite extends munit.FunSuite:
  import VectorsSuite.{bits, doubles, outcome, penalty, sameBits}

  private val loaded: Either[String, List[JsonNode]] =
    Option(System.getProperty("regpen.vectors")).filter(_.nonEmpty).map(Path.of(_)) match
      case None => Left("system property regpen.vectors is not set (see jvm/pom.xml)")
      case Some(dir) if !Files.isRegularFile(dir.resolve("training.json")) => Left(s"no training.json in $dir")
      case Some(dir) =>
        val doc = ObjectMapper().readTree(dir.resolve("training.json").toFile)
        val tests = doc.get("groups").elements.asScala.flatMap(_.get("tests").elements.asScala).toList
        if tests.size == doc.get("number_of_tests").asInt then Right(tests)
        else Left(s"number_of_tests says ${doc.get("number_of_tests")}, the file has ${tests.size}")

  test("the training vectors are there") {
    loaded match
      case Left(why) => fail(why)
      case Right(tests) => assert(tests.size >= 50, s"only ${tests.size} training vectors")
  }

  for t <- loaded.getOrElse(Nil) do test(t.get("id").asText)(check(t))

  /** Builds the penalty and the model (their checks come first), then trains or runs the path. */
  private def run(t: JsonNode): TrainedModel | RegularizationPath =
    val args = t.get("args")
    val model = Model(penalty(t.get("penalty")), Solver.of(args.get("solver").asText),
      args.get("fit_intercept").asBoolean, args.get("max_iter").asInt, bits(args.get("tol").asText),
      recordTrajectory = true)
    val shape = args.get("x_shape")
    val (x, n, p, y) = (doubles(args.get("x")), shape.get(0).asInt, shape.get(1).asInt, doubles(args.get("y")))
    t.get("operation").asText match
      case "train" => model.trainModel(x, n, p, y, None)
      case "path" if args.has("strengths") => model.path(x, n, p, y, doubles(args.get("strengths")).toSeq)
      case "path" => model.path(x, n, p, y, args.get("n_strengths").asInt, bits(args.get("eps").asText))
      case other => fail(s"unknown operation $other")

  private def check(t: JsonNode): Unit =
    outcome(t)(run(t)).foreach {
      case fit: TrainedModel => checkFit(t.get("expected"), fit)
      case path: RegularizationPath => checkPath(t.get("expected"), path)
    }

  private def checkFit(e: JsonNode, fit: TrainedModel): Unit =
    val trajectory = e.get("trajectory").elements.asScala.map(doubles).toVector
    assertEquals(fit.trajectory.length, trajectory.length, "trajectory length")
    trajectory.indices.foreach(k => assertBits(trajectory(k), fit.trajectory(k), s"trajectory[$k]"))
    assertBits(doubles(e.get("coef")).toVector, fit.coefficients, "coef")
    assertBits(Vector(bits(e.get("intercept").asText)), Vector(fit.intercept), "intercept")
    assertEquals(fit.nIter, e.get("n_iter").asInt, "n_iter")
    assertBits(Vector(bits(e.get("gap").asText)), Vector(fit.gap), "gap")
    assertEquals(fit.converged, e.get("converged").asBoolean, "converged")

  private def checkPath(e: JsonNode, path: RegularizationPath): Unit =
    assertBits(doubles(e.get("strengths")).toVector, path.strengths, "strengths")
    val coefs = e.get("coefs").elements.asScala.map(doubles).toVector
    assertEquals(path.coefs.length, coefs.length, "number of fits")
    coefs.indices.foreach(k => assertBits(coefs(k), path.coefs(k), s"coefs[$k]"))
    assertBits(doubles(e.get("intercepts")).toVector, path.intercepts, "intercepts")
    assertEquals(path.nIters, e.get("n_iters").elements.asScala.map(_.asInt).toVector, "n_iters")
    assertBits(doubles(e.get("gaps")).toVector, path.gaps, "gaps")

  private def assertBits(expected: Seq[Double], actual: Seq[Double], what: String): Unit =
    assertEquals(actual.length, expected.length, s"$what: length")
    expected.indices.foreach { i =>
      assert(sameBits(expected(i), actual(i)),
        s"$what[$i]: expected ${java.lang.Double.toHexString(expected(i))}, got ${java.lang.Double.toHexString(actual(i))}")
    }
