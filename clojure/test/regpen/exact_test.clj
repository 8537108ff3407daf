(ns regpen.exact-test
  "Unit tests of the correctly rounded sums: hand-checked hard cases (ties, double rounding,
  overflow, subnormals, specials) and the fast path against the exact path on random and
  adversarial arrays."
  (:require [clojure.test :refer [deftest is testing]]
            [regpen.exact :as exact]))

(defn- pow2 ^double [e] (Math/scalb 1.0 (int e)))

(defn- sum
  "The exact path's sum, after checking that the fast path gives the same bits. With :floats? the
  weights go in as a float array (the binary32 kernels read it in place)."
  [kind xs & {:keys [factors fmt floats?] :or {fmt :float64}}]
  (let [w (if floats? (float-array xs) (double-array xs))
        f (some-> factors double-array)
        exact (exact/exact-sum kind w f fmt)
        fast (exact/sum kind w f fmt)]
    ;; Both paths must give the same bits on every input; NaN equals NaN here.
    (is (or (= (Double/doubleToLongBits exact) (Double/doubleToLongBits fast)))
        (str "fast " fast " differs from exact " exact " for " kind " " (vec xs)))
    exact))

(deftest ties-round-to-even
  ;; 1 + 2^-53 is halfway between 1 and its successor: ties go to the even 1.
  (is (= 1.0 (sum :abs [1.0 (pow2 -53)])))
  ;; A tiny extra term breaks the tie upwards, however small.
  (is (= (+ 1.0 (pow2 -52)) (sum :abs [1.0 (pow2 -53) (pow2 -1074)])))
  ;; Left-to-right rounding would lose both halves; the exact sum keeps them.
  (is (= (+ 1.0 (pow2 -52)) (sum :abs [1.0 (pow2 -53) (pow2 -53)])))
  ;; Successor 1 + 2^-52 is odd, so its tie goes up to 1 + 2^-51.
  (is (= (+ 1.0 (pow2 -51)) (sum :abs [(+ 1.0 (pow2 -52)) (pow2 -53)]))))

