// The JSON configuration of a penalty in Scala (SPEC §3, configuration), read with Jackson's tree
// model and checked key by key.
package regpen

import com.fasterxml.jackson.core.{JsonFactory, JsonProcessingException, StreamReadConstraints, StreamReadFeature, StreamWriteFeature}
import com.fasterxml.jackson.databind.{DeserializationFeature, JsonNode, ObjectMapper}
import com.fasterxml.jackson.databind.json.JsonMapper
import scala.jdk.CollectionConverters.*

private[regpen] object Config:
  // Any JSON number is allowed, however long; text after the object is not JSON; a repeated key
  // is an error (SPEC 2.0 §D); nesting beyond MaxDepth is refused by the parser itself, so a deep
  // document is invalid_config, never a stack overflow. Numbers are written in the shortest form
  // that reads back to the same binary64.
  private val MaxDepth = 64
  private val mapper: ObjectMapper = JsonMapper
    .builder(
      JsonFactory
        .builder()
        .streamReadConstraints(
          StreamReadConstraints.builder().maxNumberLength(Int.MaxValue).maxNestingDepth(MaxDepth).build()
        )
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
        .build()
    )
    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
    .build()

  private val parameters = Map("l1" -> List("lam"), "l2" -> List("lam"), "elastic_net" -> List("l1", "l2"))

  private def invalid(message: String): Nothing = throw RegpenError(ErrorCode.InvalidConfig, message)

  def write(p: Penalty): String =
    val node = mapper.createObjectNode()
    p match
      case L1(lam, _) => node.put("type", "l1").put("lam", lam)
      case L2(lam, _) => node.put("type", "l2").put("lam", lam)
      case ElasticNet(l1, l2, _) => node.put("type", "elastic_net").put("l1", l1).put("l2", l2)
    p.penaltyFactor.foreach(f => f.values.foldLeft(node.putArray("penalty_factor"))(_.add(_)))
    mapper.writeValueAsString(node)

  /** A JSON value for a message, cut short. */
  private def shown(node: JsonNode | Null): String =
    if node == null then "nothing"
    else
      val text = node.toString
      if text.length <= 60 then text else text.take(57) + "..."

  def read(json: String | Null): Penalty =
    if json == null then invalid("the configuration must be a JSON text, got null")
    val root =
      try mapper.readTree(json)
      catch
        case e: JsonProcessingException =>
          throw RegpenError(ErrorCode.InvalidConfig,
            s"the configuration is not JSON (or nests deeper than $MaxDepth levels, or repeats a key): ${e.getOriginalMessage}", e)
    if root == null || !root.isObject then invalid(s"a configuration must be a JSON object, got ${shown(root)}")
    val types = parameters.keys.toList.sorted.mkString("\"", "\", \"", "\"")
    val kind = Option(root.get("type")).filter(_.isTextual).map(_.textValue)
      .getOrElse(invalid(s"\"type\" must be one of the strings $types, got ${shown(root.get("type"))}"))
    val required = parameters.getOrElse(kind, invalid(s"\"type\" must be one of $types, got \"$kind\""))
    val keys = root.fieldNames.asScala.toSet
    (keys -- required - "type" - "penalty_factor").headOption
      .foreach(k => invalid(s"unknown key \"$k\"; a $kind configuration has ${required.mkString(", ")} and penalty_factor"))
    required.find(!keys(_)).foreach(k => invalid(s"missing key \"$k\", which a $kind configuration requires"))
    // Every value is checked for its kind before any is checked for its range.
    val values = required.map(k => number(root.get(k), k))
    val factors = Option.when(keys("penalty_factor"))(numbers(root.get("penalty_factor")))
    val penalty: Penalty = (kind, values) match
      case ("l1", List(lam)) => L1(lam)
      case ("l2", List(lam)) => L2(lam)
      case (_, List(l1, l2)) => ElasticNet(l1, l2)
      case _ => invalid(s"unknown type $kind")
    factors.fold(penalty)(penalty.withPenaltyFactor)

  /** A JSON number as the nearest binary64; Jackson parsed decimals with Double.parseDouble. */
  private def number(node: JsonNode, key: String): Double =
    if !node.isNumber then invalid(s"\"$key\" must be a JSON number, got ${shown(node)}")
    else if node.isDouble then node.doubleValue
    else java.lang.Double.parseDouble(node.numberValue.toString)

  private def numbers(node: JsonNode): Array[Double] =
    if !node.isArray then invalid(s"\"penalty_factor\" must be an array of numbers, got ${shown(node)}")
    node.elements.asScala.map(number(_, "penalty_factor")).toArray
