(ns regpen.spec2-test
  "Spec 2.0's decisions (coord/SPEC2-DECISIONS.md) and the defects of issues 12 and 14, one test
  each: every assertion here failed on the spec-1.0 implementation. Expected values come from
  independent exact arithmetic (Clojure ratios) or are exact by construction."
  (:require [clojure.test :refer [deftest is testing]]
            [regpen.core :as rp]))

(defn- code
  "The :regpen/code of the error (thunk) throws, or :no-error."
  [thunk]
  (try (thunk) :no-error
       (catch clojure.lang.ExceptionInfo e (:regpen/code (ex-data e)))))

(defn- bits [x]
  (if (instance? Float x)
    (Float/floatToRawIntBits x)
    (Double/doubleToRawLongBits (double x))))

(defn- pow2 ^double [e] (Math/scalb 1.0 (int e)))

(defn- exact
  "The exact rational value of a double or float."
  [x]
  (rationalize (BigDecimal. (double x))))

(defn- nearest?
  "Whether the double q is RN64 of the rational v (ties to even): no neighbour is nearer, and on a
  tie q's significand is even."
  [v ^double q]
  (let [d (abs (- v (exact q)))
        below (abs (- v (exact (Math/nextDown q))))
        above (abs (- v (exact (Math/nextUp q))))]
    (and (<= d below) (<= d above)
         (or (and (< d below) (< d above)) (even? (Double/doubleToRawLongBits q))))))

