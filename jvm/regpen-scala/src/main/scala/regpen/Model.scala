// The seed's Model.trainModel(trainingData, labels) in Scala (SPEC §7): immutable case classes.
package regpen

/** How a [[Model]] minimizes the objective (SPEC §7.3–§7.4). */
enum Solver(val id: String):
  /** Cyclic coordinate descent (scikit-learn's and glmnet's algorithm), the default. */
  case CD extends Solver("cd")
  /** Proximal gradient with the penalty's prox and step 1/L. */
  case ISTA extends Solver("ista")
  /** Accelerated proximal gradient (Beck–Teboulle). */
  case FISTA extends Solver("fista")

object Solver:
  /** The solver with the spec name `name`; invalid_argument for any other. */
  def of(name: String): Solver =
    values.find(_.id == name).getOrElse(
      throw RegpenError(ErrorCode.InvalidArgument, s"solver must be one of cd, ista, fista, got '$name'"))

/**
 * A training configuration: fit `ŷ = X·w + b` with `penalty`. Options are checked when the model is
 * built, so a bad option fails before any data is read (SPEC §7.6's order). Bad input throws
 * [[RegpenError]] with the spec's code, like the penalties.
 *
 * {{{
 * val fit = Model(L1(0.1)).trainModel(x, y)
 * }}}
 *
 * A fit that stops at `maxIter` without converging is returned with `converged = false` and logged
 * as a WARNING on the `System.Logger` "regpen.Model" (the JVM has no warnings channel; the flag lets
 * the caller decide, and the logger reaches the application's logging backend without a dependency).
 */
final case class Model(
    penalty: Penalty,
    solver: Solver = Solver.CD,
    fitIntercept: Boolean = true,
    maxIter: Int = 1000,
    tol: Double = 1e-4,
    recordTrajectory: Boolean = false):
  if maxIter < 1 then throw RegpenError(ErrorCode.InvalidArgument, s"maxIter must be >= 1, got $maxIter")
  if !tol.isFinite || tol < 0 then throw RegpenError(ErrorCode.InvalidArgument, s"tol must be finite and >= 0, got $tol")

  /** Fits the rows of `trainingData` (n × p, rectangular) to `labels`, optionally warm-started. */
  def trainModel(trainingData: Array[Array[Double]], labels: Array[Double]): TrainedModel =
    trainModel(trainingData, labels, None)

  def trainModel(trainingData: Array[Array[Double]], labels: Array[Double], initial: Option[Array[Double]]): TrainedModel =
    val n = trainingData.length
    val p = if n == 0 then 0 else trainingData(0).length
    trainingData.zipWithIndex.foreach { (row, i) =>
      if row.length != p then
        throw RegpenError(ErrorCode.ShapeMismatch,
          s"trainingData must be rectangular: row 0 has $p values, row $i has ${row.length}")
    }
    trainModel(trainingData.flatten, n, p, labels, initial)

  /** Fits X given row-major (`x.length == n·p`) to `labels`. */
  def trainModel(x: Array[Double], n: Int, p: Int, labels: Array[Double], initial: Option[Array[Double]]): TrainedModel =
    Model.checkData(x, n, p, labels, penalty)
    initial.foreach(w => Checks.sameLength("initial coefficients and features", p, w.length))
    fit(Training(x, n, p, labels, penalty, fitIntercept, tol), initial.fold(new Array[Double](p))(_.clone()), None)

  /** A path over given strengths (SPEC §7.8): P(s) scales every parameter of `penalty` by s. */
  def path(x: Array[Double], n: Int, p: Int, labels: Array[Double], strengths: Seq[Double]): RegularizationPath =
    if strengths.isEmpty then throw RegpenError(ErrorCode.InvalidLambda, "strengths must not be empty")
    strengths.zipWithIndex.foreach { (s, k) =>
      if !s.isFinite || !(s > 0) then
        throw RegpenError(ErrorCode.InvalidLambda, s"strengths must be finite and > 0, got $s at index $k")
    }
    Model.checkData(x, n, p, labels, penalty)
    runPath(Training(x, n, p, labels, penalty, fitIntercept, tol), strengths.toVector)

  /** A path over `nStrengths` strengths from lambda_max down by the ratio eps^(1/(K−1)), eps in (0, 1). */
  def path(x: Array[Double], n: Int, p: Int, labels: Array[Double], nStrengths: Int = 100, eps: Double = 1e-3): RegularizationPath =
    if nStrengths < 1 then throw RegpenError(ErrorCode.InvalidArgument, s"nStrengths must be >= 1, got $nStrengths")
    if !(eps > 0 && eps < 1) then throw RegpenError(ErrorCode.InvalidLambda, s"eps must be in (0, 1), got $eps")
    Model.checkData(x, n, p, labels, penalty)
    val problem = Training(x, n, p, labels, penalty, fitIntercept, tol)
    val top = problem.lambdaMax(penalty)
    if top == 0 then
      throw RegpenError(ErrorCode.InvalidLambda, "lambda_max is 0 (y is constant or orthogonal to X): give the strengths")
    val q = if nStrengths > 1 then Training.geometricRatio(eps, nStrengths) else 1.0
    runPath(problem, Vector.iterate(top, nStrengths)(_ * q))

  /** lambda_max of `penalty` on (X, y): the smallest strength whose fit is all zero. */
  def lambdaMax(x: Array[Double], n: Int, p: Int, labels: Array[Double]): Double =
    Model.checkData(x, n, p, labels, penalty)
    Training(x, n, p, labels, penalty, fitIntercept, tol).lambdaMax(penalty)

  private def runPath(problem: Training, strengths: Vector[Double]): RegularizationPath =
    var warm = new Array[Double](problem.p)
    val fits = strengths.map { s =>
      problem.retarget(Training.scaled(penalty, s))
      val f = fit(problem, warm, Some(s))
      warm = f.coefficients.toArray
      f
    }
    RegularizationPath(strengths, fits.map(_.coefficients), fits.map(_.intercept), fits.map(_.nIter), fits.map(_.gap))

  private def fit(problem: Training, w: Array[Double], strength: Option[Double]): TrainedModel =
    val out = solver match
      case Solver.CD => problem.coordinateDescent(w, maxIter, recordTrajectory)
      case s => problem.proximalGradient(w, maxIter, s == Solver.FISTA, recordTrajectory)
    val result = TrainedModel(out.w.toVector, problem.intercept(out.w), out.nIter, out.gap, out.converged,
      problem.tau, out.trajectory)
    if !result.converged then
      Model.log.log(System.Logger.Level.WARNING,
        strength.fold("")(s => s"strength $s: ") + result.convergenceMessage)
    result

