// The seed document's Scala helper under its own name, given the spec's exact arithmetic.
package regpen

object L1Regularization:
  /** Exactly `L1(lambda).value(weights)`. */
  def l1Regularization(weights: Array[Double], lambda: Double): Double = L1(lambda).value(weights)

  /** Exactly `L1(lambda).value(weights)` in binary32: float32 in, float32 out. */
  def l1Regularization(weights: Array[Float], lambda: Double): Float = L1(lambda).value(weights)
