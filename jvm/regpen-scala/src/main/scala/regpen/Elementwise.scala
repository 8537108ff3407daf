// The elementwise steps of SPEC §3 (gradient and prox) for the Scala backend, one IEEE operation
// per spec step, in binary64 or binary32 as the input is.
package regpen

private[regpen] object Elementwise:

  /** The L1 subgradient's sign rule: c for w > 0, −c for w < 0, +0 for ±0, NaN for NaN. */
  def signed(w: Double, c: Double): Double =
    if w > 0 then c else if w < 0 then -c else if w == 0 then 0.0 else Double.NaN

  def signed(w: Float, c: Float): Float =
    if w > 0 then c else if w < 0 then -c else if w == 0 then 0.0f else Float.NaN

  /** Soft threshold: d = |w| − t; NaN stays NaN, d > 0 keeps w's sign, anything else is ±0. */
  def soft(w: Double, t: Double): Double =
    val d = math.abs(w) - t
    if d.isNaN then d else math.copySign(if d > 0 then d else 0.0, w)

  def soft(w: Float, t: Float): Float =
    val d = math.abs(w) - t
    if d.isNaN then d else math.copySign(if d > 0 then d else 0.0f, w)

  /** Coordinate i's multiple fl(x × f_i), or x itself without factors (a product by 1 is exact). */
  extension (x: Double) def times(f: Option[PenaltyFactor], i: Int): Double =
    f.fold(x)(pf => x * pf.values(i))

  extension (x: Float) def times32(f: Option[PenaltyFactor], i: Int): Float =
    f.fold(x)(pf => x * pf.values32(i))
