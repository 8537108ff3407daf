// The spec's error codes (conformance/SPEC.md §4) and the exception that carries them in Scala.
package regpen

/** One spec error code; `id` is the string every regpen language reports for it. */
enum ErrorCode(val id: String, val status: Int):
  case InvalidLambda extends ErrorCode("invalid_lambda", 1)
  case InvalidStep extends ErrorCode("invalid_step", 2)
  case ShapeMismatch extends ErrorCode("shape_mismatch", 3)
  case EmptyInput extends ErrorCode("empty_input", 4)
  case InvalidDtype extends ErrorCode("invalid_dtype", 5)
  case InvalidPenaltyFactor extends ErrorCode("invalid_penalty_factor", 6)
  case InvalidConfig extends ErrorCode("invalid_config", 7)
  case InvalidArgument extends ErrorCode("invalid_argument", 8)
  case NonFiniteInput extends ErrorCode("non_finite_input", 9)

/** Thrown for input the spec rejects. Unchecked, like every caller's mistake on the JVM. */
final class RegpenError(val code: ErrorCode, message: String, cause: Throwable | Null = null)
    extends IllegalArgumentException(s"[${code.id}] $message", cause)

private[regpen] object Checks:
  /** A penalty parameter: finite and ≥ 0, stored with −0 turned into +0. */
  def parameter(name: String, x: Double): Double =
    if !x.isFinite || x < 0.0 then
      throw RegpenError(ErrorCode.InvalidLambda, s"$name must be finite and >= 0, got $x")
    x + 0.0

  /**
   * A parameter as a constructor receives it: the companion has already turned −0 into +0, so a
   * −0 here comes from the constructor called directly (from Java), and is refused like any other
   * value the companion would not store.
   */
  def stored(name: String, x: Double): Unit =
    parameter(name, x)
    if java.lang.Double.doubleToRawLongBits(x) != java.lang.Double.doubleToRawLongBits(x + 0.0) then
      throw RegpenError(ErrorCode.InvalidLambda, s"$name must be +0, not -0 (build penalties with their companion's apply)")

  def stored(factors: Option[PenaltyFactor] | Null): Unit =
    if factors == null || factors.contains(null) then
      throw RegpenError(ErrorCode.InvalidDtype, "penaltyFactor must be None or Some(factors), got null")

  /** A null array is not an array of floats: invalid_dtype, as None is in Python. */
  def array(name: String, a: AnyRef | Null): Unit =
    if a == null then throw RegpenError(ErrorCode.InvalidDtype, s"$name must be an Array[Double] or Array[Float], got null")

  def penalty(p: Penalty | Null): Unit =
    if p == null then throw RegpenError(ErrorCode.InvalidDtype, "penalty must be an L1, L2 or ElasticNet, got null")

  /** w's dtype, then one factor per weight; returns w's length. */
  def weights(w: AnyRef | Null, factors: Option[PenaltyFactor]): Int =
    array("w", w)
    val n = java.lang.reflect.Array.getLength(w)
    factors.foreach(f => sameLength("penalty factor and w", f.length, n))
    n

  def step(x: Double): Unit =
    if !x.isFinite || x < 0.0 then
      throw RegpenError(ErrorCode.InvalidStep, s"step must be finite and >= 0, got $x")

  def sameLength(what: String, expected: Int, actual: Int): Unit =
    if expected != actual then
      throw RegpenError(ErrorCode.ShapeMismatch, s"$what must have equal lengths, got $expected and $actual")
