// The sums behind value and loss for the Scala backend (SPEC §2), written independently of the
// Java module: compensated lanes that bound their own error, interval arithmetic on the result, a
// monotone-rounding test, and an exact java.math.BigDecimal fallback rounded against the exact
// midpoints.
package regpen

import java.lang.Math.{fma, nextDown, nextUp, ulp}
import java.math.BigDecimal as Exact
import java.math.MathContext

/**
 * A real x ≥ 0 known only to lie in [hi + lo − radius, hi + lo + radius].
 *
 * `*` (by a finite c ≥ 0), `+` and `/` (by the integer n) keep that true: each adds the rounding
 * errors it commits (at most u per rounded result) to the radius, enlarged by 2^-40 for the
 * roundings of the radius arithmetic itself, plus a few subnormal ulps where a product or quotient
 * may underflow (then an FMA error term or the result is off by at most half of one).
 *
 * Rounding is monotone, so when the interval's two ends round to the same number, x does too:
 * [[round64]] rounds a value at or below the lower end and one at or above the upper end
 * (`nextDown` / `nextUp` of the rounded offsets), and answers only when they agree. A tie can
 * never pass (its two ends round apart), so ties always go to the exact path.
 */
private[regpen] final case class Bounded(hi: Double, lo: Double, radius: Double):
  import Bounded.*

  def *(c: Double): Bounded =
    val p = c * hi
    val e = fma(c, hi, -p)
    val q = c * lo
    val l = e + q
    val exactZero = c == 0.0 || (hi == 0.0 && lo == 0.0)
    Bounded(p, l, (c * radius + U * (math.abs(q) + math.abs(l))) * Safety + (if exactZero then 0.0 else Tiny))

  def +(that: Bounded): Bounded =
    val s = hi + that.hi
    val z = s - hi
    val t = (hi - (s - z)) + (that.hi - z)
    val l1 = t + lo
    val l2 = l1 + that.lo
    Bounded(s, l2, (radius + that.radius + U * (math.abs(l1) + math.abs(l2))) * Safety)

  def /(n: Long): Bounded =
    val d = n.toDouble
    val q = hi / d
    val rem = fma(-q, d, hi)
    val t = rem + lo
    val l = t / d
    val exactZero = hi == 0.0 && lo == 0.0
    Bounded(q, l, (radius / d + U * (math.abs(t) / d + math.abs(l))) * Safety + (if exactZero then 0.0 else Tiny))

  def round64: Option[Double] =
    if !(hi + lo).isFinite || !radius.isFinite then None
    else
      val low = hi + nextDown(lo - radius)
      val high = hi + nextUp(lo + radius)
      Option.when(low == high && high.isFinite)(high + 0.0)

  def round32: Option[Float] =
    if !(hi + lo).isFinite || !radius.isFinite then None
    else
      val low = nearest32(hi, nextDown(lo - radius))
      val high = nearest32(hi, nextUp(lo + radius))
      Option.when(low == high && !high.isInfinite)(high + 0.0f)

private[regpen] object Bounded:
  private val U = Math.scalb(1.0, -53)
  private val Safety = 1.0 + Math.scalb(1.0, -40)
  private val Tiny = 4 * java.lang.Double.MIN_VALUE

  /** RN32(a + b) exactly: binary64 addition, then a nudge where it landed on a binary32 midpoint. */
  def nearest32(a: Double, b: Double): Float =
    val t = a + b
    val z = t - a
    val err = (a - (t - z)) + (b - z)
    val r = t.toFloat
    if err == 0.0 || r.isInfinite || r.toDouble == t then r
    else
      val other = if r.toDouble < t then nextUp(r) else nextDown(r)
      val midpoint = (r.toDouble + other.toDouble) / 2
      if midpoint != t then r
      else (if err > 0 then nextUp(t) else nextDown(t)).toFloat

/**
 * S1 = Σ f·|w|, S2 = Σ f·w² and SSE = Σ (y − p)² (exact residuals) as [[Bounded]] values, and their
 * exact forms.
 *
 * The fast pass adds the terms into eight compensated lanes (TwoSum for every addition, an FMA
 * TwoProd for every product), so `hi + lo` misses the exact sum only by the rounding of the
 * compensation, at most γ(m)·m·2u·hi for m error pieces, because every partial sum of
 * non-negative terms is at most `hi`; an underflowed product adds at most a few subnormal ulps.
 * A pass that meets a non-finite value gives None; the caller then takes the exact path.
 */
