// The Scala training numerics of conformance/SPEC.md §7: centring, CD, ISTA/FISTA, the gap, the path.
package regpen

import java.math.BigInteger

/**
 * The centred problem (SPEC §7.2), stored by columns (Xc_ij at xc(j·n + i)), and its solvers. Each
 * reduction is one [[ExactDot]] rounded once; every other step is the spec's IEEE operation in its
 * order (the JVM never fuses a * b + c).
 */
private[regpen] final class Training(
    x: Array[Double], val n: Int, val p: Int, y: Array[Double], penalty0: Penalty,
    val fitIntercept: Boolean, val tol: Double):
  import Training.*

  private val acc = ExactDot()
  val xMean = new Array[Double](p)
  val xc = new Array[Double](n * p)
  for j <- 0 until p do
    if fitIntercept then
      acc.reset()
      for i <- 0 until n do acc.add(x(i * p + j))
      xMean(j) = acc.rounded(1, n, up = false)
    for i <- 0 until n do xc(j * n + i) = x(i * p + j) - xMean(j)
  val yMean: Double =
    if fitIntercept then
      acc.reset()
      y.foreach(acc.add)
      acc.rounded(1, n, up = false)
    else 0.0
  val yc: Array[Double] = y.map(_ - yMean)
  val colSq: Array[Double] = Array.tabulate(p) { j =>
    val fast = ExactDot.fastDot(0.0, xc, j * n, 1, xc, j * n, n, negate = false, 0.0, 0.0)
    if !fast.isNaN then fast else acc.reset().addDot(xc, j * n, 1, xc, j * n, n, 1).rounded()
  }
  val tau: Double = tol * acc.reset().addDot(yc, 0, 1, yc, 0, n, 1).rounded(2, n, up = false)

  var penalty: Penalty = penalty0
  var alpha: Array[Double] = Array.emptyDoubleArray
  var beta: Array[Double] = Array.emptyDoubleArray
  var denominator: Array[Double] = Array.emptyDoubleArray
  retarget(penalty0)

  /** Another penalty's α_j, β_j and d_j on the same centred data (a path's next point). */
  def retarget(pen: Penalty): Unit =
    penalty = pen
    val big = n.toDouble
    val half = big / 2.0
    val (c1, c2) = coefficients(pen)
    val f = pen.penaltyFactor.map(_.values)
    alpha = Array.tabulate(p)(j => (c1 * f.fold(1.0)(_(j))) * half)
    beta = Array.tabulate(p)(j => (c2 * f.fold(1.0)(_(j))) * big)
    denominator = Array.tabulate(p)(j => colSq(j) + beta(j))

  def residual(w: Array[Double]): Array[Double] =
    Array.tabulate(n) { i =>
      val fast = ExactDot.fastDot(yc(i), xc, i, n, w, 0, p, negate = true, 0.0, 0.0)
      if !fast.isNaN then fast else acc.reset().add(yc(i)).addDot(xc, i, n, w, 0, p, -1).rounded()
    }

  def columnDots(r: Array[Double]): Array[Double] =
    Array.tabulate(p) { j =>
      val fast = ExactDot.fastDot(0.0, xc, j * n, 1, r, 0, n, negate = false, 0.0, 0.0)
      if !fast.isNaN then fast else acc.reset().addDot(xc, j * n, 1, r, 0, n, 1).rounded()
    }

  /** SPEC §7.5: the Fenchel gap at w and θ = c·r, in F's units. */
  def gap(w: Array[Double], r: Array[Double], u: Array[Double]): Double =
    var c = 1.0
    for j <- 0 until p do
      val a = math.abs(u(j))
      if beta(j) == 0 && alpha(j) > 0 && a > alpha(j) then c = math.min(c, alpha(j) / a)
    acc.reset()
    for i <- 0 until n do
      acc.addProduct(1, 0.5, r(i), r(i))
      acc.addProduct(1, 0.5, c, c, r(i), r(i))
      acc.addProduct(-1, c, r(i), yc(i))
    for j <- 0 until p do
      acc.addProduct(alpha(j), math.abs(w(j)))
      acc.addProduct(1, 0.5, beta(j), w(j), w(j))
      val m = c * math.abs(u(j)) - alpha(j)
      if beta(j) > 0 && m > 0 then acc.add((m * m) / (2.0 * beta(j)))
    acc.rounded(2, n, up = false)

  def intercept(w: Array[Double]): Double =
    if fitIntercept then acc.reset().add(yMean).addDot(xMean, 0, 1, w, 0, p, -1).rounded() else 0.0

  /** Cyclic coordinate descent (SPEC §7.3); w is updated in place. */
  def coordinateDescent(w: Array[Double], maxIter: Int, record: Boolean): Outcome =
    val r = residual(w)
    val trajectory = Vector.newBuilder[Vector[Double]]
    var gapValue = Double.NaN
    var converged = false
    var k = 0
    while !converged && k < maxIter do
      k += 1
      var dwMax = 0.0
      var wMax = 0.0
      var j = 0
      while j < p do
        val old = w(j)
        val next =
          if colSq(j) == 0 then 0.0
          else
            val fast = ExactDot.fastDot(0.0, xc, j * n, 1, r, 0, n, negate = false, colSq(j), old)
            // NaN: the fast pass could not decide (or a special value); the exact accumulator does.
            val rho = if !fast.isNaN then fast
              else acc.reset().addDot(xc, j * n, 1, r, 0, n, 1).addProduct(colSq(j), old).rounded()
            soft(rho, alpha(j)) / denominator(j)
        val delta = old - next
        if delta != 0 && colSq(j) != 0 then
          val base = j * n
          var i = 0
          while i < n do
            r(i) = r(i) + xc(base + i) * delta
            i += 1
        w(j) = next
        // As Python's max(): a NaN never replaces the running maximum.
        if math.abs(delta) > dwMax then dwMax = math.abs(delta)
        if math.abs(next) > wMax then wMax = math.abs(next)
        j += 1
      if record then trajectory += w.toVector
      if wMax == 0 || dwMax / wMax <= tol || k == maxIter then
        gapValue = gap(w, r, columnDots(r))
        converged = gapValue <= tau
    Outcome(w, k, gapValue, converged, trajectory.result())

  /** ISTA, or FISTA when `accelerated` (SPEC §7.4). */
  def proximalGradient(w0: Array[Double], maxIter: Int, accelerated: Boolean, record: Boolean): Outcome =
    val big0 = acc.reset().addDot(xc, 0, 1, xc, 0, n * p, 1).rounded(2, n, up = false)
    val gamma = if big0 > 0 then 1.0 / big0 else 1.0
    val big = n.toDouble
    var w = w0
    var v = w0.clone()
    var t = 1.0
    val trajectory = Vector.newBuilder[Vector[Double]]
    var gapValue = Double.NaN
    var converged = false
    var k = 0
    while !converged && k < maxIter do
      k += 1
      val u = columnDots(residual(v))
      val z = Array.tabulate(p)(j => v(j) - gamma * ((-2.0 * u(j)) / big))
      val next = penalty.prox(z, gamma)
      if accelerated then
        val tNext = (1.0 + math.sqrt(1.0 + 4.0 * (t * t))) / 2.0
        val m = (t - 1.0) / tNext
        v = Array.tabulate(p)(j => next(j) + m * (next(j) - w(j)))
        t = tNext
      else v = next.clone()
      w = next
      if record then trajectory += w.toVector
      val r = residual(w)
      gapValue = gap(w, r, columnDots(r))
      converged = gapValue <= tau
    Outcome(w, k, gapValue, converged, trajectory.result())

  /**
   * lambda_max = RU(max_j 2·|Σ_i Xc_ij·yc_i| / (n·f_j·c1)) over f_j > 0 (SPEC §7.8), each
   * candidate an exact rational, compared by cross-multiplication and rounded upward once.
   */
  def lambdaMax(unit: Penalty): Double =
    val (c1, _) = coefficients(unit)
    if c1 == 0 then
      throw RegpenError(ErrorCode.InvalidArgument, "a penalty without an L1 part has no lambda_max: give the strengths")
    val f = unit.penaltyFactor.map(_.values)
    var best = (BigInteger.ZERO, BigInteger.ONE, 0)
    for j <- 0 until p do
      val fj = f.fold(1.0)(_(j))
      if fj > 0 then
        val (dm, de) = acc.reset().addDot(xc, j * n, 1, yc, 0, n, 1).exactTotal
        val (fm, fe) = ExactDot.decompose(fj)
        val (cm, ce) = ExactDot.decompose(c1)
        val candidate = (dm.abs.shiftLeft(1), BigInteger.valueOf(n).multiply(fm).multiply(cm), de - fe - ce)
        if compare(candidate, best) > 0 then best = candidate
    ExactDot.round(best._1, best._2, best._3, up = true)

