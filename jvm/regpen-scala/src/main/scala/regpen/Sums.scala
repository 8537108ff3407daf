// Correctly rounded sums of non-negative terms for the Scala backend (SPEC §2), written
// independently of the Java module: compensated lanes, a monotone-rounding proof, and an exact
// java.math.BigDecimal fallback rounded by comparison with the exact midpoints.
package regpen

import java.lang.Math.{fma, nextDown, nextUp, ulp}
import java.math.BigDecimal as Exact

/**
 * S1 = Σ f·|w|, S2 = Σ f·w² and SSE = Σ r², each rounded once to binary64 or binary32.
 *
 * The fast pass adds the terms into eight compensated lanes (TwoSum for every addition, an FMA
 * TwoProd for every product), so `hi + lo` misses the exact sum only by the rounding of the
 * compensation, at most γ(m)·m·2u·hi for m error pieces, because every partial sum of
 * non-negative terms is at most `hi`; an underflowed product adds at most a few subnormal ulps.
 * Rounding is monotone, so when both ends of that interval round to the same number the exact
 * sum does too. Otherwise (ties, near-ties, overflow) the terms are summed exactly as decimals.
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

    /** The lanes folded into (hi, lo) by TwoSum. */
    def fold(): (Double, Double) =
      var hi = 0.0
      var lo = 0.0
      for j <- 0 until LaneCount do
        val t = hi + s(j)
        val z = t - hi
        lo += ((hi - (t - z)) + (s(j) - z)) + c(j)
        hi = t
      (hi, lo)

    /** Half-width of the interval around hi + lo that holds the exact sum. */
    def radius(hi: Double, underflowUlps: Double): Double =
      val m = pieces.toDouble + 2 * LaneCount
      val mu = m * U
      hi * (mu / (1 - mu) * mu * 2 * 1.01) + m * underflowUlps * java.lang.Double.MIN_VALUE

  // ------------------------------------------------------------ the reductions

  def absSum(w: Array[Double], f: Option[PenaltyFactor]): Double =
    val lanes = Lanes()
    f match
      case None =>
        var i = 0
        while i < w.length do
          lanes.add(i & 7, math.abs(w(i)), 0.0)
          i += 1
        lanes.pieces = w.length
        decide64(lanes, 0.0).getOrElse(slow64(w, f.map(_.values), square = false))
      case Some(pf) =>
        val fv = pf.values
        var i = 0
        while i < w.length do
          val x = math.abs(w(i))
          val p = fv(i) * x
          lanes.add(i & 7, p, fma(fv(i), x, -p))
          i += 1
        lanes.pieces = 2L * w.length
        decide64(lanes, 3 + pf.max).getOrElse(slow64(w, Some(fv), square = false))

  def squareSum(w: Array[Double], f: Option[PenaltyFactor]): Double =
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
    val underflow = 3 + f.fold(1.0)(_.max)
    decide64(lanes, underflow).getOrElse(slow64(w, Option(fv), square = true))

  def squaredErrors(y: Array[Double], p: Array[Double]): Double =
    val r = Array.tabulate(y.length)(i => y(i) - p(i))
    squareSum(r, None)

  def absSum(w: Array[Float], f: Option[PenaltyFactor]): Float =
    val lanes = Lanes()
    val fv = f.map(_.values32).orNull
    var i = 0
    while i < w.length do
      // A product of two binary32 numbers is exact in binary64.
      val a = math.abs(w(i).toDouble)
      lanes.add(i & 7, if fv == null then a else a * fv(i), 0.0)
      i += 1
    lanes.pieces = w.length
    decide32(lanes).getOrElse(slow32(w.map(_.toDouble), Option(fv).map(_.map(_.toDouble)), square = false))

  def squareSum(w: Array[Float], f: Option[PenaltyFactor]): Float =
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
    decide32(lanes).getOrElse(slow32(w.map(_.toDouble), Option(fv).map(_.map(_.toDouble)), square = true))

  def squaredErrors(y: Array[Float], p: Array[Float]): Float =
    val r = Array.tabulate(y.length)(i => y(i) - p(i))
    squareSum(r, None)

  // ------------------------------------------------------------ deciding the rounding

  private def decide64(lanes: Lanes, underflowUlps: Double): Option[Double] =
    val (hi, lo) = lanes.fold()
    if !hi.isFinite || !lo.isFinite then None
    else if hi == 0.0 && lo == 0.0 && underflowUlps == 0.0 then Some(0.0)
    else
      val b = lanes.radius(hi, underflowUlps)
      val low = hi + nextDown(lo - b)
      val high = hi + nextUp(lo + b)
      Option.when(low == high && high.isFinite)(high)

  private def decide32(lanes: Lanes): Option[Float] =
    val (hi, lo) = lanes.fold()
    if !hi.isFinite || !lo.isFinite then None
    else if hi == 0.0 && lo == 0.0 then Some(0.0f)
    else
      val b = lanes.radius(hi, 0.0)
      val low = nearest32(hi, nextDown(lo - b))
      val high = nearest32(hi, nextUp(lo + b))
      Option.when(low == high && !high.isInfinite)(high)

  /** RN32(a + b) exactly: binary64 addition, then a nudge where it landed on a binary32 midpoint. */
  private def nearest32(a: Double, b: Double): Float =
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

  // ------------------------------------------------------------ special values and the exact path

  /** SPEC §2: NaN for a NaN weight or a 0·∞ term, else +inf for an infinite term, else None. */
  private def special(x: Array[Double], f: Option[Array[Double]]): Option[Double] =
    val factor = (i: Int) => f.fold(1.0)(_(i))
    val nan = x.indices.exists { i =>
      x(i).isNaN || ((x(i).isInfinite || factor(i).isInfinite) && (x(i) == 0.0 || factor(i) == 0.0))
    }
    if nan then Some(Double.NaN)
    else if x.indices.exists(i => x(i).isInfinite || factor(i).isInfinite) then Some(Double.PositiveInfinity)
    else None

  private def exactSum(x: Array[Double], f: Option[Array[Double]], square: Boolean): Exact =
    x.indices.foldLeft(Exact.ZERO) { (sum, i) =>
      val a = Exact(math.abs(x(i)))
      val term = if square then a.multiply(a) else a
      sum.add(f.fold(term)(fv => term.multiply(Exact(fv(i)))))
    }

  private def slow64(x: Array[Double], f: Option[Array[Double]], square: Boolean): Double =
    special(x, f)
      .orElse(Option.when(square && oneSquareOverflows(x, f))(Double.PositiveInfinity))
      .getOrElse(toBinary64(exactSum(x, f, square)))

  /**
   * A term that alone reaches the overflow threshold makes the sum +inf, no exact sum needed:
   * x·x rounds to +inf exactly when x² ≥ MAX + ulp(MAX)/2, and a factor ≥ 1 keeps it there.
   */
  private def oneSquareOverflows(x: Array[Double], f: Option[Array[Double]]): Boolean =
    x.indices.exists(i => (x(i) * x(i)).isInfinite && f.forall(_(i) >= 1))

  private def slow32(x: Array[Double], f: Option[Array[Double]], square: Boolean): Float =
    special(x, f).map(_.toFloat).getOrElse(toBinary32(exactSum(x, f, square)))

  private def midpoint(a: Double, b: Double): Exact = Exact(a).add(Exact(b)).multiply(Half)

  /**
   * RN64 of an exact s ≥ 0: start from BigDecimal's own conversion, then move until s lies
   * between the exact midpoints around the candidate; a tie picks the even neighbour, and s at or
   * beyond MAX + ulp(MAX)/2 overflows to +inf.
   */
  def toBinary64(s: Exact): Double =
    val limit = Exact(Double.MaxValue).add(Exact(ulp(Double.MaxValue)).multiply(Half))
    if s.compareTo(limit) >= 0 then Double.PositiveInfinity
    else
      var r = math.min(s.doubleValue, Double.MaxValue)
      var result = Double.NaN
      while result.isNaN do
        val below = s.compareTo(midpoint(nextDown(r), r))
        val above = s.compareTo(if r == Double.MaxValue then limit else midpoint(r, nextUp(r)))
        if below < 0 then r = nextDown(r)
        else if above > 0 then r = nextUp(r)
        else if below == 0 then result = even(nextDown(r), r)
        else if above == 0 then result = even(r, nextUp(r))
        else result = r
      result + 0.0

  /** RN32 of an exact s ≥ 0, decided against binary32 midpoints directly (no double rounding). */
  def toBinary32(s: Exact): Float =
    val limit = Exact(Float.MaxValue.toDouble).add(Exact(ulp(Float.MaxValue).toDouble).multiply(Half))
    if s.compareTo(limit) >= 0 then Float.PositiveInfinity
    else
      var r = math.min(s.floatValue, Float.MaxValue)
      var result = Float.NaN
      while result.isNaN do
        val below = s.compareTo(midpoint(nextDown(r).toDouble, r.toDouble))
        val above = s.compareTo(if r == Float.MaxValue then limit else midpoint(r.toDouble, nextUp(r).toDouble))
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
