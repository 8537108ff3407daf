// The seed document's Scala example, kept as written in behaviour: a teaching baseline, not regpen.
package regpen.seed

/** `lambda * weights.map(math.abs).sum`: rounds at every addition, so it drifts from the spec. */
object SeedL1:
  def l1Regularization(weights: Array[Double], lambda: Double): Double =
    lambda * weights.map(math.abs).sum
