// The Scala regpen API: a sealed trait of three immutable case classes (SPEC §1, §3, §5).
package regpen

import Elementwise.*

/**
 * A regularization penalty. Every result is bit-identical to the other regpen backends: the sums
 * are rounded once ([[Sums]]) and every other step is the spec's named IEEE operation, in
 * binary32 for `Array[Float]` (with parameters and factors rounded to binary32 first).
 */
sealed trait Penalty:
  def penaltyFactor: Option[PenaltyFactor]

  def value(w: Array[Double]): Double
  def value(w: Array[Float]): Float
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

  /** Weights must have one factor each. */
  protected def fits(n: Int): Unit =
    penaltyFactor.foreach(f => Checks.sameLength("penalty factor and weights", f.length, n))

object Penalty:
  /** Reads a configuration; invalid_config when it cannot be read, the constructor's code for bad values. */
  def fromConfig(json: String): Penalty = Config.read(json)

/** L1 (lasso): lam·Σ f_i·|w_i|. */
final case class L1 private (lam: Double, penaltyFactor: Option[PenaltyFactor]) extends Penalty:
  def withPenaltyFactor(factors: Array[Double]): L1 = new L1(lam, Some(PenaltyFactor(factors)))

  def value(w: Array[Double]): Double = { fits(w.length); lam * Sums.absSum(w, penaltyFactor) }
  def value(w: Array[Float]): Float = { fits(w.length); lam.toFloat * Sums.absSum(w, penaltyFactor) }

  def gradient(w: Array[Double]): Array[Double] =
    fits(w.length)
    val f = factors
    build(w.length)(i => signed(w(i), lam.times(f, i)))

  def gradient(w: Array[Float]): Array[Float] =
    fits(w.length)
    val lam32 = lam.toFloat
    val f = factors32
    build32(w.length)(i => signed(w(i), lam32.times32(f, i)))

  def prox(w: Array[Double], step: Double): Array[Double] =
    Checks.step(step)
    fits(w.length)
    val t = step * lam
    val f = factors
    build(w.length)(i => soft(w(i), t.times(f, i)))

  def prox(w: Array[Float], step: Double): Array[Float] =
    Checks.step(step)
    fits(w.length)
    val t = step.toFloat * lam.toFloat
    val f = factors32
    build32(w.length)(i => soft(w(i), t.times32(f, i)))

object L1:
  def apply(lam: Double): L1 = new L1(Checks.parameter("lam", lam), None)

/** L2 (ridge): lam·Σ f_i·w_i², the textbook form without ½. */
final case class L2 private (lam: Double, penaltyFactor: Option[PenaltyFactor]) extends Penalty:
  def withPenaltyFactor(factors: Array[Double]): L2 = new L2(lam, Some(PenaltyFactor(factors)))

  def value(w: Array[Double]): Double = { fits(w.length); lam * Sums.squareSum(w, penaltyFactor) }
  def value(w: Array[Float]): Float = { fits(w.length); lam.toFloat * Sums.squareSum(w, penaltyFactor) }

  def gradient(w: Array[Double]): Array[Double] =
    fits(w.length)
    val c = 2 * lam
    val f = factors
    build(w.length)(i => c.times(f, i) * w(i))

  def gradient(w: Array[Float]): Array[Float] =
    fits(w.length)
    val c = 2 * lam.toFloat
    val f = factors32
    build32(w.length)(i => c.times32(f, i) * w(i))

  def prox(w: Array[Double], step: Double): Array[Double] =
    Checks.step(step)
    fits(w.length)
    val k = step * (2 * lam)
    val f = factors
    build(w.length)(i => w(i) / (1 + k.times(f, i)))

  def prox(w: Array[Float], step: Double): Array[Float] =
    Checks.step(step)
    fits(w.length)
    val k = step.toFloat * (2 * lam.toFloat)
    val f = factors32
    build32(w.length)(i => w(i) / (1 + k.times32(f, i)))

object L2:
  def apply(lam: Double): L2 = new L2(Checks.parameter("lam", lam), None)

/** Elastic net: l1·Σ f_i·|w_i| + l2·Σ f_i·w_i². */
final case class ElasticNet private (l1: Double, l2: Double, penaltyFactor: Option[PenaltyFactor])
    extends Penalty:
  def withPenaltyFactor(factors: Array[Double]): ElasticNet =
    new ElasticNet(l1, l2, Some(PenaltyFactor(factors)))

  def value(w: Array[Double]): Double =
    fits(w.length)
    l1 * Sums.absSum(w, penaltyFactor) + l2 * Sums.squareSum(w, penaltyFactor)

  def value(w: Array[Float]): Float =
    fits(w.length)
    l1.toFloat * Sums.absSum(w, penaltyFactor) + l2.toFloat * Sums.squareSum(w, penaltyFactor)

  def gradient(w: Array[Double]): Array[Double] =
    fits(w.length)
    val c = 2 * l2
    val f = factors
    build(w.length)(i => signed(w(i), l1.times(f, i)) + c.times(f, i) * w(i))

  def gradient(w: Array[Float]): Array[Float] =
    fits(w.length)
    val a = l1.toFloat
    val c = 2 * l2.toFloat
    val f = factors32
    build32(w.length)(i => signed(w(i), a.times32(f, i)) + c.times32(f, i) * w(i))

  def prox(w: Array[Double], step: Double): Array[Double] =
    Checks.step(step)
    fits(w.length)
    val t = step * l1
    val k = step * (2 * l2)
    val f = factors
    build(w.length)(i => soft(w(i), t.times(f, i)) / (1 + k.times(f, i)))

  def prox(w: Array[Float], step: Double): Array[Float] =
    Checks.step(step)
    fits(w.length)
    val s = step.toFloat
    val t = s * l1.toFloat
    val k = s * (2 * l2.toFloat)
    val f = factors32
    build32(w.length)(i => soft(w(i), t.times32(f, i)) / (1 + k.times32(f, i)))

object ElasticNet:
  def apply(l1: Double, l2: Double): ElasticNet =
    new ElasticNet(Checks.parameter("l1", l1), Checks.parameter("l2", l2), None)
