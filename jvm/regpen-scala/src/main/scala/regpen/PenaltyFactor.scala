// glmnet's penalty.factor for the Scala backend: validated per-coordinate multipliers (SPEC §1).
package regpen

import java.util.Arrays

/**
 * Per-coordinate factors, each finite and ≥ 0 (−0 stored as +0), immutable. The constructor copies
 * and validates its argument, so it is safe however it is reached. The binary32 copy, each factor
 * rounded once, is what float inputs use.
 */
final class PenaltyFactor(factors: Array[Double] | Null):
  private[regpen] val values: Array[Double] =
    if factors == null then
      throw RegpenError(ErrorCode.InvalidDtype, "penalty factors must be an Array[Double], got null")
    factors.zipWithIndex.map { (f, i) =>
      if !f.isFinite || f < 0.0 then
        throw RegpenError(ErrorCode.InvalidPenaltyFactor, s"penalty factor $i must be finite and >= 0, got $f")
      f + 0.0
    }
  private[regpen] val values32: Array[Float] = values.map(_.toFloat)
  private[regpen] val max: Double = values.foldLeft(0.0)(math.max)

  def length: Int = values.length
  def toArray: Array[Double] = values.clone()

  override def equals(other: Any): Boolean = other match
    case that: PenaltyFactor => Arrays.equals(values, that.values)
    case _ => false
  override def hashCode: Int = Arrays.hashCode(values)
  override def toString: String = values.mkString("PenaltyFactor(", ", ", ")")

object PenaltyFactor:
  def apply(factors: Array[Double]): PenaltyFactor = new PenaltyFactor(factors)