(deftest one-rounding-of-the-exact-value
  (testing "decision A's examples"
    (let [v (rp/value (rp/l2 1e-100) [1e155])]
      (is (Double/isFinite v) "no overflow of Σw² on the way: the exact value is about 1e210")
      (is (nearest? (* (exact 1e-100) (exact 1e155) (exact 1e155)) v)))
    (is (= 1e200 (rp/value (rp/elastic-net 1 0) [1e200])) "P2 = 0·1e400 is an exact 0")
    (is (= (bits ##NaN) (bits (rp/value (rp/elastic-net 1 0) [##Inf]))) "P2 = 0·∞")
    (is (= (bits ##NaN) (bits (rp/value (rp/l1 0) [##Inf]))))
    (is (= ##Inf (rp/value (rp/l1 1) [##Inf])))
    (let [loss (rp/compute-loss (repeat 4 1e154) [0.0 0.0 0.0 0.0] [] (rp/l1 1))]
      (is (Double/isFinite loss) "the MSE is about 1e308, the SSE alone would overflow")
      (is (nearest? (exact (* 1e154 1e154)) loss) "(4·x²)/4 is x² exactly, rounded once")))
  (testing "lam·S rounded once, not fl(lam × RN(S))"
    ;; S = 1 + 2^-53 rounds to 1 (a tie), so spec 1.0 gave fl(0.1 × 1) = 0.1; the exact
    ;; 0.1·(1 + 2^-53) lies above the midpoint between 0.1 and its successor.
    (let [v (rp/value (rp/l1 0.1) [1.0 (pow2 -53)])]
      (is (= (Math/nextUp 0.1) v))
      (is (nearest? (* (exact 0.1) (+ 1 (exact (pow2 -53)))) v))))
  (testing "elastic net: both parts combined before the one rounding"
    ;; 0.5·(2 + 2^-52) = 1 + 2^-53 alone is a tie (to 1); the L2 part 2^-1000·w² breaks it upwards.
    (is (= 1.0 (rp/value (rp/l1 0.5) [2.0 (pow2 -52)])))
    (is (= (Math/nextUp 1.0) (rp/value (rp/elastic-net 0.5 (pow2 -1000)) [2.0 (pow2 -52)]))))
  (testing "float32: one rounding to binary32, not through binary64"
    ;; lam32 = 1 + 2^-23, S = 1 + 2^-24 (exact in binary32 sums): the product
    ;; 1 + 2^-23 + 2^-24 + 2^-47 is just above a binary32 midpoint. RN32(S) = 1 (tie) would give
    ;; 1 + 2^-23; the exact value rounds up to 1 + 2^-22.
    (let [lam (+ 1.0 (pow2 -23))
          v (rp/value (rp/l1 lam) (float-array [1.0 (pow2 -24)]))]
      (is (instance? Float v))
      (is (= (float (+ 1.0 (pow2 -22))) v))))
  (testing "the loss: exact residuals, exact n, one rounding"
    ;; r = 1 − (−2^-53) = 1 + 2^-53 exactly; fl(r) = 1 would give a loss of 1.
    (is (= (+ 1.0 (pow2 -52)) (rp/compute-loss [1.0] [(- (pow2 -53))] [] (rp/l1 1))))
    ;; A residual whose low part has the other sign (the cross term 2·r_hi·r_lo is negative).
    (let [p (- (+ (pow2 -53) (pow2 -80)))
          loss (rp/compute-loss [1.0] [p] [] (rp/l1 1))
          r (- 1 (exact p))]
      (is (nearest? (* r r) loss)))
    ;; MSE 1 plus 2^-53·1: a tie, to even (1.0); with 3 samples the mean is exact SSE/3.
    (is (= 1.0 (rp/compute-loss [1.0] [0.0] [1.0] (rp/l1 (pow2 -53)))))
    (let [y [1.0 0.3 -2.5] p [0.1 0.0 1e-17] w [0.7 -1.1]
          loss (rp/compute-loss y p w (rp/elastic-net 0.01 0.02))
          sse (reduce + (map #(let [r (- (exact %1) (exact %2))] (* r r)) y p))
          pen (reduce + (map #(+ (* (exact 0.01) (abs (exact %))) (* (exact 0.02) (exact %) (exact %))) w))]
      (is (nearest? (+ (/ sse 3) pen) loss)))))

(deftest canonical-nans
  (let [neg-nan (Double/longBitsToDouble (unchecked-long 0xfff8000000000001))
        neg-nan32 (Float/intBitsToFloat (unchecked-int 0xffc00001))
        canonical (bits ##NaN)
        canonical32 (bits Float/NaN)]
    (is (= 0x7ff8000000000000 canonical))
    (is (= 0x7fc00000 canonical32))
    (doseq [p [(rp/l1 0.5) (rp/l2 0.5) (rp/elastic-net 0.5 0.5)]]
      (testing (str p)
        (is (= canonical (bits (rp/value p [1.0 neg-nan]))))
        (is (= [canonical] (map bits (rp/gradient p [neg-nan]))))
        (is (= [canonical] (map bits (rp/prox p [neg-nan] 0.5))))
        (is (= canonical (bits (rp/compute-loss [neg-nan] [0.0] [] p))))
        (is (= canonical32 (bits (rp/value p (float-array [neg-nan32])))))
        (is (= [canonical32] (map bits (rp/gradient p (float-array [neg-nan32])))))
        (is (= [canonical32] (map bits (rp/prox p (float-array [neg-nan32]) 0.5))))))
    (testing "NaNs made inside: 0·∞ in a gradient and a prox"
      ;; lam = 1e300 is +inf in binary32; with a zero factor c_i = ∞·0.
      (let [p (rp/l2 1e300 :penalty-factor [0])]
        (is (= [canonical32] (map bits (rp/gradient p (float-array [1.0])))))))
    (testing "prox with step 0 and lam32 = +inf (decision C): t = 0·∞ = NaN everywhere"
      (is (= [canonical32 canonical32]
             (map bits (rp/prox (rp/l1 1e300) (float-array [1.0 -2.0]) 0.0)))))
    (testing "a float32 step beyond binary32's range is +inf, not an error"
      (is (= [0 (bits (float -0.0))]
             (map bits (rp/prox (rp/l1 1.0) (float-array [1.0 -2.0]) 1e300)))))))

(deftest integers-and-ratios-are-numbers
  (is (= 0.6666666666666666 (rp/value (rp/l1 2/3) [1.0])) "issue 12 item 5: RN64(2/3)")
  (is (= 0.6666666666666666 ((rp/config (rp/l1 2/3)) "lam")))
  (is (= 0.6666666666666666 (rp/value (rp/l1 1) [2/3])))
  (is (= 3.0 (rp/value (rp/l1 1) [1 -2])) "Longs are float64 input")
  (is (instance? Double (rp/value (rp/l1 1) [1 -2])))
  (is (= 3.0 (rp/value (rp/l1 1) (long-array [1 -2]))))
  (is (= 3.0 (rp/value (rp/l1 1) [1.0 -2])) "Longs and Doubles mix: both are float64")
  (is (= (pow2 53) (rp/value (rp/l1 1) [(inc (bigint (Math/pow 2 53)))])) "2^53 + 1 ties to even")
  (is (= (+ (pow2 53) 4.0) (rp/value (rp/l1 1) [(+ (bigint (Math/pow 2 53)) 3)])) "a tie, to even")
  (is (= ##Inf (rp/value (rp/l1 1) [(bigint (.pow (biginteger 10) 400))])))
  (is (= [2.0 -4.0] (rp/gradient (rp/l2 1) [1 -2])) "a vector of doubles back")
  (is (= 1.0 (rp/compute-loss [1 2] [0 3] [] (rp/l1 1))))
  (is (= [0.3333333333333333] (rp/prox (rp/l2 0) [1/3] 1)) "ratios, and a Long step")
  (is (= :invalid-dtype (code #(rp/compute-loss [1] [(float 1)] [] (rp/l1 1))))
      "Longs are float64, so they do not mix with Floats"))

(deftest nil-and-foreign-arguments-are-spec-errors
  (is (= :invalid-dtype (code #(rp/value (rp/l1 1) nil))) "issue 12 item 7: nil is not []")
  (is (= :invalid-dtype (code #(rp/gradient (rp/l1 1) nil))))
  (is (= :invalid-dtype (code #(rp/value (rp/l1 1) [1.0 nil]))))
  (is (= :invalid-dtype (code #(rp/compute-loss [1.0] [1.0] [] nil))) "not a bare IAE")
  (is (= :invalid-dtype (code #(rp/value {:lam 1.0} [1.0]))))
  (is (= :invalid-dtype (code #(rp/compute-loss nil [1.0] [] (rp/l1 1)))))
  (is (re-find #"penalty.*nil" (try (rp/compute-loss [1.0] [1.0] [] nil)
                                    (catch Exception e (ex-message e))))))

(deftest penalties-are-immutable-and-validated
  (let [w [0.5 -0.3 0.0 1.2]]
    (is (nil? (resolve 'regpen.core/->L1)) "no positional factory that skips the checks")
    (is (nil? (resolve 'regpen.core/map->L1)))
    (is (nil? (resolve 'regpen.core/->ElasticNet)))
    (is (not (map? (rp/l1 0.1))))
    (is (thrown? Exception (assoc (rp/l1 0.1) :lam -5.0)) "issue 12 item 1: no assoc")
    (is (nil? (:lam (rp/l1 0.1))) "no map interface")
    (testing "the JVM constructor (public for any deftype) builds a penalty that never computes"
      (let [bad (regpen.core.L1. -5.0 nil)]
        (is (= :invalid-lambda (code #(rp/value bad w))))
        (is (= :invalid-lambda (code #(rp/gradient bad w))))
        (is (= :invalid-lambda (code #(rp/prox bad w 1.0))))
        (is (= :invalid-lambda (code #(rp/compute-loss [1.0] [1.0] w bad))))
        (is (= :invalid-lambda (code #(rp/to-config bad)))))
      (is (= :invalid-lambda (code #(rp/value (regpen.core.ElasticNet. 1.0 ##NaN nil) w))))
      (is (= :invalid-penalty-factor
             (code #(rp/value (regpen.core.L2. 1.0 [1.0 -1.0 1.0 1.0]) w)))))
    (is (= (rp/l1 0.1 :penalty-factor [1 2]) (rp/l1 0.1 :penalty-factor [1.0 2.0])) "value equality")
    (is (= (hash (rp/l2 0.5)) (hash (rp/l2 0.5))))
    (is (not= (rp/l1 0.5) (rp/l2 0.5)))))

(deftest configuration-edge-cases
  (let [deep (str "{\"type\": \"l1\", \"lam\": 1, \"penalty_factor\": "
                  (apply str (repeat 100000 "[")) (apply str (repeat 100000 "]")) "}")]
    (is (= :invalid-config (code #(rp/from-config deep)))
        "issue 12 item 5: no StackOverflowError"))
  (is (= :invalid-config (code #(rp/from-config "{\"type\": \"l1\", \"lam\": 1, \"lam\": 2}")))
      "duplicate keys")
  (is (= :invalid-config (code #(rp/from-config "{\"type\": \"l1\", \"type\": \"l1\", \"lam\": 1}"))))
  (is (= :invalid-config (code #(rp/from-config "{\"type\": [\"l1\"], \"lam\": 0.1}"))))
  (is (= :invalid-config (code #(rp/from-config "{\"type\": \"l1\", \"lam\": true}"))))
  (is (= :invalid-config (code #(rp/from-config "{\"type\": \"l1\", \"lam\": 1, \"penalty_factor\": [true]}"))))
  (is (= :invalid-config (code #(rp/from-config nil))))
  (is (= :invalid-config (code #(rp/from-config 5))))
  (is (= :invalid-config (code #(rp/from-config "{\"type\": \"l1\", \"lam\": {\"a\": 1, \"a\": 2}}"))))
  (let [too-deep? #'regpen.core/json-too-deep?
        brackets (apply str (repeat 100 "["))]
    (is (not (too-deep? (str "[\"" brackets "\"]"))) "brackets inside strings do not count")
    (is (not (too-deep? (str "[\"\\\"" brackets "\"]"))) "nor after an escaped quote")
    (is (too-deep? (str "[\"\\\\\"" brackets "\"]")) "an escaped backslash ends no string"))
  (testing "integers of any size, read exactly and rounded once"
    (is (= (pow2 53) ((rp/config (rp/from-config "{\"type\": \"l1\", \"lam\": 9007199254740993}")) "lam")))
    (is (= (+ (pow2 53) 4.0)
           ((rp/config (rp/from-config "{\"type\": \"l1\", \"lam\": 9007199254740995}")) "lam")))
    (is (= :invalid-lambda
           (code #(rp/from-config (str "{\"type\": \"l1\", \"lam\": 1" (apply str (repeat 5000 "0")) "}"))))
        "a 5000-digit integer is +inf in binary64")
    (is (= :invalid-lambda (code #(rp/from-config "{\"type\": \"l1\", \"lam\": 1e999999999}"))))
    (is (= 0.0 ((rp/config (rp/from-config "{\"type\": \"l1\", \"lam\": 1e-999999999}")) "lam")))
    ;; 2^-1075 + 2^-1200 is just above half the smallest subnormal: it rounds up, not to 0.
    (is (= Double/MIN_VALUE
           ((rp/config (rp/from-config
                        (str "{\"type\": \"l1\", \"lam\": "
                             (let [min (BigDecimal. Double/MIN_VALUE)]
                               (.toPlainString (.add (.divide min (BigDecimal. 2))
                                                     (.divide min (BigDecimal. (.pow (biginteger 2) 126))))))
                             "}"))) "lam"))))
  (testing "an empty factor list is valid and matches only empty weights"
    (let [p (rp/from-config "{\"type\": \"l2\", \"lam\": 1, \"penalty_factor\": []}")]
      (is (= [] ((rp/config p) "penalty_factor")))
      (is (= 0.0 (rp/value p [])))
      (is (= :shape-mismatch (code #(rp/value p [1.0]))))
      (is (= p (rp/from-config (rp/to-config p)))))))

(deftest l1-regularization-keeps-float32
  (let [v (rp/l1-regularization (float-array [0.5 -1.5]) 0.1)]
    (is (instance? Float v) "decision A: float32 in, float32 out")
    (is (= (rp/value (rp/l1 0.1) (float-array [0.5 -1.5])) v)))
  (is (instance? Double (rp/l1-regularization [0.5 -1.5] 0.1))))
