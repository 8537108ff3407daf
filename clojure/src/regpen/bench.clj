(ns regpen.bench
  "Timing inside the JVM, so that benchmarks measure regpen's kernels rather than the transfer of
  arrays from Python: `time-kernel` serves the harness adapter, `-main` compares the exact and the
  fast summation paths (`make clojure-bench`)."
  (:require [regpen.core :as rp]
            [regpen.exact :as exact]
            [regpen.seed :as seed]))

(set! *warn-on-reflection* true)

(def ^:private sink
  "Results land here so that the JIT cannot drop the calls being timed."
  (volatile! nil))

(defn- median [xs]
  (let [v (vec (sort xs))
        n (count v)]
    (if (odd? n)
      (double (v (quot n 2)))
      (/ (+ (double (v (dec (quot n 2)))) (double (v (quot n 2)))) 2.0))))

(defn time-fn
  "Median seconds per call of (f) over `repeats` samples, after a warm-up for the JIT. Fast calls
  are timed in batches of at least about 100 µs, so the clock's resolution does not matter."
  [f repeats]
  (let [start (System/nanoTime)]
    ;; Warm-up for the JIT: about 0.5 s of calls, at least one.
    (loop []
      (vreset! sink (f))
      (when (< (- (System/nanoTime) start) 500000000)
        (recur)))
    (let [t0 (System/nanoTime)
          _ (vreset! sink (f))
          once (max 1 (- (System/nanoTime) t0))
          batch (max 1 (quot 100000 once))]
      (median
       (for [_ (range (max 1 repeats))]
         (let [t (System/nanoTime)]
           (dotimes [_ batch] (vreset! sink (f)))
           (/ (- (System/nanoTime) t) 1e9 batch)))))))

(defn time-kernel
  "Median seconds per call of regpen.core's `operation` (\"value\", \"gradient\" or \"prox\") on
  penalty and weights w, measured in this JVM (the harness adapter's time_kernel)."
  [operation penalty w step repeats]
  (let [f (case (name operation)
            "value" #(rp/value penalty w)
            "gradient" #(rp/gradient penalty w)
            "prox" #(rp/prox penalty w step))]
    (time-fn f (long repeats))))

(defn- naive-abs-sum
  "Σ|w_i| left to right with one accumulator: fast, but not correctly rounded. For scale only."
  ^double [^doubles w]
  (loop [i 0, acc 0.0]
    (if (< i (alength w))
      (recur (inc i) (+ acc (Math/abs (aget w i))))
      acc)))

(defn- format-seconds [^double s]
  (cond (< s 1e-6) (format "%.0f ns" (* s 1e9))
        (< s 1e-3) (format "%.1f µs" (* s 1e6))
        (< s 1.0) (format "%.2f ms" (* s 1e3))
        :else (format "%.2f s" s)))

(defn -main
  "Prints, for L1 float64 at n = 1e3, 1e5, 1e7 on standard normal weights: the exact path, the fast
  path of the sum alone, spec 1.0's value fl(lam × RN(Σ|w_i|)) (the baseline of spec 2.0's speed
  floor), regpen.core/value (spec 2.0: RN(lam·Σ|w_i|)) and their ratio, beside a naive primitive loop
  and the seed's helper for scale."
  [& _]
  (let [rng (java.util.Random. 42)
        lam 0.01
        l1 (rp/l1 lam)
        spec1-value #(* lam (exact/sum :abs % nil :float64))
        small (double-array (repeatedly 10000 #(.nextGaussian rng)))]
    ;; Compile every path before the first measurement, so that n = 1e3 is not timed cold.
    (doseq [f [#(exact/exact-sum :abs small nil :float64) #(exact/sum :abs small nil :float64)
               #(spec1-value small) #(rp/value l1 small)]]
      (time-fn f 3))
    (println "| n | exact path Σ\\|w\\| | fast path Σ\\|w\\| | spec 1.0 value | (value (l1 0.01) w) | value / spec 1.0 | naive loop Σ\\|w\\| | seed helper | fast = exact |")
    (println "|---|---|---|---|---|---|---|---|---|")
    (doseq [n [1000 100000 10000000]]
      (let [w (double-array n)
            _ (dotimes [i n] (aset w i (.nextGaussian rng)))
            repeats (if (>= n 10000000) 7 21)
            exact-s (time-fn #(exact/exact-sum :abs w nil :float64) (if (>= n 10000000) 3 repeats))
            fast-s (time-fn #(exact/sum :abs w nil :float64) repeats)
            ;; The baseline and the value alternate, so that both see the same machine load.
            [spec1-s value-s] (apply map (fn [& xs] (median xs))
                                     (for [_ (range 3)]
                                       [(time-fn #(spec1-value w) repeats)
                                        (time-fn #(rp/value l1 w) repeats)]))
            naive-s (time-fn #(naive-abs-sum w) repeats)
            seed-s (time-fn #(seed/l1-regularization w lam) (if (>= n 10000000) 3 repeats))]
        (println (format "| %d | %s | %s | %s | %s | %.3f | %s | %s | %s |" n (format-seconds exact-s)
                         (format-seconds fast-s) (format-seconds spec1-s) (format-seconds value-s)
                         (/ value-s spec1-s) (format-seconds naive-s) (format-seconds seed-s)
                         (== (exact/exact-sum :abs w nil :float64) (exact/sum :abs w nil :float64))))))
    (shutdown-agents)))