private[regpen] object Training:
  /** The final w, iterations, gap, convergence and the recorded trajectory of one fit. */
  final case class Outcome(w: Array[Double], nIter: Int, gap: Double, converged: Boolean,
                           trajectory: Vector[Vector[Double]])

  def soft(x: Double, t: Double): Double =
    val d = math.abs(x) - t
    if d.isNaN then Double.NaN else if d > 0 then math.copySign(d, x) else math.copySign(0.0, x)

  /** SPEC §7's (c1, c2): the L1 and L2 parts of a penalty. */
  def coefficients(pen: Penalty): (Double, Double) = pen match
    case l: L1 => (l.lam, 0.0)
    case l: L2 => (0.0, l.lam)
    case e: ElasticNet => (e.l1, e.l2)

  /** P(s): every parameter of P(1) times s, its factors unchanged (SPEC §7.8). */
  def scaled(unit: Penalty, s: Double): Penalty =
    val p: Penalty = unit match
      case l: L1 => L1(s * l.lam)
      case l: L2 => L2(s * l.lam)
      case e: ElasticNet => ElasticNet(s * e.l1, s * e.l2)
    unit.penaltyFactor.fold(p)(f => p.withPenaltyFactor(f.values))

  /** Compares a/b·2^ea with c/d·2^ec (b, d > 0). */
  private def compare(x: (BigInteger, BigInteger, Int), y: (BigInteger, BigInteger, Int)): Int =
    var left = x._1.multiply(y._2)
    var right = y._1.multiply(x._2)
    if x._3 >= y._3 then left = left.shiftLeft(x._3 - y._3) else right = right.shiftLeft(y._3 - x._3)
    left.compareTo(right)

  /** q = RN(eps^(1/(K−1))), decided by exact powers of the midpoints to q's neighbours. */
  def geometricRatio(eps: Double, k: Int): Double =
    val steps = k - 1
    val (tm, te) = ExactDot.decompose(eps)
    /** ((a + b)/2)^steps compared with eps, exactly. */
    def comparePower(a: Double, b: Double): Int =
      val (m, e) = ExactDot().add(a).add(b).exactTotal
      var power = m.pow(steps)
      var target = tm
      val exp = (e.toLong - 1) * steps
      if exp >= te then power = power.shiftLeft((exp - te).toInt) else target = target.shiftLeft((te - exp).toInt)
      power.compareTo(target)
    var q = math.pow(eps, 1.0 / steps)
    var settled = false
    var attempts = 0
    while !settled do
      attempts += 1
      if attempts > 64 then throw IllegalStateException("the root did not settle") // pow is within a few ulps
      if comparePower(q, Math.nextDown(q)) > 0 then q = Math.nextDown(q)
      else if comparePower(q, Math.nextUp(q)) < 0 then q = Math.nextUp(q)
      else settled = true
    q
