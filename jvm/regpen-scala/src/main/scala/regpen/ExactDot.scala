// Correctly rounded SIGNED sums of products for the Scala training (SPEC §7), written for this
// module (like Sums.scala, independent of the Java one): FMA products into Shewchuk's exact
// expansion, and an exact big-integer fallback.
package regpen

import java.math.BigInteger

/**
 * Adds signed products of binary64 numbers exactly and rounds the total once: `rounded()` (RN64)
 * or `rounded(num, den, up)` (the total times num/den, RN64 or upward).
 *
 * Fast path: a·b = p + e with p = a*b and e = fma(a, b, −p), exact when 2^-968 ≤ |p| ≤ 2^960 (the
 * exact product's last bit is then ≥ 2^-1074, so the rounding error is representable). Longer
 * products are split factor by factor, each step checked. The pieces enter Shewchuk's
 * non-overlapping expansion (Python's `math.fsum`), exact while nothing overflows: each piece is at
 * most 2^960, so partial sums stay below 2^1023 for fewer than 2^62 pieces; fsum's final step
 * rounds it, correcting a half-way result by the next partial's sign. Anything outside those
 * bounds goes into an exact `mantissa · 2^exponent` big integer, rounded by exact division.
 * Special values as SPEC §7.1: a NaN factor or 0 × ∞ gives NaN, infinite terms of both signs NaN,
 * else the infinity of their sign; an exact zero is +0.
 */
private[regpen] final class ExactDot:
  import ExactDot.*

  private var partials = new Array[Double](8)
  private var count = 0
  private var big: BigInteger | Null = null
  private var bigExp = 0
  private var nan = false
  private var posInf = false
  private var negInf = false

  def reset(): ExactDot =
    count = 0; big = null; nan = false; posInf = false; negInf = false
    this

  def add(x: Double): ExactDot =
    if !x.isFinite then special(x)
    else if x != 0.0 then piece(x)
    this

  def addProduct(a: Double, b: Double): ExactDot =
    if !a.isFinite || !b.isFinite then specialProduct(1, Array(a, b))
    else if a != 0.0 && b != 0.0 then
      val p = a * b
      val m = math.abs(p)
      if m >= ProductMin && m <= PieceMax then
        grow(p)
        val e = Math.fma(a, b, -p)
        if e != 0.0 then grow(e)
      else exact(1, Array(a, b))
    this

  /** Adds sign·Π factors (sign ±1). */
  def addProduct(sign: Int, factors: Double*): ExactDot =
    val fs = factors.toArray
    if fs.exists(f => !f.isFinite) then specialProduct(sign, fs)
    else if !fs.exists(_ == 0.0) then
      var parts = Array(sign * fs(0))
      var k = 1
      var safe = true
      while safe && k < fs.length do
        val f = fs(k)
        val next = Array.newBuilder[Double]
        for part <- parts if safe do
          val p = part * f
          val m = math.abs(p)
          if m >= ProductMin && m <= PieceMax then
            next += p
            val e = Math.fma(part, f, -p)
            if e != 0.0 then next += e
          else safe = false
        parts = next.result()
        k += 1
      if safe then parts.foreach(piece) else exact(sign, fs)
    this

  /** Adds sign·Σ_i a(aFrom + i·aStride)·b(bFrom + i) for i < n. */
  def addDot(a: Array[Double], aFrom: Int, aStride: Int, b: Array[Double], bFrom: Int, n: Int, sign: Int): ExactDot =
    var i = 0
    while i < n do
      val x = a(aFrom + i * aStride)
      addProduct(if sign > 0 then x else -x, b(bFrom + i))
      i += 1
    this

  def rounded(): Double =
    if nan || posInf || negInf then specialResult
    else if big == null then roundPartials()
    else rounded(1, 1, up = false)

  def rounded(num: Long, den: Long, up: Boolean): Double =
    if nan || posInf || negInf then specialResult
    else
      val (m, e) = exactTotal
      round(m.multiply(BigInteger.valueOf(num)), BigInteger.valueOf(den), e, up)

  /** The exact finite total as (mantissa, exponent). */
  def exactTotal: (BigInteger, Int) =
    var m: BigInteger = if big == null then BigInteger.ZERO else big.nn
    var e = if big == null then 0 else bigExp
    var i = 0
    while i < count do
      val (pm, pe) = decompose(partials(i))
      if m.signum == 0 then { m = pm; e = pe }
      else if pe >= e then m = m.add(pm.shiftLeft(pe - e))
      else { m = m.shiftLeft(e - pe).add(pm); e = pe }
      i += 1
    (m, e)

  private def specialResult: Double =
    if nan || (posInf && negInf) then Double.NaN
    else if posInf then Double.PositiveInfinity
    else Double.NegativeInfinity

  private def piece(x: Double): Unit =
    if math.abs(x) <= PieceMax then grow(x) else exact(1, Array(x))

  /** Shewchuk's grow-expansion: non-overlapping partials, increasing in magnitude, exact. */
  private def grow(x0: Double): Unit =
    var x = x0
    var i = 0
    var j = 0
    val ps = partials
    while j < count do
      var y = ps(j)
      if math.abs(x) < math.abs(y) then
        val t = x; x = y; y = t
      val hi = x + y
      val lo = y - (hi - x)
      if lo != 0.0 then
        ps(i) = lo
        i += 1
      x = hi
      j += 1
    if i == partials.length then partials = java.util.Arrays.copyOf(partials, 2 * i)
    partials(i) = x
    count = i + 1

  /** fsum's rounding of the expansion. */
  private def roundPartials(): Double =
    var n = count
    if n == 0 then 0.0
    else
      n -= 1
      var hi = partials(n)
      var lo = 0.0
      var done = false
      while !done && n > 0 do
        val x = hi
        n -= 1
        val y = partials(n)
        hi = x + y
        lo = y - (hi - x)
        if lo != 0.0 then done = true
      if n > 0 && ((lo < 0.0 && partials(n - 1) < 0.0) || (lo > 0.0 && partials(n - 1) > 0.0)) then
        val y = lo * 2.0
        val x = hi + y
        if y == x - hi then hi = x
      hi + 0.0

  private def exact(sign: Int, factors: Array[Double]): Unit =
    var m = BigInteger.valueOf(sign)
    var e = 0
    for f <- factors do
      val (fm, fe) = decompose(f)
      m = m.multiply(fm)
      e += fe
    if big == null || big.nn.signum == 0 then { big = m; bigExp = e }
    else if e >= bigExp then big = big.nn.add(m.shiftLeft(e - bigExp))
    else { big = big.nn.shiftLeft(bigExp - e).add(m); bigExp = e }

  private def special(x: Double): Unit =
    if x.isNaN then nan = true else if x > 0 then posInf = true else negInf = true

  private def specialProduct(sign: Int, factors: Array[Double]): Unit =
    if factors.exists(_.isNaN) || factors.exists(_ == 0.0) then nan = true
    else
      val negative = (sign < 0) ^ (factors.count(_ < 0) % 2 == 1)
      special(if negative then Double.NegativeInfinity else Double.PositiveInfinity)

