// Spec 2.0's rules tested directly on the Scala backend: one rounding of the scaled and combined
// value and of the loss, per-product specials, canonical NaNs, nulls, check order, hostile configs,
// and constructors that validate however they are reached.
package regpen

import java.lang.reflect.InvocationTargetException
import java.math.BigDecimal as Exact
import scala.util.Random

class Spec2Suite extends munit.FunSuite:
  private val Nan64 = 0x7ff8000000000000L
  private val Nan32 = 0x7fc00000
  private def bitsOf(x: Double) = java.lang.Double.doubleToRawLongBits(x)
  private def bitsOf(x: Float) = java.lang.Float.floatToRawIntBits(x)
  private def code(call: => Any): ErrorCode = intercept[RegpenError](call).code
  private def ex(x: Double) = Exact(x)

  /** c1·Σ f|w| + c2·Σ f·w², exactly, with BigDecimal (the suite's own arithmetic). */
  private def exactValue(c1: Double, c2: Double, w: Array[Double], f: Array[Double] | Null = null): Exact =
    w.indices.foldLeft(Exact.ZERO) { (s, i) =>
      val fi = if f == null then Exact.ONE else ex(f(i))
      val a = ex(math.abs(w(i)))
      s.add(fi.multiply(ex(c1).multiply(a).add(ex(c2).multiply(a).multiply(a))))
    }

  test("the issue's examples are exact values rounded once") {
    assertEquals(bitsOf(L2(1e-100).value(Array(1e155))), bitsOf(Sums.toBinary64(exactValue(0, 1e-100, Array(1e155)))))
    assert(L2(1e-100).value(Array(1e155)).isFinite)
    assertEquals(ElasticNet(1, 0).value(Array(1e200)), 1e200)
    val y = Array.fill(4)(1e154)
    val loss = Loss.computeLoss(y, new Array[Double](4), Array.empty[Double], L1(1))
    assertEquals(bitsOf(loss), bitsOf(Sums.toBinary64(exactValue(0, 1, y), 4)))
    assert(loss.isFinite)
  }

  test("special values are decided per product") {
    val inf = Double.PositiveInfinity
    assertEquals(bitsOf(ElasticNet(1, 0).value(Array(inf))), Nan64)
    assertEquals(bitsOf(L1(0).value(Array(inf))), Nan64)
    assertEquals(L1(1).value(Array(-inf)), inf)
    assertEquals(bitsOf(L2(1).value(Array.empty[Double])), 0L)
    val big = L1(1).withPenaltyFactor(Array(1e39))
    assertEquals(bitsOf(big.value(Array(0f))), Nan32)
    assertEquals(big.value(Array(1f)), Float.PositiveInfinity)
    assertEquals(bitsOf(L1(1e39).value(Array.empty[Float])), 0)
    val none = Array.empty[Double]
    assertEquals(bitsOf(Loss.computeLoss(Array(inf), Array(inf), none, L1(1))), Nan64)
    assertEquals(Loss.computeLoss(Array(inf), Array(-inf), none, L1(1)), inf)
    val negativeNaN = java.lang.Double.longBitsToDouble(0xfff8000000000123L)
    assertEquals(bitsOf(L1(1).value(Array(negativeNaN))), Nan64)
  }

  test("scaled and combined values, and losses, match the exact value") {
    val rng = Random(37)
    for _ <- 0 until 300 do
      val n = rng.nextInt(150)
      val spread = 1 + rng.nextInt(300)
      val w = Array.fill(n)(Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(2 * spread) - spread))
      val f = Array.fill(n)(if rng.nextInt(4) == 0 then 0.0 else Math.scalb(rng.nextDouble(), rng.nextInt(40) - 20))
      def coefficient() =
        if rng.nextBoolean() then Math.scalb(1.0, rng.nextInt(600) - 300) else Math.scalb(rng.nextDouble(), rng.nextInt(600) - 300)
      val (c1, c2) = (coefficient(), coefficient())
      assertEquals(bitsOf(ElasticNet(c1, c2).value(w)), bitsOf(Sums.toBinary64(exactValue(c1, c2, w))))
      assertEquals(bitsOf(ElasticNet(c1, c2).withPenaltyFactor(f).value(w)), bitsOf(Sums.toBinary64(exactValue(c1, c2, w, f))))
      assertEquals(bitsOf(L1(c1).value(w)), bitsOf(Sums.toBinary64(exactValue(c1, 0, w))))
      val w32 = Array.fill(n)(Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(120) - 60).toFloat)
      val d = Math.scalb(rng.nextDouble(), rng.nextInt(60) - 30).toFloat.toDouble
      assertEquals(bitsOf(ElasticNet(d, d).value(w32)), bitsOf(Sums.toBinary32(exactValue(d, d, w32.map(_.toDouble)))))
      if n > 0 then
        val p = Array.fill(n)(Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(160) - 80))
        val y = Array.fill(n)(Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(160) - 80))
        val wl = Array(rng.nextDouble(), -rng.nextDouble())
        val sse = y.indices.foldLeft(Exact.ZERO)((s, i) => s.add(ex(y(i)).subtract(ex(p(i))).pow(2)))
        val total = sse.add(exactValue(c1, c1, wl).multiply(Exact(n.toLong)))
        assertEquals(bitsOf(Loss.computeLoss(y, p, wl, ElasticNet(c1, c1))), bitsOf(Sums.toBinary64(total, n)))
  }

  test("a tie of the combined value rounds to even, and a tiny term breaks it") {
    assertEquals(ElasticNet(1, Math.scalb(1.0, -53)).value(Array(1.0)), 1.0)
    assertEquals(ElasticNet(1, Math.scalb(1.0, -53)).value(Array(1.0, Math.scalb(1.0, -600))), 1.0 + Math.scalb(1.0, -52))
    assertEquals(L1(1).value(Array(1f, Math.scalb(1f, -24))), 1f)
    assertEquals(L1(1).value(Array(1f, Math.scalb(1f, -24), Math.scalb(1f, -60))), 1f + Math.scalb(1f, -23))
  }

  test("l1Regularization keeps float32 as float32") {
    val r: Float = L1Regularization.l1Regularization(Array(0.5f, -0.25f), 0.1)
    assertEquals(bitsOf(r), bitsOf(L1(0.1).value(Array(0.5f, -0.25f))))
  }

  test("every NaN output is the positive quiet NaN") {
    val payload = java.lang.Double.longBitsToDouble(0xfff4000000000abcL)
    for p <- List(L1(0.5), L2(0.5), ElasticNet(0.5, 0.25)) do
      assertEquals(bitsOf(p.gradient(Array(payload, 1.0))(0)), Nan64, p.toString)
      assertEquals(bitsOf(p.prox(Array(payload, 1.0), 0.5)(0)), Nan64, p.toString)
      val w32 = Array(java.lang.Float.intBitsToFloat(0xffa00001), 1f)
      assertEquals(bitsOf(p.gradient(w32)(0)), Nan32, p.toString)
      assertEquals(bitsOf(p.prox(w32, 0.5)(0)), Nan32, p.toString)
    assertEquals(bitsOf(L1(1e39).prox(Array(1f), 0.0)(0)), Nan32)
    assertEquals(bitsOf(L2(1e39).prox(Array(1f), 0.0)(0)), Nan32)
    assertEquals(bitsOf(L2(1e39).withPenaltyFactor(Array(0.0)).gradient(Array(1f))(0)), Nan32)
  }

  test("nulls are invalid_dtype, not NullPointerExceptions") {
    val p = L1(0.1)
    assertEquals(code(p.value(null: Array[Double])), ErrorCode.InvalidDtype)
    assertEquals(code(p.value(null: Array[Float])), ErrorCode.InvalidDtype)
    assertEquals(code(p.gradient(null: Array[Double])), ErrorCode.InvalidDtype)
    assertEquals(code(p.prox(null: Array[Float], 1.0)), ErrorCode.InvalidDtype)
    assertEquals(code(p.withPenaltyFactor(null)), ErrorCode.InvalidDtype)
    assertEquals(code(Loss.computeLoss(Array(1.0), Array(1.0), Array.empty[Double], null)), ErrorCode.InvalidDtype)
    assertEquals(code(Loss.computeLoss(null, Array(1.0), Array.empty[Double], p)), ErrorCode.InvalidDtype)
    assertEquals(code(Penalty.fromConfig(null)), ErrorCode.InvalidConfig)
  }

  test("checks run in the spec's order") {
    val p = L1(0.1).withPenaltyFactor(Array(1.0, 1.0))
    assertEquals(code(p.prox(null: Array[Double], -1.0)), ErrorCode.InvalidDtype)
    assertEquals(code(p.prox(Array(1.0), -1.0)), ErrorCode.InvalidStep)
    assertEquals(code(Loss.computeLoss(Array(1.0), Array(1.0, 2.0), Array(1.0), p)), ErrorCode.ShapeMismatch)
    assertEquals(code(Loss.computeLoss(Array.empty[Double], Array.empty[Double], Array(1.0), p)), ErrorCode.EmptyInput)
    assertEquals(code(Loss.computeLoss(Array(1.0), Array(1.0), Array(1.0), p)), ErrorCode.ShapeMismatch)
  }

  test("hostile configurations are invalid_config or the constructor's code") {
    def read(json: String) = code(Penalty.fromConfig(json))
    assertEquals(read("""{"type": "l1", "lam": 0.1, "lam": 0.2}"""), ErrorCode.InvalidConfig)
    assertEquals(read("""{"type": ["l1"], "lam": 0.1}"""), ErrorCode.InvalidConfig)
    assertEquals(read("""{"type": "l1", "lam": false}"""), ErrorCode.InvalidConfig)
    assertEquals(read("""{"type": "l1", "lam": 1, "penalty_factor": """ + "[" * 100000 + "]" * 100000 + "}"), ErrorCode.InvalidConfig)
    assertEquals(read("""{"a":""" * 100000 + "1" + "}" * 100000), ErrorCode.InvalidConfig)
    assertEquals(read("""{"type": "l1", "lam": 1""" + "0" * 5000 + "}"), ErrorCode.InvalidLambda)
    assertEquals(Penalty.fromConfig("""{"type": "l1", "lam": 9007199254740993}"""), L1(Math.scalb(1.0, 53)))
    assertEquals(Penalty.fromConfig("""{"type": "l1", "lam": 9007199254740995}"""), L1(Math.scalb(1.0, 53) + 4))
    val empty = Penalty.fromConfig("""{"type": "l2", "lam": 1, "penalty_factor": []}""")
    assertEquals(empty.value(Array.empty[Double]), 0.0)
    assertEquals(code(empty.value(Array(1.0))), ErrorCode.ShapeMismatch)
  }

  test("the constructors validate even when called directly, as Java can") {
    // Scala's `private` constructor is public in bytecode; this is `new regpen.L1(-5.0, None$.MODULE$)`.
    def build(cls: Class[?], args: AnyRef*): Throwable =
      val ctor = cls.getDeclaredConstructors.find(_.getParameterCount == args.length).get
      intercept[InvocationTargetException](ctor.newInstance(args*)).getCause
    def codeOf(t: Throwable) = t match
      case e: RegpenError => e.code
      case other => fail(s"expected a RegpenError, got $other")
    assertEquals(codeOf(build(classOf[L1], Double.box(-5.0), None)), ErrorCode.InvalidLambda)
    assertEquals(codeOf(build(classOf[L2], Double.box(Double.NaN), None)), ErrorCode.InvalidLambda)
    assertEquals(codeOf(build(classOf[L1], Double.box(-0.0), None)), ErrorCode.InvalidLambda)
    assertEquals(codeOf(build(classOf[ElasticNet], Double.box(1.0), Double.box(-1.0), None)), ErrorCode.InvalidLambda)
    assertEquals(codeOf(build(classOf[L1], Double.box(1.0), null)), ErrorCode.InvalidDtype)
    assertEquals(code(new PenaltyFactor(Array(-1.0))), ErrorCode.InvalidPenaltyFactor)
  }

  test("messages name the parameter, the value and the rule") {
    val m = intercept[RegpenError](ElasticNet(0.1, -2)).getMessage
    assert(m.contains("l2") && m.contains("-2.0") && m.contains(">= 0"), m)
    val c = intercept[RegpenError](Penalty.fromConfig("""{"type": "l3", "lam": 1}""")).getMessage
    assert(c.contains("type") && c.contains("l3"), c)
  }
