// Converters from other libraries' regularization parameters (SPEC §3, conversions), binary64
// steps in the table's order.
package regpen

/** Each returns the penalty whose regpen objective is a fixed multiple of the library's objective. */
object Conventions:
  /** scikit-learn ElasticNet/Lasso (alpha, l1_ratio); scale 2. */
  def fromSklearn(alpha: Double, l1Ratio: Double): ElasticNet = mixing(alpha, l1Ratio)

  /** glmnet gaussian (lambda, alpha); scale 2. */
  def fromGlmnet(lambda: Double, alpha: Double): ElasticNet = mixing(lambda, alpha)

  /** Keras L1L2(l1, l2); scale 1. */
  def fromKeras(l1: Double, l2: Double): ElasticNet =
    ElasticNet(nonNegative(l1), nonNegative(l2))

  /** PyTorch weight_decay, which adds weight_decay·w to the gradient: L2(weight_decay / 2). */
  def fromTorchWeightDecay(weightDecay: Double): L2 = L2(nonNegative(weightDecay) / 2)

  private def mixing(strength: Double, ratio: Double): ElasticNet =
    nonNegative(strength)
    if !(ratio >= 0 && ratio <= 1) then
      throw RegpenError(ErrorCode.InvalidLambda, s"the mixing ratio must be in [0, 1], got $ratio")
    ElasticNet(2 * strength * ratio, strength * (1 - ratio))

  private def nonNegative(x: Double): Double =
    if !x.isFinite || x < 0 then throw RegpenError(ErrorCode.InvalidLambda, s"expected a finite value >= 0, got $x")
    x
