// In-JVM timing of the Scala kernels, so that benchmarks compare kernels without the bridge cost.
package regpen

object KernelTimer:
  @volatile private var sink: Double = 0.0

  /** Warm-up before timing: long enough for C2 to compile the kernel, even at n = 1e3. */
  private val WarmupNanos = 300_000_000L

  /** Median seconds per call of `operation` ("value", "gradient" or "prox") over `repeats` calls. */
  def time(operation: String, penalty: Penalty, w: Array[Double], step: Double, repeats: Int): Double =
    median(repeats)(operation match
      case "value" => sink = penalty.value(w)
      case "gradient" => sink = penalty.gradient(w)(0)
      case "prox" => sink = penalty.prox(w, step)(0)
      case other => throw IllegalArgumentException(s"cannot time $other"))

  def time(operation: String, penalty: Penalty, w: Array[Float], step: Double, repeats: Int): Double =
    median(repeats)(operation match
      case "value" => sink = penalty.value(w)
      case "gradient" => sink = penalty.gradient(w)(0)
      case "prox" => sink = penalty.prox(w, step)(0)
      case other => throw IllegalArgumentException(s"cannot time $other"))

  /** Runs `op` untimed until compiled and cached, then `repeats` timed times. */
  private def median(repeats: Int)(op: => Unit): Double =
    require(repeats >= 1, "repeats must be >= 1")
    val deadline = System.nanoTime() + WarmupNanos
    var calls = 0
    while calls < 3 || System.nanoTime() < deadline do
      op
      calls += 1
    val seconds = Array.fill(repeats) {
      val start = System.nanoTime()
      op
      (System.nanoTime() - start) * 1e-9
    }.sorted
    if repeats % 2 == 1 then seconds(repeats / 2) else (seconds(repeats / 2 - 1) + seconds(repeats / 2)) / 2