private[regpen] object ExactDot:
  private val ProductMin = java.lang.Math.scalb(1.0, -968)
  private val PieceMax = java.lang.Math.scalb(1.0, 960)

  private val U = java.lang.Math.scalb(1.0, -53)
  private val SumMax = java.lang.Math.scalb(1.0, 1020)

  /**
   * RN64(c + Σ_i ±a(aFrom + i·aStride)·b(bFrom + i) + x·y) (minus when `negate`), or NaN when this
   * fast pass cannot prove it; callers then use the exact accumulator.
   *
   * Ogita–Rump–Oishi's Dot2: FMA TwoProduct and TwoSum give the running sum s and the sum c' of the
   * exact errors; s + c' misses the exact total T by at most γ(m)²·Σ|terms| for m terms, plus
   * 2^-1074 per term for products or errors that underflow. (hi, lo) = TwoSum(s, c') is exact, so
   * T = hi + lo + δ with |δ| ≤ err (taken with γ(2m), doubled, ×1.01 for its own rounding and that
   * of Σ|terms|). RN(T) = hi when |lo| + 2·err < half the smaller gap from |hi| to its neighbours.
   * Σ|terms| above 2^1020 (TwoSum could overflow), non-finite values and hi = 0 (an exact zero
   * must be +0) return NaN.
   */
  def fastDot(c: Double, a: Array[Double], aFrom: Int, aStride: Int, b: Array[Double], bFrom: Int, n: Int,
              negate: Boolean, x: Double, y: Double): Double =
    var s = c
    var comp = 0.0
    var abs = math.abs(c)
    inline def term(u: Double, v: Double): Unit =
      val p = u * v
      val e = Math.fma(u, v, -p)
      val t = s + p
      val z = t - s
      comp += ((s - (t - z)) + (p - z)) + e
      s = t
      abs += math.abs(p)
    var i = 0
    while i < n do
      val ai = a(aFrom + i * aStride)
      term(if negate then -ai else ai, b(bFrom + i))
      i += 1
    term(x, y)
    if !(abs <= SumMax) || !comp.isFinite then Double.NaN
    else
      val hi = s + comp
      val bz = hi - s
      val lo = (s - (hi - bz)) + (comp - bz)
      val m = n + 2.0
      val gamma = 2 * m * U / (1 - 2 * m * U)
      val err = (gamma * gamma * abs * 2.0 + m * Double.MinPositiveValue) * 1.01
      val ah = math.abs(hi)
      val gap = math.min(Math.nextUp(ah) - ah, ah - Math.nextDown(ah))
      if math.abs(lo) + 2.0 * err < gap * 0.5 && hi != 0.0 then hi else Double.NaN

  /** A finite double as (mantissa, exponent), exactly. */
  def decompose(x: Double): (BigInteger, Int) =
    val bits = java.lang.Double.doubleToRawLongBits(x)
    val be = ((bits >>> 52) & 0x7ff).toInt
    val frac = bits & 0xfffffffffffffL
    val (mant, e) = if be == 0 then (frac, -1074) else (frac | (1L << 52), be - 1075)
    (BigInteger.valueOf(if x < 0 then -mant else mant), e)

  /**
   * RN64 (or RU64 when `up`) of num/den · 2^exp, den > 0: the quotient to 53 significant bits
   * (fewer for subnormals), the remainder deciding the rounding.
   */
  def round(num: BigInteger, den: BigInteger, exp: Int, up: Boolean): Double =
    val sign = num.signum
    if sign == 0 then 0.0
    else
      val a = num.abs
      var q = math.max(a.bitLength - den.bitLength - 1 + exp - 52, -1074)
      var result = Double.NaN
      while result.isNaN do
        val shift = exp - q
        val n = if shift >= 0 then a.shiftLeft(shift) else a
        val d = if shift >= 0 then den else den.shiftLeft(-shift)
        val qr = n.divideAndRemainder(d)
        if qr(0).bitLength > 53 then q += 1
        else
          var m = qr(0).longValueExact
          val away =
            if up then sign > 0 && qr(1).signum != 0
            else
              val c = qr(1).shiftLeft(1).compareTo(d)
              c > 0 || (c == 0 && (m & 1) == 1)
          if away then m += 1
          val r = java.lang.Math.scalb(m.toDouble, q)
          result = if sign > 0 then r else -r
      result
