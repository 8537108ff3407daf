// Runs every golden vector of conformance/vectors against the Scala backend, one MUnit test per id.
package regpen

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import java.nio.file.{Files, Path}
import scala.jdk.CollectionConverters.*

/**
 * Bit equality with the oracle (NaN bits included, the sign of zero counts) or the same error
 * code. The vectors' directory comes from the system property `regpen.vectors` set by the POM; a
 * missing directory fails the suite instead of passing it with no tests. The files are those of
 * the suite's manifest; generated inputs are expanded by [[Generators]]; tests Scala cannot express
 * are reported as skipped with their reason.
 */
class VectorsSuite extends munit.FunSuite:
  import VectorsSuite.*

  private val required = Set("value", "gradient", "prox", "loss", "config", "convert")

  private val loaded: Either[String, List[JsonNode]] =
    Option(System.getProperty("regpen.vectors")).filter(_.nonEmpty).map(Path.of(_)) match
      case None => Left("system property regpen.vectors is not set (see jvm/pom.xml)")
      case Some(dir) if !Files.isDirectory(dir) => Left(s"vector directory ${dir.toAbsolutePath} does not exist")
      case Some(dir) =>
        val mapper = ObjectMapper()
        val files = mapper.readTree(dir.resolve("manifest.json").toFile).get("files").fieldNames.asScala
          .map(_.stripSuffix(".json")).toList
        if !required.subsetOf(files.toSet) then Left(s"the manifest lacks some of $required: $files")
        else
          Right(files.flatMap { f =>
            val doc = mapper.readTree(dir.resolve(s"$f.json").toFile)
            doc.get("groups").elements.asScala.flatMap(_.get("tests").elements.asScala).toList
          })

  test("the vectors are there") {
    loaded match
      case Left(why) => fail(why)
      case Right(tests) => assert(tests.size > 1000, s"only ${tests.size} vectors")
  }

  private val cases = loaded.getOrElse(Nil).map(t => (t, skipReason(t)))
  cases.flatMap(_._2).groupBy(identity).toList.sorted
    .foreach((reason, all) => println(s"VectorsSuite: skipping ${all.size} tests, $reason"))
  for (t, reason) <- cases do
    reason match
      case Some(why) => test(t.get("id").asText.tag(munit.Ignore))(()) // munit reports it as ignored
      case None => test(t.get("id").asText)(check(t))

object VectorsSuite:
  import munit.Assertions.*

  /** Why Scala cannot run a test, or None. */
  def skipReason(t: JsonNode): Option[String] =
    val flags = t.path("flags").elements.asScala.map(_.asText).toSet
    if flags("training") then Some("training: model fits run in TrainingVectorsSuite")
    else if flags("integer_input") then Some("integer_input: Array[Double]/Array[Float] cannot hold integer elements (capability gap)")
    else if flags("ndarray") then Some("ndarray: Scala's arrays are one-dimensional (capability gap)")
    else if t.has("arg_dtypes") then Some("mixed dtypes: Scala's static types cannot express one call with arrays of two dtypes")
    else None

  def bits(hex: String): Double = java.lang.Double.longBitsToDouble(java.lang.Long.parseUnsignedLong(hex.drop(2), 16))
  def bits32(hex: String): Float = java.lang.Float.intBitsToFloat(Integer.parseUnsignedInt(hex.drop(2), 16))
  /** A vector's array; a missing or JSON null argument is a null array. */
  def doubles(node: JsonNode | Null): Array[Double] | Null =
    if node == null || node.isNull then null
    else if node.isObject then Generators.doubles(node)
    else node.elements.asScala.map(n => bits(n.asText)).toArray
  def floats(node: JsonNode | Null): Array[Float] | Null =
    if node == null || node.isNull then null
    else if node.isObject then Generators.floats(node)
    else node.elements.asScala.map(n => bits32(n.asText)).toArray

  def penalty(node: JsonNode): Penalty =
    val p: Penalty = node.get("type").asText match
      case "l1" => L1(bits(node.get("lam").asText))
      case "l2" => L2(bits(node.get("lam").asText))
      case _ => ElasticNet(bits(node.get("l1").asText), bits(node.get("l2").asText))
    if node.has("penalty_factor") then p.withPenaltyFactor(doubles(node.get("penalty_factor"))) else p

  def sameBits(expected: Double, actual: Double): Boolean =
    java.lang.Double.doubleToRawLongBits(expected) == java.lang.Double.doubleToRawLongBits(actual)

  def sameBits32(expected: Float, actual: Float): Boolean =
    java.lang.Float.floatToRawIntBits(expected) == java.lang.Float.floatToRawIntBits(actual)

  def show(x: Double): String = s"${java.lang.Double.toHexString(x)} (0x${java.lang.Long.toHexString(java.lang.Double.doubleToRawLongBits(x))})"
  def show(x: Float): String = s"${java.lang.Float.toHexString(x)} (0x${Integer.toHexString(java.lang.Float.floatToRawIntBits(x))})"

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
    val w = doubles(args.get("w"))
    val result: Option[Array[Double]] = outcome(t) {
      if op == "l1_regularization" then Array(L1Regularization.l1Regularization(w, bits(args.get("lambda").asText)))
      else
        val p = penalty(t.get("penalty"))
        op match
          case "value" => Array(p.value(w))
          case "gradient" => p.gradient(w)
          case "prox" => p.prox(w, bits(args.get("step").asText))
          case _ => Array(Loss.computeLoss(doubles(args.get("y_true")), doubles(args.get("y_pred")), w, p))
    }
    result.foreach { actual =>
      val e = t.get("expected")
      val expected = if e.isArray then doubles(e) else Array(bits(e.asText))
      assertEquals(actual.length, expected.length)
      expected.indices.foreach { i =>
        assert(sameBits(expected(i), actual(i)),
          s"element $i: expected ${show(expected(i))}, got ${show(actual(i))}")
      }
    }

  private def checkFloat(t: JsonNode, op: String, args: JsonNode): Unit =
    val w = floats(args.get("w"))
    val result: Option[Array[Float]] = outcome(t) {
      if op == "l1_regularization" then Array(L1Regularization.l1Regularization(w, bits(args.get("lambda").asText)))
      else
        val p = penalty(t.get("penalty"))
        op match
          case "value" => Array(p.value(w))
          case "gradient" => p.gradient(w)
          case "prox" => p.prox(w, bits(args.get("step").asText))
          case _ => Array(Loss.computeLoss(floats(args.get("y_true")), floats(args.get("y_pred")), w, p))
    }
    result.foreach { actual =>
      val e = t.get("expected")
      val expected = if e.isArray then floats(e) else Array(bits32(e.asText))
      assertEquals(actual.length, expected.length)
      expected.indices.foreach { i =>
        assert(sameBits32(expected(i), actual(i)),
          s"element $i: expected ${show(expected(i))}, got ${show(actual(i))}")
      }
    }