(deftest float32-rounds-once
  ;; 1 + 2^-24 + 2^-60 lies just above the binary32 midpoint 1 + 2^-24. Rounding to binary64 first
  ;; would land on the midpoint and then tie to 1; rounding once gives 1 + 2^-23.
  (is (= (+ 1.0 (pow2 -23)) (sum :abs [1.0 (pow2 -24) (pow2 -60)] :fmt :float32)))
  (is (= 1.0 (sum :abs [1.0 (pow2 -24)] :fmt :float32)))
  ;; Binary32 overflows at MAX + half an ulp (2^128 − 2^103), where the tie goes to +inf.
  (is (= Float/MAX_VALUE (float (sum :abs [Float/MAX_VALUE (pow2 102)] :fmt :float32))))
  (is (= ##Inf (sum :abs [Float/MAX_VALUE (pow2 103)] :fmt :float32)))
  ;; The smallest binary32 subnormal is 2^-149; half of it ties to zero, a bit more rounds up.
  (is (= 0.0 (sum :abs [(pow2 -150)] :fmt :float32)))
  (is (= (pow2 -149) (sum :abs [(pow2 -150) (pow2 -200)] :fmt :float32))))

(deftest overflow-and-subnormals
  (is (= ##Inf (sum :abs [Double/MAX_VALUE Double/MAX_VALUE])))
  ;; MAX + half an ulp (2^970) is the overflow threshold: a tie that rounds to +inf.
  (is (= ##Inf (sum :abs [Double/MAX_VALUE (pow2 970)])))
  (is (= Double/MAX_VALUE (sum :abs [Double/MAX_VALUE (pow2 969)])))
  (is (= ##Inf (sum :squares [1e200])))
  ;; A square far below the smallest subnormal still counts in a sum (exactly), then rounds.
  (is (= 1.0 (sum :squares [1.0 1e-200])))
  (is (= (* 2 Double/MIN_VALUE) (sum :abs [Double/MIN_VALUE Double/MIN_VALUE])))
  (is (= Double/MIN_VALUE (sum :squares [(pow2 -537)])))
  (is (= 0.0 (sum :squares [(pow2 -538)])) "2^-1076 is below half the smallest subnormal")
  (is (= 0.0 (sum :abs [])) "the empty sum is +0")
  (is (= 0 (Double/doubleToRawLongBits (sum :abs [-0.0 0.0]))) "never −0"))

(deftest special-values
  (is (Double/isNaN (sum :abs [1.0 ##NaN ##Inf])) "NaN wins over +inf")
  (is (= ##Inf (sum :abs [1.0 ##-Inf])))
  (is (= ##Inf (sum :squares [##-Inf 2.0])))
  (testing "a zero factor on an infinite weight is the IEEE product 0·∞ = NaN"
    (is (Double/isNaN (sum :abs [##Inf 1.0] :factors [0.0 1.0])))
    (is (Double/isNaN (sum :squares [##Inf 1.0] :factors [0.0 1.0]))))
  (testing "an infinite factor (a finite binary64 factor rounded to binary32) on a zero weight"
    (is (Double/isNaN (sum :abs [0.0 1.0] :factors [##Inf 1.0] :fmt :float32)))
    (is (= ##Inf (sum :abs [2.0 1.0] :factors [##Inf 1.0] :fmt :float32)))))

(deftest factors-are-exact-products
  ;; 3·0.1 is not a double; the exact product 3·(0x1999999999999a·2^-56) enters the sum unrounded.
  (is (= (exact/round-dyadic (.multiply (biginteger 3) (biginteger 0x1999999999999a)) -56 :float64)
         (sum :abs [3.0] :factors [0.1])))
  (is (= 18.0 (sum :squares [7.0 -3.0] :factors [0.0 2.0])))
  (is (Double/isNaN (sum :squares [##NaN 1.0] :factors [0.0 1.0])) "a NaN weight is NaN at any factor"))

(defn- random-double
  "A double of random sign and significand with a binary exponent in [lo, hi)."
  ^double [^java.util.Random rng lo hi]
  (* (if (.nextBoolean rng) 1.0 -1.0)
     (Math/scalb (+ 1.0 (.nextDouble rng)) (int (+ lo (.nextInt rng (- hi lo)))))))

(deftest fast-path-matches-exact-path
  (let [rng (java.util.Random. 20261125)]
    (doseq [[label lo hi] [["ordinary" -3 3] ["wide" -300 300] ["huge" 900 1023]
                           ["tiny" -1070 -900] ["mixed" -1074 1023]]
            n [1 2 3 10 100 1000]
            kind [:abs :squares]
            factors? [false true]
            _ (range 4)]
      (let [xs (vec (repeatedly n #(random-double rng lo hi)))
            factors (when factors? (vec (repeatedly n #(Math/abs (random-double rng -4 4)))))]
        (sum kind xs :factors factors)
        ;; Binary32 data: widened floats, rounded once to binary32.
        (sum kind (map #(double (unchecked-float %)) xs)
             :factors (some->> factors (map #(double (unchecked-float %)))) :fmt :float32)
        (sum kind (map unchecked-float xs)
             :factors (some->> factors (map #(double (unchecked-float %)))) :fmt :float32
             :floats? true)))))

(deftest fast-path-defers-on-ties
  ;; On an exact tie no error bound can decide, so the fast path must give up (nil), and far from
  ;; any boundary it must not.
  (is (nil? (exact/fast-sum :abs (double-array [1.0 (pow2 -53)]) nil :float64)))
  (is (nil? (exact/fast-sum :abs (double-array [1.0 (pow2 -24)]) nil :float32)))
  (is (= 3.0 (exact/fast-sum :abs (double-array [1.0 2.0]) nil :float64))))

(deftest near-midpoints-fall-back-correctly
  ;; Sums placed exactly on, or a hair off, a rounding midpoint: the fast path must either be right
  ;; or defer to the exact path (which the `sum` helper checks on every call).
  (let [rng (java.util.Random. 7)]
    (dotimes [_ 300]
      (let [r (Math/abs (random-double rng -10 10))
            half (/ (Math/ulp r) 2.0)
            nudge (* half (Math/scalb 1.0 (int (- (.nextInt rng 60)))))
            parts [r half]]
        (sum :abs parts)
        (sum :abs (conj parts nudge))
        (sum :abs [r (- half nudge)])
        (sum :abs (shuffle (concat (repeat 5 (/ half 5.0)) [r nudge])))
        (let [f (double (unchecked-float r))
              half32 (/ (Math/ulp (unchecked-float f)) 2.0)]
          (sum :abs [f half32] :fmt :float32)
          (sum :abs [f half32 (Math/scalb half32 (int -40))] :fmt :float32))))))

(deftest long-arrays-on-exact-ties
  ;; 20000 weights that are integer multiples of 2^-40 below 1, so that their exact sum K·2^-40 is
  ;; known from integer arithmetic. The last weight is chosen to make K odd with the sum in
  ;; [2^13, 2^14), where binary64's spacing is 2^-39: the sum is then exactly halfway between two
  ;; doubles and must round to the one with an even significand.
  (let [rng (java.util.Random. 11)
        scale (pow2 -40)]
    (dotimes [_ 20]
      (let [ks (vec (repeatedly 20000 #(Math/floorMod (.nextLong rng) (bit-shift-left 1 40))))
            ks (conj ks (if (even? (reduce + ks)) 1 2))
            k (long (reduce + ks))
            ;; Top 53 bits of K (its bit length is 54 here) and the tie to even.
            half (quot k 2)
            even (if (even? half) half (inc half))
            w (map #(* scale (double %)) ks)]
        (is (odd? k))
        (is (= 54 (- 64 (Long/numberOfLeadingZeros k))) "the sum lies in [2^13, 2^14)")
        (is (= (* 2.0 scale (double even)) (sum :abs w)))
        ;; One more tiny weight breaks the tie upwards.
        (is (= (* 2.0 scale (double (inc half))) (sum :abs (conj (vec w) (pow2 -300)))))))))

(defn- bigdecimal-sum
  "An independent exact sum for the tests: BigDecimal is exact for doubles and their products. The
  total times 2^3222 is an integer (no term has a bit below 2^-3222), rounded once by round-dyadic."
  [kind xs factors fmt]
  (let [terms (map (fn [x f]
                     (let [x (.abs (BigDecimal. (double x)))
                           t (if (= kind :squares) (.multiply x x) x)]
                       (.multiply t (BigDecimal. (double f)))))
                   xs (or factors (repeat 1.0)))
        total (reduce #(.add ^BigDecimal %1 ^BigDecimal %2) BigDecimal/ZERO terms)]
    (exact/round-dyadic (.toBigIntegerExact (.multiply total (.pow (BigDecimal. 2) 3222)))
                        -3222 fmt)))

(deftest exact-path-matches-bigdecimal
  (let [rng (java.util.Random. 99)]
    (doseq [[lo hi] [[-3 3] [-1074 -1000] [-600 -500] [900 1023] [-1074 1023]]
            kind [:abs :squares]
            factors? [false true]
            fmt [:float64 :float32]
            _ (range 5)]
      (let [n (inc (.nextInt rng 50))
            xs (vec (repeatedly n #(random-double rng lo hi)))
            factors (when factors? (vec (repeatedly n #(Math/abs (random-double rng lo hi)))))
            expected (bigdecimal-sum kind xs factors fmt)
            actual (exact/exact-sum kind (double-array xs) (some-> factors double-array) fmt)]
        (is (= (Double/doubleToLongBits expected) (Double/doubleToLongBits actual))
            (str kind " " fmt " " xs " " factors))))))

(deftest two-threads-on-long-arrays
  ;; From 2^20 elements the fast path sums two halves on two threads. 2^21 multiples of 2^-40 with
  ;; an odd total K·2^-40 in [2^13, 2^14) make an exact tie, known from integer arithmetic.
  (let [rng (java.util.Random. 5)
        n (bit-shift-left 1 21)
        ks (long-array n)
        _ (dotimes [i n] (aset ks i (Math/floorMod (.nextLong rng) (bit-shift-left 1 33))))
        _ (when (even? (areduce ks i acc 0 (+ acc (aget ks i))))
            (aset ks (dec n) (inc (aget ks (dec n)))))
        k (areduce ks i acc 0 (+ acc (aget ks i)))
        scale (pow2 -40)
        w (double-array n)
        _ (dotimes [i n] (aset w i (* scale (double (aget ks i)))))
        half (quot k 2)]
    (is (= 54 (- 64 (Long/numberOfLeadingZeros k))) "the sum lies in [2^13, 2^14)")
    (is (nil? (exact/fast-sum :abs w nil :float64)) "no bound can decide a tie")
    (is (= (* 2.0 scale (double (if (even? half) half (inc half))))
           (exact/sum :abs w nil :float64)
           (exact/exact-sum :abs w nil :float64)))
    ;; Random normal weights: certified on two threads, and equal to the exact path.
    (dotimes [i n] (aset w i (.nextGaussian rng)))
    (doseq [kind [:abs :squares]]
      (let [fast (exact/fast-sum kind w nil :float64)]
        (is (some? fast))
        (is (= (exact/exact-sum kind w nil :float64) fast))))))

;; ---------------------------------------------------------------------------------------------
;; Spec 2.0: penalty values and losses rounded once

(defn- exact-rational [x] (rationalize (BigDecimal. (double x))))

(defn- rational-value
  "An independent exact value in Clojure ratios: Σ f_i·(c1·|w_i| + c2·w_i²) (+ SSE/n with y, p)."
  [c1 c2 w f & [y p]]
  (let [pen (reduce + 0 (map (fn [x fi]
                               (let [x (abs (exact-rational x)), fi (exact-rational fi)]
                                 (+ (if c1 (* (exact-rational c1) fi x) 0)
                                    (if c2 (* (exact-rational c2) fi x x) 0))))
                             w (or f (repeat 1.0))))]
    (if y
      (+ pen (/ (reduce + 0 (map #(let [r (- (exact-rational %1) (exact-rational %2))] (* r r)) y p))
                (count y)))
      pen)))

(defn- round-rational
  "RN_F of a rational v ≥ 0 through exact/round-quotient."
  [v fmt]
  (let [v (rationalize v)
        [n d] (if (ratio? v) [(numerator v) (denominator v)] [v 1])]
    (exact/round-quotient (biginteger n) 0 (biginteger d) fmt)))

(defn- same-bits? [a b] (= (Double/doubleToRawLongBits a) (Double/doubleToRawLongBits b)))

(deftest round-quotient-is-correct-rounding
  (is (= 0.6666666666666666 (exact/round-quotient (biginteger 2) 0 (biginteger 3) :float64)))
  (is (= (double (float (/ 2.0 3.0))) (exact/round-quotient (biginteger 2) 0 (biginteger 3) :float32)))
  (is (= 1.0 (exact/round-quotient (biginteger 1) 0 BigInteger/ONE :float64)))
  ;; (2^54 + 2)/2 = 2^53 + 1: a tie, to even 2^53; (2^54 + 3)/2 lies above it and rounds up.
  (is (= (pow2 53) (exact/round-quotient (.add (.shiftLeft BigInteger/ONE 54) (biginteger 2)) 0 (biginteger 2) :float64)))
  (is (= (+ (pow2 53) 2.0) (exact/round-quotient (.add (.shiftLeft BigInteger/ONE 54) (biginteger 3)) 0 (biginteger 2) :float64)))
  (is (= Double/MIN_VALUE (exact/round-quotient BigInteger/ONE -1074 (biginteger 1) :float64)))
  (is (= 0.0 (exact/round-quotient BigInteger/ONE -1074 (biginteger 2) :float64)) "half the smallest subnormal ties to 0")
  (is (= 0.0 (exact/round-quotient BigInteger/ONE -1074 (biginteger 3) :float64)) "a third of it rounds to 0")
  (is (= Double/MIN_VALUE (exact/round-quotient (biginteger 2) -1074 (biginteger 3) :float64)) "two thirds up"))

(deftest to-double-rounds-once
  (is (= 0.6666666666666666 (exact/to-double 2/3)))
  (is (= -0.6666666666666666 (exact/to-double -2/3)))
  (is (= 0.1 (exact/to-double 1/10)))
  (is (= 0.1 (exact/to-double 0.1M)))
  (is (= (pow2 53) (exact/to-double (inc (bigint (pow2 53))))))
  (is (= (pow2 53) (exact/to-double (biginteger (inc (bigint (pow2 53)))))))
  (is (= (pow2 53) (exact/to-double (inc (long (pow2 53))))) "long → double is round to nearest")
  (is (= ##Inf (exact/to-double 1e400M)))
  (is (= ##-Inf (exact/to-double -1e999999999M)))
  (is (= 0.0 (exact/to-double 1e-999999999M)))
  (is (nil? (exact/to-double "1")))
  (is (nil? (exact/to-double true))))

(deftest penalty-values-match-rationals
  ;; Fast and exact paths against an independent rational computation, on random data of every
  ;; magnitude, with and without factors, for L1-, L2- and elastic-net-shaped coefficients.
  (let [rng (java.util.Random. 20261201)]
    (doseq [[lo hi] [[-3 3] [-300 300] [-1074 -900] [900 1023] [-1074 1023]]
            [c1? c2?] [[true false] [false true] [true true]]
            factors? [false true]
            fmt [:float64 :float32]
            ;; Binary32 data beyond its range would be ±inf, not a finite case.
            :when (or (= fmt :float64) (<= hi 127))
            _ (range 3)]
      (let [n (inc (.nextInt rng 30))
            rnd32 (fn [x] (if (= fmt :float32) (double (unchecked-float x)) x))
            w (mapv #(rnd32 %) (repeatedly n #(random-double rng lo hi)))
            f (when factors? (mapv #(rnd32 (Math/abs ^double %)) (repeatedly n #(random-double rng -3 3))))
            c1 (when c1? (rnd32 (Math/abs (random-double rng -5 5))))
            c2 (when c2? (rnd32 (Math/abs (random-double rng -5 5))))
            wa (if (= fmt :float32) (float-array w) (double-array w))
            fa (some-> f double-array)
            v (rational-value c1 c2 w f)
            expected (round-rational v fmt)
            exact (exact/exact-penalty-value c1 c2 wa fa fmt)
            fast (exact/fast-penalty-value c1 c2 wa fa fmt)]
        (is (same-bits? expected exact) (str fmt " " c1 " " c2 " " w " " f))
        (is (or (nil? fast) (same-bits? expected fast)) (str "fast " fmt " " c1 " " c2 " " w))
        (is (same-bits? expected (exact/penalty-value c1 c2 wa fa fmt)))))))

(deftest losses-match-rationals
  (let [rng (java.util.Random. 1201)]
    (doseq [[lo hi] [[-3 3] [-60 60] [-600 -500] [400 500] [-1074 -1000]]
            fmt [:float64 :float32]
            :when (or (= fmt :float64) (<= hi 127))
            _ (range 6)]
      (let [n (inc (.nextInt rng 20))
            rnd32 (fn [x] (if (= fmt :float32) (double (unchecked-float x)) x))
            gen #(vec (repeatedly n (fn [] (rnd32 (random-double rng lo hi)))))
            y (gen)
            ;; Predictions near the targets make residuals with many cancelled bits.
            p (mapv #(if (.nextBoolean rng) (rnd32 (* % (+ 1.0 (* 1e-9 (.nextGaussian rng))))) %2) y (gen))
            w (gen)
            arr (if (= fmt :float32) float-array double-array)
            c1 (rnd32 0.01) c2 (rnd32 0.3)
            expected (round-rational (rational-value c1 c2 w nil y p) fmt)
            args [(arr y) (arr p) c1 c2 (arr w) nil fmt]
            fast (apply exact/fast-loss-value args)]
        (is (same-bits? expected (apply exact/exact-loss-value args)) (str fmt " " y " " p " " w))
        (is (or (nil? fast) (same-bits? expected fast)) (str "fast " fmt " " y " " p))
        (is (same-bits? expected (apply exact/loss-value args)))))))

(deftest fast-path-defers-on-scaled-ties
  ;; 0.5·(2 + 2^-52) = 1 + 2^-53 exactly: a tie no bound can decide.
  (is (nil? (exact/fast-penalty-value 0.5 nil (double-array [2.0 (pow2 -52)]) nil :float64)))
  (is (= 1.0 (exact/penalty-value 0.5 nil (double-array [2.0 (pow2 -52)]) nil :float64)))
  ;; SSE/n + c·S = 1 + 2^-53: a tie in the loss.
  (is (nil? (exact/fast-loss-value (double-array [1.0]) (double-array [0.0]) (pow2 -53) nil
                                   (double-array [1.0]) nil :float64)))
  ;; Far from any boundary the fast path answers, for the loss too.
  (let [rng (java.util.Random. 3)
        normal #(double-array (repeatedly 1000 (fn [] (.nextGaussian rng))))
        [y p w] [(normal) (normal) (normal)]]
    (is (= (exact/exact-loss-value y p 0.1 0.2 w nil :float64)
           (exact/fast-loss-value y p 0.1 0.2 w nil :float64))))
  (is (= 3.0 (exact/fast-penalty-value 0.5 1.0 (double-array [1.0 1.0]) nil :float64)) "0.5·2 + 1·2"))

(deftest special-values-per-product
  (let [v (fn [c1 c2 w & [f fmt]]
            (exact/penalty-value c1 c2 (double-array w) (some-> f double-array) (or fmt :float64)))]
    (is (Double/isNaN (v 1.0 0.0 [##Inf])) "P2 = 0·∞ even though P1 = ∞")
    (is (= ##Inf (v 1.0 nil [##Inf])) "an absent L2 part makes no product")
    (is (= ##Inf (v nil 1.0 [##Inf 0.0])))
    (is (Double/isNaN (v 0.0 nil [##Inf])))
    (is (= 1e200 (v 1.0 0.0 [1e200])) "0 × finite: an exact zero, whatever w² would be")
    (is (Double/isNaN (v ##Inf nil [0.0 1.0] nil :float32)) "lam32 = +inf on a zero weight")
    (is (= ##Inf (v ##Inf nil [2.0 1.0] nil :float32)))
    (is (Double/isNaN (v 1.0 nil [0.0] [##Inf] :float32)) "a factor rounded to +inf on w = 0")
    (is (= 0.0 (v ##Inf nil [] nil :float32)) "empty w contributes nothing"))
  (let [l (fn [y p] (exact/loss-value (double-array y) (double-array p) 1.0 nil (double-array 0) nil :float64))]
    (is (Double/isNaN (l [##Inf] [##Inf])) "∞ − ∞")
    (is (= ##Inf (l [##Inf] [##-Inf])))
    (is (= ##Inf (l [Double/MAX_VALUE] [(- Double/MAX_VALUE)])) "an overflowing residual overflows the mean")
    (is (Double/isNaN (l [1.0 ##Inf] [##NaN 0.0])) "NaN wins over +inf")))
