(ns regpen.dot-test
  "regpen.dot's sums against exact rational arithmetic: every result must be the exact value rounded
  once (RN64, ties to even), on inputs built to break the fast path: cancellation down to a few
  bits, sums on a rounding midpoint, products that underflow or overflow, expansions that overflow,
  and the special values of SPEC §7.1."
  (:require [clojure.test :refer [deftest is testing]]
            [regpen.dot :as dot])
  (:import (java.math BigInteger)
           (java.util Random)
           (regpen.dot Accumulator)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; The reference: exact rationals, rounded by comparing with the two neighbouring doubles.

(defn- exact [^double x]
  (let [m (bigint (dot/significand x)) e (dot/exponent x)]
    (if (neg? e) (/ m (bigint (.shiftLeft BigInteger/ONE (int (- e)))))
        (* m (bigint (.shiftLeft BigInteger/ONE (int e)))))))

(def ^:private max-finite (exact Double/MAX_VALUE))
(def ^:private overflow-threshold
  "MAX + half an ulp: from here on RN64 is +inf."
  (+ max-finite (/ (- (exact Double/MAX_VALUE) (exact (Math/nextDown Double/MAX_VALUE))) 2)))

(defn- rn
  "RN64 of an exact rational q, found independently of regpen.dot: start from a nearby double and
  step to the nearest neighbour, ties to the even significand. An exact zero is +0."
  ^double [q]
  (cond
    (zero? q) 0.0
    (neg? q) (- (rn (- q)))
    (>= q overflow-threshold) ##Inf
    :else
    (let [guess (min Double/MAX_VALUE (double q))]  ; within a few ulps of the answer
      (loop [x guess]
        (let [down (Math/nextDown x) up (Math/nextUp x)]
          (cond
            (and (< (exact x) q) (< up ##Inf) (< (- (exact up) q) (- q (exact x)))) (recur up)
            (and (> (exact x) q) (>= down 0.0) (< (- q (exact down)) (- (exact x) q))) (recur down)
            ;; x is nearest; on a tie with a neighbour, keep the even one.
            :else
            (let [other (cond (and (< (exact x) q) (< up ##Inf) (= (- (exact up) q) (- q (exact x)))) up
                              (and (> (exact x) q) (= (- q (exact down)) (- (exact x) q))) down)]
              (if (and other (odd? (dot/significand x))) other x))))))))

(defn- sum-products
  "RN64(Σ a_i·b_i) with regpen.dot."
  ^double [as bs]
  (let [^Accumulator acc (dot/accumulator)]
    (doseq [[a b] (map vector as bs)] (.addProduct acc (double a) (double b)))
    (.rounded acc)))

(defn- exact-products [as bs]
  (reduce + 0 (map #(* (exact %1) (exact %2)) as bs)))

(defn- bits [^double x] (Double/doubleToRawLongBits x))

(defn- check-dot [as bs]
  (let [q (exact-products as bs)]
    (is (= (bits (rn q)) (bits (sum-products as bs)))
        (str "Σ a·b of " (vec as) " and " (vec bs)))))

;; ---------------------------------------------------------------------------------------------
;; Tests

(deftest reference-rounding-sanity
  (is (= 0.1 (rn 1/10)))
  (is (= (/ 1.0 3.0) (rn 1/3)))
  ;; 1 + 2^-53 is half-way between 1 and 1 + 2^-52: ties to even gives 1.
  (is (= 1.0 (rn (+ 1 (exact (Math/scalb 1.0 (int -53))))))))

(deftest cancellation
  (testing "large products cancelling to a remainder of a few bits"
    (check-dot [1e300 -1e300 1e-300] [1e8 1e8 3.0])
    (check-dot [0.1 -0.1 0.3] [0.1 0.1 1e-20])
    (let [a (Math/scalb 1.0 (int 60))]
      (check-dot [a a (- a) 1.0] [a 1.0 a (Math/scalb 1.0 (int -80))])))
  (testing "x·x − y·y with x, y adjacent doubles: only the error terms are left"
    (let [x 1.0000000000000002 y 1.0]
      (check-dot [x y] [x (- y)])))
  (testing "random dot products whose terms cancel: a·b, −a·b', small noise"
    (let [rng (Random. 20261201)]
      (dotimes [_ 300]
        (let [n (inc (.nextInt rng 12))
              as (repeatedly n #(Math/scalb (- (.nextDouble rng) 0.5) (int (- (.nextInt rng 80) 40))))
              bs (repeatedly n #(Math/scalb (- (.nextDouble rng) 0.5) (int (- (.nextInt rng 80) 40))))
              ;; Append every product negated with its factors perturbed by one ulp.
              as' (concat as (map #(- (Math/nextUp (double %))) as))
              bs' (concat bs bs)]
          (check-dot as' bs'))))))

(deftest midpoints
  (testing "sums exactly half-way between two doubles round to the even one"
    (check-dot [1.0 (Math/scalb 1.0 (int -53))] [1.0 1.0])
    (check-dot [1.0 (Math/scalb 1.0 (int -53)) (Math/scalb 1.0 (int -200))] [1.0 1.0 1.0])
    (check-dot [1.0 (Math/scalb 1.0 (int -53)) (Math/scalb -1.0 (int -200))] [1.0 1.0 1.0])
    (check-dot [1.0000000000000002 (Math/scalb 1.0 (int -53))] [1.0 1.0])
    (check-dot [1.0 (Math/scalb 3.0 (int -54))] [-1.0 -1.0])))

(deftest underflow-and-overflow
  (testing "products below the FMA-safe range and subnormal results take the exact path"
    (check-dot [1e-200 1e-200] [1e-200 -3e-201])
    (check-dot [Double/MIN_VALUE 1e-300] [0.5 1e-10])
    (check-dot [(Math/scalb 1.0 (int -537)) (Math/scalb 3.0 (int -540))] [(Math/scalb 1.0 (int -537)) -1.0])
    (check-dot [3e-160 -1e-160] [1e-160 3e-160]))
  (testing "products and partial sums beyond binary64's range"
    (check-dot [1e300 -1e300] [1e300 1e300])                       ; exact total 0
    (check-dot [1e300 -1e300 1.0] [1e300 9.999999999999999e299 2.0])
    (check-dot [1e308 1e308 -1e308] [1.0 1.0 1.0])                 ; the expansion overflows
    (check-dot [1e308 1e308] [1.0 1.0])                             ; the total overflows: +inf
    (check-dot [Double/MAX_VALUE (Math/ulp Double/MAX_VALUE)] [1.0 0.5]) ; MAX + ½ulp: a tie to +inf
    (check-dot [Double/MAX_VALUE (Math/ulp Double/MAX_VALUE)] [1.0 0.25])))

(deftest random-ranges
  (testing "random signed dot products over the whole exponent range"
    (let [rng (Random. 7)]
      (dotimes [_ 300]
        (let [n (inc (.nextInt rng 10))
              draw #(* (if (.nextBoolean rng) 1.0 -1.0)
                       (Math/scalb (+ 1.0 (.nextDouble rng)) (int (- (.nextInt rng 2000) 1000))))
              as (repeatedly n draw)
              bs (repeatedly n draw)]
          (check-dot as bs))))))

(deftest many-factor-terms
  (testing "products of up to five factors (the duality gap's ½·c·c·r·r) are exact before rounding"
    (let [rng (Random. 11)]
      (dotimes [_ 200]
        (let [k (+ 2 (.nextInt rng 4))
              fs (double-array (repeatedly k #(* (if (.nextBoolean rng) 1.0 -1.0)
                                                 (Math/scalb (+ 1.0 (.nextDouble rng))
                                                             (int (- (.nextInt rng 500) 250))))))
              gs (double-array (repeatedly k #(- (.nextDouble rng) 0.5)))
              ^Accumulator acc (dot/accumulator)]
          (.addProducts acc fs)
          (.addProducts acc gs)
          (.add acc 0.1)
          (is (= (bits (rn (+ (reduce * (map exact fs)) (reduce * (map exact gs)) (exact 0.1))))
                 (bits (.rounded acc)))
              (str (vec fs) " " (vec gs))))))))

(deftest scaled-rounding
  (testing "RN64(num/den · Σ) with one rounding, e.g. a mean or 2/n·Σ r²"
    (let [rng (Random. 3)]
      (dotimes [_ 200]
        (let [n (inc (.nextInt rng 9))
              xs (repeatedly n #(* (.nextGaussian rng) (Math/scalb 1.0 (int (- (.nextInt rng 200) 100)))))
              num (inc (.nextInt rng 2))
              ^Accumulator acc (dot/accumulator)]
          (doseq [x xs] (.add acc (double x)))
          (is (= (bits (rn (* (/ num n) (reduce + (map exact xs))))) (bits (.roundedScaled acc num n)))))))
    (testing "into the subnormals and to overflow"
      (let [^Accumulator acc (dot/accumulator)]
        (.add acc Double/MIN_VALUE)
        (is (= 0.0 (.roundedScaled acc 1 3)))
        (is (= Double/MIN_VALUE (.roundedScaled acc 2 3))))
      (let [^Accumulator acc (dot/accumulator)]
        (.add acc Double/MAX_VALUE)
        (is (= ##Inf (.roundedScaled acc 2 1)))
        (is (= (bits (rn (* 2/3 max-finite))) (bits (.roundedScaled acc 2 3))))))))

(deftest zeros-and-specials
  (let [sum (fn [f] (let [^Accumulator acc (dot/accumulator)] (f acc) (.rounded acc)))]
    (testing "an exact zero is +0, whatever the signs of the zero terms"
      (is (= (bits 0.0) (bits (sum #(do (.add ^Accumulator % -0.0) (.addProduct ^Accumulator % -0.0 1.0))))))
      (is (= (bits 0.0) (bits (sum #(do (.addProduct ^Accumulator % 0.1 0.3) (.addProduct ^Accumulator % -0.1 0.3))))))
      (is (= (bits 0.0) (bits (.roundedScaled (doto ^Accumulator (dot/accumulator) (.add 1.0) (.add -1.0)) 2 7)))))
    (testing "SPEC §7.1: NaN factor or 0 × ∞ is NaN; ∞ of both signs is NaN; else that infinity"
      (is (Double/isNaN (sum #(.addProduct ^Accumulator % ##NaN 1.0))))
      (is (Double/isNaN (sum #(.addProduct ^Accumulator % 0.0 ##Inf))))
      (is (Double/isNaN (sum #(.addProducts ^Accumulator % (double-array [0.5 ##Inf 0.0])))))
      (is (Double/isNaN (sum #(do (.add ^Accumulator % ##Inf) (.addProduct ^Accumulator % ##Inf -2.0)))))
      (is (= ##-Inf (sum #(do (.add ^Accumulator % 1e308) (.addProduct ^Accumulator % ##Inf -2.0)))))
      (is (= ##-Inf (sum #(.addProducts ^Accumulator % (double-array [-0.5 1e300 1e300 ##Inf])))))
      (is (= ##Inf (sum #(do (.add ^Accumulator % ##Inf) (.add ^Accumulator % -1e308))))))))

(deftest long-expansions
  (testing "terms spread over the whole range grow the expansion past its capacity: exact fallback"
    (let [xs (for [k (range 0 2000 23)] (* (if (even? k) 1.0 -1.0) (Math/scalb 1.0 (int (- k 1000)))))
          ^Accumulator acc (dot/accumulator)]
      (doseq [x xs] (.add acc (double x)))
      (is (= (bits (rn (reduce + (map exact xs)))) (bits (.rounded acc)))))))

(deftest fast-dot-equals-the-exact-sum
  (testing "rounded-dot (Sum2 with a certificate) gives the accumulator's bits, certified or not"
    (let [rng (Random. 99)
          certified-count (atom 0)
          cases (concat
                 ;; ordinary data, cancelling data, data on midpoints, tiny and huge products
                 (for [_ (range 200)]
                   (let [n (inc (.nextInt rng 20))]
                     [(double-array (repeatedly n #(.nextGaussian rng)))
                      (double-array (repeatedly n #(.nextGaussian rng)))]))
                 [[(double-array [1.0 (Math/scalb 1.0 (int -53))]) (double-array [1.0 1.0])]
                  [(double-array [1e300 -1e300 1e-300]) (double-array [1e8 1e8 3.0])]
                  [(double-array [0.1 -0.1]) (double-array [0.3 0.3])]
                  [(double-array [1e-200 1e-200]) (double-array [1e-200 -3e-201])]
                  [(double-array [1e308 1e308 -1e308]) (double-array [1.0 1.0 1.0])]
                  [(double-array [##NaN 1.0]) (double-array [1.0 1.0])]
                  [(double-array [-0.0 0.0]) (double-array [1.0 -1.0])]])]
      (doseq [[k [^doubles a ^doubles b]] (map-indexed vector cases)]
        (let [n (alength a)
              ^Accumulator acc (dot/accumulator)
              exact (do (.addProduct acc 0.5 -0.25)
                        (dotimes [i n] (.addProduct acc (aget a i) (aget b i)))
                        (.rounded acc))
              fast (dot/rounded-dot [i n] (aget a i) (aget b i) 0.5 -0.25 ##NaN)]
          ;; A NaN from the fast path means "not certified"; then the fallback (here NaN) is used.
          (is (or (Double/isNaN fast) (= (bits exact) (bits fast))) (str (vec a) " " (vec b)))
          (when (< k 200)
            (swap! certified-count + (if (Double/isNaN fast) 0 1)))))
      ;; On ordinary data the certificate nearly always holds: the fast path is not a dead branch.
      (is (< 190 @certified-count) (str @certified-count " of 200 certified")))))
