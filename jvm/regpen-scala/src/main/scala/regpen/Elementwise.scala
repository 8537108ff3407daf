// The elementwise steps of SPEC §3 (gradient and prox) for the Scala backend, one IEEE operation
// per spec step, in binary64 or binary32 as the input is.
package regpen

private[regpen] object Elementwise:

  /**
   * The L1 subgradient's sign rule: c for w > 0, −c for w < 0, +0 for ±0, NaN for NaN. As c ≥ 0
   * (or NaN), −c is copySign(c, w): no branch on the sign of w, which random weights mispredict.
   */
  def signed(w: Double, c: Double): Double =
    if w == 0 then 0.0 else if w.isNaN then Double.NaN else math.copySign(c, w)

  def signed(w: Float, c: Float): Float =
    if w == 0 then 0.0f else if w.isNaN then Float.NaN else math.copySign(c, w)

  /** Soft threshold: d = |w| − t; NaN stays NaN, d > 0 keeps w's sign, anything else is ±0. */
  def soft(w: Double, t: Double): Double =
    val d = math.abs(w) - t
    if d.isNaN then d else math.copySign(if d > 0 then d else 0.0, w)

  def soft(w: Float, t: Float): Float =
    val d = math.abs(w) - t
    if d.isNaN then d else math.copySign(if d > 0 then d else 0.0f, w)

  /** Coordinate i's multiple fl(x × f_i), or x itself without factors (a product by 1 is exact). */
  extension (x: Double) inline def times(f: Array[Double] | Null, i: Int): Double =
    if f == null then x else x * f(i)

  extension (x: Float) inline def times32(f: Array[Float] | Null, i: Int): Float =
    if f == null then x else x * f(i)

  /**
   * A new array from an elementwise rule; inlined, so no element is boxed (Array.tabulate would).
   * Every element is stored canonical: a NaN becomes the positive quiet NaN, whatever sign or
   * payload it got from an input or from x86's 0·∞ (0xfff8…).
   */
  inline def build(n: Int)(inline element: Int => Double): Array[Double] =
    val out = new Array[Double](n)
    var i = 0
    while i < n do
      val x = element(i)
      out(i) = if x.isNaN then Double.NaN else x
      i += 1
    out

  inline def build32(n: Int)(inline element: Int => Float): Array[Float] =
    val out = new Array[Float](n)
    var i = 0
    while i < n do
      val x = element(i)
      out(i) = if x.isNaN then Float.NaN else x
      i += 1
    out
