// Runs every golden vector of conformance/vectors against the Scala backend, one MUnit test per id.
package regpen

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import java.nio.file.{Files, Path}
import scala.jdk.CollectionConverters.*

/**
 * Bit equality with the oracle (NaN matches any NaN, the sign of zero counts) or the same error
 * code. The vectors' directory comes from the system property `regpen.vectors` set by the POM; a
 * missing directory fails the suite instead of passing it with no tests.
 */
class VectorsSuite extends munit.FunSuite:
  import VectorsSuite.*

  private val files = List("value", "gradient", "prox", "loss", "config", "convert")

  private val loaded: Either[String, List[JsonNode]] =
    Option(System.getProperty("regpen.vectors")).filter(_.nonEmpty).map(Path.of(_)) match
      case None => Left("system property regpen.vectors is not set (see jvm/pom.xml)")
      case Some(dir) if !Files.isDirectory(dir) => Left(s"vector directory ${dir.toAbsolutePath} does not exist")
      case Some(dir) =>
        val mapper = ObjectMapper()
        Right(files.flatMap { f =>
          val doc = mapper.readTree(dir.resolve(s"$f.json").toFile)
          doc.get("groups").elements.asScala.flatMap(_.get("tests").elements.asScala).toList
        })

  test("the vectors are there") {
    loaded match
      case Left(why) => fail(why)
      case Right(tests) => assert(tests.size > 1000, s"only ${tests.size} vectors")
  }

  // Scala's static types cannot express a call with arrays of two dtypes, so those cases
  // (arg_dtypes, expected invalid_dtype) have no Scala form.
  for t <- loaded.getOrElse(Nil) if !t.has("arg_dtypes") do
    test(t.get("id").asText)(check(t))

object VectorsSuite:
  import munit.Assertions.*

  def bits(hex: String): Double = java.lang.Double.longBitsToDouble(java.lang.Long.parseUnsignedLong(hex.drop(2), 16))
  def bits32(hex: String): Float = java.lang.Float.intBitsToFloat(Integer.parseUnsignedInt(hex.drop(2), 16))
  def doubles(node: JsonNode): Array[Double] = node.elements.asScala.map(n => bits(n.asText)).toArray
  def floats(node: JsonNode): Array[Float] = node.elements.asScala.map(n => bits32(n.asText)).toArray

  def penalty(node: JsonNode): Penalty =
    val p: Penalty = node.get("type").asText match
      case "l1" => L1(bits(node.get("lam").asText))
      case "l2" => L2(bits(node.get("lam").asText))
      case _ => ElasticNet(bits(node.get("l1").asText), bits(node.get("l2").asText))
    if node.has("penalty_factor") then p.withPenaltyFactor(doubles(node.get("penalty_factor"))) else p

  def sameBits(expected: Double, actual: Double): Boolean =
    if expected.isNaN then actual.isNaN
    else java.lang.Double.doubleToRawLongBits(expected) == java.lang.Double.doubleToRawLongBits(actual)

  def sameBits32(expected: Float, actual: Float): Boolean =
    if expected.isNaN then actual.isNaN
    else java.lang.Float.floatToRawIntBits(expected) == java.lang.Float.floatToRawIntBits(actual)

  /** The call's result, or None after checking that it failed with the expected code. */
  def outcome[A](t: JsonNode)(call: => A): Option[A] =
    val expectedError = Option(t.get("expected_error")).map(_.asText)
    try
      val result = call
      expectedError.foreach(code => fail(s"expected $code, got $result"))
      Some(result)
    catch
      case e: RegpenError =>
        assertEquals(e.code.id, expectedError.getOrElse(fail(s"unexpected error ${e.getMessage}")))
        None

  def check(t: JsonNode): Unit =
    val args = t.get("args")
    t.get("operation").asText match
      case "from_config" => checkPenalty(t, Penalty.fromConfig(args.get("config").asText))
      case "config_roundtrip" => checkPenalty(t, Penalty.fromConfig(penalty(t.get("penalty")).toConfig))
      case "convert" => checkPenalty(t, convert(args))
      case op if t.get("dtype").asText == "float32" => checkFloat(t, op, args)
      case op => checkDouble(t, op, args)

  private def checkPenalty(t: JsonNode, call: => Penalty): Unit =
    outcome(t)(call).foreach(p => assertEquals(p, penalty(t.get("expected"))))

  private def convert(args: JsonNode): Penalty =
    val p = (name: String) => bits(args.get("params").get(name).asText)
    args.get("convention").asText match
      case "sklearn" => Conventions.fromSklearn(p("alpha"), p("l1_ratio"))
      case "glmnet" => Conventions.fromGlmnet(p("lambda"), p("alpha"))
      case "keras" => Conventions.fromKeras(p("l1"), p("l2"))
      case "torch" => Conventions.fromTorchWeightDecay(p("weight_decay"))
      case other => fail(s"unknown convention $other")

  private def checkDouble(t: JsonNode, op: String, args: JsonNode): Unit =
    val w = Option(args.get("w")).map(doubles)
    val result: Option[Array[Double]] = outcome(t) {
      val p = penalty(t.get("penalty"))
      op match
        case "value" => Array(p.value(w.get))
        case "gradient" => p.gradient(w.get)
        case "prox" => p.prox(w.get, bits(args.get("step").asText))
        case _ => Array(Loss.computeLoss(doubles(args.get("y_true")), doubles(args.get("y_pred")), w.get, p))
    }
    result.foreach { actual =>
      val e = t.get("expected")
      val expected = if e.isArray then doubles(e) else Array(bits(e.asText))
      assertEquals(actual.length, expected.length)
      expected.indices.foreach { i =>
        assert(sameBits(expected(i), actual(i)),
          s"element $i: expected ${java.lang.Double.toHexString(expected(i))}, got ${java.lang.Double.toHexString(actual(i))}")
      }
    }

  private def checkFloat(t: JsonNode, op: String, args: JsonNode): Unit =
    val w = Option(args.get("w")).map(floats)
    val result: Option[Array[Float]] = outcome(t) {
      val p = penalty(t.get("penalty"))
      op match
        case "value" => Array(p.value(w.get))
        case "gradient" => p.gradient(w.get)
        case "prox" => p.prox(w.get, bits(args.get("step").asText))
        case _ => Array(Loss.computeLoss(floats(args.get("y_true")), floats(args.get("y_pred")), w.get, p))
    }
    result.foreach { actual =>
      val e = t.get("expected")
      val expected = if e.isArray then floats(e) else Array(bits32(e.asText))
      assertEquals(actual.length, expected.length)
      expected.indices.foreach { i =>
        assert(sameBits32(expected(i), actual(i)),
          s"element $i: expected ${java.lang.Float.toHexString(expected(i))}, got ${java.lang.Float.toHexString(actual(i))}")
      }
    }
