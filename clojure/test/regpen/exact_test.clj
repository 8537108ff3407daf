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
