// The seed's LossFunction.computeLoss in Scala: mean squared error plus a penalty (SPEC §3, loss).
package regpen

object Loss:
  /**
   * RN64((1/n)·Σ (y_i − p_i)² + the penalty's formula of the weights), the exact value (exact
   * residuals, the exact integer n) rounded once; n = trueValues.length > 0.
   */
  def computeLoss(trueValues: Array[Double], predictedValues: Array[Double], weights: Array[Double], penalty: Penalty): Double =
    check(trueValues, predictedValues, weights, penalty)
    Objective.loss(penalty.terms, trueValues, predictedValues, weights)

  /** The binary32 form, rounded once to binary32. */
  def computeLoss(trueValues: Array[Float], predictedValues: Array[Float], weights: Array[Float], penalty: Penalty): Float =
    check(trueValues, predictedValues, weights, penalty)
    Objective.loss(penalty.terms, trueValues, predictedValues, weights)

  /** The spec's order: dtypes (nulls), the target lengths, n > 0, then the factor length. */
  private def check(y: AnyRef | Null, p: AnyRef | Null, w: AnyRef | Null, penalty: Penalty | Null): Unit =
    Checks.penalty(penalty)
    Checks.array("trueValues", y)
    Checks.array("predictedValues", p)
    Checks.array("weights", w)
    val n = java.lang.reflect.Array.getLength(y)
    Checks.sameLength("trueValues and predictedValues", n, java.lang.reflect.Array.getLength(p))
    if n == 0 then throw RegpenError(ErrorCode.EmptyInput, "trueValues has length 0; the loss needs n > 0 samples")
    penalty.nn.penaltyFactor.foreach(f => Checks.sameLength("penalty factor and weights", f.length, java.lang.reflect.Array.getLength(w)))
