// The Scala regpen API: a sealed trait of three immutable case classes (SPEC §1, §3, §5).
package regpen

import Elementwise.*

/**
 * A regularization penalty. Every result is bit-identical to the other regpen backends: value is
 * the exact value rounded once ([[Objective]]), every other step is the spec's named IEEE
 * operation, in binary32 for `Array[Float]` (with parameters and factors rounded to binary32
 * first), and every NaN output is the positive quiet NaN. A null array is invalid_dtype.
 *
 * Each case class validates its fields in its primary constructor, so no way of building one
 * (the companion, or the constructor reached from Java, where Scala's `private` is public in
 * bytecode) makes an invalid penalty.
 */
sealed trait Penalty:
  def penaltyFactor: Option[PenaltyFactor]

  /** The spec's formula of this penalty. */
  private[regpen] def terms: Terms

  /** The exact Σ f_i·(c1·|w_i| + c2·w_i²) rounded once (NaN or +inf when a product is). */
  def value(w: Array[Double]): Double =
    Checks.weights(w, penaltyFactor)
    Objective.value(terms, w)

  /** The binary32 value: parameters and factors rounded to binary32, then one rounding. */
  def value(w: Array[Float]): Float =
    Checks.weights(w, penaltyFactor)
    Objective.value(terms, w)

  def gradient(w: Array[Double]): Array[Double]
  def gradient(w: Array[Float]): Array[Float]
  def prox(w: Array[Double], step: Double): Array[Double]
  def prox(w: Array[Float], step: Double): Array[Float]

  /** The same penalty with glmnet-style per-coordinate factors. */
  def withPenaltyFactor(factors: Array[Double]): Penalty

  /** The JSON configuration; `Penalty.fromConfig(p.toConfig) == p`. */
  def toConfig: String = Config.write(this)

  /** The factors as arrays for the elementwise loops, null when every factor is 1. */
  protected final def factors: Array[Double] | Null = penaltyFactor.fold(null)(_.values)
  protected final def factors32: Array[Float] | Null = penaltyFactor.fold(null)(_.values32)

  /** The checks of prox in the spec's order (w's dtype, the step, the length); returns the length. */
  protected final def proxChecks(w: AnyRef | Null, step: Double): Int =
    Checks.array("w", w)
    Checks.step(step)
    Checks.weights(w, penaltyFactor)

object Penalty:
  /** Reads a configuration; invalid_config when it cannot be read, the constructor's code for bad values. */
  def fromConfig(json: String): Penalty = Config.read(json)

/** L1 (lasso): lam·Σ f_i·|w_i|. */
final case class L1 private (lam: Double, penaltyFactor: Option[PenaltyFactor]) extends Penalty:
  Checks.stored("lam", lam)
  Checks.stored(penaltyFactor)

  def withPenaltyFactor(factors: Array[Double]): L1 = new L1(lam, Some(PenaltyFactor(factors)))
  private[regpen] def terms = Terms(lam, 0.0, abs = true, square = false, penaltyFactor)

  def gradient(w: Array[Double]): Array[Double] =
    val n = Checks.weights(w, penaltyFactor)
    val f = factors
    build(n)(i => signed(w(i), lam.times(f, i)))

  def gradient(w: Array[Float]): Array[Float] =
    val n = Checks.weights(w, penaltyFactor)
    val lam32 = lam.toFloat
    val f = factors32
    build32(n)(i => signed(w(i), lam32.times32(f, i)))

  def prox(w: Array[Double], step: Double): Array[Double] =
    val n = proxChecks(w, step)
    val t = step * lam
    val f = factors
    build(n)(i => soft(w(i), t.times(f, i)))

  def prox(w: Array[Float], step: Double): Array[Float] =
    val n = proxChecks(w, step)
    val t = step.toFloat * lam.toFloat
    val f = factors32
    build32(n)(i => soft(w(i), t.times32(f, i)))

object L1:
  def apply(lam: Double): L1 = new L1(Checks.parameter("lam", lam), None)

/** L2 (ridge): lam·Σ f_i·w_i², the textbook form without ½. */
final case class L2 private (lam: Double, penaltyFactor: Option[PenaltyFactor]) extends Penalty:
  Checks.stored("lam", lam)
  Checks.stored(penaltyFactor)

  def withPenaltyFactor(factors: Array[Double]): L2 = new L2(lam, Some(PenaltyFactor(factors)))
  private[regpen] def terms = Terms(0.0, lam, abs = false, square = true, penaltyFactor)

  def gradient(w: Array[Double]): Array[Double] =
    val n = Checks.weights(w, penaltyFactor)
    val c = 2 * lam
    val f = factors
    build(n)(i => c.times(f, i) * w(i))

  def gradient(w: Array[Float]): Array[Float] =
    val n = Checks.weights(w, penaltyFactor)
    val c = 2 * lam.toFloat
    val f = factors32
    build32(n)(i => c.times32(f, i) * w(i))

  def prox(w: Array[Double], step: Double): Array[Double] =
    val n = proxChecks(w, step)
    val k = step * (2 * lam)
    val f = factors
    build(n)(i => w(i) / (1 + k.times(f, i)))

  def prox(w: Array[Float], step: Double): Array[Float] =
    val n = proxChecks(w, step)
    val k = step.toFloat * (2 * lam.toFloat)
    val f = factors32
    build32(n)(i => w(i) / (1 + k.times32(f, i)))

object L2:
  def apply(lam: Double): L2 = new L2(Checks.parameter("lam", lam), None)

/** Elastic net: l1·Σ f_i·|w_i| + l2·Σ f_i·w_i², its value the exact sum of both rounded once. */
final case class ElasticNet private (l1: Double, l2: Double, penaltyFactor: Option[PenaltyFactor])
    extends Penalty:
  Checks.stored("l1", l1)
  Checks.stored("l2", l2)
  Checks.stored(penaltyFactor)

  def withPenaltyFactor(factors: Array[Double]): ElasticNet =
    new ElasticNet(l1, l2, Some(PenaltyFactor(factors)))
  private[regpen] def terms = Terms(l1, l2, abs = true, square = true, penaltyFactor)

  def gradient(w: Array[Double]): Array[Double] =
    val n = Checks.weights(w, penaltyFactor)
    val c = 2 * l2
    val f = factors
    build(n)(i => signed(w(i), l1.times(f, i)) + c.times(f, i) * w(i))

  def gradient(w: Array[Float]): Array[Float] =
    val n = Checks.weights(w, penaltyFactor)
    val a = l1.toFloat
    val c = 2 * l2.toFloat
    val f = factors32
    build32(n)(i => signed(w(i), a.times32(f, i)) + c.times32(f, i) * w(i))

  def prox(w: Array[Double], step: Double): Array[Double] =
    val n = proxChecks(w, step)
    val t = step * l1
    val k = step * (2 * l2)
    val f = factors
    build(n)(i => soft(w(i), t.times(f, i)) / (1 + k.times(f, i)))

  def prox(w: Array[Float], step: Double): Array[Float] =
    val n = proxChecks(w, step)
    val s = step.toFloat
    val t = s * l1.toFloat
    val k = s * (2 * l2.toFloat)
    val f = factors32
    build32(n)(i => soft(w(i), t.times32(f, i)) / (1 + k.times32(f, i)))

object ElasticNet:
  def apply(l1: Double, l2: Double): ElasticNet =
    new ElasticNet(Checks.parameter("l1", l1), Checks.parameter("l2", l2), None)
