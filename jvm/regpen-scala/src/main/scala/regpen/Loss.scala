// The seed's LossFunction.computeLoss in Scala: mean squared error plus a penalty (SPEC §3, loss).
package regpen

object Loss:
  /** fl(fl(SSE / n) + penalty.value(weights)), SSE correctly rounded; n = trueValues.length > 0. */
  def computeLoss(trueValues: Array[Double], predictedValues: Array[Double], weights: Array[Double], penalty: Penalty): Double =
    checkShapes(trueValues.length, predictedValues.length, weights.length, penalty)
    Sums.squaredErrors(trueValues, predictedValues) / trueValues.length + penalty.value(weights)

  /** The binary32 form; n is rounded once to binary32. */
  def computeLoss(trueValues: Array[Float], predictedValues: Array[Float], weights: Array[Float], penalty: Penalty): Float =
    checkShapes(trueValues.length, predictedValues.length, weights.length, penalty)
    Sums.squaredErrors(trueValues, predictedValues) / trueValues.length.toFloat + penalty.value(weights)

  // The spec orders shape checks before emptiness, so both mismatches come first.
  private def checkShapes(nTrue: Int, nPredicted: Int, nWeights: Int, penalty: Penalty): Unit =
    Checks.sameLength("trueValues and predictedValues", nTrue, nPredicted)
    penalty.penaltyFactor.foreach(f => Checks.sameLength("penalty factor and weights", f.length, nWeights))
    if nTrue == 0 then throw RegpenError(ErrorCode.EmptyInput, "the loss needs at least one sample")
