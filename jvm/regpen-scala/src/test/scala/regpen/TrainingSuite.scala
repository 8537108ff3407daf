// End-to-end Scala training: sparsity, prediction, errors; and ExactDot against exact BigDecimal.
package regpen

import java.math.BigDecimal
import scala.util.Random

class TrainingSuite extends munit.FunSuite:
  /** y depends on features 0 and 1 only; features 2..5 are noise. */
  private val (x, y) =
    val rng = Random(7)
    val xs = Array.fill(60, 6)(rng.nextGaussian())
    (xs, xs.map(r => 3.0 * r(0) - 2.0 * r(1) + 0.5 + 0.01 * rng.nextGaussian()))

  private def code(expected: ErrorCode)(call: => Any)(using munit.Location): Unit =
    val e = intercept[RegpenError](call)
    assertEquals(e.code, expected, e.getMessage)

  test("L1 drives the irrelevant weights to exactly zero; ridge keeps them") {
    val fit = Model(L1(0.1)).trainModel(x, y)
    assert(fit.converged, fit.convergenceMessage)
    assert(fit.coefficients(0) > 2.5 && fit.coefficients(1) < -1.5)
    (2 until 6).foreach(j => assertEquals(fit.coefficients(j), 0.0, s"feature $j"))
    assertEquals(fit.nonZeroCount, 2)
    assertEquals(fit.trajectory, Vector.empty)
    assertEqualsDouble(fit.predict(Array(1.0, 0, 0, 0, 0, 0)), fit.intercept + fit.coefficients(0), 1e-15)
    assertEquals(Model(L2(0.1)).trainModel(x, y).nonZeroCount, 6)
  }

  test("every solver finds the same support") {
    for s <- Solver.values do
      val fit = Model(ElasticNet(0.1, 0.01), s, maxIter = 5000).trainModel(x, y)
      assert(fit.converged, s"$s: ${fit.convergenceMessage}")
      assertEquals(fit.nonZeroCount, 2, s.id)
  }

  test("non-convergence is reported, not thrown") {
    val fit = Model(L1(0.01), Solver.ISTA, maxIter = 2, tol = 0.0, recordTrajectory = true).trainModel(x, y)
    assert(!fit.converged)
    assertEquals(fit.trajectory.length, 2)
    assert(fit.convergenceMessage.contains("after 2 iterations"))
  }

  test("bad input has the spec's codes") {
    code(ErrorCode.InvalidArgument)(Solver.of("newton"))
    code(ErrorCode.InvalidArgument)(Model(L1(0.1), maxIter = 0))
    code(ErrorCode.InvalidArgument)(Model(L1(0.1), tol = Double.NaN))
    code(ErrorCode.ShapeMismatch)(Model(L1(0.1)).trainModel(Array(Array(1.0, 2.0), Array(3.0)), Array(1.0, 2.0)))
    code(ErrorCode.ShapeMismatch)(Model(L1(0.1)).trainModel(Array(Array(1.0), Array(3.0)), Array(1.0)))
    code(ErrorCode.EmptyInput)(Model(L1(0.1)).trainModel(Array.empty[Array[Double]], Array.empty[Double]))
    code(ErrorCode.NonFiniteInput)(Model(L1(0.1)).trainModel(Array(Array(1.0), Array(Double.NaN)), Array(1.0, 2.0)))
    code(ErrorCode.InvalidLambda)(Model(L1(1.0)).path(Array(1.0, 2.0), 2, 1, Array(1.0, 2.0), Seq(1.0, 0.0)))
  }

  test("a path starts all zero at lambda_max and ends on the true support") {
    val flat = x.flatten
    val model = Model(L1(1.0))
    val path = model.path(flat, 60, 6, y, 20, 1e-3)
    assertEquals(path.strengths.head, model.lambdaMax(flat, 60, 6, y))
    assertEquals(path.coefs.head.count(_ != 0), 0)
    assertEquals(path.coefs.last.count(_ != 0), 2)
  }

  /** r is RN(exact·num/den): between the exact midpoints to its neighbours, even on a tie, +0 for 0. */
  private def assertRounded(exact: BigDecimal, num: Long, den: Long, r: Double): Unit =
    val target = exact.multiply(BigDecimal.valueOf(num))
    if exact.signum == 0 then assertEquals(java.lang.Double.doubleToRawLongBits(r), 0L, "exact zero is +0")
    else
      assert(!r.isInfinite, s"$exact overflowed")
      val v = BigDecimal(r)
      val two = BigDecimal.valueOf(2)
      val d = BigDecimal.valueOf(den)
      val lo = v.add(BigDecimal(Math.nextDown(r))).divide(two).multiply(d)
      val hi = v.add(BigDecimal(Math.nextUp(r))).divide(two).multiply(d)
      val (cl, ch) = (target.compareTo(lo), target.compareTo(hi))
      assert(cl >= 0 && ch <= 0, s"${exact} times $num/$den rounded to ${java.lang.Double.toHexString(r)}")
      if cl == 0 || ch == 0 then assertEquals(java.lang.Double.doubleToRawLongBits(r) & 1, 0L, "tie to even")

  test("ExactDot is the exact total rounded once: cancellation, subnormal and huge products, gap terms") {
    val rng = Random(3)
    def scaled(lo: Int, hi: Int) = Math.scalb(rng.nextDouble() - 0.5, lo + rng.nextInt(hi - lo))
    for trial <- 0 until 1200 do
      val acc = ExactDot()
      var exact = BigDecimal.ZERO
      def product(sign: Int, fs: Double*): Unit =
        acc.addProduct(sign, fs*)
        exact = exact.add(fs.map(BigDecimal(_)).foldLeft(BigDecimal.valueOf(sign))(_.multiply(_)))
      val n = 1 + rng.nextInt(20)
      for _ <- 0 until n do
        trial % 4 match
          case 0 => // cancellation: a product and its negation, split differently, plus a small term
            val (a, b) = (scaled(-40, 40), scaled(-40, 40))
            product(1, a, b); product(1, -2 * a, b / 2); product(1, scaled(-300, 0), 1.0)
          case 1 => product(1, scaled(-545, -495), scaled(-545, -495)) // products in the subnormal range
          case 2 => // products beyond binary64 that cancel back into it
            val (a, b) = (scaled(400, 1023), scaled(0, 600))
            product(1, a, b); product(-1, a, b); product(1, scaled(-20, 20), 1.0)
          case _ => product(if rng.nextBoolean() then 1 else -1, 0.5, scaled(-600, 1), scaled(-600, 1), scaled(-300, 300), scaled(-300, 300))
      assertRounded(exact, 1, 1, acc.rounded())
      assertRounded(exact, 2, 7, acc.rounded(2, 7, up = false))
  }

  test("the fast Dot2 pass is the exact dot rounded once whenever it answers, and answers ordinary dots") {
    val rng = Random(11)
    var answered = 0
    for trial <- 0 until 1200 do
      val n = 1 + rng.nextInt(60)
      val (a, b) = trial % 3 match
        case 0 => (Array.fill(n)(rng.nextDouble() - 0.5), Array.fill(n)(rng.nextDouble() - 0.5))
        case 1 => // near-cancelling pairs with a small remainder
          val u = Array.fill(n)(Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(80) - 40))
          (u ++ u.map(-_) :+ Math.scalb(rng.nextDouble(), -rng.nextInt(200)), Array.fill(2 * n + 1)(1.0 + rng.nextInt(3)))
        case _ => (Array.fill(n)(Math.scalb(rng.nextDouble() - 0.5, -rng.nextInt(1100))), Array.fill(n)(Math.scalb(rng.nextDouble(), -rng.nextInt(60))))
      val exact = a.indices.foldLeft(BigDecimal.ZERO)((s, i) => s.add(BigDecimal(a(i)).multiply(BigDecimal(b(i)))))
      val fast = ExactDot.fastDot(0.0, a, 0, 1, b, 0, a.length, negate = false, 0.0, 0.0)
      if !fast.isNaN then
        assertRounded(exact, 1, 1, fast)
        if trial % 3 == 0 then answered += 1
    assert(answered > 360, s"the fast pass answered only $answered of 400 ordinary dots")
  }

  test("ExactDot's special values follow SPEC §7.1") {
    assert(ExactDot().addProduct(0.0, Double.PositiveInfinity).rounded().isNaN)
    assert(ExactDot().add(Double.PositiveInfinity).add(Double.NegativeInfinity).rounded().isNaN)
    assertEquals(ExactDot().add(1.0).addProduct(-2.0, Double.PositiveInfinity).rounded(), Double.NegativeInfinity)
    assertEquals(ExactDot().addProduct(Math.scalb(1.0, 600), Math.scalb(1.0, 600)).rounded(), Double.PositiveInfinity)
    assertEquals(ExactDot().addProduct(Math.scalb(1.0, -600), Math.scalb(1.0, -600)).rounded(1, 3, up = true), Double.MinPositiveValue)
  }
