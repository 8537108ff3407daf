// SPEC §6.1's generated arrays for the MUnit suite, written independently of the Java suite's.
package regpen

import com.fasterxml.jackson.databind.JsonNode

/** Expands `{"generator": name, "seed": s, "n": n}` into its array, bit for bit. */
object Generators:
  /** A binary format: total width, fraction bits, exponent bias, precision, and `wide`'s K. */
  private final case class Format(width: Int, fraction: Int, bias: Int, precision: Int, wideK: Int)
  private val Binary64 = Format(64, 52, 1023, 53, 200)
  private val Binary32 = Format(32, 23, 127, 24, 60)

  /** splitmix64's output i (Long arithmetic wraps mod 2^64, as the spec's unsigned arithmetic). */
  def draw(seed: Long, i: Long): Long =
    var z = seed + (i + 1) * 0x9e3779b97f4a7c15L
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL
    z ^ (z >>> 31)

  def doubles(spec: JsonNode): Array[Double] =
    values(spec, Binary64).map(java.lang.Double.longBitsToDouble)

  def floats(spec: JsonNode): Array[Float] =
    values(spec, Binary32).map(b => java.lang.Float.intBitsToFloat(b.toInt))

  private def values(spec: JsonNode, fmt: Format): Array[Long] =
    val seed = spec.get("seed").bigIntegerValue.longValue
    val n = spec.get("n").asInt
    def u(i: Int) = draw(seed, i)
    def normal(k: Int)(i: Int): Long =
      val e = ((u(i) >>> 52) & 2047) % (2 * k + 1) - k
      (u(i) >>> 63) << (fmt.width - 1) | (e + fmt.bias) << fmt.fraction | (u(i) & ((1L << fmt.fraction) - 1))
    spec.get("generator").asText match
      case "unit" => Array.tabulate(n)(normal(8))
      case "wide" => Array.tabulate(n)(normal(fmt.wideK))
      case name @ ("tie_abs" | "above_tie_abs") =>
        val b = if fmt.width == 64 then 24 else 2
        val middle = (1 to n - 2).map(i => 1 + (u(i) >>> (64 - b)))
        val first = if name == "tie_abs" then 0.0 else Math.scalb(1.0, -40)
        val magnitudes = (first +: middle.map(_.toDouble)) :+ ((1L << fmt.precision) + 1 - middle.sum).toDouble
        magnitudes.toArray.zipWithIndex.map { (m, i) =>
          val x = if (u(i) & 1) == 1 then -m else m
          if fmt.width == 64 then java.lang.Double.doubleToRawLongBits(x)
          else java.lang.Float.floatToRawIntBits(x.toFloat) & 0xffffffffL
        }
      case other => throw IllegalArgumentException(s"unknown generator $other")