private[regpen] object Sums:
  private val U = Math.scalb(1.0, -53)
  private val LaneCount = 8
  private val Half = Exact("0.5")

  /** Eight Sum2 lanes: lane j holds a running sum and the exact errors of its additions. */
  private final class Lanes:
    val s = new Array[Double](LaneCount)
    val c = new Array[Double](LaneCount)
    var pieces = 0L

    inline def add(j: Int, p: Double, err: Double): Unit =
      val sj = s(j)
      val t = sj + p
      val z = t - sj
      c(j) += ((sj - (t - z)) + (p - z)) + err
      s(j) = t

    /**
     * The lanes folded by TwoSum, with the radius for `pieces` pieces in all; None if not finite.
     * Lane j's compensation sums k ≤ pieces/8 + 6 pieces (at most six per term), each at most
     * 2u·s_j, so it errs by at most γ(k)·k·2u·s_j, and Σ s_j ≈ hi; the fold adds 16 pieces of at
     * most 2u·hi or a compensation to lo.
     */
    def bounded(underflowUlps: Double): Option[Bounded] =
      var hi = 0.0
      var lo = 0.0
      for j <- 0 until LaneCount do
        val t = hi + s(j)
        val z = t - hi
        lo += ((hi - (t - z)) + (s(j) - z)) + c(j)
        hi = t
      Option.when(hi.isFinite && lo.isFinite) {
        val k = (pieces / LaneCount + 6).toDouble
        val (muLane, muFold) = (k * U, 2 * LaneCount * U)
        val relative = 2 * 1.01 * (muLane / (1 - muLane) * muLane + muFold / (1 - muFold) * (muLane + muFold))
        Bounded(hi, lo, hi * relative + (pieces + 2 * LaneCount) * underflowUlps * java.lang.Double.MIN_VALUE)
      }

  // ------------------------------------------------------------ the fast sums

  def absSum(w: Array[Double], f: Option[PenaltyFactor]): Option[Bounded] =
    val lanes = Lanes()
    f match
      case None =>
        var i = 0
        while i < w.length do
          lanes.add(i & 7, math.abs(w(i)), 0.0)
          i += 1
        lanes.pieces = w.length
        lanes.bounded(0.0)
      case Some(pf) =>
        val fv = pf.values
        var i = 0
        while i < w.length do
          val x = math.abs(w(i))
          val p = fv(i) * x
          lanes.add(i & 7, p, fma(fv(i), x, -p))
          i += 1
        lanes.pieces = 2L * w.length
        lanes.bounded(3 + pf.max)

  def squareSum(w: Array[Double], f: Option[PenaltyFactor]): Option[Bounded] =
    val lanes = Lanes()
    val fv = f.map(_.values).orNull
    var i = 0
    while i < w.length do
      val x = w(i)
      val p = x * x
      val e = fma(x, x, -p)
      if fv == null then lanes.add(i & 7, p, e)
      else
        // f·x² = f·p + f·e, both products split exactly.
        val a = fv(i) * p
        val g = fv(i) * e
        lanes.add(i & 7, a, fma(fv(i), p, -a) + (g + fma(fv(i), e, -g)))
      i += 1
    lanes.pieces = (if fv == null then 2L else 5L) * w.length
    lanes.bounded(3 + f.fold(1.0)(_.max))

  /**
   * Σ (y_i − p_i)² with the residual kept exact as x + xl (TwoSum), squared as
   * x² + (2·x·xl + xl²) with x² split by one FMA. |xl| ≤ u·|x|, so the extra terms are below
   * 3u·x² and their roundings below 6u²·x²: six pieces per element cover them.
   */
  def squaredErrors(y: Array[Double], p: Array[Double]): Option[Bounded] =
    val lanes = Lanes()
    var i = 0
    while i < y.length do
      residualSquare(lanes, i, y(i), p(i))
      i += 1
    lanes.pieces = 6L * y.length
    lanes.bounded(6.0)

  /** Binary32 data in binary64: every residual part is a multiple of 2^-149, so nothing underflows. */
  def squaredErrors(y: Array[Float], p: Array[Float]): Option[Bounded] =
    val lanes = Lanes()
    var i = 0
    while i < y.length do
      residualSquare(lanes, i, y(i).toDouble, p(i).toDouble)
      i += 1
    lanes.pieces = 6L * y.length
    lanes.bounded(0.0)

  /** Adds (a − b)² to lane i & 7: the difference split by TwoSum into x + xl, then the square. */
  private inline def residualSquare(lanes: Lanes, i: Int, a: Double, b: Double): Unit =
    val x = a - b
    val bv = x - a
    val xl = (a - (x - bv)) + (-b - bv)
    val sq = x * x
    lanes.add(i & 7, sq, fma(x, x, -sq) + (2 * x * xl + xl * xl))

  def absSum(w: Array[Float], f: Option[PenaltyFactor]): Option[Bounded] =
    val lanes = Lanes()
    val fv = f.map(_.values32).orNull
    var i = 0
    while i < w.length do
      // A product of two binary32 numbers is exact in binary64.
      val a = math.abs(w(i).toDouble)
      lanes.add(i & 7, if fv == null then a else a * fv(i), 0.0)
      i += 1
    lanes.pieces = w.length
    lanes.bounded(0.0)

  def squareSum(w: Array[Float], f: Option[PenaltyFactor]): Option[Bounded] =
    val lanes = Lanes()
    val fv = f.map(_.values32).orNull
    var i = 0
    while i < w.length do
      val x = w(i).toDouble
      val p = x * x
      if fv == null then lanes.add(i & 7, p, 0.0)
      else
        val a = fv(i) * p
        lanes.add(i & 7, a, fma(fv(i).toDouble, p, -a))
      i += 1
    lanes.pieces = 2L * w.length
    lanes.bounded(0.0)

  // ------------------------------------------------------------ the exact path

  /** Σ f·|x| or Σ f·x², exactly, of finite data. */
  def exactSum(x: Array[Double], f: Option[Array[Double]], square: Boolean): Exact =
    x.indices.foldLeft(Exact.ZERO) { (sum, i) =>
      val a = Exact(math.abs(x(i)))
      val term = if square then a.multiply(a) else a
      sum.add(f.fold(term)(fv => term.multiply(Exact(fv(i)))))
    }

  /** Σ (y − p)² of finite data, residuals exact. */
  def exactSquaredErrors(y: Array[Double], p: Array[Double]): Exact =
    y.indices.foldLeft(Exact.ZERO) { (sum, i) =>
      val r = Exact(y(i)).subtract(Exact(p(i)))
      sum.add(r.multiply(r))
    }

  private def midpoint(a: Double, b: Double): Exact = Exact(a).add(Exact(b)).multiply(Half)

  /**
   * RN64 of an exact s / n ≥ 0 (n ≥ 1): start from a 34-digit quotient, then move until s / n
   * lies between the exact midpoints around the candidate (compared as s against midpoint·n, so
   * nothing is divided inexactly); a tie picks the even neighbour, and s / n at or beyond
   * MAX + ulp(MAX)/2 overflows to +inf.
   */
  def toBinary64(s: Exact, n: Long = 1): Double =
    val d = Exact(n)
    val limit = Exact(Double.MaxValue).add(Exact(ulp(Double.MaxValue)).multiply(Half))
    def compare(m: Exact): Int = s.compareTo(m.multiply(d))
    if compare(limit) >= 0 then Double.PositiveInfinity
    else
      var r = math.min(s.divide(d, MathContext.DECIMAL128).doubleValue, Double.MaxValue)
      var result = Double.NaN
      while result.isNaN do
        val below = compare(midpoint(nextDown(r), r))
        val above = compare(if r == Double.MaxValue then limit else midpoint(r, nextUp(r)))
        if below < 0 then r = nextDown(r)
        else if above > 0 then r = nextUp(r)
        else if below == 0 then result = even(nextDown(r), r)
        else if above == 0 then result = even(r, nextUp(r))
        else result = r
      result + 0.0

  /** RN32 of an exact s / n ≥ 0, decided against binary32 midpoints directly (no double rounding). */
  def toBinary32(s: Exact, n: Long = 1): Float =
    val d = Exact(n)
    val limit = Exact(Float.MaxValue.toDouble).add(Exact(ulp(Float.MaxValue).toDouble).multiply(Half))
    def compare(m: Exact): Int = s.compareTo(m.multiply(d))
    if compare(limit) >= 0 then Float.PositiveInfinity
    else
      var r = math.min(s.divide(d, MathContext.DECIMAL128).floatValue, Float.MaxValue)
      var result = Float.NaN
      while result.isNaN do
        val below = compare(midpoint(nextDown(r).toDouble, r.toDouble))
        val above = compare(if r == Float.MaxValue then limit else midpoint(r.toDouble, nextUp(r).toDouble))
        if below < 0 then r = nextDown(r)
        else if above > 0 then r = nextUp(r)
        else if below == 0 then result = even32(nextDown(r), r)
        else if above == 0 then result = even32(r, nextUp(r))
        else result = r
      result + 0.0f

  private def even(a: Double, b: Double): Double =
    if (java.lang.Double.doubleToRawLongBits(a) & 1L) == 0L then a else b

  private def even32(a: Float, b: Float): Float =
    if (java.lang.Float.floatToRawIntBits(a) & 1) == 0 then a else b
