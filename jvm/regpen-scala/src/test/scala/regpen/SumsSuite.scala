// Unit tests of the Scala sums: the exact path's rounding, and the fast path against it.
package regpen

import java.math.BigDecimal as Exact
import scala.util.Random

class SumsSuite extends munit.FunSuite:
  private def bitsOf(x: Double) = java.lang.Double.doubleToRawLongBits(x)
  private def bitsOf(x: Float) = java.lang.Float.floatToRawIntBits(x)
  private def exact(x: Double*): Exact = x.foldLeft(Exact.ZERO)((s, v) => s.add(Exact(v)))

  test("ties round to even, and the overflow threshold rounds to +inf") {
    assertEquals(bitsOf(Sums.toBinary64(exact(Math.scalb(1.0, 53), 1.0))), bitsOf(Math.scalb(1.0, 53)))
    assertEquals(bitsOf(Sums.toBinary64(exact(Math.scalb(1.0, 53), 3.0))), bitsOf(Math.scalb(1.0, 53) + 4))
    assertEquals(Sums.toBinary64(exact(Double.MaxValue, java.lang.Math.ulp(Double.MaxValue) / 2)), Double.PositiveInfinity)
    assertEquals(Sums.toBinary64(exact(Double.MaxValue, java.lang.Math.ulp(Double.MaxValue) / 4)), Double.MaxValue)
    assertEquals(bitsOf(Sums.toBinary64(exact(Double.MinPositiveValue).multiply(Exact("0.5")))), 0L)
  }

  test("binary32 results are rounded once, not through binary64") {
    // 1 + 2^-24 + 2^-60 rounds through binary64 to the binary32 midpoint 1 + 2^-24, then to 1;
    // rounded once it is 1 + 2^-23.
    val s = exact(1.0, Math.scalb(1.0, -24), Math.scalb(1.0, -60))
    assertEquals(bitsOf(Sums.toBinary32(s)), bitsOf(1.0f + Math.scalb(1.0f, -23)))
    assertEquals(Sums.toBinary32(exact(Float.MaxValue.toDouble, Math.scalb(1.0, 103))), Float.PositiveInfinity)
  }

  test("the fast path agrees with exact sums near midpoints and on random data") {
    val rng = Random(3)
    for _ <- 0 until 300 do
      val base = 1.0 + rng.nextInt(1 << 20) * Math.scalb(1.0, -20)
      val k = 1 << (1 + rng.nextInt(10))
      val small = Array.fill(k)((if rng.nextBoolean() then 1 else -1) * java.lang.Math.ulp(base) / 2 / k)
      val w = rng.shuffle((base +: small :+ (rng.nextInt(3) - 1) * Math.scalb(1.0, -200)).toList).toArray
      val expected = Sums.toBinary64(exact(w.map(math.abs)*))
      assertEquals(bitsOf(L1(1.0).value(w)), bitsOf(expected))
    for _ <- 0 until 100 do
      val w = Array.fill(rng.nextInt(2000))(Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(400) - 200))
      val squares = w.foldLeft(Exact.ZERO)((s, x) => s.add(Exact(x).multiply(Exact(x))))
      assertEquals(bitsOf(L2(1.0).value(w)), bitsOf(Sums.toBinary64(squares)))
      val w32 = w.map(x => (x * 1e-30).toFloat)
      val abs32 = w32.foldLeft(Exact.ZERO)((s, x) => s.add(Exact(math.abs(x).toDouble)))
      assertEquals(bitsOf(L1(1.0).value(w32)), bitsOf(Sums.toBinary32(abs32)))
  }

  test("squares that underflow one by one still add up exactly") {
    val x = Math.scalb(1.0, -538)
    assertEquals(L2(1.0).value(Array(x, -x, x, x)), Double.MinPositiveValue)
  }

class ApiSuite extends munit.FunSuite:
  private def code(call: => Any): ErrorCode = intercept[RegpenError](call).code

  test("bad input gets the spec's codes") {
    assertEquals(code(L1(-1)), ErrorCode.InvalidLambda)
    assertEquals(code(ElasticNet(0.1, Double.NaN)), ErrorCode.InvalidLambda)
    assertEquals(code(L2(0.1).withPenaltyFactor(Array(1.0, Double.PositiveInfinity))), ErrorCode.InvalidPenaltyFactor)
    assertEquals(code(L1(0.1).prox(Array(1.0), Double.NaN)), ErrorCode.InvalidStep)
    assertEquals(code(L1(0.1).withPenaltyFactor(Array(1.0)).gradient(Array(1.0, 2.0))), ErrorCode.ShapeMismatch)
    assertEquals(code(Loss.computeLoss(Array.empty[Double], Array.empty[Double], Array(1.0), L1(1))), ErrorCode.EmptyInput)
    assertEquals(code(Penalty.fromConfig("""{"type": "l1", "lam": 0.1, "extra": 1}""")), ErrorCode.InvalidConfig)
    assertEquals(code(Conventions.fromGlmnet(0.1, -0.5)), ErrorCode.InvalidLambda)
    assertEquals(ErrorCode.InvalidConfig.id, "invalid_config")
  }

  test("configurations round-trip and negative zero is stored as +0") {
    val p = ElasticNet(0.1, 1.0 / 3).withPenaltyFactor(Array(0.0, 2.5))
    assertEquals(Penalty.fromConfig(p.toConfig), p)
    assertEquals(java.lang.Double.doubleToRawLongBits(L2(-0.0).lam), 0L)
  }

  test("the seed snippet drifts where regpen rounds once") {
    val tiny = Math.scalb(1.0, -53)
    val w = Array(1.0, tiny, -tiny)
    assertEquals(seed.SeedL1.l1Regularization(w, 1.0), 1.0)
    assertEquals(L1Regularization.l1Regularization(w, 1.0), 1.0 + 2 * tiny)
    assertEquals(seed.SeedL1.l1Regularization(Array(0.5, -0.3, 0.0, 1.2), 0.01), 0.02)
  }
