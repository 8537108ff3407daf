// The scalar results of SPEC §2 for the Scala backend: value and loss as the exact value rounded
// once, special values decided per product.
package regpen

import java.math.BigDecimal as Exact

/**
 * A penalty as the spec's formula Σ f_i·(c1·|w_i| + c2·w_i²): its coefficients, which products
 * exist (L1 has no P2 = c2·f·w·w, L2 no P1 = c1·f·|w|; ElasticNet has both, even with a zero
 * coefficient, because 0·∞ is NaN) and its factors.
 */
private[regpen] final case class Terms(c1: Double, c2: Double, abs: Boolean, square: Boolean, factors: Option[PenaltyFactor])

/**
 * value = RN_F(Σ f_i·(c1·|w_i| + c2·w_i²)) and loss = RN_F(SSE/n + value formula) with exact
 * residuals and the exact integer n. The fast path combines the sums' [[Bounded]] forms and rounds
 * them by the monotone test; otherwise the exact path classifies the products and rounds the exact
 * BigDecimal value once.
 */
private[regpen] object Objective:
  /** A product's or a squared residual's kind; the result takes the worst. */
  private enum Kind:
    case Finite, Infinite, NaN

  private def worst(a: Kind, b: Kind): Kind = if a.ordinal >= b.ordinal then a else b

  // ------------------------------------------------------------ binary64

  def value(t: Terms, w: Array[Double]): Double =
    penalty(t, w).flatMap(_.round64).getOrElse {
      val f = t.factors.map(_.values)
      special(products(t, w, f, t.c1, t.c2)).getOrElse(Sums.toBinary64(exactPenalty(t, w, f, t.c1, t.c2)))
    }

  def loss(t: Terms, y: Array[Double], p: Array[Double], w: Array[Double]): Double =
    val fast = for sse <- Sums.squaredErrors(y, p); pen <- penalty(t, w); r <- (sse / y.length + pen).round64 yield r
    fast.getOrElse {
      val f = t.factors.map(_.values)
      special(lossKind(t, y, p, w, f, t.c1, t.c2))
        .getOrElse(Sums.toBinary64(exactLoss(t, y, p, w, f, t.c1, t.c2), y.length))
    }

  private def penalty(t: Terms, w: Array[Double]): Option[Bounded] =
    combine(
      Option.when(t.abs)(Sums.absSum(w, t.factors).map(_ * t.c1)),
      Option.when(t.square)(Sums.squareSum(w, t.factors).map(_ * t.c2))
    )

  /** The parts that exist, added; None when a part's sum was not finite. */
  private def combine(a: Option[Option[Bounded]], b: Option[Option[Bounded]]): Option[Bounded] =
    (a, b) match
      case (Some(x), Some(y)) => for u <- x; v <- y yield u + v
      case (Some(x), None) => x
      case (None, Some(y)) => y
      case (None, None) => Some(Bounded(0.0, 0.0, 0.0))

  // ------------------------------------------------------------ binary32

  /** Parameters and factors rounded once to binary32 (a parameter may become +inf). */
  def value(t: Terms, w: Array[Float]): Float =
    val (c1, c2) = (t.c1.toFloat.toDouble, t.c2.toFloat.toDouble)
    penalty32(t, w, c1, c2).flatMap(_.round32).getOrElse {
      val (wd, f) = (w.map(_.toDouble), t.factors.map(_.values32.map(_.toDouble)))
      special(products(t, wd, f, c1, c2)).map(_.toFloat).getOrElse(Sums.toBinary32(exactPenalty(t, wd, f, c1, c2)))
    }

  def loss(t: Terms, y: Array[Float], p: Array[Float], w: Array[Float]): Float =
    val (c1, c2) = (t.c1.toFloat.toDouble, t.c2.toFloat.toDouble)
    val fast = for sse <- Sums.squaredErrors(y, p); pen <- penalty32(t, w, c1, c2); r <- (sse / y.length + pen).round32 yield r
    fast.getOrElse {
      val (yd, pd, wd) = (y.map(_.toDouble), p.map(_.toDouble), w.map(_.toDouble))
      val f = t.factors.map(_.values32.map(_.toDouble))
      special(lossKind(t, yd, pd, wd, f, c1, c2)).map(_.toFloat)
        .getOrElse(Sums.toBinary32(exactLoss(t, yd, pd, wd, f, c1, c2), y.length))
    }

  private def penalty32(t: Terms, w: Array[Float], c1: Double, c2: Double): Option[Bounded] =
    if c1.isInfinite || c2.isInfinite then None
    else
      combine(
        Option.when(t.abs)(Sums.absSum(w, t.factors).map(_ * c1)),
        Option.when(t.square)(Sums.squareSum(w, t.factors).map(_ * c2))
      )

  // ------------------------------------------------------------ the exact path

  private def special(kind: Kind): Option[Double] = kind match
    case Kind.NaN => Some(Double.NaN)
    case Kind.Infinite => Some(Double.PositiveInfinity)
    case Kind.Finite => None

  /** A product of these factors: NaN with a NaN or with both 0 and ∞, ∞ with an ∞, else finite. */
  private def product(factors: Double*): Kind =
    if factors.exists(_.isNaN) then Kind.NaN
    else if factors.exists(_.isInfinite) then (if factors.exists(_ == 0.0) then Kind.NaN else Kind.Infinite)
    else Kind.Finite

  private def products(t: Terms, w: Array[Double], f: Option[Array[Double]], c1: Double, c2: Double): Kind =
    w.indices.iterator
      .map { i =>
        val fi = f.fold(1.0)(_(i))
        worst(if t.abs then product(c1, fi, w(i)) else Kind.Finite, if t.square then product(c2, fi, w(i)) else Kind.Finite)
      }
      .foldLeft(Kind.Finite)(worst)

  /** (y − p)² is NaN for a NaN or ∞ − ∞ of one sign, ∞ when one side is infinite. */
  private def residual(y: Double, p: Double): Kind =
    if y.isNaN || p.isNaN || (y.isInfinite && y == p) then Kind.NaN
    else if y.isInfinite || p.isInfinite then Kind.Infinite
    else Kind.Finite

  private def lossKind(t: Terms, y: Array[Double], p: Array[Double], w: Array[Double], f: Option[Array[Double]], c1: Double, c2: Double): Kind =
    y.indices.iterator.map(i => residual(y(i), p(i))).foldLeft(products(t, w, f, c1, c2))(worst)

  /** c1·Σ f|w| + c2·Σ f·w² exactly; every product is finite here (a zero sum skips an infinite c). */
  private def exactPenalty(t: Terms, w: Array[Double], f: Option[Array[Double]], c1: Double, c2: Double): Exact =
    def part(present: Boolean, c: Double, square: Boolean): Exact =
      if !present then Exact.ZERO
      else
        val s = Sums.exactSum(w, f, square)
        if s.signum == 0 then s else s.multiply(Exact(c))
    part(t.abs, c1, square = false).add(part(t.square, c2, square = true))

  /** n times the loss, exactly: SSE + n·penalty (the caller divides by n while rounding). */
  private def exactLoss(t: Terms, y: Array[Double], p: Array[Double], w: Array[Double], f: Option[Array[Double]], c1: Double, c2: Double): Exact =
    Sums.exactSquaredErrors(y, p).add(exactPenalty(t, w, f, c1, c2).multiply(Exact(y.length.toLong)))