object Model:
  private val log = System.getLogger("regpen.Model")

  /** SPEC §7.6's data checks, in order: shapes, empty input, non-finite values. */
  private[regpen] def checkData(x: Array[Double], n: Int, p: Int, y: Array[Double], penalty: Penalty): Unit =
    if n < 0 || p < 0 || n.toLong * p != x.length || y.length != n then
      throw RegpenError(ErrorCode.ShapeMismatch,
        s"X must be n × p = $n × $p (${x.length} values given) and y must have n values, got ${y.length}")
    penalty.penaltyFactor.foreach { f =>
      if f.length != p then
        throw RegpenError(ErrorCode.ShapeMismatch, s"penalty_factor has ${f.length} entries for $p features")
    }
    if n == 0 || p == 0 then
      throw RegpenError(ErrorCode.EmptyInput, s"X has shape $n × $p; training needs at least one sample and one feature")
    x.indices.find(k => !x(k).isFinite).foreach { k =>
      throw RegpenError(ErrorCode.NonFiniteInput, s"X contains ${x(k)} at (${k / p}, ${k % p}); training needs finite data")
    }
    y.indices.find(i => !y(i).isFinite).foreach { i =>
      throw RegpenError(ErrorCode.NonFiniteInput, s"y contains ${y(i)} at index $i; training needs finite data")
    }

/**
 * A fitted linear model `ŷ = X·w + b` (SPEC §7.6): the coefficients, the intercept (+0 without
 * one), the iterations, the final duality gap (NaN if never computed), whether `gap ≤ tolerance`,
 * the tolerance τ, and w after every iteration when the model recorded it.
 */
final case class TrainedModel(
    coefficients: Vector[Double],
    intercept: Double,
    nIter: Int,
    gap: Double,
    converged: Boolean,
    tolerance: Double,
    trajectory: Vector[Vector[Double]]):

  /** ŷ = RN(b + Σ_j x_j·w_j) for one row (SPEC §7.7). */
  def predict(row: Array[Double]): Double =
    Checks.sameLength("row and coefficients", coefficients.length, row.length)
    val w = coefficients.toArray
    val fast = ExactDot.fastDot(intercept, row, 0, 1, w, 0, row.length, negate = false, 0.0, 0.0)
    if !fast.isNaN then fast else ExactDot().add(intercept).addDot(row, 0, 1, w, 0, row.length, 1).rounded()

  def predict(rows: Array[Array[Double]]): Array[Double] = rows.map(predict)

  /** The number of nonzero coefficients (L1's support size). */
  def nonZeroCount: Int = coefficients.count(_ != 0)

  /** The non-convergence warning: the iterations, the gap and its ratio to the tolerance. */
  def convergenceMessage: String =
    val ratio = if tolerance > 0 then gap / tolerance else Double.PositiveInfinity
    String.format(java.util.Locale.ROOT,
      "not converged after %d iterations: duality gap %.3e is %.3g times the tolerance %.3e; " +
        "raise maxIter, loosen tol, or standardize the features",
      Int.box(nIter), Double.box(gap), Double.box(ratio), Double.box(tolerance))

/** One fit per strength, in the order fitted (SPEC §7.8). */
final case class RegularizationPath(
    strengths: Vector[Double],
    coefs: Vector[Vector[Double]],
    intercepts: Vector[Double],
    nIters: Vector[Int],
    gaps: Vector[Double])
